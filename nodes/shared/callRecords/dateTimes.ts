import type { INode } from 'n8n-workflow';

import { inputError } from '../actions/validation';

/** Date-times as users give them (the date picker, an expression, ISO text) and as Graph wants them (UTC ISO). */

const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?$/;

/** How far ahead of UTC a time zone is at an instant (ms). */
function zoneOffsetMs(timeZone: string, utcMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time without a zone (what n8n's date picker gives), read in the workflow's time zone. */
function localToUtcMs(date: string, time: string, timeZone: string): number {
	const naive = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
	const first = naive - zoneOffsetMs(timeZone, naive);
	return naive - zoneOffsetMs(timeZone, first);
}

/** Milliseconds since 1970 for a parameter's value, or undefined when it is no date-time. */
function toMs(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return value.getTime();
	if (value && typeof value === 'object') {
		const luxon = value as { toMillis?: () => number; toISO?: () => string };
		if (typeof luxon.toMillis === 'function') return luxon.toMillis();
		if (typeof luxon.toISO === 'function') return Date.parse(luxon.toISO());
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (ZONED.test(text)) return Date.parse(text);
	const local = LOCAL.exec(text);
	if (!local) return undefined;
	try {
		return localToUtcMs(local[1], local[2] ?? '00:00:00', timeZone);
	} catch {
		return undefined; // an unknown time zone
	}
}

/** A required date-time parameter; text without a zone is read in the workflow's time zone. */
export function requireDateTime(node: INode, itemIndex: number, parameter: string, value: unknown, timeZone: string): number {
	if (value === undefined || value === null || value === '') {
		throw inputError(node, itemIndex, parameter, 'is empty', 'Give a date and time, e.g. 2026-11-30T08:00:00Z or {{ $today.minus({ days: 1 }) }}.');
	}
	const ms = toMs(value, timeZone);
	if (ms === undefined || !Number.isFinite(ms)) {
		const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value) : typeof value;
		throw inputError(node, itemIndex, parameter, `${shown} is not a date-time; give one such as 2026-11-30T08:00:00Z`);
	}
	return ms;
}

/** A range from one parameter to another, checked: the start must come before the end. */
export function requireRange(
	node: INode,
	itemIndex: number,
	[fromLabel, fromValue]: [string, unknown],
	[toLabel, toValue]: [string, unknown],
	timeZone: string,
): { fromMs: number; toMs: number } {
	const fromMs = requireDateTime(node, itemIndex, fromLabel, fromValue, timeZone);
	const toMs = requireDateTime(node, itemIndex, toLabel, toValue, timeZone);
	if (toMs <= fromMs) {
		throw inputError(node, itemIndex, toLabel, `(${utcIso(toMs)}) must be later than ${fromLabel} (${utcIso(fromMs)})`);
	}
	return { fromMs, toMs };
}

/** Graph's form: UTC ISO 8601 with milliseconds. */
export function utcIso(ms: number): string {
	return new Date(ms).toISOString();
}

export const DAY_MS = 24 * 3600 * 1000;

/**
 * [fromMs, toMs] split into consecutive ranges of at most `maxMs`, in order, none overlapping: range i ends at
 * fromMs + (i + 1) × maxMs; with `inclusiveEnd` (both bounds count, as getPstnCalls) the next one starts 1 ms after
 * it, otherwise where it ended.
 */
export function splitRange(fromMs: number, toMs: number, maxMs: number, inclusiveEnd: boolean): Array<{ fromMs: number; toMs: number }> {
	const ranges: Array<{ fromMs: number; toMs: number }> = [];
	for (let start = fromMs, index = 1; ; index++) {
		const end = Math.min(fromMs + index * maxMs, toMs);
		ranges.push({ fromMs: start, toMs: end });
		if (end >= toMs) return ranges;
		start = inclusiveEnd ? end + 1 : end;
	}
}
