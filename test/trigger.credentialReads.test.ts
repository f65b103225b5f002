/**
 * Teams Call Trigger: how often its webhook reads its credential. On n8n 2.x each read outside an execution builds an
 * expression isolate (bench (f): the largest share of the trigger's time before its 202), so a process keeps its last
 * read per credential ID for a while (nodes/shared/notifications/triggerCredential.ts). These tests run the webhook in
 * n8n-core's WebhookContext against notifications the emulator signs, edit the credential in "n8n's database" in
 * place, as the editor does, and move the clock with Jest's fake Date (timers stay real).
 */
import { TeamsCallTrigger } from '../nodes/TeamsCallTrigger/TeamsCallTrigger.node';
import { MAX_AGE_MS, REREAD_AFTER_MS } from '../nodes/shared/notifications/triggerCredential';
import { type Emulator, startEmulator } from './emulator';
import { startTriggerBed, type TriggerBed } from './helpers/triggerbed';
import { until } from './helpers/until';

let emulator: Emulator;
const beds: TriggerBed[] = [];
let serial = 0;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterEach(() => {
	jest.useRealTimers();
});

afterAll(async () => {
	await Promise.all(beds.map((bed) => bed.close()));
	await emulator.close();
});

/** Only Date is faked: sockets, timers and the emulator keep real time. */
function fakeDateOnly(): void {
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
		now: Date.now(),
	});
}

const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

async function setup(options: { credentialReadMs?: number } = {}) {
	const credentials = emulator.credentialData();
	const bed = await startTriggerBed({
		...options,
		trigger: new TeamsCallTrigger(),
		parameters: { events: ['all'] },
		credentials,
		database: { staticData: {} },
		workflowId: `credential-reads-${++serial}`,
	});
	beds.push(bed);
	const call = emulator.addCall({ id: `credential-reads-call-${serial}`, participants: [] });
	emulator.notifications.setCallback(call.id, bed.url);
	const notify = async () => (await emulator.notifications.rosterAgain(call.id)).status;
	/** An edit that verification must see: another app's ID, whose tokens these are not. */
	const editToAnotherApp = () => {
		credentials.clientId = '0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f';
	};
	return { bed, notify, editToAnotherApp, credentials };
}

describe('Teams Call Trigger: the credential it verifies with', () => {
	it('is read once for 20 notifications in a row, all verified', async () => {
		const { bed, notify } = await setup();
		const statuses: number[] = [];
		for (let i = 0; i < 20; i++) statuses.push(await notify());
		expect(statuses).toEqual(Array(20).fill(202));
		expect(bed.credentialReads()).toBe(1);
		expect(bed.executions).toHaveLength(20);
	});

	it('is read once for 10 notifications arriving together at a trigger that has not read it yet', async () => {
		const { bed, notify } = await setup({ credentialReadMs: 200 });
		const statuses = await Promise.all(Array.from({ length: 10 }, () => notify()));
		expect(statuses).toEqual(Array(10).fill(202));
		expect(bed.credentialReads()).toBe(1);
	});

	it(`is read again in the background after ${REREAD_AFTER_MS / 1000} s, so that an edit reaches the next notification`, async () => {
		fakeDateOnly();
		const { bed, notify, editToAnotherApp } = await setup();
		expect(await notify()).toBe(202);
		editToAnotherApp();
		expect(await notify()).toBe(202); // within REREAD_AFTER_MS: the last read, not read again
		expect(bed.credentialReads()).toBe(1);

		advance(REREAD_AFTER_MS + 1);
		expect(await notify()).toBe(202); // verified with the last read; the read happens after its 202
		await until('the background read', () => bed.credentialReads() === 2);
		expect(await notify()).toBe(401);
		expect(bed.executions).toHaveLength(3);
	});

	it(`is read before verifying when the last read is over ${MAX_AGE_MS / 1000} s old`, async () => {
		fakeDateOnly();
		const { bed, notify, editToAnotherApp } = await setup();
		expect(await notify()).toBe(202);
		editToAnotherApp();
		advance(MAX_AGE_MS + 1);
		expect(await notify()).toBe(401);
		expect(bed.credentialReads()).toBe(2);
		expect(bed.executions).toHaveLength(1);
	});

	it('is read with every notification while it cannot be used, and kept once it is fixed', async () => {
		const { bed, notify, credentials } = await setup();
		const clientId = credentials.clientId;
		credentials.clientId = '';
		expect(await notify()).toBe(401);
		expect(await notify()).toBe(401);
		expect(bed.credentialReads()).toBe(2);
		credentials.clientId = clientId;
		expect(await notify()).toBe(202);
		expect(await notify()).toBe(202);
		expect(bed.credentialReads()).toBe(3);
	});
});
