/**
 * What this package keeps for the life of an n8n process (MSAL applications with their tokens, HTTPS agents, throttles,
 * signing keys, parsed credentials, trigger memories, refusal log lines, tenants of placed calls), keyed by credential version, CA or workflow. Every edit of a credential makes a new
 * key, and a long-running n8n sees many: each cache is bounded, and past its bound the least recently used entry is
 * dropped (its holder, if a run still has it, keeps working; the next run builds a new one).
 */
export class ProcessCache<V> {
	/** Map order is recency order: an entry is re-inserted each time it is used. */
	private readonly entries = new Map<string, V>();

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`ProcessCache limit must be a positive integer, not ${limit}`);
	}

	get size(): number {
		return this.entries.size;
	}

	/** The entry for `key`, made by `create` when there is none; it becomes the most recently used. */
	getOrCreate(key: string, create: () => V): V {
		const existing = this.entries.get(key);
		if (existing !== undefined) {
			this.entries.delete(key);
			this.entries.set(key, existing);
			return existing;
		}
		const made = create();
		this.set(key, made);
		return made;
	}

	/** The entry for `key`, if any, without changing its recency. */
	peek(key: string): V | undefined {
		return this.entries.get(key);
	}

	set(key: string, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
	}

	delete(key: string): void {
		this.entries.delete(key);
	}
}
