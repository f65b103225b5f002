/**
 * What this process checked against Graph's schema: counts per kind of body ("request invite", "answer getCall",
 * "notification") and the mismatches not yet claimed. A test that provokes mismatches on purpose claims them with
 * takeMismatches(); any left are failed by test/contract/failOnMismatch.ts in the test they happened in. The emulator
 * records here; nothing here talks to anyone.
 */
import { describeViolation, type Violation } from './checkValue';

export interface KindCount {
	checked: number;
	/** Mismatches no test claimed: each failed a test. */
	mismatched: number;
	/** Mismatches a test provoked and claimed (the schema check's own tests). */
	provoked?: number;
}

const counts = new Map<string, KindCount>();
const pending: Array<{ kind: string; text: string }> = [];
/** Mismatches kept for the report at most (a broken emulator would otherwise fill memory). */
const MAX_PENDING = 50;

function countOf(kind: string): KindCount {
	const count = counts.get(kind) ?? { checked: 0, mismatched: 0, provoked: 0 };
	counts.set(kind, count);
	return count;
}

/** Records one body checked under `kind`; its mismatches (if any) wait for the running test to claim them. */
export function recordCheck(kind: string, violations: Violation[] | undefined, where: string): void {
	if (violations === undefined) return;
	const count = countOf(kind);
	count.checked++;
	if (violations.length === 0) return;
	count.mismatched++;
	if (pending.length < MAX_PENDING) pending.push({ kind, text: `${kind} (${where}):\n    ${violations.map(describeViolation).join('\n    ')}` });
}

function drain(): Array<{ kind: string; text: string }> {
	return pending.splice(0, pending.length);
}

/** Claims the mismatches recorded since the last call (a test that provokes them on purpose): they fail nothing. */
export function takeMismatches(): string[] {
	return drain().map(({ kind, text }) => {
		const count = countOf(kind);
		count.mismatched--;
		count.provoked = (count.provoked ?? 0) + 1;
		return text;
	});
}

/** The error a test fails with for these mismatches (each names its body, path and rule); undefined for none. */
export function mismatchError(when: string, mismatches: string[]): Error | undefined {
	return mismatches.length ? new Error(`Graph schema mismatch ${when}:\n  ${mismatches.join('\n  ')}`) : undefined;
}

/** Throws when unclaimed mismatches were recorded since the last call. */
export function failOnMismatches(when: string): void {
	const error = mismatchError(when, drain().map(({ text }) => text));
	if (error) throw error;
}

export function checkCounts(): Record<string, KindCount> {
	return Object.fromEntries(counts);
}
