import type { IDataObject } from 'n8n-workflow';

import { TeamsCallRecordTrigger } from '../nodes/TeamsCallRecordTrigger/TeamsCallRecordTrigger.node';
import { startEmulator, type Emulator } from './emulator';
import type { PersonSeed } from './emulator/callRecords/types';
import { type PollBed, startPollBed } from './helpers/pollbed';

/** Teams Call Record Trigger polled through n8n-core's PollContext, across several polls and a restart. */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ALICE: PersonSeed = { id: 'alice', displayName: 'Alice Archer' };
const BOB: PersonSeed = { id: 'bob', displayName: 'Bob Baker' };

/** A call that started `startedAgoMs` ago and lasted `lengthMs`; its record is visible at once. */
function addCall(id: string, startedAgoMs: number, lengthMs = 10 * MINUTE): void {
	const start = Date.now() - startedAgoMs;
	emulator.callRecords.add({ id, sessions: [{ caller: ALICE, callee: BOB, startDateTime: new Date(start).toISOString(), endDateTime: new Date(start + lengthMs).toISOString() }] });
}

async function bed(options: IDataObject = {}): Promise<PollBed> {
	return await startPollBed({
		trigger: new TeamsCallRecordTrigger(),
		type: 'n8n-nodes-teams-call.teamsCallRecordTrigger',
		name: 'Teams Call Record Trigger',
		parameters: { options },
		credentials: emulator.credentialData(),
	});
}

const ids = (items: IDataObject[] | null) => (items ?? []).map((item) => item.id);

function listRequests(from: number): string[] {
	return emulator.log.slice(from).filter((entry) => entry.route === 'listCallRecords').map((entry) => decodeURIComponent(entry.path));
}

describe('Teams Call Record Trigger', () => {
	it('first activation emits nothing old; then each new record once, a late-appearing record of a long call included', async () => {
		addCall('old-1', 2 * HOUR);
		addCall('old-2', 30 * MINUTE);
		const trigger = await bed();
		let from = emulator.log.length;
		expect(await trigger.poll()).toBeNull();
		const [request] = listRequests(from);
		const bounds = /\$filter=startDateTime ge (\S+) and startDateTime lt (\S+)$/.exec(request);
		expect(bounds).not.toBeNull();
		// The look-back: the longest call (8 hours by default) plus 3 hours for a record to appear.
		expect(Date.parse(bounds![2]) - Date.parse(bounds![1])).toBeGreaterThanOrEqual(11 * HOUR);

		addCall('new-1', 20 * MINUTE);
		expect(ids(await trigger.poll())).toEqual(['new-1']);
		expect(await trigger.poll()).toBeNull();

		// A 6-hour call that started 8 hours ago: Graph writes its record 2 hours after it ended.
		addCall('long-late', 8 * HOUR, 6 * HOUR);
		addCall('new-2', 5 * MINUTE, MINUTE);
		from = emulator.log.length;
		expect(ids(await trigger.poll())).toEqual(['long-late', 'new-2']);
		expect(listRequests(from)).toHaveLength(1);
		expect(await trigger.poll()).toBeNull();
		expect(trigger.executions.map(ids)).toEqual([['new-1'], ['long-late', 'new-2']]);
	});

	it('Look Back: the first poll also emits the records of the last hours asked for, and only those', async () => {
		addCall('nine-hours-ago', 9 * HOUR);
		addCall('five-hours-ago', 5 * HOUR);
		addCall('one-hour-ago', HOUR);
		const trigger = await bed({ lookBackHours: 6 });
		expect(ids(await trigger.poll())).toEqual(['five-hours-ago', 'one-hour-ago']);
		expect(await trigger.poll()).toBeNull();
	});

	it('a record whose version grows is emitted again only with Emit Updated Records', async () => {
		addCall('r1', HOUR);
		const plain = await bed();
		const updates = await bed({ emitUpdates: true });
		expect(await plain.poll()).toBeNull();
		expect(await updates.poll()).toBeNull();
		emulator.callRecords.update('r1', { sessions: [{ caller: { id: 'carol', displayName: 'Carol' }, startDateTime: new Date(Date.now() - 50 * MINUTE).toISOString(), endDateTime: new Date(Date.now() - 40 * MINUTE).toISOString() }] });
		expect(await plain.poll()).toBeNull();
		const again = await updates.poll();
		expect(again).toEqual([expect.objectContaining({ id: 'r1', version: 2 })]);
		expect(await updates.poll()).toBeNull();
	});

	it('what was emitted survives an n8n restart: nothing is emitted twice', async () => {
		const trigger = await bed();
		expect(await trigger.poll()).toBeNull();
		addCall('a', 10 * MINUTE);
		expect(ids(await trigger.poll())).toEqual(['a']);
		trigger.restart();
		addCall('b', 5 * MINUTE, MINUTE);
		expect(ids(await trigger.poll())).toEqual(['b']);
		trigger.restart();
		expect(await trigger.poll()).toBeNull();
		expect(trigger.executions.map(ids)).toEqual([['a'], ['b']]);
	});

	it('every page of the window is read; the memory keeps only what a poll can still see', async () => {
		emulator.callRecords.pageSizes.records = 60;
		const trigger = await bed({ longestCallHours: 1 });
		expect(await trigger.poll()).toBeNull();
		for (let i = 0; i < 150; i++) addCall(`r${String(i).padStart(3, '0')}`, 30 * MINUTE - i * 1000, 1000);
		const from = emulator.log.length;
		const emitted = await trigger.poll();
		expect(emitted).toHaveLength(150);
		expect(listRequests(from)).toHaveLength(3);
		const remembered = () => Object.keys((trigger.database.staticData['node:Teams Call Record Trigger'] as IDataObject).callRecords as IDataObject);
		expect(remembered()).toHaveLength(150);
		// Seen long ago (before the 1 + 3 hour window): dropped from memory.
		const memory = (trigger.database.staticData['node:Teams Call Record Trigger'] as IDataObject).callRecords as Record<string, [number, number]>;
		memory['gone'] = [1, Date.now() - 5 * HOUR];
		trigger.restart();
		addCall('next', MINUTE, 1000);
		expect(ids(await trigger.poll())).toEqual(['next']);
		expect(remembered()).not.toContain('gone');
		expect(remembered()).toHaveLength(151);
	});

	it('Fetch Test Event shows the newest record and remembers nothing', async () => {
		addCall('older', 2 * HOUR);
		addCall('newest', 10 * MINUTE);
		const trigger = await bed();
		expect(ids(await trigger.fetchTestEvent())).toEqual(['newest']);
		expect(trigger.database.staticData).toEqual({});
		expect(await trigger.poll()).toBeNull();
	});

	it('without CallRecords.Read.All the poll fails with the permission explained', async () => {
		emulator.callRecords.granted.clear();
		const trigger = await bed();
		await expect(trigger.poll()).rejects.toMatchObject({
			message: expect.stringMatching(/^Microsoft Graph could not list the call records \(HTTP 403/),
			description: expect.stringContaining('CallRecords.Read.All'),
		});
	});
});
