import { graphFailure } from '../transport/graphClient';

/**
 * Whether a failed delete-like request is in fact done: an earlier attempt whose answer was lost did the work, and
 * the retry's 404 (with one of `codes`, when given) proves it.
 */
export function doneByEarlierAttempt(error: unknown, codes?: string[]): boolean {
	const failure = graphFailure(error);
	return (
		failure.earlierAttemptMayHaveArrived === true &&
		failure.status === 404 &&
		(codes === undefined || (failure.code !== undefined && codes.includes(failure.code)))
	);
}
