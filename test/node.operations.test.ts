import { startEmulator, type Emulator } from './emulator';
import { graphRequestsSince, runNode } from './helpers/testbed';
import { until } from './helpers/until';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ inviteCompletionMs: 150 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('Get Many', () => {
	it('returns one item per participant, paired with its input item', async () => {
		const call = emulator.addCall();
		const run = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true });
		expect(run.errorMessage).toBeUndefined();
		expect(run.json.map((participant) => participant.id)).toEqual([...call.participants.keys()]);
		expect(run.paired).toEqual([0, 0, 0]);
		expect(run.json[0]).toMatchObject({ info: { identity: { user: { displayName: expect.any(String) } } }, isMuted: false });
	});

	it('follows @odata.nextLink pages with Return All, and stops at Limit otherwise', async () => {
		emulator.configure({ participantsPageSize: 2 });
		try {
			const call = emulator.addCall({ participants: Array.from({ length: 5 }, (_, i) => ({ displayName: `P${i}` })) });
			const start = emulator.log.length;
			const all = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true });
			expect(all.json).toHaveLength(5);
			expect(graphRequestsSince(emulator, start)).toEqual(Array(3).fill('GET listParticipants'));

			const limited = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: false, limit: 3 });
			expect(limited.json.map((participant) => participant.id)).toEqual(all.json.slice(0, 3).map((participant) => participant.id));
		} finally {
			emulator.configure({ participantsPageSize: 50 });
		}
	});
});

describe('Simplify', () => {
	it('flattens each participant for Get Many and Get', async () => {
		const call = emulator.addCall({ participants: [{ id: 'p-1', displayName: 'Alex Wilber' }] });
		const expected = {
			id: 'p-1',
			displayName: 'Alex Wilber',
			identityType: 'user',
			identityId: expect.any(String),
			tenantId: emulator.app.tenantId,
			isMuted: false,
			isInLobby: false,
		};
		const many = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true, simplify: true });
		expect(many.json).toEqual([expected]);
		const one = await runNode(emulator, { operation: 'get', callId: call.id, participantId: byId('p-1'), simplify: true });
		expect(one.json).toEqual([expected]);
	});
});

describe('Get', () => {
	it('returns the participant as Graph does', async () => {
		const call = emulator.addCall();
		const [participantId] = call.participants.keys();
		const run = await runNode(emulator, { operation: 'get', callId: call.id, participantId: byId(participantId) });
		expect(run.json).toEqual([expect.objectContaining({ id: participantId, isInLobby: false })]);
		expect(run.paired).toEqual([0]);
	});
});

describe('Remove', () => {
	it('deletes the participant and says so', async () => {
		const call = emulator.addCall();
		const [participantId] = call.participants.keys();
		const start = emulator.log.length;
		const run = await runNode(emulator, { operation: 'remove', callId: call.id, participantId: byId(participantId) });
		expect(run.json).toEqual([{ deleted: true, callId: call.id, participantId }]);
		expect(graphRequestsSince(emulator, start)).toEqual(['DELETE deleteParticipant']);
		expect(emulator.getCall(call.id)?.participants.has(participantId)).toBe(false);
	});

	it('takes a plain string as participant, and ids from expressions per item', async () => {
		const call = emulator.addCall();
		const ids = [...call.participants.keys()];
		const run = await runNode(
			emulator,
			{ operation: 'remove', callId: '={{ $json.call }}', participantId: '={{ $json.who }}' },
			{ items: ids.map((who) => ({ call: call.id, who })) },
		);
		expect(run.json).toEqual(ids.map((participantId) => ({ deleted: true, callId: call.id, participantId })));
		expect(run.paired).toEqual([0, 1, 2]);
		expect(emulator.getCall(call.id)?.participants.size).toBe(0);
	});
});

describe('Mute', () => {
	it('mutes the participant and returns the operation', async () => {
		const call = emulator.addCall();
		const [participantId] = call.participants.keys();
		const run = await runNode(emulator, {
			operation: 'mute',
			callId: call.id,
			participantId: byId(participantId),
			clientContext: 'mute-42',
		});
		expect(run.json).toEqual([
			expect.objectContaining({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed', clientContext: 'mute-42', callId: call.id, participantId }),
		]);
		const request = emulator.log.find((entry) => entry.route === 'mute');
		expect(request?.body).toEqual({ clientContext: 'mute-42' });
		expect(emulator.getCall(call.id)?.participants.get(participantId)?.isMuted).toBe(true);
	});
});

describe('Max Concurrent Requests', () => {
	it('keeps output in input order and never has more requests in flight than allowed', async () => {
		const ids = Array.from({ length: 12 }, (_, i) => `P${i}`);
		for (const maxConcurrency of [1, 4]) {
			emulator.reset();
			const call = emulator.addCall({ participants: ids.map((id) => ({ id, displayName: id })) });
			// Graph holds its answers: the node must fill exactly its slots and start nothing more until one answers.
			const release = emulator.holdGraphAnswers();
			try {
				const running = runNode(
					emulator,
					{ operation: 'get', callId: call.id, participantId: '={{ $json.who }}', options: { maxConcurrency } },
					{ items: ids.map((who) => ({ who })) },
				);
				await until(`${maxConcurrency} requests in flight`, () => emulator.stats().inFlight === maxConcurrency);
				// A node that ignored the bound would have sent the other items by now (it starts them without waiting).
				await new Promise((resolve) => setTimeout(resolve, 100));
				expect(emulator.stats().inFlight).toBe(maxConcurrency);
				release();
				const run = await running;
				expect(run.json.map((participant) => participant.id)).toEqual(ids);
				expect(run.paired).toEqual(ids.map((_, index) => index));
				expect(emulator.stats().maxInFlight).toBe(maxConcurrency);
			} finally {
				release();
			}
		}
	});
});
