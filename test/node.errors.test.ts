import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from './emulator';
import { loadOptionsContext } from './helpers/engine';
import { countingListener } from './helpers/ports';
import { graphRequestsSince, nodeTypes, NODE_NAME, participantWorkflow, runNode } from './helpers/testbed';
import { searchParticipants } from '../nodes/TeamsCallParticipant/methods/listSearch';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 100 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const inviteUser = (callId: string): IDataObject => ({ operation: 'invite', callId, participants: { participant: [{ type: 'user', id: 'u-1' }] } });

describe('hints after Graph answers', () => {
	it.each([
		['invite', 403, '7504', (callId: string) => inviteUser(callId), /Calls\.InitiateGroupCall\.All/],
		['remove', 403, '7504', (callId: string) => ({ operation: 'remove', callId, participantId: byId('p-1') }), /Calls\.JoinGroupCall\.All.*Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds/],
		['remove', 500, '9999', (callId: string) => ({ operation: 'remove', callId, participantId: byId('p-1') }), /Set-CsApplicationMeetingConfiguration/],
	])('%s answered %i code %s names what to grant', async (operation, status, code, parameters, hint) => {
		const route = operation === 'invite' ? 'invite' : 'deleteParticipant';
		emulator.addFault({ route, fault: { kind: 'status', status, body: { error: { code, message: 'Denied' } } } });
		const call = emulator.addCall({ participants: [{ id: 'p-1' }] });
		const run = await runNode(emulator, parameters(call.id));
		expect(run.errorMessage).toMatch(new RegExp(`\\(HTTP ${status}, code ${code}\\): Denied`));
		expect(run.errorDescription).toMatch(hint);
	});

	it('says a call is unknown or ended, and that call ids belong to the app', async () => {
		const call = emulator.addCall();
		emulator.endCall(call.id);
		const run = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true });
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not list the participants \(HTTP 404, code 8522\)/);
		expect(run.errorDescription).toMatch(/unknown or has already ended.*created or answered/);
	});

	it('says the tenant does not match', async () => {
		const call = emulator.addCall({ tenantId: '0a0b0c0d-0000-4000-8000-000000000000' });
		const run = await runNode(emulator, inviteUser(call.id));
		expect(run.errorMessage).toMatch(/code 7505/);
		expect(run.errorDescription).toMatch(/Tenant mismatch/);
	});

	it('says a participant is gone', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, { operation: 'get', callId: call.id, participantId: byId('nobody') });
		expect(run.errorDescription).toMatch(/No participant with this ID is in the call/);
	});
});

describe('Continue On Fail', () => {
	it('gives an error item for the failed item only, paired, and goes on', async () => {
		const call = emulator.addCall();
		const [first, second] = call.participants.keys();
		const run = await runNode(
			emulator,
			{ operation: 'remove', callId: call.id, participantId: '={{ $json.who }}' },
			{ items: [{ who: first }, { who: '  ' }, { who: 'nobody' }, { who: second }], settings: { continueOnFail: true } },
		);
		expect(run.errorMessage).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2, 3]);
		expect(run.json[0]).toEqual({ deleted: true, callId: call.id, participantId: first });
		expect(run.json[1]).toEqual({ error: 'Participant (item 1): is empty', description: expect.any(String) });
		expect(run.json[2].error).toMatch(/^Microsoft Graph could not remove the participant \(HTTP 404, code itemNotFound\)/);
		expect(run.json[3]).toEqual({ deleted: true, callId: call.id, participantId: second });
	});

	it('without it, stops at the first failing item and names the parameter and the item', async () => {
		const call = emulator.addCall();
		const start = emulator.log.length;
		const run = await runNode(
			emulator,
			{ operation: 'get', callId: '={{ $json.call }}', participantId: byId('p') },
			{ items: [{ call: '..' }], settings: {} },
		);
		expect(run.errorMessage).toBe('Call ID (item 0): ".." is not an ID');
		expect(graphRequestsSince(emulator, start)).toEqual([]);
		expect(call.participants.size).toBe(3);
	});

	it('with a broken credential, gives one error item per input item', async () => {
		const run = await runNode(
			emulator,
			{ operation: 'getAll', callId: 'c', returnAll: true },
			{ items: [{}, {}], settings: { continueOnFail: true }, credentials: emulator.credentialData({ cloud: 'china' }) },
		);
		expect(run.paired).toEqual([0, 1]);
		expect(run.json).toHaveLength(2);
		for (const item of run.json) expect(String(item.error)).toMatch(/calls\) API/);
	});
});

describe("messages that name a Node.js error code keep their words through n8n's error classes", () => {
	// n8n's NodeApiError / NodeOperationError replace a message mentioning ENOTFOUND, EAI_AGAIN, … with generic text.
	const unresolvable = 'https://login.teams-call.invalid';
	const dnsMessage = /^Could not get a token from Microsoft Entra ID: the host login\.teams-call\.invalid could not be found \((ENOTFOUND|EAI_AGAIN)\)$/;

	it('when the run stops on the error', async () => {
		const run = await runNode(emulator, { operation: 'getAll', callId: 'c', returnAll: true }, { credentials: emulator.credentialData({ authorityHost: unresolvable }) });
		expect(run.errorMessage).toMatch(dnsMessage);
	});

	it('in the error items of Continue On Fail', async () => {
		const run = await runNode(
			emulator,
			{ operation: 'getAll', callId: 'c', returnAll: true },
			{ items: [{}, {}], settings: { continueOnFail: true }, credentials: emulator.credentialData({ authorityHost: unresolvable }) },
		);
		expect(run.paired).toEqual([0, 1]);
		expect(run.json.map((item) => String(item.error))).toEqual([expect.stringMatching(dnsMessage), expect.stringMatching(dnsMessage)]);
	});
});

describe('transport rules seen from the node', () => {
	it('retries a 429 after its Retry-After: two requests, one success', async () => {
		const call = emulator.addCall();
		emulator.addFault({ route: 'listParticipants', fault: { kind: 'status', status: 429, retryAfter: '1' } });
		const start = emulator.log.length;
		const run = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true });
		expect(run.json).toHaveLength(3);
		expect(graphRequestsSince(emulator, start)).toEqual(['GET listParticipants', 'GET listParticipants']);
	});

	it.each([
		['get', (callId: string) => ({ operation: 'get', callId, participantId: byId('p-1') }), 'getParticipant', ['GET getParticipant', 'GET getParticipant'], undefined],
		['invite', (callId: string) => inviteUser(callId), 'invite', ['POST invite'], /did not answer in time.*not sent again/],
	])('%s: Request Timeout ends a stalled request; only what is safe to repeat is sent again', async (_op, parameters, route, requests, message) => {
		const call = emulator.addCall({ participants: [{ id: 'p-1' }] });
		emulator.addFault({ route, fault: { kind: 'stall', ms: 3_000 } });
		const start = emulator.log.length;
		const run = await runNode(emulator, { ...parameters(call.id), options: { requestTimeout: 1 } });
		expect(graphRequestsSince(emulator, start)).toEqual(requests);
		if (message) expect(run.errorMessage).toMatch(message);
		else expect(run.json).toEqual([expect.objectContaining({ id: 'p-1' })]);
	});

	it('never re-sends an invite answered 504: one request, and a clear error', async () => {
		const call = emulator.addCall();
		emulator.addFault({ route: 'invite', fault: { kind: 'status', status: 504 }, processFirst: true });
		const start = emulator.log.length;
		const run = await runNode(emulator, { ...inviteUser(call.id), clientContext: 'once' });
		expect(graphRequestsSince(emulator, start)).toEqual(['POST invite']);
		expect(run.errorMessage).toMatch(/HTTP 504.*not sent again.*inviting again could invite twice/);
		expect(emulator.stats().invitesByClientContext.get('once')).toBe(1);
	});

	it('refuses a Location on another origin without sending it a token', async () => {
		const call = emulator.addCall();
		// Another origin that listens: the operation URL points at it, and it must see no connection at all.
		const elsewhere = await countingListener();
		try {
			emulator.addFault({
				route: 'invite',
				processFirst: true,
				fault: { kind: 'status', status: 200, headers: { location: `https://127.0.0.1:${elsewhere.port}/v1.0/communications/calls/x/operations/y` }, body: { id: 'y', status: 'running' } },
			});
			const start = emulator.log.length;
			const run = await runNode(emulator, { ...inviteUser(call.id), options: { waitForCompletion: true, waitTimeout: 5 } });
			expect(run.errorMessage).toMatch(new RegExp(`points at https://127\\.0\\.0\\.1:${elsewhere.port}, not at the configured Graph host.*was not requested`));
			expect(graphRequestsSince(emulator, start)).toEqual(['POST invite']);
			expect(elsewhere.connections()).toBe(0);
		} finally {
			await elsewhere.close();
		}
	});
});

describe('participant list search', () => {
	it('lists the call\'s participants by display name, filtered', async () => {
		const call = emulator.addCall({ participants: [{ id: 'p-a', displayName: 'Adele Vance' }, { id: 'p-b', displayName: 'Bob Kelly' }] });
		const workflow = participantWorkflow({ operation: 'remove', callId: call.id, participantId: { __rl: true, mode: 'list', value: '' } });
		const context = loadOptionsContext(workflow, NODE_NAME, { nodeTypes, credentials: { microsoftGraphAppApi: emulator.credentialData() as never } });
		expect(await searchParticipants.call(context)).toEqual({
			results: [
				{ name: 'Adele Vance (user)', value: 'p-a' },
				{ name: 'Bob Kelly (user)', value: 'p-b' },
			],
			paginationToken: undefined,
		});
		expect((await searchParticipants.call(context, 'bob')).results).toEqual([{ name: 'Bob Kelly (user)', value: 'p-b' }]);
	});

	it('asks for a fixed Call ID first', async () => {
		const workflow = participantWorkflow({ operation: 'remove', callId: '={{ $json.call }}' });
		const context = loadOptionsContext(workflow, NODE_NAME, { nodeTypes, credentials: { microsoftGraphAppApi: emulator.credentialData() as never } });
		await expect(searchParticipants.call(context)).rejects.toThrow('Set a fixed Call ID first');
	});
});
