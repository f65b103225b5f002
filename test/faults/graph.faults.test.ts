import './capture';

import type { INode } from 'n8n-workflow';

import { parseGraphAppCredentials } from '../../nodes/shared/transport/appCredentials';
import { GraphClient, type GraphRequest, graphFailure } from '../../nodes/shared/transport/graphClient';
import { tokenProviderFor } from '../../nodes/shared/transport/tokenProvider';
import type { FaultRule } from '../emulator';
import { NODE_NAME, NODE_TYPE } from '../helpers/testbed';
import { atLeast, type Aspects } from './report';
import {
	addCall,
	ALL_OPERATIONS,
	compact,
	expectNoMismatch,
	faultSuite,
	leakCheck,
	NOT_RESENT,
	OPERATIONS,
	type OperationSpec,
	operationsNamed,
	participantItems,
	PHRASES,
	requestsOf,
	runSpec,
	type SpecName,
} from './support';

/**
 * Graph faults on every operation, through n8n's engine: what is retried, how often, after how long, and what the
 * user reads when it gives up. Idempotent requests (GET, DELETE, mute) are retried on 429/502/503/504, resets,
 * timeouts and malformed 2xx bodies (4 attempts, 10 for 429); invite, join, create and play prompt only on 429 (and 401
 * InvalidAuthenticationToken, with a fresh token).
 */

const suite = faultSuite('Graph faults', { inviteCompletionMs: 5_000 });
const CALL = 'call-f';
const TARGET = 'p-0';

beforeAll(async () => {
	// A token in the cache first, so that token requests below are the ones a fault caused.
	addCall(suite.emulator, CALL);
	await suite.run(OPERATIONS.get.parameters(CALL), { items: [{ p: TARGET }] });
});

// ---------------------------------------------------------------- expectations

interface Expectation {
	/** Graph's answers, in order (0: no answer). */
	statuses: number[];
	ok: boolean;
	message?: RegExp;
	/** Least wall time of the run (ms), for honoured Retry-After waits. */
	minMs?: number;
	/** How many times the invitation reached Graph's processing (invite only). */
	invites?: number;
	tokenRequests?: number;
}

interface FaultRow {
	name: string;
	rules: (route: string) => FaultRule[];
	expect: (spec: OperationSpec) => Expectation;
	/** A known defect of the node (for these operations, default all): the case stays, as it.failing, until it is fixed. */
	bug?: { what: string; ops?: SpecName[] };
}

const notResent = (spec: OperationSpec) => NOT_RESENT[spec.op] ?? { risk: '(sent again)', avoid: '(sent again)' };
const NOT_RESENT_STATUS = (spec: OperationSpec) =>
	new RegExp(`\\. It was not sent again: the request may have reached Graph, and ${notResent(spec).risk}$`);
const NOT_RESENT_TRANSPORT = (spec: OperationSpec) =>
	new RegExp(`The request may have reached Graph: it was not sent again, to avoid ${notResent(spec).avoid}\\.`);

const graphSaid = (spec: OperationSpec, status: number, code?: string) =>
	new RegExp(`^Microsoft Graph could not ${PHRASES[spec.op]} \\(HTTP ${status}${code ? `, code ${code}` : ''}\\)`);

/** The first answers fail, the next attempt works. */
const retried = (spec: OperationSpec, failures: number[], more: Partial<Expectation> = {}): Expectation => ({
	statuses: [...failures, spec.okStatus],
	ok: true,
	invites: 1,
	...more,
});

/** Idempotent operations retry once and succeed; invite (join, create, play prompt) is sent once and fails with `message`. */
const retriedUnlessInvite =
	(first: number, message: RegExp | ((spec: OperationSpec) => RegExp), invites = 0) =>
	(spec: OperationSpec): Expectation =>
		spec.idempotent ? retried(spec, [first]) : { statuses: [first], ok: false, message: typeof message === 'function' ? message(spec) : message, invites };

/** A lost answer to a delete: the retry's 404 proves it done (remove, hang up); others as retriedUnlessInvite. */
const lostAnswer = (first: number, message: RegExp | ((spec: OperationSpec) => RegExp)) => (spec: OperationSpec): Expectation =>
	spec.lostAnswerOutput ? retried(spec, [first], { statuses: [first, 404] }) : retriedUnlessInvite(first, message, 1)(spec);

const rule = (route: string, fault: FaultRule['fault'], more: Partial<FaultRule> = {}): FaultRule => ({ route, fault, ...more });

/** An HTTP date `seconds` from now (whole seconds, as the header carries them). */
const httpDate = (seconds: number) => new Date(Date.now() + seconds * 1000).toUTCString();

const FAULTS: FaultRow[] = [
	{
		name: '429, Retry-After: 1 (seconds)',
		rules: (route) => [rule(route, { kind: 'status', status: 429, retryAfter: '1' })],
		expect: (spec) => retried(spec, [429], { minMs: 950 }),
	},
	{
		name: '429, Retry-After as an HTTP date (+2 s)',
		rules: (route) => [rule(route, { kind: 'status', status: 429, retryAfter: httpDate(2) })],
		expect: (spec) => retried(spec, [429], { minMs: 950 }),
	},
	{
		// Graph promises "not processed" only for 429: a 503, even with Retry-After, may come after the work was done.
		name: '503 with Retry-After: 0',
		rules: (route) => [rule(route, { kind: 'status', status: 503, retryAfter: '0' })],
		expect: (spec) => retriedUnlessInvite(503, NOT_RESENT_STATUS)(spec),
	},
	{
		name: '503 without Retry-After',
		rules: (route) => [rule(route, { kind: 'status', status: 503 })],
		expect: (spec) => retriedUnlessInvite(503, NOT_RESENT_STATUS)(spec),
	},
	{
		name: '504',
		rules: (route) => [rule(route, { kind: 'status', status: 504 })],
		expect: (spec) => retriedUnlessInvite(504, NOT_RESENT_STATUS)(spec),
	},
	{
		name: 'HTML error page, 502',
		rules: (route) => [rule(route, { kind: 'html', status: 502 })],
		expect: (spec) => retriedUnlessInvite(502, (it) => new RegExp(`^Microsoft Graph could not ${PHRASES[it.op]} \\(HTTP 502\\)\\. It was not sent again`))(spec),
	},
	{
		name: 'HTML error page, 500 (not retryable)',
		rules: (route) => [rule(route, { kind: 'html', status: 500 })],
		expect: (spec) => ({ statuses: [500], ok: false, message: new RegExp(`${graphSaid(spec, 500).source}$`), invites: 0 }),
	},
	{
		name: 'connection reset before any answer',
		rules: (route) => [rule(route, { kind: 'reset' })],
		expect: (spec) => retriedUnlessInvite(0, NOT_RESENT_TRANSPORT)(spec),
	},
	{
		name: 'malformed JSON (200)',
		rules: (route) => [rule(route, { kind: 'malformed' })],
		expect: (spec) =>
			retriedUnlessInvite(200, (it) => new RegExp(`answered HTTP 200 to ${PHRASES[it.op]}, but its answer is not valid JSON\\. Graph accepted the request; it was not sent again\\.`))(spec),
	},
	{
		name: '401, token expired (a fresh token, sent again)',
		rules: (route) => [rule(route, { kind: 'expireToken' })],
		expect: (spec) => retried(spec, [401], { tokenRequests: 1 }),
	},
	{
		name: 'reset after Graph processed it (answer lost)',
		rules: (route) => [rule(route, { kind: 'reset' }, { processFirst: true })],
		// Remove and Hang Up: the retry finds the participant (the call) gone, which proves the first attempt did it.
		expect: lostAnswer(0, NOT_RESENT_TRANSPORT),
	},
	{
		name: '504 after Graph processed it',
		rules: (route) => [rule(route, { kind: 'status', status: 504 }, { processFirst: true })],
		expect: lostAnswer(504, NOT_RESENT_STATUS),
	},
	{
		name: 'malformed 2xx after Graph processed it',
		rules: (route) => [rule(route, { kind: 'malformed' }, { processFirst: true })],
		expect: lostAnswer(200, /Graph accepted the request; it was not sent again\./),
	},
	{
		name: '429 on every attempt (gives up after 10)',
		rules: (route) => [rule(route, { kind: 'status', status: 429, retryAfter: '0' }, { times: Infinity })],
		expect: (spec) => ({ statuses: Array(10).fill(429), ok: false, message: graphSaid(spec, 429, 'TooManyRequests'), invites: 0 }),
	},
	{
		name: '503 + Retry-After on every attempt (gives up after 4)',
		rules: (route) => [rule(route, { kind: 'status', status: 503, retryAfter: '0' }, { times: Infinity })],
		expect: (spec) =>
			spec.idempotent
				? { statuses: Array(4).fill(503), ok: false, message: graphSaid(spec, 503, 'ServiceUnavailable'), invites: 0 }
				: { statuses: [503], ok: false, message: NOT_RESENT_STATUS(spec), invites: 0 },
	},
	{
		name: '429 with Retry-After: 300 (over the 120 s cap)',
		rules: (route) => [rule(route, { kind: 'status', status: 429, retryAfter: '300' })],
		// retryPolicy.ts: "a longer one fails the item with the wait named".
		expect: (spec) => ({ statuses: [429], ok: false, message: new RegExp(`${graphSaid(spec, 429, 'TooManyRequests').source}.*(300|Retry-After)`), invites: 0 }),
	},
];

// ---------------------------------------------------------------- the table: every fault × every operation

type Case = [string, FaultRow, OperationSpec];
const cases = (rows: FaultRow[]): Case[] => rows.flatMap((row) => ALL_OPERATIONS.map((spec): Case => [`${row.name} · ${spec.op}`, row, spec]));
const isBug = ([, row, spec]: Case) => row.bug !== undefined && (row.bug.ops ?? [spec.op]).includes(spec.op);
const label = ([name, row]: Case, bug: boolean) => (bug ? `${name} [BUG: ${row.bug?.what ?? ''}]` : name);

async function runFaultCase([name, row, spec]: Case, bug: boolean): Promise<void> {
	const { emulator } = suite;
	const call = addCall(emulator, CALL);
	for (const faultRule of row.rules(spec.route)) emulator.addFault(faultRule);
	const outcome = await runSpec(suite, spec, call.id, { items: [{ p: TARGET }] });
	const want = row.expect(spec);
	const aspects: Aspects = {
		requests: [compact(requestsOf(spec, want.statuses)), compact(outcome.requests)],
		result: [want.ok ? 'ok' : 'failed', outcome.message ? 'failed' : outcome.items.join()],
		message: [want.message ?? '', outcome.message],
		tokenRequests: [want.tokenRequests ?? 0, outcome.tokenRequests],
	};
	if (want.minMs !== undefined) aspects.ms = [atLeast(want.minMs), outcome.ms];
	if (spec.reachedGraph) aspects.reachingGraph = [want.invites ?? 0, spec.reachedGraph(emulator)];
	if (spec.lostAnswerOutput && want.ok) aspects.output = [[spec.lostAnswerOutput(CALL)], outcome.run.json];
	if (spec.op === 'remove' && want.ok) {
		// A retry that finds the participant gone (the first attempt removed them) says so: alreadyGone.
		const alreadyGone = want.statuses.length > 1 && want.statuses[want.statuses.length - 1] === 404 ? { alreadyGone: true } : {};
		aspects.output = [[{ deleted: true, ...alreadyGone, callId: CALL, participantId: TARGET }], outcome.run.json];
		aspects.stillInCall = [false, emulator.getCall(CALL)?.participants.has(TARGET)];
	}
	if (spec.op === 'hangUp' && want.ok) aspects.callState = ['terminated', emulator.getCall(CALL)?.state];
	expectNoMismatch(suite.report.check(label([name, row, spec], bug), aspects));
}

describe('Graph faults on every operation (one item, through the engine)', () => {
	const all = cases(FAULTS);
	it.each(all.filter((c) => !isBug(c)))('%s', async (...c) => await runFaultCase(c, false));
	const bugs = all.filter(isBug);
	if (bugs.length) it.failing.each(bugs)('%s (known bug)', async (...c) => await runFaultCase(c, true));
});

describe('Message wording', () => {
	// Graph's messages end with a period; the "not sent again" sentence is appended after another one.
	it('invite, 503 without Retry-After: the message has no doubled period', async () => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		emulator.addFault({ route: 'invite', fault: { kind: 'status', status: 503 } });
		const outcome = await suite.run(OPERATIONS.invite.parameters(CALL), { items: [{ p: TARGET }] });
		const name = 'invite 503: no ".." in the message';
		expectNoMismatch(suite.report.check(name, { doubledPeriod: [false, /[^.]\.\.\s/.test(outcome.message)], message: [/not sent again/, outcome.message] }));
	});
});

// ---------------------------------------------------------------- in the middle of a run of many items

/** Operations that many items can run on one call in a row (not hang up, not start hold music: one participant at a time). */
const MANY_ON_ONE_CALL = operationsNamed(['invite', 'remove', 'get', 'getAll', 'mute', 'stopHoldMusic', 'getCall', 'keepAlive', 'playPrompt']);
/** Those whose requests Graph answers 404 8522 once the call has ended (Get of a call still reports it, terminated). */
const GONE_WITH_THE_CALL = operationsNamed(['invite', 'remove', 'get', 'getAll', 'mute', 'stopHoldMusic', 'playPrompt']);

describe('In the middle of a run of many items', () => {
	it.each(MANY_ON_ONE_CALL.map((spec): [string, OperationSpec] => [spec.op, spec]))(
		'%s: the token expires after 3 items: one fresh token, the rejected request sent again, every item ok',
		async (_name, spec) => {
			const { emulator } = suite;
			addCall(emulator, CALL, 6);
			emulator.addFault({ route: spec.route, fault: { kind: 'expireToken' }, after: 3 });
			const outcome = await runSpec(suite, spec, CALL, { items: participantItems(6) }, { options: { maxConcurrency: 1 } });
			const ok = spec.okStatus;
			expectNoMismatch(
				suite.report.check(`token expires mid-run (6 items) · ${spec.op}`, {
					requests: [compact(requestsOf(spec, [ok, ok, ok, 401, ok, ok, ok])), compact(outcome.requests)],
					tokenRequests: [1, outcome.tokenRequests],
					items: [Array(6).fill('ok'), outcome.items],
					message: ['', outcome.message],
				}),
			);
		},
	);

	it.each(GONE_WITH_THE_CALL.map((spec): [string, OperationSpec] => [spec.op, spec]))(
		'%s: the call ends after 10 of 20 items (Continue On Fail): 10 ok, 10 error items saying the call is gone, no retries',
		async (_name, spec) => {
			const { emulator } = suite;
			addCall(emulator, CALL, 20);
			emulator.addFault({ route: spec.route, fault: { kind: 'endCall' }, after: 10 });
			const outcome = await runSpec(suite, spec, CALL, { items: participantItems(20), settings: { continueOnFail: true } }, { options: { maxConcurrency: 1 } });
			const gone = `Microsoft Graph could not ${PHRASES[spec.op]} (HTTP 404, code 8522): Call not found or has ended. Call id: '${CALL}'`;
			expectNoMismatch(
				suite.report.check(`call ends after 10 of 20 items · ${spec.op}`, {
					requests: [compact(requestsOf(spec, [...Array(10).fill(spec.okStatus), ...Array(10).fill(404)])), compact(outcome.requests)],
					items: [[...Array(10).fill('ok'), ...Array(10).fill('error')], outcome.items],
					errorMessages: [Array(10).fill(gone), Object.values(outcome.errors)],
					errorDescriptions: [10, outcome.run.json.filter((json) => json.error && /already ended/.test(String(json.description))).length],
					paired: [true, [...new Set(outcome.run.paired)].join() === Array.from({ length: 20 }, (_, i) => i).join()],
					message: ['', outcome.message],
				}),
			);
		},
	);
});

// ---------------------------------------------------------------- stalls, with a short timeout (GraphClient directly)

/**
 * Through the engine, node.errors.test.ts stalls each operation past the node's Request Timeout (whole seconds, at
 * least 1). These 10 cases run on GraphClient itself with timeoutMs 500 (the same client the node builds, with the
 * same credential and token provider) only to keep the suite short; they are not out of the engine's reach.
 */
const NODE: INode = { id: 'n', name: NODE_NAME, type: NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };

function graphRequest(spec: OperationSpec, callId: string, participantId: string): GraphRequest {
	const participant = ['communications', 'calls', callId, 'participants', participantId];
	const common = { action: { phrase: PHRASES[spec.op] }, method: spec.method, itemIndex: 0, idempotent: spec.idempotent } as const;
	switch (spec.op) {
		case 'invite':
			return {
				...common,
				path: ['communications', 'calls', callId, 'participants', 'invite'],
				body: { participants: [{ identity: { user: { id: `user-of-${participantId}` } } }], clientContext: `ctx-${participantId}` },
			};
		case 'getAll':
			return { ...common, path: participant.slice(0, 4) };
		case 'mute':
			return { ...common, path: [...participant, 'mute'], body: { clientContext: 'stall' } };
		default:
			return { ...common, path: participant };
	}
}

describe('A stall past the request timeout (GraphClient, timeoutMs 500)', () => {
	const stallCases = [false, true].flatMap((processFirst) =>
		operationsNamed(['invite', 'remove', 'get', 'getAll', 'mute']).map((spec): [string, OperationSpec, boolean] => [`${processFirst ? 'processed, then ' : ''}stall 1.5 s · ${spec.op}`, spec, processFirst]),
	);
	it.each(stallCases)('%s', async (name, spec, processFirst) => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		emulator.addFault({ route: spec.route, fault: { kind: 'stall', ms: 1_500 }, processFirst });
		const config = parseGraphAppCredentials(emulator.credentialData());
		const client = new GraphClient(NODE, config, tokenProviderFor(config), { timeoutMs: 500 });
		const from = emulator.log.length;
		const settled = await client.request(graphRequest(spec, CALL, TARGET)).then(
			(response) => ({ status: response.status, error: undefined }),
			(error: unknown) => ({ status: undefined, error: error as Error }),
		);
		suite.leaks.add('GraphClient', settled);
		const requests = emulator.log.slice(from).map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
		const host = new URL(emulator.graphUrl).host;
		const aspects: Aspects = {};
		if (spec.idempotent) {
			// Remove after a processed stall: the retry's 404 itemNotFound carries "an earlier attempt may have arrived",
			// which is what the Remove operation reads as "already removed".
			const lostDelete = spec.op === 'remove' && processFirst;
			aspects.requests = [compact(requestsOf(spec, [0, lostDelete ? 404 : spec.okStatus])), compact(requests)];
			aspects.result = [lostDelete ? 'error 404 itemNotFound, earlier attempt may have arrived' : `ok ${spec.okStatus}`, describeSettled(settled)];
		} else {
			aspects.requests = [compact(requestsOf(spec, [0])), compact(requests)];
			aspects.message = [
				`Could not invite the participants: ${host} did not answer in time. The request may have reached Graph: it was not sent again, to avoid inviting twice. Check the call's participants (Get Many) before trying again.`,
				settled.error?.message,
			];
			aspects.invitesReachingGraph = [processFirst ? 1 : 0, emulator.stats().invitesByClientContext.get(`ctx-${TARGET}`) ?? 0];
		}
		expectNoMismatch(suite.report.check(name, aspects));
	});
});

function describeSettled(settled: { status?: number; error?: Error }): string {
	if (!settled.error) return `ok ${String(settled.status)}`;
	const failure = graphFailure(settled.error);
	return `error ${String(failure.status)} ${String(failure.code)}${failure.earlierAttemptMayHaveArrived ? ', earlier attempt may have arrived' : ''}`;
}

leakCheck(suite);
