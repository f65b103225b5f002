import { pause } from './pause';

/**
 * Shared by every request of one run: a 429 makes all of them wait until the longest Retry-After in force,
 * not only the request that got it.
 */
export class ThrottleGate {
	private until = 0;

	/** Hold requests for `ms` from now (never shortens a longer hold already in force). */
	block(ms: number): void {
		this.until = Math.max(this.until, Date.now() + ms);
	}

	/** Resolves once no hold is in force, or as soon as `signal` aborts (the run was stopped). */
	async wait(signal?: AbortSignal): Promise<void> {
		for (let remaining = this.until - Date.now(); remaining > 0 && !signal?.aborted; remaining = this.until - Date.now()) {
			await pause(remaining, signal);
		}
	}
}
