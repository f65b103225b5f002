/** The pauses between reads while waiting for something in Graph (an invitation, a new call): short first, then 2 s. */
export const POLL_INTERVALS_MS = [250, 500, 1000, 2000];

export function pauseBefore(poll: number): number {
	return POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)];
}
