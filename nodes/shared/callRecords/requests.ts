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

/**
 * A record with one relationship expanded (Graph expands one per request): the record's own fields, and every page
 * of the relationship handed to `onPage` as it comes (the caller keeps what it needs of it, nothing more).
 */
async function readExpanded(
	graph: GraphClient,
	recordId: string,
	expansion: { query: string; key: 'sessions' | 'participants_v2' },
	itemIndex: number,
	onPage: (items: IDataObject[]) => void,
): Promise<IDataObject> {
	let fields: IDataObject | undefined;
	const nextLinkKey = `${expansion.key}@odata.nextLink`;
	for await (const page of graphPages(graph, {
		action: GET_CALL_RECORD,
		path: [...RECORDS, recordId],
		query: { $expand: expansion.query },
		itemIndex,
		firstPage: { itemsKey: expansion.key, nextLinkKey },
	})) {
		if (!fields) {
			const { [expansion.key]: _items, [nextLinkKey]: _next, '@odata.context': _context, ...rest } = page.body;
			fields = rest;
		}
		onPage(page.items);
	}
	return fields ?? {};
}

/** A record with every session and its segments (all pages of `sessions`). */
export async function recordWithSessions(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject> {
	const sessions: IDataObject[] = [];
	const fields = await readExpanded(graph, recordId, { query: 'sessions($expand=segments)', key: 'sessions' }, itemIndex, (items) => {
		for (const session of items) sessions.push(session);
	});
	return { ...fields, sessions };
}

/** A record without sessions, and how many participants it has: every page of `participants_v2` counted, none kept. */
export async function recordWithParticipantCount(graph: GraphClient, recordId: string, itemIndex: number): Promise<{ record: IDataObject; participantCount: number }> {
	let participantCount = 0;
	const record = await readExpanded(graph, recordId, { query: 'participants_v2', key: 'participants_v2' }, itemIndex, (items) => {
		participantCount += items.length;
	});
	return { record, participantCount };
}

/** Every participant of a record (`participants_v2`, all pages). */
export async function recordParticipants(graph: GraphClient, recordId: string, itemIndex: number): Promise<IDataObject[]> {
	return await allItems(graph, { action: LIST_CALL_RECORD_PARTICIPANTS, path: [...RECORDS, recordId, 'participants_v2'], itemIndex });
}

/** The sessions of a record, without segments, a page at a time. */
export async function* recordSessionPages(graph: GraphClient, recordId: string, itemIndex: number): AsyncGenerator<IDataObject[]> {
	for await (const page of graphPages(graph, { action: LIST_CALL_RECORD_SESSIONS, path: [...RECORDS, recordId, 'sessions'], itemIndex })) yield page.items;
}

/** The participants of a record (`participants_v2`), a page at a time. */
export async function* recordParticipantPages(graph: GraphClient, recordId: string, itemIndex: number): AsyncGenerator<IDataObject[]> {
	for await (const page of graphPages(graph, { action: LIST_CALL_RECORD_PARTICIPANTS, path: [...RECORDS, recordId, 'participants_v2'], itemIndex })) yield page.items;
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
