/**
 * Teams Call Trigger, conversations: someone calls the bot (callIncoming), presses keys (toneReceived), a transfer's
 * course (callStateChanged), a recording's outcome (operationCompleted), and one call however Graph spells its ID. The
 * trigger's webhook runs in n8n-core's WebhookContext; the emulator places the calls and signs every notification.
 */
import type { IDataObject } from 'n8n-workflow';

import { TeamsCallTrigger } from '../nodes/TeamsCallTrigger/TeamsCallTrigger.node';
import { type Emulator, startEmulator } from './emulator';
import { controlGet, controlPost, graphPostAsApp } from './helpers/graphAsApp';
import { runCallNode } from './helpers/testbed';
import { type Database, startTriggerBed, TRIGGER_NAME, type TriggerBed } from './helpers/triggerbed';
import { until } from './helpers/until';

let emulator: Emulator;
const beds: TriggerBed[] = [];
let serial = 0;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterAll(async () => {
	await Promise.all(beds.map((bed) => bed.close()));
	await emulator.close();
});

async function bedFor(events: string[], options: { options?: IDataObject; logs?: string[]; database?: Database } = {}): Promise<TriggerBed> {
	const bed = await startTriggerBed({
		trigger: new TeamsCallTrigger(),
		parameters: { events, options: options.options ?? {} },
		credentials: emulator.credentialData(),
		database: options.database ?? { staticData: {} },
		workflowId: `conversations-${++serial}`,
		logs: options.logs,
	});
	beds.push(bed);
	return bed;
}

const items = (bed: TriggerBed) => bed.executions.flat();
const RECEIVED_AT = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** A call the bot placed with Teams Call (Create Call), its notifications to the bed: established, ready for keys. */
async function establishedCall(bed: TriggerBed): Promise<string> {
	const run = await runCallNode(emulator, { operation: 'create', targets: { target: [{ type: 'user', id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Adele Vance' }] }, callbackUrl: bed.url });
	expect(run.errorMessage).toBeUndefined();
	return String(run.json[0].id);
}

describe('Teams Call Trigger: incoming calls', () => {
	it('turns a user calling the bot into one callIncoming item: who calls, whom, the context, answering 202', async () => {
		const bed = await bedFor(['callIncoming', 'callEstablished', 'callStateChanged']);
		const aliceId = '8a34a46b-3d17-4adc-8dce-dc4e7d572698';
		const { call, delivery } = await emulator.callers.place({ from: { displayName: 'Alice Caller', identityId: aliceId }, webhookUrl: bed.url });
		expect(delivery.status).toBe(202);
		expect((await emulator.notifications.resend(delivery.id)).status).toBe(202);
		expect(items(bed)).toEqual([
			{
				event: 'callIncoming',
				callId: call.id,
				changeType: 'created',
				resourceUrl: `/communications/calls/${call.id}`,
				receivedAt: RECEIVED_AT,
				from: { identityType: 'user', identityId: aliceId, displayName: 'Alice Caller', tenantId: emulator.app.tenantId },
				to: { identityType: 'application', identityId: emulator.app.clientId, displayName: 'Teams Call bot', tenantId: null },
				incomingContext: { sourceParticipantId: expect.any(String), observedParticipantId: null, onBehalfOf: null, transferor: null },
				meetingInfo: null,
				chatInfo: null,
			},
		]);
	});

	it('leaves n8n\'s database write of its memory to the call\'s next notification, and still reports the call once', async () => {
		const database: Database = { staticData: {} };
		const bed = await bedFor(['callIncoming', 'callEstablished'], { database });
		const { call, delivery } = await emulator.callers.place({ from: { displayName: 'Dora Caller' }, webhookUrl: bed.url });
		expect(delivery.status).toBe(202);
		expect(database.staticData).toEqual({}); // nothing for n8n to write before the execution that answers
		expect((await emulator.notifications.resend(delivery.id)).status).toBe(202);
		const answered = await runCallNode(emulator, { operation: 'answer', callId: call.id, callbackUrl: bed.url });
		expect(answered.errorMessage).toBeUndefined();
		await until('callEstablished', () => items(bed).some((item) => item.event === 'callEstablished'));
		expect(items(bed).map((item) => item.event)).toEqual(['callIncoming', 'callEstablished']);
		const memory = database.staticData[`node:${TRIGGER_NAME}`] as { calls: Record<string, IDataObject> };
		expect(Object.values(memory.calls)).toEqual([expect.objectContaining({ incoming: true, established: true })]);
	});

	it('places a phone call to the application instance, transferred by someone, inviting to a meeting, through the control API', async () => {
		const bed = await bedFor(['callIncoming']);
		expect((await controlPost(emulator, '/control/callingWebhook', { url: bed.url })).status).toBe(200);
		const placed = await controlPost(emulator, '/control/incomingCall', {
			from: { displayName: '+1 206 555 0100', identityType: 'phone', identityId: '+12065550100' },
			transferor: { displayName: 'Front Desk', identityId: 'f0f0f0f0-1111-2222-3333-444455556666' },
			meeting: true,
		});
		expect(placed.status).toBe(200);
		const [item] = items(bed);
		expect(item).toMatchObject({
			event: 'callIncoming',
			callId: (placed.json as IDataObject).callId,
			from: { identityType: 'phone', identityId: '+12065550100', tenantId: null },
			to: { identityType: 'applicationInstance', identityId: emulator.callers.applicationInstanceId },
			incomingContext: { transferor: { identityType: 'user', identityId: 'f0f0f0f0-1111-2222-3333-444455556666', displayName: 'Front Desk', tenantId: emulator.app.tenantId } },
			meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo' },
			chatInfo: { threadId: expect.stringMatching(/^19:meeting_/) },
		});
	});

	it('hears the end of a call nobody answered in time', async () => {
		const bed = await bedFor(['callIncoming', 'callTerminated']);
		const { call } = await emulator.callers.place({ from: { displayName: 'Impatient Ian' }, webhookUrl: bed.url, answerWithinMs: 100 });
		await until('the unanswered call to end', () => items(bed).length >= 2);
		expect(items(bed).map((item) => [item.event, item.callId])).toEqual([['callIncoming', call.id], ['callTerminated', call.id]]);
		expect(items(bed)[1].call).toEqual({ state: 'terminated', resultInfo: expect.objectContaining({ code: 408 }) });
	});
});

describe('Teams Call Trigger: keypresses', () => {
	it('sends no tone before the bot subscribed; after, one toneReceived per key, each once', async () => {
		const bed = await bedFor(['toneReceived']);
		const callId = await establishedCall(bed);
		await until('the call to be established', () => emulator.getCall(callId)?.state === 'established');
		expect(await emulator.callers.press(callId, '9')).toEqual({ heard: false, deliveries: [] });

		const subscribed = await graphPostAsApp(emulator, `communications/calls/${callId}/subscribeToTone`, { clientContext: 'tones-1' });
		expect(subscribed).toMatchObject({ status: 200, json: { '@odata.type': '#microsoft.graph.subscribeToToneOperation', status: 'completed', clientContext: 'tones-1' } });
		const pressed = await controlPost(emulator, `/control/calls/${callId}/press`, { keys: '1*#B0' });
		expect(pressed.status).toBe(200);
		const { deliveries } = pressed.json as { deliveries: Array<{ id: number; status: number }> };
		expect(deliveries.map((delivery) => delivery.status)).toEqual([202, 202, 202, 202, 202]);
		await emulator.notifications.resend(deliveries[1].id);
		await emulator.notifications.resend(deliveries[4].id);

		expect(items(bed).map((item) => [item.tone, item.sequenceId])).toEqual([['1', 1], ['*', 2], ['#', 3], ['B', 4], ['0', 5]]);
		expect(items(bed)[0]).toEqual({ event: 'toneReceived', callId, changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, receivedAt: RECEIVED_AT, tone: '1', sequenceId: 1 });
	});
});

describe('Teams Call Trigger: one call, however Graph writes its ID', () => {
	// The same GUID as call-answer.md writes it (32 upper-case hex digits) and as call-subscribetotone.md does (dashes).
	const DASHLESS = '57DAB8B1894C409AB240BD8BEAE78896';
	const DASHED = '57dab8b1-894c-409a-b240-bd8beae78896';
	const stateNotification = (id: string, resourceData: IDataObject, changeType = 'updated') => ({
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl: `/communications/calls/${id}`, resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/communications/calls/${id}`, ...resourceData } }],
	});
	const tone = (sequenceId: number, name: string) => ({ state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone: name } });

	it('gives no second callEstablished when the ID comes with dashes after coming without', async () => {
		const bed = await bedFor(['callEstablished']);
		const id = '6A1B2C3D4E5F40718293A4B5C6D7E8F9';
		emulator.notifications.setCallback(id, bed.url);
		await emulator.notifications.post(id, stateNotification(id, { state: 'established' }));
		await emulator.notifications.post(id, stateNotification('6a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', { state: 'established' }));
		expect(items(bed).map((item) => [item.event, item.callId])).toEqual([['callEstablished', id]]);
	});

	it('gives one callEstablished and one toneReceived per key for documented notifications spelling the ID both ways', async () => {
		const bed = await bedFor(['callEstablished', 'toneReceived', 'callStateChanged', 'callTerminated'], { options: { callIds: DASHED.toUpperCase() } });
		emulator.notifications.setCallback(DASHLESS, bed.url);
		const post = async (id: string, data: IDataObject, changeType?: string) => (await emulator.notifications.post(DASHLESS, stateNotification(id, data, changeType))).status;
		expect(await post(DASHLESS, { state: 'established' })).toBe(202);
		expect(await post(DASHED, { state: 'established' })).toBe(202);
		expect(await post(DASHED, tone(1, 'tone1'))).toBe(202);
		expect(await post(DASHLESS, tone(1, 'tone1'))).toBe(202);
		expect(await post(DASHLESS.toLowerCase(), tone(2, 'pound'))).toBe(202);
		expect(await post(DASHED, { state: 'terminated' }, 'deleted')).toBe(202);
		expect(await post(DASHLESS, { state: 'established' })).toBe(202);
		expect(items(bed).map((item) => [item.event, item.callId, item.tone ?? null])).toEqual([
			['callEstablished', DASHLESS, null],
			['toneReceived', DASHED, '1'],
			['toneReceived', DASHLESS.toLowerCase(), '#'],
			['callTerminated', DASHED, null],
		]);
	});
});

describe('Teams Call Trigger: transfers and recordings', () => {
	it('reports a transfer that failed and one that succeeded on the call events, with resultInfo', async () => {
		const bed = await bedFor(['callEstablished', 'callStateChanged', 'callTerminated']);
		const center = emulator.notifications;
		const failed = `transfer-failed-${serial}`;
		center.setCallback(failed, bed.url);
		await center.callState(failed, 'established');
		await center.post(failed, { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${failed}`, resourceData: { state: 'transferring' } }] });
		await center.post(failed, { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${failed}`, resourceData: { state: 'transferAccepted' } }] });
		const refused = { code: 500, subcode: 7000, message: 'The transfer target did not answer.' };
		const back = await center.post(failed, { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${failed}`, resourceData: { state: 'established', resultInfo: refused } }] });
		await center.resend(back.id);
		expect(items(bed).map((item) => [item.event, (item.call as IDataObject).state, item.previousState ?? null])).toEqual([
			['callEstablished', 'established', null],
			['callStateChanged', 'transferring', 'established'],
			['callStateChanged', 'transferAccepted', 'transferring'],
			['callStateChanged', 'established', 'transferAccepted'],
		]);
		expect(items(bed)[3].call).toEqual({ state: 'established', resultInfo: refused });

		const done = { code: 0, subcode: 7015, message: 'GenericSuccess' };
		await center.post(failed, { value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${failed}`, resourceData: { state: 'terminated', resultInfo: done } }] });
		expect(items(bed).at(-1)).toMatchObject({ event: 'callTerminated', call: { state: 'terminated', resultInfo: done } });
	});

	it('gives a recording its location, token, completion reason and resultInfo once, and never logs the token', async () => {
		const logs: string[] = [];
		const bed = await bedFor(['operationCompleted'], { logs });
		const callId = `recording-${serial}`;
		emulator.notifications.setCallback(callId, bed.url);
		const recordingAccessToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.recording-secret.signature';
		const recording = {
			'@odata.type': '#microsoft.graph.recordOperation',
			id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
			status: 'Completed',
			clientContext: 'voicemail',
			resultInfo: { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' },
			recordingLocation: 'https://media.example/recordings/1.wav',
			recordingAccessToken,
		};
		await emulator.notifications.operation(callId, recording);
		await emulator.notifications.operation(callId, { ...recording, id: recording.id.toUpperCase().replace(/-/g, '') });
		await emulator.notifications.operation(callId, { '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', id: 'dtmf-1', status: 'completed', completionReason: 'completedSuccessfully' });
		expect(items(bed).map((item) => item.operation)).toEqual([
			{
				id: recording.id,
				type: 'recordOperation',
				status: 'completed',
				clientContext: 'voicemail',
				resultInfo: recording.resultInfo,
				recordingLocation: recording.recordingLocation,
				recordingAccessToken,
				completionReason: null, // v1.0's recordOperation has none (beta's has): resultInfo says why it stopped
			},
			{ id: 'dtmf-1', type: 'sendDtmfTonesOperation', status: 'completed', clientContext: null, resultInfo: null, completionReason: 'completedSuccessfully' },
		]);
		// One timing line (numbers only) per notification answered; the token is in none of them.
		expect(logs.length).toBeGreaterThan(0);
		expect(logs.every((line) => line.startsWith('debug Teams Call Trigger answered 202 at '))).toBe(true);
		expect(logs.join('\n')).not.toContain(recordingAccessToken);
	});

	it('shows, on the control API, a recording as its location serves it (never its token) and what Graph received, with bodies', async () => {
		const bed = await bedFor(['operationCompleted']);
		const callId = await establishedCall(bed);
		const run = await runCallNode(emulator, { operation: 'recordResponse', callId, clientContext: 'control-api', options: { playBeep: true } });
		expect(run.errorMessage).toBeUndefined();
		await until('the recording', () => items(bed).some((item) => item.callId === callId));
		const recordings = (await controlGet(emulator, '/control/recordings')).json as Array<{ id: string; callId: string; wav: string }>;
		const mine = recordings.filter((recording) => recording.callId === callId);
		expect(mine).toHaveLength(1);
		const kept = emulator.recordings.get(mine[0].id);
		expect(Buffer.from(mine[0].wav, 'base64').equals(kept?.wav ?? Buffer.alloc(0))).toBe(true);
		expect(JSON.stringify(recordings)).not.toContain(kept?.accessToken);
		const log = (await controlGet(emulator, '/control/graphLog?route=recordResponse')).json as IDataObject[];
		expect(log.at(-1)).toMatchObject({ method: 'POST', status: 200, body: { clientContext: 'control-api', playBeep: true } });
	});

	it('answers a call a caller placed with one caller in the roster: a blind transfer needs no transferee', async () => {
		const bed = await bedFor(['callIncoming', 'callEstablished']);
		const placed = await controlPost(emulator, '/control/incomingCall', { from: { displayName: 'Carol Caller' }, webhookUrl: bed.url });
		const callId = String((placed.json as IDataObject).callId);
		const answered = await runCallNode(emulator, { operation: 'answer', callId, callbackUrl: bed.url });
		expect(answered.errorMessage).toBeUndefined();
		expect(emulator.getCall(callId)?.participants.size).toBe(2); // the caller and the bot
		const transferred = await runCallNode(emulator, { operation: 'transfer', callId, transferTarget: { target: { type: 'user', id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e51' } } });
		expect(transferred.errorMessage).toBeUndefined();
		expect(transferred.json).toEqual([{ transferStarted: true, callId }]);
	});
});
