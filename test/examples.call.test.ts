import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEmulator, type Emulator } from './emulator';
import { DEMO_MEETING } from './emulator/cli';
import type { WorkflowJson } from './helpers/engine';
import { nodeRunOf, runWorkflowJson } from './helpers/testbed';

/** The call examples, run in n8n's engine against the emulator as `npm run emulator` seeds it (the e2e runs them in a real n8n). */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ callEstablishMs: 100, inviteCompletionMs: 100 });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	emulator.addCall({ id: 'demo-call' });
	emulator.addMeeting(DEMO_MEETING);
});

function example(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(__dirname, '..', 'examples', file), 'utf8')) as WorkflowJson;
}

const requests = () => emulator.log.filter((entry) => entry.server === 'graph').map((entry) => `${entry.method} ${entry.route} ${entry.status}`);

it('join-and-dial: joins by the short link, then invites the phone number into that call', async () => {
	const result = await runWorkflowJson(emulator, example('join-and-dial.workflow.json'));
	expect(result.error).toBeUndefined();
	const [call] = nodeRunOf(result, 'Join the stand-up').json;
	expect(call).toMatchObject({ state: 'established', meetingInfo: { joinMeetingId: '3141592653589', passcode: 'aBc123' } });
	expect(nodeRunOf(result, 'Dial the on-call number').json).toEqual([
		expect.objectContaining({ status: 'completed', clientContext: 'dial-on-call', callId: call.id }),
	]);
	expect(emulator.getCall(String(call.id))?.participants.get('d1a10000-0000-4000-8000-0000000000c1')?.joined).toBe(true);
});

it('join-play-prompt-leave: joins by meeting ID, plays the prompt, hangs up', async () => {
	const result = await runWorkflowJson(emulator, example('join-play-prompt-leave.workflow.json'));
	expect(result.error).toBeUndefined();
	const [call] = nodeRunOf(result, 'Join by meeting ID').json;
	expect(nodeRunOf(result, 'Play the announcement').json).toEqual([
		expect.objectContaining({ '@odata.type': '#microsoft.graph.playPromptOperation', clientContext: 'standup-announcement', callId: call.id }),
	]);
	expect(nodeRunOf(result, 'Leave the meeting').json).toEqual([{ hungUp: true, callId: call.id }]);
	expect(emulator.getCall(String(call.id))?.state).toBe('terminated');
	expect(requests().filter((request) => !request.startsWith('GET getCall'))).toEqual([
		'POST createCall 201',
		'POST playPrompt 200',
		'DELETE deleteCall 204',
	]);
});

it('keep-alive: keeps demo-call alive and reads it', async () => {
	const result = await runWorkflowJson(emulator, example('keep-alive.workflow.json'));
	expect(result.error).toBeUndefined();
	expect(nodeRunOf(result, 'Keep the call alive').json).toEqual([{ alive: true, callId: 'demo-call' }]);
	expect(nodeRunOf(result, 'Check the call').json).toEqual([expect.objectContaining({ id: 'demo-call', state: 'established' })]);
	expect(requests()).toEqual(['POST keepAlive 200', 'GET getCall 200']);
});
