/**
 * What this process checked against Graph's schema: counts per kind of body ("request invite", "answer getCall",
 * "notification") and the mismatches not yet claimed by a test (test/contract/failOnMismatch.ts fails the test they
 * happened in). The emulator records here; nothing here talks to anyone.
 */
import { describeViolation, type Violation } from './checkValue';

export interface KindCount {
	checked: number;
	mismatched: number;
}

const counts = new Map<string, KindCount>();
const pending: string[] = [];
/** Mismatches kept for the report at most (a broken emulator would otherwise fill memory). */
const MAX_PENDING = 50;

/** Records one body checked under `kind`; its mismatches (if any) wait for the running test to claim them. */
export function recordCheck(kind: string, violations: Violation[] | undefined, where: string): void {
	if (violations === undefined) return;
	const count = counts.get(kind) ?? { checked: 0, mismatched: 0 };
	count.checked++;
	if (violations.length) {
		count.mismatched++;
		if (pending.length < MAX_PENDING) pending.push(`${kind} (${where}):\n    ${violations.map(describeViolation).join('\n    ')}`);
	}
	counts.set(kind, count);
}

/** The mismatches recorded since the last call, cleared. */
export function takeMismatches(): string[] {
	return pending.splice(0, pending.length);
}

export function checkCounts(): Record<string, KindCount> {
	return Object.fromEntries(counts);
}
