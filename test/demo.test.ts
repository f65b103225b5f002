import { loadDemoWorkflow } from '../demo/demoWorkflow';
import { startEmulator, type Emulator } from './emulator';
import { DEMO_MEETING } from './emulator/cli';
import { nodeRunOf, runWorkflowJson } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 100, callEstablishMs: 100 });
});
afterAll(async () => await emulator.close());

it('runs the demo workflow: join the meeting, invite two and wait, list the call, remove the phone participant, hang up', async () => {
	emulator.addMeeting(DEMO_MEETING);
	const result = await runWorkflowJson(emulator, loadDemoWorkflow());
	expect(result.error).toBeUndefined();
	const [call] = nodeRunOf(result, 'Join Meeting').json;
	expect(call).toMatchObject({ state: 'established', callbackUri: 'https://n8n.example.com/webhook/teams-call' });
	const callId = String(call.id);
	expect(nodeRunOf(result, 'Invite Participants').json).toEqual([expect.objectContaining({ status: 'completed', callId })]);
	expect(nodeRunOf(result, 'Get Many Participants').json).toHaveLength(5);
	expect(nodeRunOf(result, 'Remove Front Desk').json).toEqual([
		{ deleted: true, callId, participantId: '0c9d6a4e-5b7f-4e2a-8d3c-1f2e3d4c5b6a' },
	]);
	expect(nodeRunOf(result, 'Hang Up').json).toEqual([{ hungUp: true, callId }]);
	const left = emulator.getCall(callId);
	expect(left?.state).toBe('terminated');
	expect([...(left?.participants.keys() ?? [])]).toContain('a7ebfb2d-871e-419c-87af-27290b22e8db');
	expect([...(left?.participants.keys() ?? [])]).not.toContain('0c9d6a4e-5b7f-4e2a-8d3c-1f2e3d4c5b6a');
	const requests = emulator.log.filter((entry) => entry.server === 'graph' && entry.route !== 'getCall' && entry.route !== 'getOperation').map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
	expect(requests).toEqual(['POST createCall 201', 'POST invite 200', 'GET listParticipants 200', 'DELETE deleteParticipant 204', 'DELETE deleteCall 204']);
});
