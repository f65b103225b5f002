import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from './emulator';
import { emulatorGet, graphRequestsSince, runNode } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 150 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const SEED_USER = '278405a3-f568-4b3e-b684-009193463064';
const SEED_PARTICIPANT = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
const SEED_CONTEXT = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';

/** The body of the contract's seed example (Graph's docs, invite before cancelling). */
const SEED_BODY = {
	participants: [
		{
			'@odata.type': '#microsoft.graph.invitationParticipantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: { '@odata.type': '#microsoft.graph.identity', id: SEED_USER, identityProvider: 'AAD' },
			},
			participantId: SEED_PARTICIPANT,
		},
	],
	clientContext: SEED_CONTEXT,
};

function inviteBodies(): unknown[] {
	return emulator.log.filter((entry) => entry.route === 'invite').map((entry) => entry.body);
}

async function invite(callId: string, participant: IDataObject[], extra: IDataObject = {}) {
	return await runNode(emulator, {
		operation: 'invite',
		callId,
		participants: { participant },
		...extra,
	});
}

describe('Invite, fields mode', () => {
	it('sends exactly the seed example body and returns the operation with the call id', async () => {
		const call = emulator.addCall();
		const run = await invite(call.id, [{ type: 'user', id: SEED_USER, identityProvider: 'AAD', participantId: SEED_PARTICIPANT }], {
			clientContext: SEED_CONTEXT,
		});
		expect(run.errorMessage).toBeUndefined();
		expect(inviteBodies()).toEqual([SEED_BODY]);
		expect(run.json).toEqual([
			expect.objectContaining({
				'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
				id: expect.any(String),
				status: 'running',
				clientContext: SEED_CONTEXT,
				callId: call.id,
			}),
		]);
		expect(run.paired).toEqual([0]);
	});

	it('maps several users with every field one to one, leaving out what was not set', async () => {
		const call = emulator.addCall();
		const tenantId = '0f0e0d0c-0b0a-0908-0706-050403020100';
		await invite(call.id, [
			{ type: 'user', id: 'user-1', displayName: 'Adele Vance', tenantId, identityProvider: 'AAD', hidden: true, removeFromDefaultAudioRoutingGroup: true },
			{ type: 'user', id: 'user-2', identityProvider: '' },
		], { clientContext: 'ctx' });
		expect(inviteBodies()).toEqual([
			{
				participants: [
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: {
							'@odata.type': '#microsoft.graph.identitySet',
							user: { '@odata.type': '#microsoft.graph.identity', id: 'user-1', displayName: 'Adele Vance', tenantId, identityProvider: 'AAD' },
						},
						hidden: true,
						removeFromDefaultAudioRoutingGroup: true,
					},
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: 'user-2' } },
					},
				],
				clientContext: 'ctx',
			},
		]);
	});

	it.each([
		['phone', '+12065550100', 'communicationsIdentitySet'],
		['guest', 'guest-7', 'communicationsIdentitySet'],
		['applicationInstance', 'd1b2c3a4-0000-4000-8000-000000000001', 'communicationsIdentitySet'],
		['application', 'a1b2c3d4-0000-4000-8000-000000000002', 'identitySet'],
	])('invites a %s identity (%s) inside the right identity set', async (type, id, setType) => {
		const call = emulator.addCall();
		const run = await invite(call.id, [{ type, id, displayName: 'Someone' }], { clientContext: 'c' });
		expect(run.errorMessage).toBeUndefined();
		const [body] = inviteBodies() as Array<{ participants: Array<{ identity: IDataObject }> }>;
		expect(body.participants[0].identity).toEqual({
			'@odata.type': `#microsoft.graph.${setType}`,
			[type]: { '@odata.type': '#microsoft.graph.identity', id, displayName: 'Someone' },
		});
	});

	it('moves a participant from another call with Replaces Call ID', async () => {
		const call = emulator.addCall();
		await invite(call.id, [{ type: 'user', id: 'mover', replacesCallId: 'other-call-1' }], { clientContext: 'c' });
		const [body] = inviteBodies() as Array<{ participants: IDataObject[] }>;
		expect(body.participants[0].replacesCallId).toBe('other-call-1');
	});

	it('fills an empty Client Context with a new UUID and returns it', async () => {
		const call = emulator.addCall();
		const run = await invite(call.id, [{ type: 'user', id: 'user-1' }]);
		const [body] = inviteBodies() as Array<{ clientContext: string }>;
		expect(body.clientContext).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(run.json[0].clientContext).toBe(body.clientContext);
	});

	it('evaluates expressions per item', async () => {
		const call = emulator.addCall();
		const run = await runNode(
			emulator,
			{
				operation: 'invite',
				callId: '={{ $json.call }}',
				participants: { participant: [{ type: 'user', id: '={{ $json.user }}' }] },
				clientContext: '={{ "ctx-" + $json.user }}',
			},
			{ items: [{ call: call.id, user: 'u1' }, { call: call.id, user: 'u2' }] },
		);
		expect(run.json.map((operation) => operation.clientContext)).toEqual(['ctx-u1', 'ctx-u2']);
		expect(run.paired).toEqual([0, 1]);
		expect([...emulator.stats().invitesByClientContext.keys()].sort()).toEqual(['ctx-u1', 'ctx-u2']);
	});
});

describe('Invite, JSON mode', () => {
	it('sends the body as given', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, { operation: 'invite', callId: call.id, specifyBody: 'json', jsonBody: JSON.stringify(SEED_BODY) });
		expect(run.errorMessage).toBeUndefined();
		expect(inviteBodies()).toEqual([SEED_BODY]);
		expect(run.json[0]).toMatchObject({ clientContext: SEED_CONTEXT, callId: call.id });
	});
});

describe('Waiting for the invitation', () => {
	it('returns the completed operation', async () => {
		const call = emulator.addCall();
		const start = emulator.log.length;
		const run = await invite(call.id, [{ type: 'user', id: 'user-9', participantId: 'p-9' }], {
			clientContext: 'wait-1',
			options: { waitForCompletion: true, waitTimeout: 10 },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(run.json).toEqual([expect.objectContaining({ status: 'completed', clientContext: 'wait-1', callId: call.id })]);
		const requests = graphRequestsSince(emulator, start);
		expect(requests[0]).toBe('POST invite');
		expect(requests.length).toBeGreaterThan(1);
		expect(requests.slice(1)).toEqual(Array(requests.length - 1).fill('GET getOperation'));
		expect(emulator.getCall(call.id)?.participants.get('p-9')?.joined).toBe(true);
	});

	it('turns a failed invitation into an error that explains resultInfo', async () => {
		const call = emulator.addCall();
		emulator.failInvitesFor('busy-user', { code: 486, subcode: 5100, message: 'User is busy' });
		const run = await invite(call.id, [{ type: 'user', id: 'busy-user' }], { options: { waitForCompletion: true, waitTimeout: 10 } });
		expect(run.json).toEqual([]);
		expect(run.errorMessage).toBe('The invitation failed: the invitee is busy (resultInfo code 486, subcode 5100)');
		expect(run.errorDescription).toContain('Graph says: User is busy');
	});

	it('fails with the last status when the wait times out', async () => {
		emulator.configure({ inviteCompletionMs: 5_000 });
		try {
			const call = emulator.addCall();
			const run = await invite(call.id, [{ type: 'user', id: 'slow' }], { options: { waitForCompletion: true, waitTimeout: 1 } });
			expect(run.errorMessage).toBe('The invitation did not finish within 1 seconds (last status: running)');
		} finally {
			emulator.configure({ inviteCompletionMs: 150 });
		}
	});

	it('cancels a pending invitation with Remove, using the chosen participant ID', async () => {
		emulator.configure({ inviteCompletionMs: 5_000 });
		try {
			const call = emulator.addCall();
			const invited = await invite(call.id, [{ type: 'user', id: SEED_USER, participantId: SEED_PARTICIPANT }], { clientContext: SEED_CONTEXT });
			expect(emulator.getCall(call.id)?.participants.get(SEED_PARTICIPANT)?.joined).toBe(false);
			const removed = await runNode(emulator, {
				operation: 'remove',
				callId: call.id,
				participantId: { __rl: true, mode: 'id', value: SEED_PARTICIPANT },
			});
			expect(removed.json).toEqual([{ deleted: true, callId: call.id, participantId: SEED_PARTICIPANT }]);
			expect(emulator.getCall(call.id)?.participants.has(SEED_PARTICIPANT)).toBe(false);
			const operation = await emulatorGet(emulator, `communications/calls/${call.id}/operations/${String(invited.json[0].id)}`);
			expect(operation).toMatchObject({ status: 'failed', resultInfo: { code: 487 } });
		} finally {
			emulator.configure({ inviteCompletionMs: 150 });
		}
	});
});
