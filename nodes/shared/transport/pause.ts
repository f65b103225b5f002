import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less when the run is stopped: resolves early (and clears its timer) once `signal` aborts.
 * Callers check `signal.aborted` afterwards to know which happened.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted || ms <= 0) return;
	await delay(ms, undefined, { signal }).catch((error: unknown) => {
		if (!signal?.aborted) throw error;
	});
}
