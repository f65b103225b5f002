/**
 * Replays Graph's documented examples (docsExamples.ts) through the package's own readers: each documented request
 * against the schema; each documented notification through the trigger's reading (classifyBody, eventsOf): no throw,
 * and the events a reader of the page expects; each documented response through what the nodes read of an answer.
 */
import type { IDataObject, INode, Logger } from 'n8n-workflow';

import { simplifyParticipant } from '../../nodes/shared/actions/simplify';
import { isFinished, operationStatus } from '../../nodes/shared/actions/inviteOutcome';
import { eventsOf } from '../../nodes/shared/notifications/callEvents';
import { emptyMemory, type TriggerMemory } from '../../nodes/shared/notifications/callMemory';
import { classifyBody } from '../../nodes/shared/notifications/commsBody';
import type { GraphClient } from '../../nodes/shared/transport/graphClient';
import { waitUntilEstablished } from '../../nodes/TeamsCall/actions/call/waitForCall';
import { describeViolation } from './checkValue';
import { type DocsExample, docsExamples, examplesOf } from './docsExamples';
import { countReplayed } from './replayCount';
import { checkRequestBody } from './routeContracts';

/** The replay reads answers only: nothing is stopped, so nothing is logged. */
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

const label = (example: DocsExample) => `${example.page}: ${example.name}`;
const context = { receivedAt: '2026-01-01T00:00:00.000Z', now: Date.parse('2026-01-01T00:00:00.000Z'), includeLobby: false };

function replayNotification(body: unknown, memory: TriggerMemory = emptyMemory()): string[] {
	const classified = classifyBody(body);
	if (classified.kind !== 'comms') throw new Error(`read as ${classified.kind}, not as commsNotifications`);
	return classified.notifications.flatMap((notification) => eventsOf(notification, memory, context).map((item) => item.event));
}

/** A Graph client that answers every read of a call with the documented call, established. */
function graphAnswering(call: IDataObject): GraphClient {
	const node = { name: 'Teams Call', type: 'n8n-nodes-teams-call.teamsCall', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	return {
		nodeRef: node,
		stopped: false,
		pause: async () => undefined,
		request: async () => ({ status: 200, headers: {}, body: { ...call, state: 'established' } }),
	} as unknown as GraphClient;
}

it('holds examples of every kind, each with its page', () => {
	const examples = docsExamples();
	expect(examples.filter((example) => example.kind === 'request').length).toBeGreaterThanOrEqual(10);
	expect(examples.filter((example) => example.kind === 'response').length).toBeGreaterThanOrEqual(8);
	expect(examples.filter((example) => example.kind === 'notification').length).toBeGreaterThanOrEqual(12);
	for (const example of examples) expect(example.page).toMatch(/^microsoftgraph\/microsoft-graph-docs-contrib api-reference\/v1\.0\/api\/[\w-]+\.md@[0-9a-f]{8}$/);
});

describe('documented requests match the schema', () => {
	it.each(examplesOf('request').map((example) => [label(example), example] as const))('%s', (_name, example) => {
		countReplayed();
		const violations = checkRequestBody(example.route, example.body) ?? [`no contract for route ${example.route}`];
		expect(violations.map((violation) => (typeof violation === 'string' ? violation : describeViolation(violation)))).toEqual([]);
	});
});

describe('documented notifications through the trigger', () => {
	for (const example of examplesOf('notification')) {
		// A pending example documents a gap: the test passes while the trigger still falls short (it.failing).
		const test = example.pending ? it.failing : it;
		test(`${label(example)}${example.pending ? ` [pending: ${example.pending}]` : ''}`, () => {
			countReplayed();
			let events: string[] = [];
			expect(() => (events = replayNotification(example.body))).not.toThrow();
			expect(events).toEqual(example.events);
		});
	}

	it('reads an operation status as the schema spells it ("Completed", "Failed"), not only as the pages write it', () => {
		const finished = (status: string, id: string) => ({
			value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/c1/operations/${id}`, resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id, status } }],
		});
		const memory = emptyMemory();
		expect(replayNotification(finished('Completed', 'op-1'), memory)).toEqual(['operationCompleted']);
		expect(replayNotification(finished('Failed', 'op-2'), memory)).toEqual(['operationCompleted']);
		expect(replayNotification(finished('Running', 'op-3'), memory)).toEqual([]);
	});

	it('reads each pending example without throwing and without inventing departures', () => {
		for (const example of examplesOf('notification').filter((entry) => entry.pending)) {
			const events = replayNotification(example.body);
			expect(events.filter((event) => event === 'participantLeft' || event === 'callTerminated')).toEqual([]);
		}
	});

	it('reads a call written as 32 hex digits and the same call with dashes as one call', () => {
		// Graph's playPrompt page writes the call 57dab8b1-894c-409a-b240-bd8beae78896 as 57DAB8B1894C409AB240BD8BEAE78896.
		const memory = emptyMemory();
		const established = (callId: string) => ({
			value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' } }],
		});
		const first = replayNotification(established('57dab8b1-894c-409a-b240-bd8beae78896'), memory);
		const second = replayNotification(established('57DAB8B1894C409AB240BD8BEAE78896'), memory);
		expect(first).toEqual(['callEstablished']);
		expect(second).toEqual([]); // one call, however Graph spells its ID
	});
});

describe('documented responses through the nodes\' reading of answers', () => {
	const responses = examplesOf('response');
	const byRoute = (route: string) => responses.filter((example) => example.route === route);

	it.each(byRoute('createCall').concat(byRoute('getCall')).map((example) => [label(example), example] as const))('a call: %s', async (_name, example) => {
		countReplayed();
		const call = example.body as IDataObject;
		const read = await waitUntilEstablished(graphAnswering(call), silentLogger, 0, call, 5);
		expect(read).toMatchObject({ id: call.id, state: 'established', callbackUri: call.callbackUri });
	});

	it.each(['invite', 'mute', 'playPrompt', 'startHoldMusic', 'stopHoldMusic'].flatMap(byRoute).map((example) => [label(example), example] as const))(
		'an operation: %s',
		(_name, example) => {
			countReplayed();
			const operation = example.body as IDataObject;
			// "Running" (invite) and "running" (playPrompt) are one status; mute answers "completed" at once.
			expect(operationStatus(operation)).toBe(String(operation.status).toLowerCase());
			expect(isFinished(operation)).toBe(example.route === 'mute');
		},
	);

	it.each(byRoute('getParticipant').map((example) => [label(example), example] as const))('a participant: %s', (_name, example) => {
		countReplayed();
		expect(simplifyParticipant(example.body as IDataObject)).toEqual({
			id: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
			displayName: 'Display Name',
			identityType: 'application',
			identityId: '278405a3-f568-4b3e-b684-009193463064',
			tenantId: null,
			isMuted: false,
			isInLobby: false,
		});
	});

	it.each(byRoute('listParticipants').map((example) => [label(example), example] as const))('a page of participants: %s', (_name, example) => {
		countReplayed();
		const page = (example.body as { value: IDataObject[] }).value.map(simplifyParticipant);
		expect(page.map(({ id, displayName, identityType }) => [id, displayName, identityType])).toEqual([
			['a7ebfb2d-871e-419c-87af-27290b22e8db', null, 'application'],
			['1e126418-44a0-4a94-a6f8-0efe1ad71acb', 'Test Participant', 'application'],
		]);
	});
});
