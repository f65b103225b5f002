export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs task(0..count-1) with at most `limit` running at once, as a sliding window: the next one starts as soon as
 * one finishes. Results keep input order. With stopOnError, no task starts after the first failure (those under
 * way finish); once `signal` aborts (the run was stopped), none starts either. Tasks never started stay undefined.
 */
export async function runWithConcurrency<T>(
	count: number,
	limit: number,
	task: (index: number) => Promise<T>,
	stopOnError: boolean,
	signal?: AbortSignal,
): Promise<Array<Settled<T> | undefined>> {
	const results = new Array<Settled<T> | undefined>(count);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < count && !(stopOnError && failed) && !signal?.aborted) {
			const index = next++;
			try {
				results[index] = { ok: true, value: await task(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
	return results;
}
