import type { IDataObject, NodeOperationError } from 'n8n-workflow';

import { graphFailure, type GraphClient } from '../transport/graphClient';
import { operationError } from '../transport/nodeErrors';
import { type RosterFallback, waitForInviteesInRoster } from './inviteRoster';
import { pauseBefore } from './polling';

export { POLL_INTERVALS_MS } from './polling';

/** An invitation's operation: reading its status, waiting for its end, and explaining a failure. */

const RESULT_MEANINGS: Record<string, string> = {
	'400': 'Graph found the invitation invalid',
	'403': 'the app or the tenant does not allow inviting this identity',
	'404': 'the identity was not found',
	'408': 'nobody answered in time (an invitation is dropped after about 60 seconds)',
	'410': 'the identity cannot be reached anymore',
	'480': 'the invitee is unavailable (offline or on Do not disturb)',
	'486': 'the invitee is busy',
	'487': 'the invitation was cancelled (for example by Remove)',
	'500': 'Graph failed to place the invitation',
	'503': 'the service was unavailable',
	'603': 'the invitee declined',
};

export function operationStatus(operation: IDataObject | undefined): string {
	return String(operation?.status ?? '').toLowerCase();
}

export function isFinished(operation: IDataObject | undefined): boolean {
	const status = operationStatus(operation);
	return status === 'completed' || status === 'failed';
}

/** "The invitation failed: …" with Graph's resultInfo explained; the operation is kept in the error's context. */
export function failedInvitationError(graph: GraphClient, itemIndex: number, operation: IDataObject): NodeOperationError {
	const resultInfo = (operation.resultInfo ?? {}) as IDataObject;
	const code = resultInfo.code === undefined ? undefined : String(resultInfo.code);
	const meaning = code ? RESULT_MEANINGS[code] : undefined;
	const graphSays = typeof resultInfo.message === 'string' && resultInfo.message ? `Graph says: ${resultInfo.message}. ` : '';
	const codes = code ? ` (resultInfo code ${code}, subcode ${String(resultInfo.subcode ?? 'none')})` : '';
	const error = operationError(
		graph.nodeRef,
		`The invitation failed${meaning ? `: ${meaning}` : ''}${codes}`,
		{
			itemIndex,
			description: `${graphSays}Operation ${String(operation.id ?? '')}, client context ${String(operation.clientContext ?? '')}.`,
		},
	);
	error.context.operation = operation;
	return error;
}

/** Answers to the operation read that mean Graph does not serve it (no docs page documents GET …/operations/{id}). */
const OPERATION_READ_REFUSED = new Set([400, 404, 405]);

/**
 * Polls the operation (at the Location Graph gave, same origin only) until it completes or fails, or time runs out.
 * When Graph refuses that read (400, 404, 405), waits by the documented read instead: the call's roster (inviteRoster.ts).
 */
export async function waitForOperation(
	graph: GraphClient,
	itemIndex: number,
	location: string,
	first: IDataObject,
	timeoutSeconds: number,
	fallback: RosterFallback,
): Promise<IDataObject> {
	const deadline = Date.now() + timeoutSeconds * 1000;
	let operation = first;
	for (let poll = 0; !isFinished(operation); poll++) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw operationError(
				graph.nodeRef,
				`The invitation did not finish within ${timeoutSeconds} seconds (last status: ${operationStatus(operation) || 'unknown'})`,
				{
					itemIndex,
					description: `Raise "Wait Timeout", or read the operation later: ${location}`,
				},
			);
		}
		await graph.pause(Math.min(remaining, pauseBefore(poll)));
		if (graph.stopped) throw graph.stoppedError(itemIndex);
		const read = await graph
			.request({
				action: { phrase: 'read the operation' },
				method: 'GET',
				path: { url: location, what: 'operation (Location header)' },
				itemIndex,
				idempotent: true,
			})
			.then(
				(response) => response.body ?? {},
				(error: unknown) => error,
			);
		if (read instanceof Error) {
			const { status } = graphFailure(read);
			if (status === undefined || !OPERATION_READ_REFUSED.has(status)) throw read;
			return await waitForInviteesInRoster(graph, itemIndex, fallback, operation, deadline, timeoutSeconds);
		}
		operation = read as IDataObject;
	}
	return operation;
}
