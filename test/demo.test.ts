import { loadDemoWorkflow } from '../demo/demoWorkflow';
import { startEmulator, type Emulator } from './emulator';
import { nodeRunOf, runWorkflowJson } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 100 });
});
afterAll(async () => await emulator.close());

it('runs the demo workflow: invite two and wait, list the call, remove the phone participant', async () => {
	const call = emulator.addCall({ id: 'demo-call', participants: [{ displayName: 'Bot owner' }] });
	const result = await runWorkflowJson(emulator, loadDemoWorkflow());
	expect(result.error).toBeUndefined();
	const invite = nodeRunOf(result, 'Invite Participants');
	expect(invite.json).toEqual([expect.objectContaining({ status: 'completed', callId: 'demo-call' })]);
	const listed = nodeRunOf(result, 'Get Many Participants');
	expect(listed.json.map((participant) => participant.id)).toEqual([
		[...call.participants.keys()][0],
		'a7ebfb2d-871e-419c-87af-27290b22e8db',
		'0c9d6a4e-5b7f-4e2a-8d3c-1f2e3d4c5b6a',
	]);
	expect(nodeRunOf(result, 'Remove Front Desk').json).toEqual([
		{ deleted: true, callId: 'demo-call', participantId: '0c9d6a4e-5b7f-4e2a-8d3c-1f2e3d4c5b6a' },
	]);
	expect([...(emulator.getCall('demo-call')?.participants.keys() ?? [])]).not.toContain('0c9d6a4e-5b7f-4e2a-8d3c-1f2e3d4c5b6a');
});
