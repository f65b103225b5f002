import type { IDataObject } from 'n8n-workflow';

import { ProcessCache } from '../processCache';
import { mergeMemory, readMemory, type TriggerMemory } from './callMemory';

/**
 * The memory of each trigger node, kept in two places: this process (so that concurrent notifications, each of which
 * n8n hands a copy of the static data read before it arrived, see each other's changes) and the workflow's static data
 * (which n8n saves to the database after each webhook call, so that it survives a restart and is shared with webhook
 * processes). Reading merges both; writing updates this process's and, unless told not to, the static data. Read and
 * write must happen without an `await` in between.
 */
/** Trigger nodes whose memory this process keeps; one dropped is read back from its static data. */
export const MAX_CACHED_TRIGGERS = 1000;
const memories = new ProcessCache<TriggerMemory>(MAX_CACHED_TRIGGERS);

export function recallMemory(key: string, staticData: IDataObject, now: number): TriggerMemory {
	const memory = mergeMemory(memories.peek(key) ?? { calls: {}, ended: {} }, readMemory(staticData), now);
	memories.set(key, memory);
	return memory;
}

/**
 * Keeps the memory in this process and, when `persist`, in the static data, which n8n writes to its database as it
 * creates the execution the notification starts (in SQLite, one write waits for the other). Memory kept only here
 * reaches the database with the trigger's next persisted notification, which merges it in.
 */
export function storeMemory(key: string, staticData: IDataObject, memory: TriggerMemory, persist = true): void {
	memories.set(key, memory);
	if (!persist) return;
	// A plain copy, as the database will hold it: later changes to this process's memory must not leak into it.
	const copy = JSON.parse(JSON.stringify(memory)) as TriggerMemory;
	staticData.calls = copy.calls as unknown as IDataObject;
	staticData.ended = copy.ended;
}
