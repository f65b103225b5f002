import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from './emulator';
import type { CallRecordSeed, PersonSeed } from './emulator/callRecords/types';
import { emulatorGet, graphRequestsSince, runCallNode, runNode, type NodeRunOptions } from './helpers/testbed';

/** Teams Call Record in n8n's engine against the emulator's call records. */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ callEstablishMs: 100 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RECORDS = '/v1.0/communications/callRecords';

const ALICE: PersonSeed = { id: 'a1a1a1a1-0000-4000-8000-000000000001', displayName: 'Alice Archer', tenantId: 't1' };
const BOB: PersonSeed = { id: 'b2b2b2b2-0000-4000-8000-000000000002', displayName: 'Bob Baker', tenantId: 't1' };
const CAROL: PersonSeed = { id: 'c3c3c3c3-0000-4000-8000-000000000003', displayName: 'Carol Cruz', tenantId: 't1' };

const iso = (ms: number) => new Date(ms).toISOString();

async function recordNode(parameters: IDataObject, options: NodeRunOptions = {}) {
	return await runNode(emulator, parameters, { ...options, node: 'callRecord' });
}

/** The Graph requests since `from` (an index into the log), decoded: "GET /v1.0/…?…". */
function graphPathsSince(from: number): string[] {
	return emulator.log
		.slice(from)
		.filter((entry) => entry.server === 'graph')
		.map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`);
}

/** A meeting at `startMs`: Alice on a laptop and then her phone (overlapping), Bob twice, Carol invited but absent. */
function meeting(startMs: number, extra: Partial<CallRecordSeed> = {}): CallRecordSeed {
	const at = (minutes: number) => iso(startMs + minutes * 60_000);
	return {
		id: 'rec-meeting-1',
		joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
		organizer: ALICE,
		participants: [ALICE, BOB, CAROL],
		sessions: [
			{ caller: { ...ALICE, platform: 'windows', deviceName: 'ALICE-LAPTOP' }, startDateTime: at(0), endDateTime: at(30), modalities: ['audio', 'video'], segments: 2 },
			{ caller: { ...ALICE, platform: 'android', productFamily: 'teams' }, startDateTime: at(20), endDateTime: at(50) },
			{ caller: { ...BOB, platform: 'macOS' }, startDateTime: at(5), endDateTime: at(15) },
			{ caller: { ...BOB, platform: 'macOS' }, startDateTime: at(40), endDateTime: at(45) },
		],
		...extra,
	};
}

/** Simplify's summary of `meeting(startMs)`, without participantCount and version. */
function meetingSummary(startMs: number): IDataObject {
	return {
		id: 'rec-meeting-1',
		type: 'groupCall',
		modalities: ['audio', 'video'],
		startDateTime: iso(startMs),
		endDateTime: iso(startMs + 50 * 60_000),
		durationSeconds: 3000,
		organizer: { displayName: 'Alice Archer', identityType: 'user', identityId: ALICE.id, tenantId: 't1' },
	};
}

describe('Get', () => {
	it('simplified (the default): one request with participants_v2 expanded, every page followed; the flat summary', async () => {
		const start = Date.now() - 3 * HOUR;
		emulator.callRecords.pageSizes.participants = 2;
		emulator.callRecords.add(meeting(start, { participants: [ALICE, BOB, CAROL, { id: 'd4', displayName: 'Dan' }, { id: '+12065550100', kind: 'phone' }], version: 3 }));
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'get', callRecordId: 'rec-meeting-1' });
		expect(run.errorMessage).toBeUndefined();
		expect(graphPathsSince(from)).toEqual([
			`GET ${RECORDS}/rec-meeting-1?$expand=participants_v2`,
			`GET ${RECORDS}/rec-meeting-1/participants_v2?$skiptoken=${Buffer.from('{"o":2}').toString('base64url')}`,
			`GET ${RECORDS}/rec-meeting-1/participants_v2?$skiptoken=${Buffer.from('{"o":4}').toString('base64url')}`,
		]);
		expect(run.json).toEqual([{ ...meetingSummary(start), participantCount: 5, version: 3 }]);
		expect(run.paired).toEqual([0]);
	});

	it('not simplified: the record with every session and its segments, then every participant', async () => {
		emulator.callRecords.pageSizes.sessions = 3;
		emulator.callRecords.add(meeting(Date.now() - 3 * HOUR));
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'get', callRecordId: 'rec-meeting-1', simplify: false });
		expect(run.errorMessage).toBeUndefined();
		expect(graphPathsSince(from)).toEqual([
			`GET ${RECORDS}/rec-meeting-1?$expand=sessions($expand=segments)`,
			`GET ${RECORDS}/rec-meeting-1/sessions?$expand=segments&$skiptoken=${Buffer.from('{"o":3}').toString('base64url')}`,
			`GET ${RECORDS}/rec-meeting-1/participants_v2`,
		]);
		const [record] = run.json;
		expect(record).toMatchObject({ id: 'rec-meeting-1', version: 1, organizer_v2: { id: ALICE.id } });
		expect(record).not.toHaveProperty('sessions@odata.nextLink');
		const sessions = record.sessions as IDataObject[];
		expect(sessions).toHaveLength(4);
		expect((sessions[0].segments as unknown[]).length).toBe(2);
		expect((record.participants_v2 as IDataObject[]).map((p) => p.id)).toEqual([ALICE.id, BOB.id, CAROL.id]);
	});

	it('a record older than 30 days: Graph answers 404 and the error says records are kept 30 days', async () => {
		emulator.callRecords.add(meeting(Date.now() - 31 * DAY));
		const run = await recordNode({ operation: 'get', callRecordId: 'rec-meeting-1' });
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not get the call record \(HTTP 404, code NotFound\)/);
		expect(run.errorDescription).toContain('Graph keeps call records for 30 days: an older record is gone');
	});

	it('a missing permission: Graph answers 403 and the error names CallRecords.Read.All and where to grant it', async () => {
		emulator.callRecords.add(meeting(Date.now() - HOUR));
		emulator.callRecords.granted.delete('CallRecords.Read.All');
		const run = await recordNode({ operation: 'get', callRecordId: 'rec-meeting-1' });
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not get the call record \(HTTP 403, code Forbidden\)/);
		expect(run.errorDescription).toMatch(/^The app needs the application permission CallRecords\.Read\.All with admin consent\. Grant it in the Microsoft Entra admin center: App registrations > this app > API permissions/);
	});

	it("a call the emulator ended leaves a record under the call's callChainId, which appears only after a delay", async () => {
		emulator.callRecords.recordDelayMs = 3000; // long enough that a loaded machine still reads before it appears
		emulator.addMeeting({ joinMeetingId: '3141592653589', passcode: 'aBc123', attendees: [{ displayName: 'Meeting organizer' }, { displayName: 'Guest speaker' }] });
		const joined = await runCallNode(emulator, { operation: 'join', joinBy: 'meetingId', joinMeetingId: '3141592653589', passcode: 'aBc123', callbackUrl: 'https://n8n.example.com/webhook/x' });
		expect(joined.errorMessage).toBeUndefined();
		const { id: callId, callChainId } = joined.json[0] as { id: string; callChainId: string };
		await runCallNode(emulator, { operation: 'hangUp', callId });
		const early = await recordNode({ operation: 'get', callRecordId: callChainId });
		expect(early.errorMessage).toMatch(/HTTP 404/);
		await new Promise((resolve) => setTimeout(resolve, 3100));
		const late = await recordNode({ operation: 'getAttendance', callRecordId: callChainId });
		expect(late.errorMessage).toBeUndefined();
		expect(late.json.map((row) => row.displayName).sort()).toEqual(['Guest speaker', 'Meeting organizer', 'Teams Call bot'].sort());
	});
});

describe('Get Many', () => {
	it('follows every page of the start-time filter and returns one item per record, in start order', async () => {
		const base = Date.now() - 5 * DAY;
		for (let i = 0; i < 130; i++) emulator.callRecords.add({ id: `r${String(i).padStart(3, '0')}`, sessions: [{ caller: ALICE, callee: BOB, startDateTime: iso(base + i * 60_000), endDateTime: iso(base + i * 60_000 + 30_000) }] });
		emulator.callRecords.add({ id: 'outside', sessions: [{ caller: ALICE, startDateTime: iso(base - HOUR), endDateTime: iso(base) }] });
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'getMany', startFrom: iso(base), startTo: iso(base + DAY), returnAll: true });
		expect(run.errorMessage).toBeUndefined();
		const paths = graphPathsSince(from);
		expect(paths).toHaveLength(3);
		expect(paths[0]).toBe(`GET ${RECORDS}?$filter=startDateTime ge ${iso(base)} and startDateTime lt ${iso(base + DAY)}`);
		expect(run.json.map((record) => record.id)).toEqual(Array.from({ length: 130 }, (_, i) => `r${String(i).padStart(3, '0')}`));
		expect(new Set(run.paired)).toEqual(new Set([0]));
	});

	it('with a Limit, asks for no page beyond it; the participant option filters on participants_v2', async () => {
		const base = Date.now() - 2 * DAY;
		for (let i = 0; i < 100; i++) emulator.callRecords.add({ id: `r${i}`, sessions: [{ caller: i % 2 ? ALICE : BOB, startDateTime: iso(base + i * 1000), endDateTime: iso(base + i * 1000 + 500) }] });
		let from = emulator.log.length;
		const limited = await recordNode({ operation: 'getMany', startFrom: iso(base), startTo: iso(base + DAY), limit: 10 });
		expect(limited.json).toHaveLength(10);
		expect(graphPathsSince(from)).toHaveLength(1);
		from = emulator.log.length;
		const bob = await recordNode({ operation: 'getMany', startFrom: iso(base), startTo: iso(base + DAY), returnAll: true, options: { participantId: BOB.id } });
		expect(graphPathsSince(from)[0]).toBe(
			`GET ${RECORDS}?$filter=startDateTime ge ${iso(base)} and startDateTime lt ${iso(base + DAY)} and participants_v2/any(p:p/id eq '${BOB.id}')`,
		);
		expect(bob.json).toHaveLength(50);
	});
});

describe('Get Many: Simplify', () => {
	it('on (the default): each record flattened as Get simplifies it, without a participant count (the list has none)', async () => {
		const start = Date.now() - 3 * HOUR;
		emulator.callRecords.add(meeting(start, { version: 2 }));
		const run = await recordNode({ operation: 'getMany', startFrom: iso(start - HOUR), startTo: iso(start + HOUR), returnAll: true });
		expect(run.errorMessage).toBeUndefined();
		expect(run.json).toEqual([{ ...meetingSummary(start), version: 2 }]);
		expect(run.paired).toEqual([0]);
	});

	it('off: the record as Graph lists it (organizer_v2, joinWebUrl, lastModifiedDateTime …), same requests', async () => {
		const start = Date.now() - 3 * HOUR;
		emulator.callRecords.add(meeting(start));
		let from = emulator.log.length;
		await recordNode({ operation: 'getMany', startFrom: iso(start - HOUR), startTo: iso(start + HOUR), returnAll: true });
		const simplifiedPaths = graphPathsSince(from);
		from = emulator.log.length;
		const run = await recordNode({ operation: 'getMany', startFrom: iso(start - HOUR), startTo: iso(start + HOUR), returnAll: true, simplify: false });
		expect(run.errorMessage).toBeUndefined();
		expect(graphPathsSince(from)).toEqual(simplifiedPaths);
		expect(run.json).toHaveLength(1);
		expect(run.json[0]).toMatchObject({
			'@odata.type': '#microsoft.graph.callRecords.callRecord',
			id: 'rec-meeting-1',
			joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
			organizer_v2: { id: ALICE.id },
			version: 1,
		});
		expect(run.json[0]).toHaveProperty('lastModifiedDateTime');
		expect(run.json[0]).not.toHaveProperty('durationSeconds');
	});
});

describe('Get Attendance', () => {
	it('one item per participant; overlapping sessions counted once; platforms and devices; an absent invitee with zero', async () => {
		const start = Date.now() - 4 * HOUR;
		emulator.callRecords.add(meeting(start));
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'getAttendance', callRecordId: 'rec-meeting-1' });
		expect(run.errorMessage).toBeUndefined();
		expect(graphPathsSince(from)).toEqual([`GET ${RECORDS}/rec-meeting-1/participants_v2`, `GET ${RECORDS}/rec-meeting-1/sessions`]);
		const at = (minutes: number) => iso(start + minutes * 60_000);
		const identity = (person: PersonSeed) => ({ participantId: person.id, displayName: person.displayName, identityType: 'user', identityId: person.id, tenantId: 't1' });
		expect(run.json).toEqual([
			{ callRecordId: 'rec-meeting-1', ...identity(ALICE), firstJoinedDateTime: at(0), lastLeftDateTime: at(50), connectedSeconds: 3000, sessionCount: 2, platforms: ['windows', 'android'], productFamilies: ['teams'], devices: ['ALICE-LAPTOP'] },
			{ callRecordId: 'rec-meeting-1', ...identity(BOB), firstJoinedDateTime: at(5), lastLeftDateTime: at(45), connectedSeconds: 900, sessionCount: 2, platforms: ['macOS'], productFamilies: ['teams'], devices: [] },
			{ callRecordId: 'rec-meeting-1', ...identity(CAROL), firstJoinedDateTime: null, lastLeftDateTime: null, connectedSeconds: 0, sessionCount: 0, platforms: [], productFamilies: [], devices: [] },
		]);
	});

	it('a peer-to-peer call counts the session for both ends', async () => {
		const start = Date.now() - HOUR;
		emulator.callRecords.add({ id: 'p2p', sessions: [{ caller: ALICE, callee: BOB, startDateTime: iso(start), endDateTime: iso(start + 90_000) }] });
		const run = await recordNode({ operation: 'getAttendance', callRecordId: 'p2p' });
		expect(run.json.map((row) => [row.displayName, row.connectedSeconds])).toEqual([
			['Alice Archer', 90],
			['Bob Baker', 90],
		]);
	});
});

describe('PSTN and Direct Routing reports', () => {
	it('a 200-day PSTN range is read as three ranges of at most 90 days, every page followed, rows in order and none twice', async () => {
		emulator.callRecords.pageSizes.reports = 40;
		const fromMs = Date.parse('2026-01-01T00:00:00.000Z');
		const toMs = fromMs + 200 * DAY;
		const starts = [fromMs - 1, fromMs, ...Array.from({ length: 198 }, (_, i) => fromMs + (i + 1) * DAY + 3_600_000), fromMs + 90 * DAY, fromMs + 90 * DAY + 1, toMs, toMs + 1];
		emulator.callRecords.addPstnCalls(starts.map((ms, i) => ({ id: `row-${i}`, startDateTime: iso(ms), duration: 60 })));
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'getPstnCalls', fromDateTime: iso(fromMs), toDateTime: iso(toMs) });
		expect(run.errorMessage).toBeUndefined();
		const paths = graphPathsSince(from);
		expect(paths[0]).toBe(`GET ${RECORDS}/getPstnCalls(fromDateTime=${iso(fromMs)},toDateTime=${iso(fromMs + 90 * DAY)})`);
		expect(paths).toContain(`GET ${RECORDS}/getPstnCalls(fromDateTime=${iso(fromMs + 90 * DAY + 1)},toDateTime=${iso(fromMs + 180 * DAY)})`);
		expect(paths).toContain(`GET ${RECORDS}/getPstnCalls(fromDateTime=${iso(fromMs + 180 * DAY + 1)},toDateTime=${iso(toMs)})`);
		// Graph's own next links name the bounds from= / to=: followed as given.
		expect(paths[1]).toBe(`GET ${RECORDS}/getPstnCalls(from=${iso(fromMs)},to=${iso(fromMs + 90 * DAY)})?$skip=40`);
		const expected = starts.filter((ms) => ms >= fromMs && ms <= toMs).sort((a, b) => a - b);
		expect(run.json.map((row) => Date.parse(String(row.startDateTime)))).toEqual(expected);
		expect(new Set(run.json.map((row) => row.id)).size).toBe(run.json.length);
		// Pages Graph had to serve: ceil(rows per range / 40) for each range.
		const perRange = [
			expected.filter((ms) => ms <= fromMs + 90 * DAY).length,
			expected.filter((ms) => ms > fromMs + 90 * DAY && ms <= fromMs + 180 * DAY).length,
			expected.filter((ms) => ms > fromMs + 180 * DAY).length,
		];
		expect(paths).toHaveLength(perRange.reduce((sum, rows) => sum + Math.max(1, Math.ceil(rows / 40)), 0));
	});

	it('Direct Routing leaves toDateTime out: a row at the split point once, a row at the end not at all', async () => {
		const fromMs = Date.parse('2026-03-01T00:00:00.000Z');
		const toMs = fromMs + 100 * DAY;
		emulator.callRecords.addDirectRoutingCalls([fromMs, fromMs + 90 * DAY, toMs - 1, toMs].map((ms, i) => ({ id: `dr-${i}`, startDateTime: iso(ms) })));
		const from = emulator.log.length;
		const run = await recordNode({ operation: 'getDirectRoutingCalls', fromDateTime: iso(fromMs), toDateTime: iso(toMs) });
		expect(graphPathsSince(from)).toEqual([
			`GET ${RECORDS}/getDirectRoutingCalls(fromDateTime=${iso(fromMs)},toDateTime=${iso(fromMs + 90 * DAY)})`,
			`GET ${RECORDS}/getDirectRoutingCalls(fromDateTime=${iso(fromMs + 90 * DAY)},toDateTime=${iso(toMs)})`,
		]);
		expect(run.json.map((row) => row.id)).toEqual(['dr-0', 'dr-1', 'dr-2']);
	});

	it('the emulator refuses a PSTN range over 90 days, as Graph does', async () => {
		await recordNode({ operation: 'getPstnCalls', fromDateTime: '2026-01-01T00:00:00Z', toDateTime: '2026-01-02T00:00:00Z' });
		const answer = await emulatorGet(emulator, 'communications/callRecords/getPstnCalls(fromDateTime=2026-01-01T00:00:00Z,toDateTime=2026-04-02T00:00:00Z)');
		expect(answer).toMatchObject({ error: { code: 'BadRequest' } });
	});

	it('without the permission, the error names CallRecords.Read.All and CallRecord-PstnCalls.Read.All', async () => {
		emulator.callRecords.granted.clear();
		const run = await recordNode({ operation: 'getPstnCalls', fromDateTime: '2026-01-01T00:00:00Z', toDateTime: '2026-01-31T00:00:00Z' });
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not get the PSTN calls \(HTTP 403, code Forbidden\)/);
		expect(run.errorDescription).toContain('CallRecords.Read.All (or CallRecord-PstnCalls.Read.All');
		expect(run.errorDescription).toContain('API permissions');
	});
});

describe('A month at scale', () => {
	it('5,000 records and 20,000 PSTN rows: one request per page Graph must serve, none twice, every row once', async () => {
		const monthStart = Date.now() - 29 * DAY;
		for (let i = 0; i < 5000; i++) {
			const start = monthStart + i * 480_000;
			emulator.callRecords.add({ id: `m${i}`, sessions: [{ caller: ALICE, callee: BOB, startDateTime: iso(start), endDateTime: iso(start + 60_000) }] });
		}
		emulator.callRecords.addPstnCalls(Array.from({ length: 20_000 }, (_, i) => ({ id: `p${i}`, startDateTime: iso(monthStart + i * 120_000) })));
		let from = emulator.log.length;
		const records = await recordNode({ operation: 'getMany', startFrom: iso(monthStart), startTo: iso(Date.now()), returnAll: true });
		expect(records.json).toHaveLength(5000);
		const recordPages = graphPathsSince(from);
		expect(recordPages).toHaveLength(Math.ceil(5000 / 60));
		expect(new Set(recordPages).size).toBe(recordPages.length);
		from = emulator.log.length;
		const rows = await recordNode({ operation: 'getPstnCalls', fromDateTime: iso(monthStart), toDateTime: iso(Date.now()) });
		expect(rows.json).toHaveLength(20_000);
		expect(new Set(rows.json.map((row) => row.id)).size).toBe(20_000);
		const rowPages = graphPathsSince(from);
		expect(rowPages).toHaveLength(20);
		expect(new Set(rowPages).size).toBe(20);
	}, 120_000);
});

describe('Bad input is refused before any request, naming the parameter and the item', () => {
	const cases: Array<[string, IDataObject, string]> = [
		['an empty Call Record ID', { operation: 'get', callRecordId: '={{ $json.missing }}' }, 'Call Record ID (item 1): is empty'],
		['a Call Record ID with a slash', { operation: 'getAttendance', callRecordId: 'a/b' }, 'Call Record ID (item 1): "a/b" contains the character "/"'],
		['a start that is no date', { operation: 'getMany', startFrom: 'yesterday', startTo: '2026-01-01T00:00:00Z' }, 'Start From (item 1): "yesterday" is not a date-time'],
		['an end before the start', { operation: 'getPstnCalls', fromDateTime: '2026-02-01T00:00:00Z', toDateTime: '2026-01-01T00:00:00Z' }, 'To (item 1): (2026-01-01T00:00:00.000Z) must be later than From (2026-02-01T00:00:00.000Z)'],
		['a record range older than 30 days', { operation: 'getMany', startFrom: iso(Date.now() - 60 * DAY), startTo: iso(Date.now() - 31 * DAY) }, 'is more than 30 days ago: Graph keeps call records for 30 days'],
		['a participant ID with a quote', { operation: 'getMany', startFrom: iso(Date.now() - DAY), startTo: iso(Date.now()), options: { participantId: "x' or 1 eq 1" } }, 'Participant ID (item 1):'],
	];
	it.each(cases)('%s', async (_name, parameters, message) => {
		const from = emulator.log.length;
		const run = await recordNode(parameters, { items: [{}, {}], settings: { continueOnFail: true } });
		expect(graphRequestsSince(emulator, from)).toEqual([]);
		expect(run.json[1].error).toEqual(expect.stringContaining(message));
		expect(run.paired).toEqual([0, 1]);
	});
});
