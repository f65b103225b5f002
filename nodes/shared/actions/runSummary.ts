import type { Settled } from './concurrency';
import { ItemWithBinary, type OperationOutput } from './types';

/** What a run that ended early tells the user about its items: which reached Graph, which never started. */

export type ItemResults = ReadonlyArray<Settled<OperationOutput> | undefined>;

/** "item 3", "items 3 to 9", "items 1, 4 and 6 to 9". */
export function itemRanges(indices: readonly number[]): string {
	const ranges: string[] = [];
	for (let start = 0; start < indices.length; ) {
		let end = start;
		while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
		ranges.push(end === start ? String(indices[start]) : `${indices[start]} to ${indices[end]}`);
		start = end + 1;
	}
	const list = ranges.length > 1 ? `${ranges.slice(0, -1).join(', ')} and ${ranges[ranges.length - 1]}` : ranges.join('');
	return indices.length === 1 ? `item ${list}` : `items ${list}`;
}

export function notStarted(results: ItemResults): number[] {
	return [...results.keys()].filter((index) => results[index] === undefined);
}

/** "item 0 (client context ctx-0)": an item whose request Graph accepted, with the client context it returned. */
function sentItem(index: number, value: OperationOutput): string {
	const clientContext = Array.isArray(value) ? undefined : value instanceof ItemWithBinary ? value.json.clientContext : value.clientContext;
	return typeof clientContext === 'string' && clientContext ? `item ${index} (client context ${clientContext})` : `item ${index}`;
}

/**
 * For operations that may not be sent twice: which items Graph already accepted and which never started, so that
 * the user re-runs only the latter. Undefined when no item was sent.
 */
export function sentItemsNote(results: ItemResults): string | undefined {
	const sent = [...results.entries()].flatMap(([index, result]) => (result?.ok ? [sentItem(index, result.value)] : []));
	if (sent.length === 0) return undefined;
	const waiting = notStarted(results);
	const rest = waiting.length ? ` Not started: ${itemRanges(waiting)}.` : '';
	return `Items already sent to Graph before the run stopped (not undone; do not run them again): ${sent.join(', ')}.${rest}`;
}

/** The message of a run the user stopped: "The run was stopped: items 57 to 199 were not started". */
export function stoppedMessage(results: ItemResults): string {
	const waiting = notStarted(results);
	return `The run was stopped: ${itemRanges(waiting)} ${waiting.length === 1 ? 'was' : 'were'} not started`;
}
