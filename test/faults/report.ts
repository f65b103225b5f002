import { isDeepStrictEqual } from 'node:util';

/**
 * The results table of a fault suite: every case adds a row (case, expected, seen, pass) and the table is printed
 * once the file's tests have run. `check` compares and records in one go, and returns what did not match, so that
 * the test asserts on exactly what the table shows.
 */

/** What an aspect of a case should be: a value (deep-equal), a pattern, or a bound. */
export type Want = unknown | RegExp | Bound;

export interface Bound {
	atLeast?: number;
	atMost?: number;
}

/** Aspect name → [wanted, seen]. */
export type Aspects = Record<string, readonly [Want, unknown]>;

interface Row {
	name: string;
	expected: string;
	seen: string;
	pass: boolean;
	/** For a failed row: each aspect that did not match, in full. */
	details?: string[];
}

export const atLeast = (value: number): Bound => ({ atLeast: value });
export const atMost = (value: number): Bound => ({ atMost: value });
export const between = (low: number, high: number): Bound => ({ atLeast: low, atMost: high });

function isBound(want: unknown): want is Bound {
	if (!want || typeof want !== 'object' || Array.isArray(want) || want instanceof RegExp) return false;
	const keys = Object.keys(want);
	return keys.length > 0 && keys.every((key) => key === 'atLeast' || key === 'atMost');
}

function matches(want: Want, seen: unknown): boolean {
	if (want instanceof RegExp) return typeof seen === 'string' && want.test(seen);
	if (isBound(want)) {
		return typeof seen === 'number' && seen >= (want.atLeast ?? -Infinity) && seen <= (want.atMost ?? Infinity);
	}
	return isDeepStrictEqual(want, seen);
}

function show(value: unknown): string {
	if (value instanceof RegExp) return `/${value.source}/`;
	if (isBound(value)) {
		if (value.atLeast !== undefined && value.atMost !== undefined) return `${value.atLeast}..${value.atMost}`;
		return value.atLeast !== undefined ? `≥${value.atLeast}` : `≤${String(value.atMost)}`;
	}
	if (Array.isArray(value)) return value.length ? `[${value.map(show).join(', ')}]` : '[]';
	if (value instanceof Map) return show(Object.fromEntries(value));
	if (typeof value === 'string') return value === '' ? '""' : value;
	return JSON.stringify(value) ?? String(value);
}

const WIDTH = { name: 44, cell: 72 };

function clip(text: string, width: number): string {
	const flat = text.replace(/\s+/g, ' ');
	return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

export class Report {
	private readonly rows: Row[] = [];
	private readonly blocks: string[] = [];

	constructor(readonly title: string) {}

	/** Compares every aspect, adds the row, and returns the aspects that did not match (empty when the case passed). */
	check(name: string, aspects: Aspects): string[] {
		const entries = Object.entries(aspects);
		const failures = entries
			.filter(([, [want, seen]]) => !matches(want, seen))
			.map(([aspect, [want, seen]]) => `${aspect}: expected ${show(want)}, seen ${show(seen)}`);
		this.rows.push({
			name,
			expected: entries.map(([aspect, [want]]) => `${aspect}=${show(want)}`).join('; '),
			seen: entries.map(([aspect, [, seen]]) => `${aspect}=${show(seen)}`).join('; '),
			pass: failures.length === 0,
			details: failures,
		});
		return failures;
	}

	/** Adds a free-form row (figures, notes). */
	note(name: string, expected: string, seen: string, pass: boolean): void {
		this.rows.push({ name, expected, seen, pass });
	}

	/** A block of figures, printed under the table: one "name: value" line each. */
	figures(title: string, values: Record<string, unknown>): void {
		const width = Math.max(...Object.keys(values).map((name) => name.length));
		this.blocks.push([title, ...Object.entries(values).map(([name, value]) => `  ${name.padEnd(width)}  ${typeof value === 'string' ? value : show(value)}`)].join('\n'));
	}

	get passed(): number {
		return this.rows.filter((row) => row.pass).length;
	}

	/** The table, one line per row; long cells are clipped (the failing test shows them in full). */
	render(): string {
		const line = `+${'-'.repeat(WIDTH.name + 2)}+${'-'.repeat(WIDTH.cell + 2)}+${'-'.repeat(WIDTH.cell + 2)}+------+`;
		const out = [
			`${this.title}: ${this.passed}/${this.rows.length} cases as expected`,
			line,
			`| ${clip('case', WIDTH.name)} | ${clip('expected', WIDTH.cell)} | ${clip('seen', WIDTH.cell)} | pass |`,
			line,
			...this.rows.map(
				(row) => `| ${clip(row.name, WIDTH.name)} | ${clip(row.expected, WIDTH.cell)} | ${clip(row.seen, WIDTH.cell)} | ${row.pass ? ' ok ' : 'FAIL'} |`,
			),
			line,
		];
		const failed = this.rows.filter((row) => !row.pass && row.details?.length);
		if (failed.length) out.push('Not as expected, in full:', ...failed.flatMap((row) => [`- ${row.name}`, ...(row.details ?? []).map((detail) => `    ${detail}`)]));
		out.push(...this.blocks);
		out.push(`${this.passed} passed, ${this.rows.length - this.passed} failed`);
		return out.join('\n');
	}
}

/** A report for this test file, printed after its tests (the `before` hook runs first, e.g. to stop capturing output). */
export function fileReport(title: string, before?: () => void): Report {
	const report = new Report(title);
	afterAll(() => {
		before?.();
		console.log(report.render());
	});
	return report;
}
