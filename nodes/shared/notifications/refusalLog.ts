import { ProcessCache } from '../processCache';

/** One log line per trigger node and reason at most this often; the refusals in between are counted in the next. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;
/** Trigger nodes × reasons whose last line this process remembers. */
export const MAX_TRACKED_REFUSALS = 1000;

const lastLines = new ProcessCache<{ loggedAt: number; notLogged: number }>(MAX_TRACKED_REFUSALS);

/**
 * The log line for a refused notification, or undefined when the same trigger logged the same reason less than a
 * minute ago (a flood of refused requests must not flood the log). Only the reason: never the token, never the body.
 */
export function refusalLogLine(trigger: string, reason: string, now: number): string | undefined {
	const key = `${trigger}\n${reason}`;
	const last = lastLines.peek(key);
	if (last && now - last.loggedAt < REFUSAL_LOG_INTERVAL_MS) {
		last.notLogged++;
		return undefined;
	}
	lastLines.set(key, { loggedAt: now, notLogged: 0 });
	const since = last?.notLogged ? ` (and ${last.notLogged} more for the same reason since the last such line)` : '';
	return `Teams Call Trigger refused a notification (401): ${reason}${since}`;
}
