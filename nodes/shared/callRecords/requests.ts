import type { IDataObject } from 'n8n-workflow';

import type { GraphClient } from '../transport/graphClient';
import { allItems, graphPages, type PagedRequest } from '../transport/pager';
import { DAY_MS, splitRange, utcIso } from './dateTimes';
import {
	GET_CALL_RECORD,
	GET_DIRECT_ROUTING_CALLS,
	GET_PSTN_CALLS,
	LIST_CALL_RECORD_PARTICIPANTS,
	LIST_CALL_RECORD_SESSIONS,
	LIST_CALL_RECORDS,
} from './graphActions';

/** The call-record requests (`/communications/callRecords…`), each collection read page by page. */

const RECORDS = ['communications', 'callRecords'];

/** Graph keeps call records this long (`concepts/callrecords-api-faq.md`). */
export const RECORD_RETENTION_MS = 30 * DAY_MS;
/** The longest range getPstnCalls accepts (`api/callrecords-callrecord-getpstncalls.md`). */
export const REPORT_MAX_RANGE_MS = 90 * DAY_MS;

/** `$filter` for records whose start lies in [fromMs, toMs), optionally with one participant. */
export function recordsFilter(fromMs: number, toMs: number, participantId?: string): string {
	const clauses = [`startDateTime ge ${utcIso(fromMs)}`, `startDateTime lt ${utcIso(toMs)}`];
	if (participantId) clauses.push(`participants_v2/any(p:p/id eq '${participantId}')`);
	return clauses.join(' and ');
}

/** The list of records whose start lies in [fromMs, toMs), optionally with one participant. */
export function callRecordsRequest(range: { fromMs: number; toMs: number; participantId?: string }, itemIndex: number): PagedRequest {
	return {
		action: LIST_CALL_RECORDS,
		path: RECORDS,
		query: { $filter: recordsFilter(range.fromMs, range.toMs, range.participantId) },
		itemIndex,
	};
}

/** A record with one relationship expanded, every page of it followed (Graph expands one per request). */
async function recordExpanded(
	graph: GraphClient,
	recordId: string,
	expansion: { query: string; key: 'sessions' | 'participants_v2' },
	itemIndex: number,
): Promise<IDataObject> {
	let record: IDataObject | undefined;
	const items: IDataObject[] = [];
	const nextLinkKey = `${expansion.key}@odata.nextLink`;
	for await (const page of graphPages(graph, {
		action: GET_CALL_RECORD,
		path: [...RECORDS, recordId],
		query: { $expand: expansion.query },
		itemIndex,
		firstPage: { itemsKey: expansion.key, nextLinkKey },
	})) {
		record ??= page.body;
		items.push(...page.items);
	}
	const { [nextLinkKey]: _next, '@odata.context': _context, ...fields } = record ?? {};
	return { ...fields, [expansion.key]: items };
}

/** A record with every session and its segments (all pages of `sessions`). */
export async function recordWithSessions(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject> {
	return await recordExpanded(graph, recordId, { query: 'sessions($expand=segments)', key: 'sessions' }, itemIndex);
}

/** A record with every participant (all pages of `participants_v2`), without sessions. */
export async function recordWithParticipants(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject> {
	return await recordExpanded(graph, recordId, { query: 'participants_v2', key: 'participants_v2' }, itemIndex);
}

/** Every participant of a record (`participants_v2`, all pages). */
export async function recordParticipants(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject[]> {
	return await allItems(graph, { action: LIST_CALL_RECORD_PARTICIPANTS, path: [...RECORDS, recordId, 'participants_v2'], itemIndex });
}

/** Every session of a record, without segments (all pages). */
export async function recordSessions(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject[]> {
	return await allItems(graph, { action: LIST_CALL_RECORD_SESSIONS, path: [...RECORDS, recordId, 'sessions'], itemIndex });
}

export type ReportKind = 'getPstnCalls' | 'getDirectRoutingCalls';

/**
 * Every row of a PSTN or Direct Routing report for [fromMs, toMs], in order, none twice: a range longer than Graph
 * allows is read as consecutive ranges (getPstnCalls counts both bounds, so the next range starts 1 ms later;
 * getDirectRoutingCalls excludes toDateTime), every page of each followed.
 */
export async function* reportRows(graph: GraphClient, kind: ReportKind, fromMs: number, toMs: number, itemIndex: number): AsyncGenerator<IDataObject[]> {
	const pstn = kind === 'getPstnCalls';
	const seen = new Set<string>();
	for (const range of splitRange(fromMs, toMs, REPORT_MAX_RANGE_MS, pstn)) {
		const call = { name: kind, dateTimes: { fromDateTime: utcIso(range.fromMs), toDateTime: utcIso(range.toMs) } };
		for await (const page of graphPages(graph, { action: pstn ? GET_PSTN_CALLS : GET_DIRECT_ROUTING_CALLS, path: [...RECORDS, call], itemIndex })) {
			const fresh = page.items.filter((row) => {
				const id = typeof row.id === 'string' ? row.id : undefined;
				if (id === undefined) return true;
				if (seen.has(id)) return false;
				seen.add(id);
				return true;
			});
			yield fresh;
		}
	}
}
