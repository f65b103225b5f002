/**
 * The schema check's counts across a jest run: each test file writes what it checked into a directory made for the run
 * (per-file JSON files, so parallel workers never share a file); the teardown sums them into one line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import type { KindCount } from './contractLog';

export const COUNTS_DIR_VARIABLE = 'TEAMS_CALL_CONTRACT_COUNTS_DIR';

/** globalSetup: a fresh directory, named to the workers through the environment they inherit. */
export function startContractRun(): void {
	process.env[COUNTS_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'teams-call-contract-'));
}

/** A test file's counts, written when it ends (nothing when the run has no directory, e.g. a script's own jest call). */
export function saveContractCounts(counts: Record<string, KindCount>, replayed: number): void {
	const dir = process.env[COUNTS_DIR_VARIABLE];
	if (!dir) return;
	writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify({ counts, replayed }));
}

export function summarize(files: Array<{ counts: Record<string, KindCount>; replayed?: number }>): string {
	const total = new Map<string, KindCount>();
	let replayed = 0;
	for (const file of files) {
		replayed += file.replayed ?? 0;
		for (const [kind, count] of Object.entries(file.counts)) {
			const sum = total.get(kind) ?? { checked: 0, mismatched: 0, provoked: 0 };
			sum.checked += count.checked;
			sum.mismatched += count.mismatched;
			sum.provoked = (sum.provoked ?? 0) + (count.provoked ?? 0);
			total.set(kind, sum);
		}
	}
	const kinds = [...total.entries()].sort(([a], [b]) => a.localeCompare(b));
	const checked = kinds.reduce((sum, [, count]) => sum + count.checked, 0);
	const mismatched = kinds.reduce((sum, [, count]) => sum + count.mismatched, 0);
	const provoked = kinds.reduce((sum, [, count]) => sum + (count.provoked ?? 0), 0);
	const detail = kinds.map(([kind, count]) => `${kind} ${count.checked}${count.mismatched ? ` (${count.mismatched} mismatched)` : ''}`).join(', ');
	return (
		`schema check: ${checked} bodies checked against Graph v1.0's schema, ${mismatched} mismatched` +
		`${provoked ? ` (besides ${provoked} provoked on purpose by the check's own tests)` : ''}; docs examples replayed: ${replayed}${detail ? ` [${detail}]` : ''}`
	);
}

/** globalTeardown: the run's one line, then the directory goes. */
export function finishContractRun(): string | undefined {
	const dir = process.env[COUNTS_DIR_VARIABLE];
	if (!dir) return undefined;
	const files = readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { counts: Record<string, KindCount>; replayed?: number });
	rmSync(dir, { recursive: true, force: true });
	return summarize(files);
}
