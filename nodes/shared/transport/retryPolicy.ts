/** When to try a request again, and how long to wait first. */

/** Longest wait the node accepts from a Retry-After header; a longer one fails the item with the wait named. */
export const MAX_RETRY_AFTER_MS = 120_000;
const BACKOFF_BASE_MS = 400;
const BACKOFF_MAX_MS = 8_000;

/** Parses Retry-After, in seconds or as an HTTP date, into milliseconds from now (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff with full jitter, for answers that say nothing of when to come back. */
export function backoffMs(attempt: number, random = Math.random): number {
	const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The wait before attempt `attempt + 1`: Retry-After when present (undefined if over the cap), else backoff. */
export function retryDelayMs(retryAfter: string | undefined, attempt: number): number | undefined {
	const asked = parseRetryAfter(retryAfter);
	if (asked === undefined) return backoffMs(attempt);
	return asked > MAX_RETRY_AFTER_MS ? undefined : asked;
}
