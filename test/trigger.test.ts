/**
 * Teams Call Trigger: its webhook function run by n8n-core's WebhookContext for real HTTP requests that the emulator
 * sends, signed with the emulator's keys (fetched over HTTPS through the credential's CA). Static data lives in a
 * "database" shared between requests, as n8n keeps it; a second copy of the package plays a second n8n process.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { TeamsCallTrigger } from '../nodes/TeamsCallTrigger/TeamsCallTrigger.node';
import * as appCredentials from '../nodes/shared/transport/appCredentials';
import { type Emulator, startEmulator } from './emulator';
import type { Delivery } from './emulator/notifications/center';
import { FORGERY_KINDS } from './emulator/notifications/tokens';
import { runCallNode, runNode } from './helpers/testbed';
import { type Database, startTriggerBed, type TriggerBed } from './helpers/triggerbed';
import { until } from './helpers/until';

let emulator: Emulator;
const beds: TriggerBed[] = [];
let callSerial = 0;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterAll(async () => {
	await Promise.all(beds.map((bed) => bed.close()));
	await emulator.close();
});

async function setup(parameters: IDataObject, options: { database?: Database; trigger?: INodeType; logs?: string[] } = {}) {
	const database = options.database ?? { staticData: {} };
	const workflowId = `guard-workflow-${++callSerial}`;
	const bed = await startTriggerBed({
		trigger: options.trigger ?? new TeamsCallTrigger(),
		parameters,
		credentials: emulator.credentialData(),
		database,
		workflowId,
		logs: options.logs,
	});
	beds.push(bed);
	const call = emulator.addCall({ id: `trigger-call-${callSerial}`, participants: [] });
	emulator.notifications.setCallback(call.id, bed.url);
	return { bed, call, database, workflowId, center: emulator.notifications };
}

const events = (bed: TriggerBed) => bed.executions.flat().map((item) => `${String(item.event)}:${String((item.participant as IDataObject | undefined)?.displayName ?? '')}`);

describe('Teams Call Trigger webhook', () => {
	it('turns a verified roster into one participantJoined each, in the flat participant shape, answering 202', async () => {
		const { bed, call, center } = await setup({ events: ['participantJoined'] });
		const aliceId = '6e7f7d0a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
		const { participants, delivery } = await center.join(call.id, [
			{ displayName: 'Alice', identityId: aliceId },
			{ displayName: 'Mallory', identityType: 'guest', identityId: 'guest-mallory' },
		]);
		expect(delivery.status).toBe(202);
		expect(bed.executions).toHaveLength(1);
		const [alice, mallory] = bed.executions[0];
		expect(alice).toEqual({
			event: 'participantJoined',
			callId: call.id,
			changeType: 'updated',
			resourceUrl: `/communications/calls/${call.id}/participants`,
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			participant: {
				id: participants[0].id,
				displayName: 'Alice',
				identityType: 'user',
				identityId: aliceId,
				tenantId: emulator.app.tenantId,
				isMuted: false,
				isInLobby: false,
			},
		});
		expect(mallory.participant).toMatchObject({ displayName: 'Mallory', identityType: 'guest', identityId: 'guest-mallory' });
	});

	it('gives no second event for the same notification twice or the same roster repeated', async () => {
		const { bed, call, center } = await setup({ events: ['participantJoined', 'participantLeft', 'participantsUpdated'] });
		await center.join(call.id, [{ displayName: 'Alice' }]);
		expect((await center.resend()).status).toBe(202);
		expect((await center.rosterAgain(call.id)).status).toBe(202);
		expect(events(bed)).toEqual(['participantJoined:Alice', 'participantsUpdated:']);
	});

	it.each(FORGERY_KINDS)('answers a forged notification (%s) 401 and starts nothing', async (kind) => {
		const { bed, call, center, database } = await setup({ events: ['participantJoined', 'all'] });
		const delivery = await center.forge(call.id, kind);
		expect(delivery.status).toBe(401);
		expect(bed.executions).toEqual([]);
		expect(database.staticData).toEqual({});
	});

	it('while the key endpoint fails, 50 notifications make a handful of key fetches at the emulator, not 50; the keys are read again later', async () => {
		// Its own emulator: a key endpoint this process has never read (the keys are cached per endpoint for the process).
		const down = await startEmulator();
		try {
			down.notifications.keysFailWith = 503;
			const bed = await startTriggerBed({
				trigger: new TeamsCallTrigger(),
				parameters: { events: ['all'] },
				credentials: down.credentialData(),
				database: { staticData: {} },
				workflowId: 'keys-down',
			});
			beds.push(bed);
			const call = down.addCall({ id: 'keys-down-call', participants: [] });
			down.notifications.setCallback(call.id, bed.url);
			const refused: number[] = [];
			for (let round = 0; round < 5; round++) {
				const deliveries = await Promise.all(Array.from({ length: 10 }, () => down.notifications.rosterAgain(call.id)));
				refused.push(...deliveries.map((delivery) => delivery.status));
			}
			expect(refused).toEqual(Array(50).fill(401));
			expect(down.notifications.keyRequests).toBeGreaterThan(0);
			expect(down.notifications.keyRequests).toBeLessThanOrEqual(2);
			expect(bed.executions).toEqual([]);

			down.notifications.keysFailWith = undefined;
			await until('the keys read again after the outage', () => {
				void down.notifications.rosterAgain(call.id);
				return bed.executions.length > 0;
			}, 15_000);
			expect(down.notifications.keyRequests).toBeLessThanOrEqual(10);
		} finally {
			await down.close();
		}
	});

	it('logs why it refused a notification (one line per reason), never the token nor the body', async () => {
		const logs: string[] = [];
		const { call, center } = await setup({ events: ['all'] }, { logs });
		const forged = await Promise.all(FORGERY_KINDS.map((kind) => center.forge(call.id, kind)));
		expect(forged.map((delivery) => delivery.status)).toEqual(Array(FORGERY_KINDS.length).fill(401));
		// Twelve forgeries, nine reasons (two algorithms, two broken signatures, two audiences).
		expect(logs.map((line) => line.replace(/^warn Teams Call Trigger refused a notification \(401\): (\w+).*$/, '$1')).sort()).toEqual(
			['algorithmNotAllowed', 'badSignature', 'expired', 'missingToken', 'notYetValid', 'unknownKey', 'wrongAudience', 'wrongIssuer', 'wrongTenant'],
		);
		expect(logs).toContain('warn Teams Call Trigger refused a notification (401): algorithmNotAllowed {}');
		const forgedNames = FORGERY_KINDS.map((kind) => `Forged (${kind})`);
		for (const line of logs) {
			expect(line).not.toMatch(/eyJ[\w-]{10,}/); // no JWT segment
			for (const name of forgedNames) expect(line).not.toContain(name);
		}
	});

	it('a flood of refused requests: each one 401, but one log line per reason and trigger a minute, and the credential parsed once per version', async () => {
		const parse = jest.spyOn(appCredentials, 'parseGraphAppCredentials');
		try {
			const logs: string[] = [];
			const { call, center } = await setup({ events: ['all'] }, { logs });
			const statuses: number[] = [];
			for (let round = 0; round < 5; round++) {
				const deliveries = await Promise.all(Array.from({ length: 10 }, () => center.forge(call.id, 'missingHeader')));
				statuses.push(...deliveries.map((delivery) => delivery.status));
			}
			expect(statuses).toEqual(Array(50).fill(401));
			expect(parse.mock.calls.length).toBeLessThanOrEqual(1);
			expect(logs).toEqual(['warn Teams Call Trigger refused a notification (401): missingToken {}']);

			// An edited credential is a new version: read again, once.
			const parsedBefore = parse.mock.calls.length;
			const edited = await startTriggerBed({
				trigger: new TeamsCallTrigger(),
				parameters: { events: ['all'] },
				credentials: emulator.credentialData({ clientSecret: 'an-edited-secret' }),
				database: { staticData: {} },
				workflowId: 'edited-credential',
			});
			beds.push(edited);
			center.setCallback(call.id, edited.url);
			const again = await Promise.all(Array.from({ length: 10 }, () => center.forge(call.id, 'missingHeader')));
			expect(again.map((delivery) => delivery.status)).toEqual(Array(10).fill(401));
			expect(parse.mock.calls.length - parsedBefore).toBe(1);
		} finally {
			parse.mockRestore();
		}
	});

	it('answers 204 to the old Skype format and 400 to a body that is not commsNotifications, starting nothing', async () => {
		const { bed, call, center } = await setup({ events: ['all'] });
		expect((await center.skypeFormat(call.id)).status).toBe(204);
		expect((await center.post(call.id, { hello: 'world' })).status).toBe(400);
		expect((await center.post(call.id, { value: [{ nothing: true }] })).status).toBe(400);
		expect(bed.executions).toEqual([]);
	});

	it('answers 400 to a verified notification whose resource URL has a malformed % escape, starting nothing', async () => {
		const { bed, call, center } = await setup({ events: ['all', 'participantJoined'] });
		const body = { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${call.id}%E0%A4%A/participants`, resourceData: [] }] };
		expect((await center.post(call.id, body)).status).toBe(400);
		expect(bed.executions).toEqual([]);
	});

	it('reports who left: removedState, a deleted notification, or absence from the roster', async () => {
		const { bed, call, center } = await setup({ events: ['participantLeft'] });
		const { participants } = await center.join(call.id, [{ displayName: 'Alice' }, { displayName: 'Bob' }, { displayName: 'Carol' }]);
		await center.leave(call.id, [participants[0]], 'removedByOrganizer');
		call.participants.delete(participants[1].id);
		await center.rosterAgain(call.id);
		await center.leave(call.id, [participants[0]]);
		const left = bed.executions.flat();
		expect(left.map((item) => [(item.participant as IDataObject).displayName, item.removedReason])).toEqual([
			['Alice', 'removedByOrganizer'],
			['Bob', null],
		]);
		expect(left[0].changeType).toBe('deleted');
	});

	it('counts the lobby as joined only with Include Lobby; isInLobby is in the item either way', async () => {
		const without = await setup({ events: ['participantJoined'] });
		const { participants } = await without.center.join(without.call.id, [{ displayName: 'Waiting Wendy' }], { lobby: true });
		expect(without.bed.executions).toEqual([]);
		await without.center.admit(without.call.id, [participants[0].id]);
		expect(without.bed.executions.flat().map((item) => item.participant)).toEqual([expect.objectContaining({ displayName: 'Waiting Wendy', isInLobby: false })]);

		const withLobby = await setup({ events: ['participantJoined'], options: { includeLobby: true } });
		const joined = await withLobby.center.join(withLobby.call.id, [{ displayName: 'Waiting Wendy' }], { lobby: true });
		await withLobby.center.admit(withLobby.call.id, [joined.participants[0].id]);
		expect(withLobby.bed.executions.flat().map((item) => item.participant)).toEqual([expect.objectContaining({ isInLobby: true })]);
	});

	it('fires callEstablished, operationCompleted and callTerminated once each, then forgets the call', async () => {
		const { bed, call, center, database } = await setup({ events: ['callEstablished', 'callTerminated', 'operationCompleted', 'participantJoined'] });
		await center.callState(call.id, 'establishing');
		await center.callState(call.id, 'established');
		await center.callState(call.id, 'established');
		const operation = { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: 'op-1', status: 'failed', clientContext: 'ctx-1', resultInfo: { code: 408, subcode: 10004, message: 'Timed out' } };
		await center.operation(call.id, operation);
		await center.operation(call.id, operation);
		await center.operation(call.id, { ...operation, id: 'op-2', status: 'running' });
		await center.join(call.id, [{ displayName: 'Alice' }]);
		const ended = await center.end(call.id);
		await center.resend(ended.id);
		await center.rosterAgain(call.id);
		expect(events(bed)).toEqual(['callEstablished:', 'operationCompleted:', 'participantJoined:Alice', 'callTerminated:']);
		const items = bed.executions.flat();
		expect(items[0].call).toEqual({ state: 'established', resultInfo: null });
		expect(items[1].operation).toEqual({ id: 'op-1', type: 'inviteParticipantsOperation', status: 'failed', clientContext: 'ctx-1', resultInfo: operation.resultInfo });
		expect(items[3]).toMatchObject({ changeType: 'deleted', call: { state: 'terminated', resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }) } });
		const memory = database.staticData['node:Teams Call Trigger'] as IDataObject;
		expect(memory.calls).toEqual({});
		expect(Object.keys(memory.ended as IDataObject)).toEqual([call.id]);
	});

	it('only listens to the calls named in Call IDs', async () => {
		const { bed, call, center } = await setup({ events: ['participantJoined'], options: { callIds: 'some-other-call, another' } });
		await center.join(call.id, [{ displayName: 'Alice' }]);
		expect(bed.executions).toEqual([]);
	});

	it('emits each of 20 people joining at once exactly once', async () => {
		const { bed, call, center } = await setup({ events: ['participantJoined'] });
		const people = Array.from({ length: 20 }, (_, index) => ({ displayName: `Stranger ${index + 1}` }));
		const { deliveries } = await center.joinAtOnce(call.id, people);
		expect(deliveries.map((delivery: Delivery) => delivery.status)).toEqual(Array(20).fill(202));
		await center.rosterAgain(call.id);
		expect(events(bed).sort()).toEqual(people.map((person) => `participantJoined:${person.displayName}`).sort());
	});

	it('keeps its memory in static data: a restarted or second n8n process gives no repeat', async () => {
		const first = await setup({ events: ['participantJoined'] });
		await first.center.join(first.call.id, [{ displayName: 'Alice' }]);
		let SecondCopy: typeof TeamsCallTrigger | undefined;
		jest.isolateModules(() => {
			SecondCopy = (require('../nodes/TeamsCallTrigger/TeamsCallTrigger.node') as { TeamsCallTrigger: typeof TeamsCallTrigger }).TeamsCallTrigger;
		});
		const second = await startTriggerBed({
			trigger: new SecondCopy!(),
			parameters: { events: ['participantJoined'] },
			credentials: emulator.credentialData(),
			database: first.database,
			workflowId: first.workflowId,
		});
		beds.push(second);
		first.center.setCallback(first.call.id, second.url);
		await first.center.rosterAgain(first.call.id);
		await first.center.join(first.call.id, [{ displayName: 'Bob' }]);
		expect(events(first.bed)).toEqual(['participantJoined:Alice']);
		expect(events(second)).toEqual(['participantJoined:Bob']);
	});

	it('hears a meeting of another tenant that the bot joined (tokens naming that tenant), while other tenants stay refused', async () => {
		const { bed, center } = await setup({ events: ['callEstablished', 'participantJoined'] });
		const otherTenant = '0f0e0d0c-0b0a-4908-8706-050403020100';
		const meeting = emulator.addMeeting({ tenantId: otherTenant, attendees: [{ displayName: 'Guest Organizer' }] });
		const joined = await runCallNode(emulator, { operation: 'join', joinBy: 'link', joinUrl: meeting.joinUrl, callbackUrl: bed.url });
		expect(joined.errorMessage).toBeUndefined();
		const callId = String(joined.json[0].id);
		const settled = () => center.deliveries.filter((delivery) => delivery.callId === callId && delivery.settled);
		await until('the notifications of the call', () => settled().length >= 2);
		// Only settled deliveries have a status: a later notification may still be on its way (status 0 until answered).
		expect(new Set(settled().map((delivery) => delivery.status))).toEqual(new Set([202]));
		await until('the events', () => events(bed).length >= 2);
		expect(events(bed)).toContain('callEstablished:');
		// A tenant no call of this app is in: refused.
		expect((await center.forge(callId, 'wrongTenant')).status).toBe(401);
	});

	it('hears the call the bot joined with Teams Call (callbackUrl = its URL): established, who joined, a removal through Graph, the end', async () => {
		const { bed } = await setup({ events: ['callEstablished', 'participantJoined', 'participantLeft', 'callTerminated'] });
		const meeting = emulator.addMeeting({ attendees: [{ displayName: 'Olivia Organizer' }] });
		const joined = await runCallNode(emulator, {
			operation: 'join',
			joinBy: 'meetingId',
			joinMeetingId: meeting.joinMeetingId,
			passcode: meeting.passcode ?? '',
			callbackUrl: bed.url,
		});
		expect(joined.errorMessage).toBeUndefined();
		const callId = String(joined.json[0].id);
		await until('the bot and Olivia', () => events(bed).length >= 3);
		// The state and the roster are two notifications sent at once: either may arrive first.
		expect(events(bed).sort()).toEqual(['callEstablished:', 'participantJoined:Olivia Organizer', 'participantJoined:Teams Call bot']);
		const participants = bed.executions.flat().map((item) => item.participant as IDataObject | undefined);
		expect(participants.find((p) => p?.displayName === 'Teams Call bot')).toMatchObject({ identityType: 'application', identityId: emulator.app.clientId });

		const olivia = participants.find((p) => p?.displayName === 'Olivia Organizer')!;
		const removed = await runNode(emulator, { operation: 'remove', callId, participantId: { __rl: true, mode: 'id', value: olivia.id } });
		expect(removed.json).toEqual([{ deleted: true, callId, participantId: olivia.id }]);
		await until('Olivia leaving', () => events(bed).length >= 4);
		expect(bed.executions.flat()[3]).toMatchObject({ event: 'participantLeft', changeType: 'deleted', removedReason: 'removedByApplication' });

		emulator.endCall(callId);
		await until('the end', () => events(bed).length >= 5);
		expect(events(bed).slice(4)).toEqual(['callTerminated:']);
	});
});
