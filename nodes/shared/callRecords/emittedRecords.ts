import type { IDataObject } from 'n8n-workflow';

/**
 * What the Teams Call Record Trigger remembers between polls, in the workflow's static data (n8n keeps it in its
 * database): each record seen, with its version and start, for as long as a poll can still see it. Bounded: entries
 * older than the poll's window are dropped, and at most MAX_REMEMBERED are kept (the oldest starts go first).
 */

export const MAX_REMEMBERED = 20_000;

/** Record id → [version, start in ms]. */
type Seen = Record<string, [number, number]>;

export class EmittedRecords {
	private constructor(private readonly data: IDataObject) {}

	/** The memory inside a node's static data (created on first use). */
	static in(staticData: IDataObject): EmittedRecords {
		return new EmittedRecords(staticData);
	}

	/** Whether nothing was remembered yet: the trigger's first poll since it was first activated. */
	get isNew(): boolean {
		return typeof this.data.callRecords !== 'object' || this.data.callRecords === null;
	}

	private get seen(): Seen {
		if (this.isNew) this.data.callRecords = {};
		return this.data.callRecords as Seen;
	}

	/** The version remembered for a record, or undefined when it was never seen. */
	versionOf(id: string): number | undefined {
		const entry = Object.hasOwn(this.seen, id) ? this.seen[id] : undefined;
		return entry?.[0];
	}

	remember(id: string, version: number, startMs: number): void {
		this.seen[id] = [version, startMs];
	}

	/** Forgets records that started before `oldestMs` (no poll can see them again), then the oldest beyond the bound. */
	prune(oldestMs: number): void {
		// A plain value written at the top: n8n notices the change and saves the static data (nested writes alone may go unseen).
		this.data.prunedAt = Date.now();
		const seen = this.seen;
		const kept = Object.entries(seen)
			.filter(([, [, startMs]]) => startMs >= oldestMs)
			.sort(([, a], [, b]) => b[1] - a[1])
			.slice(0, MAX_REMEMBERED);
		if (kept.length === Object.keys(seen).length) return;
		this.data.callRecords = Object.fromEntries(kept);
	}
}
