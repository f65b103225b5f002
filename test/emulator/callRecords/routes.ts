/**
 * Graph's callRecords routes (`/v1.0/communications/callRecords…`): list with `$filter`, get with one `$expand`,
 * the sessions and participants_v2 collections, and the PSTN and Direct Routing report functions, each paged with
 * `@odata.nextLink` at Graph's page sizes. Auth, faults and latency are graph.ts's.
 */
import type { GraphAnswer } from '../calls';
import { graphError } from '../calls';
import { participantDocument, recordDocument, reportRowDocument, sessionDocument } from './documents';
import type { CallRecordStore, ReportRow, StoredRecord } from './store';
import { CALL_RECORDS_PERMISSION, PSTN_CALLS_PERMISSION } from './types';

export const CALL_RECORDS_PREFIX = ['v1.0', 'communications', 'callRecords'];
/** Graph's stated limit for getPstnCalls (`api/callrecords-callrecord-getpstncalls.md`). */
export const PSTN_MAX_RANGE_DAYS = 90;

const REPORT = /^(getPstnCalls|getDirectRoutingCalls)\((.*)\)$/;

export interface CallRecordsRequest {
	graphUrl: string;
	method: string;
	/** Decoded path segments after /v1.0/communications/callRecords. */
	path: string[];
	query: string;
}

/** The route's name for the log (listCallRecords, getCallRecord, …, unknown). */
export function callRecordRoute(method: string, path: string[]): string {
	if (method !== 'GET') return 'unknown';
	if (path.length === 0) return 'listCallRecords';
	const report = REPORT.exec(path[0]);
	if (report && path.length === 1) return report[1];
	if (path[0] === '') return 'unknown';
	if (path.length === 1) return 'getCallRecord';
	if (path.length === 2 && path[1] === 'sessions') return 'listCallRecordSessions';
	if (path.length === 2 && path[1] === 'participants_v2') return 'listCallRecordParticipants';
	return 'unknown';
}

function forbidden(store: CallRecordStore, accepted: string[]): GraphAnswer | undefined {
	if (accepted.some((permission) => store.granted.has(permission))) return undefined;
	return graphError(
		403,
		'Forbidden',
		`Missing role permissions on the request. API requires one of '${accepted.join(', ')}'. Roles on the request '${[...store.granted].join(', ')}'.`,
	);
}

const token = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function untoken(text: string | null): Record<string, unknown> | undefined | 'bad' {
	if (text === null) return undefined;
	try {
		const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : 'bad';
	} catch {
		return 'bad';
	}
}

/** `a=b&c=d` with `$` names kept as written and %-escapes decoded (as Graph reads its query). */
function queryOf(query: string): URLSearchParams {
	return new URLSearchParams(query);
}

function linkQuery(values: Record<string, string | undefined>): string {
	return Object.entries(values)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
		.join('&');
}

type Filter = { bounds: Array<{ op: string; ms: number }>; participantId?: string } | { error: string };

const START_CLAUSE = /^startDateTime\s+(ge|gt|le|lt)\s+(\S+)$/;
const PARTICIPANT_CLAUSE = /^participants_v2\/any\((\w+):\s*\1\/id\s+eq\s+'([^']*)'\)$/;

/** `$filter`: only startDateTime (lt le gt ge) and participants_v2/any(p:p/id eq '…'), joined with `and`. */
function parseFilter(text: string | null): Filter {
	const filter: { bounds: Array<{ op: string; ms: number }>; participantId?: string } = { bounds: [] };
	if (text === null || text.trim() === '') return filter;
	for (const clause of text.trim().split(/\s+and\s+/i)) {
		const start = START_CLAUSE.exec(clause.trim());
		if (start) {
			if (/^'/.test(start[2])) return { error: "The types 'Edm.DateTimeOffset' and 'Edm.String' are not compatible." };
			const ms = Date.parse(start[2]);
			if (!Number.isFinite(ms)) return { error: `The DateTimeOffset text '${start[2]}' is not valid.` };
			filter.bounds.push({ op: start[1], ms });
			continue;
		}
		const participant = PARTICIPANT_CLAUSE.exec(clause.trim());
		if (participant) {
			filter.participantId = participant[2];
			continue;
		}
		return { error: `Invalid filter clause: '${clause}'. Filter only on startDateTime (lt, le, gt, ge) and participants_v2/any(p:p/id eq '…').` };
	}
	return filter;
}

function inBounds(ms: number, bounds: Array<{ op: string; ms: number }>): boolean {
	return bounds.every(({ op, ms: bound }) => (op === 'ge' ? ms >= bound : op === 'gt' ? ms > bound : op === 'le' ? ms <= bound : ms < bound));
}

function recordsUrl(request: CallRecordsRequest): string {
	return `${request.graphUrl}/v1.0/communications/callRecords`;
}

function listRecords(store: CallRecordStore, request: CallRecordsRequest): GraphAnswer {
	const params = queryOf(request.query);
	if (params.has('$expand')) return graphError(400, 'BadRequest', 'Expanding navigation properties is not supported when listing call records.');
	const filter = parseFilter(params.get('$filter'));
	if ('error' in filter) return graphError(400, 'BadRequest', filter.error);
	const after = untoken(params.get('$skiptoken'));
	if (after === 'bad') return graphError(400, 'BadRequest', 'The $skiptoken is not valid.');
	const matching = store.visibleRecords().filter(
		(record) =>
			inBounds(record.startMs, filter.bounds) &&
			(filter.participantId === undefined || record.participants.some((person) => person.id === filter.participantId)) &&
			(after === undefined || record.startMs > Number(after.s) || (record.startMs === Number(after.s) && record.id > String(after.i))),
	);
	const page = matching.slice(0, store.pageSizes.records);
	const body: Record<string, unknown> = {
		'@odata.context': `${request.graphUrl}/v1.0/$metadata#communications/callRecords`,
		value: page.map(recordDocument),
	};
	if (matching.length > page.length) {
		const last = page[page.length - 1];
		const next = linkQuery({ $filter: params.get('$filter') ?? undefined, $skiptoken: token({ s: last.startMs, i: last.id }) });
		body['@odata.nextLink'] = `${recordsUrl(request)}?${next}`;
	}
	return { status: 200, body };
}

function notFound(id: string): GraphAnswer {
	return graphError(404, 'NotFound', `Resource not found: no call record '${id}'.`);
}

/** One page of a record's collection, from `offset`; the next page's link, when there is one. */
function pageOf<T>(all: T[], offset: number, size: number, nextUrl: (offset: number) => string): { page: T[]; next?: string } {
	const page = all.slice(offset, offset + size);
	return { page, next: offset + size < all.length ? nextUrl(offset + size) : undefined };
}

function sessionsUrl(request: CallRecordsRequest, record: StoredRecord, withSegments: boolean, offset: number): string {
	const query = linkQuery({ $expand: withSegments ? 'segments' : undefined, $skiptoken: token({ o: offset }) });
	return `${recordsUrl(request)}/${encodeURIComponent(record.id)}/sessions?${query}`;
}

function participantsUrl(request: CallRecordsRequest, record: StoredRecord, offset: number): string {
	return `${recordsUrl(request)}/${encodeURIComponent(record.id)}/participants_v2?${linkQuery({ $skiptoken: token({ o: offset }) })}`;
}

function getRecord(store: CallRecordStore, request: CallRecordsRequest, record: StoredRecord): GraphAnswer {
	const expand = queryOf(request.query).get('$expand');
	const body: Record<string, unknown> = {
		'@odata.context': `${request.graphUrl}/v1.0/$metadata#communications/callRecords/$entity`,
		...recordDocument(record),
	};
	if (expand === null || expand === '') return { status: 200, body };
	const sessions = /^sessions(\(\$expand=segments\))?$/.exec(expand);
	if (sessions) {
		const withSegments = sessions[1] !== undefined;
		const { page, next } = pageOf(record.sessions, 0, store.pageSizes.sessions, (offset) => sessionsUrl(request, record, withSegments, offset));
		body.sessions = page.map((session) => sessionDocument(session, withSegments));
		if (next) body['sessions@odata.nextLink'] = next;
		return { status: 200, body };
	}
	if (expand === 'participants_v2') {
		const { page, next } = pageOf(record.participants, 0, store.pageSizes.participants, (offset) => participantsUrl(request, record, offset));
		body.participants_v2 = page.map((person) => participantDocument(person));
		if (next) body['participants_v2@odata.nextLink'] = next;
		return { status: 200, body };
	}
	return graphError(400, 'BadRequest', `Expand '${expand}' is not supported: expand one of sessions, sessions($expand=segments), participants_v2.`);
}

function offsetOf(request: CallRecordsRequest): number | undefined {
	const after = untoken(queryOf(request.query).get('$skiptoken'));
	if (after === 'bad') return undefined;
	return after === undefined ? 0 : Number(after.o);
}

function listSessions(store: CallRecordStore, request: CallRecordsRequest, record: StoredRecord): GraphAnswer {
	const offset = offsetOf(request);
	if (offset === undefined) return graphError(400, 'BadRequest', 'The $skiptoken is not valid.');
	const withSegments = queryOf(request.query).get('$expand') === 'segments';
	const { page, next } = pageOf(record.sessions, offset, store.pageSizes.sessions, (at) => sessionsUrl(request, record, withSegments, at));
	const body: Record<string, unknown> = {
		'@odata.context': `${request.graphUrl}/v1.0/$metadata#communications/callRecords('${record.id}')/sessions`,
		value: page.map((session) => sessionDocument(session, withSegments)),
	};
	if (next) body['@odata.nextLink'] = next;
	return { status: 200, body };
}

function listParticipants(store: CallRecordStore, request: CallRecordsRequest, record: StoredRecord): GraphAnswer {
	const offset = offsetOf(request);
	if (offset === undefined) return graphError(400, 'BadRequest', 'The $skiptoken is not valid.');
	const { page, next } = pageOf(record.participants, offset, store.pageSizes.participants, (at) => participantsUrl(request, record, at));
	const body: Record<string, unknown> = {
		'@odata.context': `${request.graphUrl}/v1.0/$metadata#communications/callRecords('${record.id}')/participants_v2`,
		value: page.map((person) => participantDocument(person)),
	};
	if (next) body['@odata.nextLink'] = next;
	return { status: 200, body };
}

/** `fromDateTime=…,toDateTime=…` (Graph's own nextLinks write `from=`/`to=`). */
function reportRange(args: string): { fromMs: number; toMs: number; from: string; to: string } | { error: string } {
	const values: Record<string, string> = {};
	for (const pair of args.split(',')) {
		const at = pair.indexOf('=');
		if (at === -1) return { error: `The parameter '${pair}' is not valid.` };
		const name = pair.slice(0, at).trim();
		values[name === 'from' ? 'fromDateTime' : name === 'to' ? 'toDateTime' : name] = pair.slice(at + 1).trim();
	}
	const { fromDateTime: from, toDateTime: to } = values;
	if (from === undefined || to === undefined) return { error: 'Both fromDateTime and toDateTime are required.' };
	const fromMs = Date.parse(from);
	const toMs = Date.parse(to);
	if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return { error: `The date-times '${from}' and '${to}' are not both valid.` };
	if (toMs < fromMs) return { error: 'toDateTime must not be earlier than fromDateTime.' };
	return { fromMs, toMs, from, to };
}

function report(store: CallRecordStore, request: CallRecordsRequest, name: string, args: string): GraphAnswer {
	const pstn = name === 'getPstnCalls';
	const refused = forbidden(store, [PSTN_CALLS_PERMISSION, CALL_RECORDS_PERMISSION]);
	if (refused) return refused;
	const range = reportRange(args);
	if ('error' in range) return graphError(400, 'BadRequest', range.error);
	if (pstn && range.toMs - range.fromMs > PSTN_MAX_RANGE_DAYS * 24 * 3600 * 1000) {
		return graphError(400, 'BadRequest', `The range from fromDateTime to toDateTime must not exceed ${PSTN_MAX_RANGE_DAYS} days.`);
	}
	const skipText = queryOf(request.query).get('$skip');
	const skip = skipText === null ? 0 : Number(skipText);
	if (!Number.isInteger(skip) || skip < 0) return graphError(400, 'BadRequest', `The $skip value '${skipText}' is not valid.`);
	const rows: ReportRow[] = pstn ? store.pstnCallsBetween(range.fromMs, range.toMs) : store.directRoutingCallsBetween(range.fromMs, range.toMs);
	const page = rows.slice(skip, skip + store.pageSizes.reports);
	const body: Record<string, unknown> = {
		'@odata.context': `${request.graphUrl}/v1.0/$metadata#Collection(microsoft.graph.callRecords.${pstn ? 'pstnCallLogRow' : 'directRoutingLogRow'})`,
		'@odata.count': page.length,
		value: page.map(reportRowDocument),
	};
	if (skip + page.length < rows.length) {
		// As Graph's own example: the PSTN link names its bounds from= / to=.
		const bounds = pstn ? `from=${range.from},to=${range.to}` : `fromDateTime=${range.from},toDateTime=${range.to}`;
		body['@odata.nextLink'] = `${recordsUrl(request)}/${name}(${bounds})?$skip=${skip + page.length}`;
	}
	return { status: 200, body };
}

export function answerCallRecords(store: CallRecordStore, request: CallRecordsRequest): GraphAnswer {
	const route = callRecordRoute(request.method, request.path);
	if (route === 'unknown') {
		if (request.method !== 'GET') return graphError(405, 'UnknownError', `The method ${request.method} is not allowed on this resource.`);
		return graphError(404, 'UnknownError', `No resource for ${request.method} /communications/callRecords/${request.path.join('/')}.`);
	}
	const reportCall = REPORT.exec(request.path[0] ?? '');
	if (reportCall && request.path.length === 1) return report(store, request, reportCall[1], reportCall[2]);
	const refused = forbidden(store, [CALL_RECORDS_PERMISSION]);
	if (refused) return refused;
	if (route === 'listCallRecords') return listRecords(store, request);
	const record = store.visible(request.path[0]);
	if (!record) return notFound(request.path[0]);
	if (route === 'listCallRecordSessions') return listSessions(store, request, record);
	if (route === 'listCallRecordParticipants') return listParticipants(store, request, record);
	return getRecord(store, request, record);
}
