import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from './emulator';
import { captureNodeLogs } from './helpers/engine';
import { graphRequestsSince, runCallNode, runNode } from './helpers/testbed';
import { until } from './helpers/until';

/** n8n's own node settings (On Error, Stop, Retry On Fail), through n8n's real engine on both majors. */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 100 });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	emulator.configure({ graphLatencyMs: 0, inviteCompletionMs: 100 });
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Remove of three items, the second unknown (404): the case confirmed in a real n8n 2.41.1. */
async function removeThreeSecondUnknown(settings: IDataObject) {
	const call = emulator.addCall();
	const [first, second] = call.participants.keys();
	const run = await runNode(
		emulator,
		{ operation: 'remove', callId: call.id, participantId: byId('={{ $json.who }}') },
		{ items: [{ who: first }, { who: 'nobody' }, { who: second }], settings },
	);
	return { call, first, second, run };
}

const NOT_FOUND = /^Microsoft Graph could not remove the participant \(HTTP 404, code itemNotFound\)/;

describe('On Error', () => {
	it('Stop Workflow: the run fails on the unknown participant, with nothing on either output', async () => {
		const { run } = await removeThreeSecondUnknown({ onError: 'stopWorkflow' });
		expect(run.errorMessage).toMatch(NOT_FOUND);
		expect(run.json).toEqual([]);
		expect(run.errorOutput).toEqual([]);
	});

	it('Continue (regular output): three items on output 0, the failed one as an error item, each paired', async () => {
		const { call, first, second, run } = await removeThreeSecondUnknown({ onError: 'continueRegularOutput' });
		expect(run.errorMessage).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0]).toEqual({ deleted: true, callId: call.id, participantId: first });
		expect(run.json[1].error).toMatch(NOT_FOUND);
		expect(run.json[1].description).toBe(
			'No participant with this ID is in the call: they may have left or been removed already. Use Get Many to list the current participants.',
		);
		expect(run.json[2]).toEqual({ deleted: true, callId: call.id, participantId: second });
	});

	it('Continue (using error output): Graph failures go to the error output, paired, the others to the success output', async () => {
		const { call, first, second, run } = await removeThreeSecondUnknown({ onError: 'continueErrorOutput' });
		expect(run.errorMessage).toBeUndefined();
		expect(run.json).toEqual([
			{ deleted: true, callId: call.id, participantId: first },
			{ deleted: true, callId: call.id, participantId: second },
		]);
		expect(run.paired).toEqual([0, 2]);
		expect(run.errorOutput).toHaveLength(1);
		expect(run.errorOutput[0].paired).toBe(1);
		expect(run.errorOutput[0].json.error).toMatch(NOT_FOUND);
	});

	it('Continue (using error output): input errors go there too', async () => {
		const call = emulator.addCall();
		const [first] = call.participants.keys();
		const run = await runNode(
			emulator,
			{ operation: 'get', callId: call.id, participantId: byId('={{ $json.who }}') },
			{ items: [{ who: '  ' }, { who: first }], settings: { onError: 'continueErrorOutput' } },
		);
		expect(run.paired).toEqual([1]);
		expect(run.errorOutput.map(({ json, paired }) => [json.error, paired])).toEqual([['Participant (item 0): is empty', 0]]);
	});
});

/** Resolves after `ms`; used only to decide when the test presses Stop. */
async function after(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

const inviteEach = (callId: string): IDataObject => ({
	operation: 'invite',
	callId,
	participants: { participant: [{ type: 'user', id: '={{ $json.user }}' }] },
	clientContext: '={{ "ctx-" + $json.user }}',
});

function invitesSoFar(): number {
	return emulator.log.filter((entry) => entry.route === 'invite').length;
}

/** Resolves once the emulator has received `count` invites, then `ms` later (when the test presses Stop). */
async function afterInvites(count: number, ms: number): Promise<void> {
	while (invitesSoFar() < count) await after(5);
	await after(ms);
}

const CALLBACK = 'https://n8n.example.com/webhook/teams-call';
const routeCount = (route: string) => emulator.log.filter((entry) => entry.route === route).length;

/** Resolves once the emulator has received a request of this route. */
async function untilRoute(route: string): Promise<void> {
	while (routeCount(route) === 0) await after(5);
}

describe('Stop', () => {
	it('200 invites at 50 ms latency, stopped after 0.5 s: no invite starts after Stop, and the node says which items were not started', async () => {
		emulator.configure({ graphLatencyMs: 50 });
		const call = emulator.addCall();
		const items = Array.from({ length: 200 }, (_, index) => ({ user: `u-${index}` }));
		let atStop = -1;
		// 0.5 s after the first invite arrived: the engine's start-up (isolates, token) is not counted.
		const stop = afterInvites(1, 500).then(() => {
			atStop = invitesSoFar();
		});
		const run = await runNode(emulator, inviteEach(call.id), { items, cancelWhen: stop });
		const notStarted = /^The run was stopped: items (\d+) to 199 were not started$/.exec(run.errorMessage ?? '');
		expect(notStarted).not.toBeNull();
		const started = Number(notStarted?.[1]);
		// Requests under way when Stop came (at most Max Concurrent Requests, 10) may still reach the busy emulator after
		// the run ended; give them time, then count: nothing beyond the items started before Stop.
		await after(500);
		const received = invitesSoFar();
		expect(atStop).toBeGreaterThan(0);
		expect(started).toBeLessThanOrEqual(atStop + 10);
		expect(received).toBeLessThanOrEqual(started);
		await after(500);
		expect(invitesSoFar()).toBe(received);
	});

	it('a throttle wait (Retry-After 100 s) ends at Stop instead of running on', async () => {
		// Its own emulator (its own Graph host): the 100 s hold is the app's, and would hold the tests after this one.
		const throttled = await startEmulator();
		try {
			const call = throttled.addCall();
			throttled.addFault({ route: 'listParticipants', fault: { kind: 'status', status: 429, retryAfter: '100' } });
			// Stop once the 429 has been answered (the wait has begun), however long the engine took to start.
			const stop = (async () => {
				while (!throttled.log.some((entry) => entry.route === 'listParticipants' && entry.status === 429)) await after(5);
				await after(200);
			})();
			const run = await Promise.race([
				runNode(throttled, { operation: 'getAll', callId: call.id, returnAll: true }, { cancelWhen: stop }),
				after(20_000).then(() => 'still waiting 20 s after Stop'),
			]);
			expect(run).not.toBe('still waiting 20 s after Stop');
			// Ended by the Stop, not by anything else (a refused wait, a failure): the node says the run was stopped.
			expect(typeof run === 'string' ? run : run.errorMessage).toBe('The run was stopped before item 0 finished');
			expect(graphRequestsSince(throttled, 0)).toEqual(['GET listParticipants']);
		} finally {
			await throttled.close();
		}
	});

	it('waiting for an invitation to finish ends at Stop, without further polls', async () => {
		emulator.configure({ inviteCompletionMs: 100_000 });
		const call = emulator.addCall();
		let pollsAtStop = -1;
		const polls = () => emulator.log.filter((entry) => entry.route === 'getOperation').length;
		// Stop once polling has begun, however long the engine took to start.
		const stop = untilRoute('getOperation').then(async () => {
			await after(300);
			pollsAtStop = polls();
		});
		const run = await Promise.race([
			runNode(
				emulator,
				{ ...inviteEach(call.id), options: { waitForCompletion: true, waitTimeout: 90 } },
				{ items: [{ user: 'u-1' }], cancelWhen: stop },
			),
			after(20_000).then(() => 'still waiting 20 s after Stop' as const),
		]);
		expect(run).not.toBe('still waiting 20 s after Stop');
		expect(pollsAtStop).toBeGreaterThan(0);
		expect(polls()).toBeLessThanOrEqual(pollsAtStop + 1);
	});
	it.each([
		['Join Meeting', () => ({ operation: 'join', joinBy: 'meetingId', joinMeetingId: emulator.addMeeting().joinMeetingId, callbackUrl: CALLBACK })],
		['Create Call', () => ({ operation: 'create', targets: { target: [{ type: 'user', id: 'b1c2d3e4-0000-4000-8000-000000000001' }] }, callbackUrl: CALLBACK })],
	])('%s waiting until established: Stop ends the wait at once, hangs up the call it placed (one DELETE) and logs its ID', async (_name, parameters) => {
		emulator.configure({ callEstablishMs: 100_000 });
		const logs = captureNodeLogs();
		try {
			let readsAtStop = -1;
			const stop = untilRoute('getCall').then(() => {
				readsAtStop = routeCount('getCall');
			});
			const run = await Promise.race([
				runCallNode(emulator, { ...parameters(), options: { waitTimeout: 90 } }, { cancelWhen: stop }),
				after(20_000).then(() => 'still waiting 20 s after Stop' as const),
			]);
			expect(run).not.toBe('still waiting 20 s after Stop');
			const callId = String(emulator.log.find((entry) => entry.route === 'getCall')?.path.split('/').at(-1));
			await until('the hang-up', () => routeCount('deleteCall') > 0);
			await after(300);
			expect(emulator.log.filter((entry) => entry.route === 'deleteCall').map((entry) => [entry.method, entry.path.split('/').at(-1)])).toEqual([['DELETE', callId]]);
			expect(emulator.getCall(callId)?.state).toBe('terminated');
			expect(routeCount('getCall')).toBeLessThanOrEqual(readsAtStop + 1);
			expect(logs.lines.filter((line) => line.includes(callId))).toEqual([
				expect.stringMatching(new RegExp(`^warn Teams Call: the run was stopped while waiting for call ${callId} to be established; the call was hung up`)),
			]);
		} finally {
			logs.restore();
			emulator.configure({ callEstablishMs: 150 });
		}
	});
});

describe('Retry On Fail', () => {
	it('is refused for Invite before anything is sent, with the reason and what to use instead', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, inviteEach(call.id), {
			items: [{ user: 'u-1' }],
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(run.errorMessage).toBe(
			'Retry On Fail is on in this node\'s settings, but this operation must not be sent twice: n8n would run the whole node again after a failure and send every item again',
		);
		expect(run.errorDescription).toBe(
			'Turn Retry On Fail off (node Settings). The node already retries on its own whatever is safe to repeat (throttling, and answers that prove Graph did not act). To keep going when some items fail, set On Error to "Continue (using error output)".',
		);
		expect(graphRequestsSince(emulator, 0)).toEqual([]);
	});

	it.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'with On Error = %s: every item becomes an error item with the refusal, paired, and nothing is sent',
		async (onError) => {
			const call = emulator.addCall();
			const run = await runNode(emulator, inviteEach(call.id), {
				items: [{ user: 'u-1' }, { user: 'u-2' }],
				settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0, onError },
			});
			expect(run.errorMessage).toBeUndefined();
			const errorItems = onError === 'continueErrorOutput' ? run.errorOutput : run.json.map((json, index) => ({ json, paired: run.paired[index] }));
			expect(errorItems.map(({ json, paired }) => [json.error, paired])).toEqual([
				[expect.stringMatching(/^Retry On Fail is on in this node's settings, but this operation must not be sent twice/), 0],
				[expect.stringMatching(/^Retry On Fail is on in this node's settings, but this operation must not be sent twice/), 1],
			]);
			if (onError === 'continueErrorOutput') expect(run.json).toEqual([]);
			expect(graphRequestsSince(emulator, 0)).toEqual([]);
		},
	);

	it('is refused for Play Prompt (a prompt sent twice plays twice), before anything is sent', async () => {
		const call = emulator.addCall();
		const run = await runCallNode(
			emulator,
			{ operation: 'playPrompt', callId: call.id, promptUrl: 'https://cdn.example.com/prompts/welcome.wav' },
			{ items: [{}, {}, {}], settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } },
		);
		expect(run.errorMessage).toMatch(/^Retry On Fail is on in this node's settings, but this operation must not be sent twice/);
		expect(graphRequestsSince(emulator, 0)).toEqual([]);
	});

	it('is allowed for operations that are safe to repeat (Get)', async () => {
		const call = emulator.addCall();
		const [first] = call.participants.keys();
		const run = await runNode(
			emulator,
			{ operation: 'get', callId: call.id, participantId: byId(first) },
			{ settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } },
		);
		expect(run.errorMessage).toBeUndefined();
		expect(run.json[0].id).toBe(first);
	});

	it('when a run of invites stops on an error, the error names the items that had already reached Graph', async () => {
		const call = emulator.addCall();
		const run = await runNode(
			emulator,
			{ ...inviteEach('={{ $json.call }}'), options: { maxConcurrency: 1 } },
			{ items: [{ call: call.id, user: 'u-0' }, { call: call.id, user: 'u-1' }, { call: 'no-such-call', user: 'u-2' }, { call: call.id, user: 'u-3' }] },
		);
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not invite the participants \(HTTP 404/);
		expect(run.errorDescription).toMatch(
			/Items already sent to Graph before the run stopped \(not undone; do not run them again\): item 0 \(client context ctx-u-0\), item 1 \(client context ctx-u-1\)\. Not started: item 3\.$/,
		);
		expect(emulator.log.filter((entry) => entry.route === 'invite')).toHaveLength(3);
	});
});

describe('numbers that used to pass unchecked', () => {
	it('a Limit that is not a number names the parameter and the item, and sends nothing', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: false, limit: '={{ $json.limit }}' }, { items: [{ limit: 2 }, { limit: 1.5 }] });
		expect(run.errorMessage).toBe('Limit (item 1): must be a whole number of 1 or more (got 1.5)');
		expect(graphRequestsSince(emulator, 0)).toEqual(['GET listParticipants']);
	});

	it('a Wait Timeout that is not a number names the parameter and the item, before the invitation is sent', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, { ...inviteEach(call.id), options: { waitForCompletion: true, waitTimeout: '={{ $json.wait }}' } }, { items: [{ user: 'u-1', wait: 0 }] });
		expect(run.errorMessage).toBe('Wait Timeout (item 0): must be a whole number from 1 to 600 (got 0)');
		expect(graphRequestsSince(emulator, 0)).toEqual([]);
	});
});
