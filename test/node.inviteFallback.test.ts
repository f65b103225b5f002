/**
 * Invite's Wait for Completion when Graph refuses to read the operation (GET …/operations/{id}, which no docs page
 * documents): the node waits by the documented read instead, the call's roster (GET …/participants).
 */
import { startEmulator, type Emulator } from './emulator';
import { graphRequestsSince, runNode } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 600 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

async function inviteAndWait(callId: string, participants: Array<Record<string, string>>, waitTimeout: number) {
	return await runNode(emulator, {
		operation: 'invite',
		callId,
		specifyBody: 'fields',
		participants: { participant: participants },
		clientContext: 'roster-wait',
		options: { waitForCompletion: true, waitTimeout },
	});
}

describe.each([400, 404, 405])('the operation read answered %i', (status) => {
	beforeEach(() => emulator.addFault({ route: 'getOperation', fault: { kind: 'status', status }, times: 1000 }));

	it('completes when the invitees appear in the roster', async () => {
		const call = emulator.addCall();
		const start = emulator.log.length;
		const run = await inviteAndWait(call.id, [{ type: 'user', id: 'user-7' }, { type: 'phone', id: '+14255550123', participantId: 'p-phone' }], 10);
		expect(run.errorMessage).toBeUndefined();
		expect(run.json).toEqual([expect.objectContaining({ status: 'completed', confirmedBy: 'participants', clientContext: 'roster-wait', callId: call.id })]);
		const requests = graphRequestsSince(emulator, start);
		expect(requests.slice(0, 2)).toEqual(['POST invite', 'GET getOperation']);
		expect(requests.slice(2).length).toBeGreaterThan(1); // the roster was read until they were in it
		expect(new Set(requests.slice(2))).toEqual(new Set(['GET listParticipants']));
	});

	it('fails as not answered when an invitee is still missing past the timeout', async () => {
		const call = emulator.addCall();
		emulator.failInvitesFor('user-declines', { code: 603, subcode: 0, message: 'Declined' });
		const run = await inviteAndWait(call.id, [{ type: 'user', id: 'user-declines' }], 2);
		expect(run.json).toEqual([]);
		expect(run.errorMessage).toBe('The invitation was not answered within 2 seconds: user user-declines did not join the call');
		expect(run.errorDescription).toContain("Graph refused to read the invitation's operation");
	});
});

it('keeps reading the operation where Graph serves it (no roster read)', async () => {
	const call = emulator.addCall();
	const start = emulator.log.length;
	const run = await inviteAndWait(call.id, [{ type: 'user', id: 'user-8' }], 10);
	expect(run.json).toEqual([expect.objectContaining({ status: 'completed' })]);
	expect(run.json[0].confirmedBy).toBeUndefined();
	expect(graphRequestsSince(emulator, start)).not.toContain('GET listParticipants');
});

it('does not fall back on other failures of the operation read (a 403 stays an error)', async () => {
	emulator.addFault({ route: 'getOperation', fault: { kind: 'status', status: 403 }, times: 1000 });
	const call = emulator.addCall();
	const run = await inviteAndWait(call.id, [{ type: 'user', id: 'user-9' }], 5);
	expect(run.errorMessage).toMatch(/read the operation/);
});
