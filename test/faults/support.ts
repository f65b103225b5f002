import './capture';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { OperationName } from '../../nodes/TeamsCallParticipant/actions/operations';
import type { CallOperationName, ConversationOperationName } from '../../nodes/TeamsCall/actions/operations';
import { TeamsCallParticipant } from '../../nodes/TeamsCallParticipant/TeamsCallParticipant.node';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { credentialTestContext } from '../helpers/engine';
import { type NodeRun, type NodeRunOptions, runNode } from '../helpers/testbed';
import { type LeakWatch, leakWatch } from './leaks';
import { fileReport, type Report } from './report';

/** What a fault suite shares: the emulator, the results table and the leak watch, set up and torn down per file. */
export interface Suite {
	readonly emulator: Emulator;
	readonly report: Report;
	readonly leaks: LeakWatch;
	/** Runs the node (recording everything it shows for the leak check) and summarises what happened. */
	run(parameters: INodeParameters, options?: NodeRunOptions): Promise<Outcome>;
	/** The credential's Test button, with this credential data. */
	testCredential(data: IDataObject): Promise<{ status: string; message: string }>;
	/** Rotates the app's secret (the old one stops working); the leak check keeps looking for both. */
	rotateSecret(): string;
}

/** What one node run did, as the emulator and the engine saw it. */
export interface Outcome {
	run: NodeRun;
	/** Graph requests received during the run: "METHOD route status" (status 0: no answer). */
	requests: string[];
	/** Token endpoint requests received during the run. */
	tokenRequests: number;
	/** Per input item, from the output's pairedItem: 'ok', 'error', or 'missing'. */
	items: string[];
	/** The error text of every error item, by input item (only those that failed). */
	errors: Record<number, string>;
	/** The message the node failed with ('' when it did not fail). */
	message: string;
	ms: number;
}

export function faultSuite(title: string, options: EmulatorOptions = {}): Suite {
	const leaks = leakWatch;
	let emulator: Emulator | undefined;
	const report = fileReport(title, () => leaks.stop());

	beforeAll(async () => {
		emulator = await startEmulator(options);
		leaks.addSecretsOf(emulator);
	});
	beforeEach(() => {
		leaks.addEmulatorLog(suite.emulator);
		suite.emulator.reset();
	});
	afterAll(async () => {
		leaks.stop();
		await emulator?.close();
	});

	const suite: Suite = {
		get emulator(): Emulator {
			if (!emulator) throw new Error('The emulator is not started yet');
			return emulator;
		},
		report,
		leaks,
		async run(parameters, runOptions = {}) {
			const from = suite.emulator.log.length;
			leaks.addCredentialSecrets(runOptions.credentials);
			const started = Date.now();
			const run = await runNode(suite.emulator, parameters, runOptions);
			const ms = Date.now() - started;
			leaks.add('node run', run.result.run.data);
			leaks.add('node error', [run.errorMessage, run.errorDescription]);
			return summarise(suite.emulator, run, from, (runOptions.items ?? [{}]).length, ms);
		},
		async testCredential(data) {
			leaks.addCredentialSecrets(data);
			const result = await new TeamsCallParticipant().methods.credentialTest.testGraphAppCredential.call(credentialTestContext(), {
				id: '1',
				name: 'Graph app',
				type: 'microsoftGraphAppApi',
				data: data as never,
			});
			leaks.add('credential test', result);
			return { status: result.status, message: result.message };
		},
		rotateSecret() {
			leaks.addSecretsOf(suite.emulator);
			const secret = suite.emulator.rotateSecret();
			leaks.addSecretsOf(suite.emulator);
			return secret;
		},
	};
	return suite;
}

export function summarise(emulator: Emulator, run: NodeRun, from: number, inputs: number, ms: number): Outcome {
	const entries = emulator.log.slice(from);
	const items = Array.from({ length: inputs }, () => 'missing');
	const errors: Record<number, string> = {};
	run.json.forEach((json, index) => {
		const item = run.paired[index];
		const failed = typeof json.error === 'string';
		if (failed) errors[item] = json.error as string;
		// Get Many gives several outputs for one input: the item is 'ok' only if none of them is an error.
		items[item] = failed ? 'error' : items[item] === 'error' ? 'error' : 'ok';
	});
	return {
		run,
		requests: entries.filter((entry) => entry.server === 'graph').map((entry) => `${entry.method} ${entry.route} ${entry.status}`),
		tokenRequests: entries.filter((entry) => entry.route === 'token').length,
		items,
		errors,
		message: run.errorMessage ?? '',
		ms,
	};
}

/** Fails the test with the aspects that did not match (they are in the report too). */
export function expectNoMismatch(mismatches: string[]): void {
	expect(mismatches).toEqual([]);
}

/** The final case of every fault file: nothing the runs showed holds a secret or a token. */
export function leakCheck(suite: Suite): void {
	describe('Secrets', () => {
		it('no output, error or console/log line holds a secret (typed or the app\'s), a private key, the passphrase or a token, and none went to the emulator outside its place', () => {
			suite.leaks.addEmulatorLog(suite.emulator);
			const hits = suite.leaks.hits(suite.emulator);
			const logged = suite.leaks.capturedChars;
			const mismatches = suite.report.check(`leak scan: ${hits.secrets} secrets, ${hits.tokens} tokens in ${suite.leaks.places} texts`, {
				hits: [[], hits.places],
				tokensIssued: [{ atLeast: 1 }, hits.tokens],
				consoleAndN8nLogChars: [{ atLeast: 1 }, logged],
			});
			expectNoMismatch(mismatches);
		});
	});
}

// ---------------------------------------------------------------- the operations

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

/**
 * One operation of the node as the fault tables use it: its Graph route, and its parameters for the participant
 * named by the item's `p` field (invite: invites `user-of-<p>` as participant `invited-<p>`, client context `ctx-<p>`).
 */
/**
 * Every operation of both nodes but the conversation ones (their faults are in test/node.conversations.test.ts);
 * Teams Call's Get is `getCall` here, beside the participant's `get`.
 */
export type SpecName = OperationName | Exclude<CallOperationName, 'get' | ConversationOperationName> | 'getCall';

export interface OperationSpec {
	op: SpecName;
	/** The node it belongs to (default: Teams Call Participant). */
	node?: 'call';
	method: 'GET' | 'POST' | 'DELETE';
	route: string;
	/** The status Graph answers when it works. */
	okStatus: number;
	idempotent: boolean;
	/** A delete whose lost answer is proven done by the retry's 404 (remove, hang up), and its output. */
	lostAnswerOutput?: (callId: string) => IDataObject;
	/** How many times a request that must be sent once reached Graph's processing (invite, join, create). */
	reachedGraph?: (emulator: Emulator) => number;
	/** What the emulator needs first (a meeting to join). */
	prepare?: (emulator: Emulator) => void;
	parameters(callId: string, extra?: INodeParameters): INodeParameters;
}

const FROM_ITEM = '={{ $json.p }}';

/** How each operation's errors name what failed ("Microsoft Graph could not …"), written out as users read them. */
export const PHRASES: Record<SpecName | 'getOperation', string> = {
	invite: 'invite the participants',
	remove: 'remove the participant',
	get: 'get the participant',
	getAll: 'list the participants',
	mute: 'mute the participant',
	startHoldMusic: 'start hold music for the participant',
	stopHoldMusic: 'stop hold music for the participant',
	join: 'join the meeting',
	create: 'create the call',
	getCall: 'read the call',
	hangUp: 'hang up the call',
	keepAlive: 'keep the call alive',
	playPrompt: 'play the prompt',
	getOperation: 'read the operation',
};

/** Start or stop hold music for the item's participant (202 + an operation). */
function holdMusicSpec(op: 'startHoldMusic' | 'stopHoldMusic', contextPrefix: string): OperationSpec {
	return {
		op,
		method: 'POST',
		route: op,
		okStatus: 202,
		idempotent: true,
		parameters: (callId, extra = {}) => ({ operation: op, callId, participantId: byId(FROM_ITEM), clientContext: `={{ "${contextPrefix}-" + $json.p }}`, ...extra }),
	};
}

/** How a request that is sent once says it was not sent again: "…, and <risk>" (status) and "to avoid <avoid>." (transport). */
export const NOT_RESENT: Partial<Record<SpecName, { risk: string; avoid: string }>> = {
	invite: { risk: 'inviting again could invite twice', avoid: 'inviting twice' },
	join: { risk: 'joining again could put the app into the meeting twice', avoid: 'joining twice' },
	create: { risk: 'calling again could ring the people twice', avoid: 'ringing twice' },
	playPrompt: { risk: 'playing it again could play the prompt twice', avoid: 'playing the prompt twice' },
};

/** Join or create: POST /communications/calls (201), sent once, without waiting until established. */
function newCallSpec(op: 'join' | 'create', fields: INodeParameters, prepare?: (emulator: Emulator) => void): OperationSpec {
	return {
		op,
		node: 'call',
		method: 'POST',
		route: 'createCall',
		okStatus: 201,
		idempotent: false,
		reachedGraph: (emulator) => emulator.stats().callsRequested,
		prepare,
		parameters: (_callId, extra = {}) => ({ operation: op, ...fields, callbackUrl: CALLBACK, options: NO_WAIT, ...extra }),
	};
}

/** The meeting the join specs join. */
export const FAULT_MEETING = { joinMeetingId: '3141592653589', passcode: 'aBc123' };
const CALLBACK = 'https://n8n.example.com/webhook/teams-call';
const NO_WAIT = { waitUntilEstablished: false };

export const OPERATIONS: Record<SpecName, OperationSpec> = {
	invite: {
		op: 'invite',
		method: 'POST',
		route: 'invite',
		okStatus: 200,
		idempotent: false,
		reachedGraph: (emulator) => emulator.stats().invitesByClientContext.get('ctx-p-0') ?? 0,
		parameters: (callId, extra = {}) => ({
			operation: 'invite',
			callId,
			participants: { participant: [{ type: 'user', id: '={{ "user-of-" + $json.p }}', participantId: '={{ "invited-" + $json.p }}' }] },
			clientContext: '={{ "ctx-" + $json.p }}',
			...extra,
		}),
	},
	remove: {
		op: 'remove',
		method: 'DELETE',
		route: 'deleteParticipant',
		okStatus: 204,
		idempotent: true,
		lostAnswerOutput: (callId) => ({ deleted: true, alreadyGone: true, callId, participantId: 'p-0' }),
		parameters: (callId, extra = {}) => ({ operation: 'remove', callId, participantId: byId(FROM_ITEM), ...extra }),
	},
	get: {
		op: 'get',
		method: 'GET',
		route: 'getParticipant',
		okStatus: 200,
		idempotent: true,
		parameters: (callId, extra = {}) => ({ operation: 'get', callId, participantId: byId(FROM_ITEM), ...extra }),
	},
	getAll: {
		op: 'getAll',
		method: 'GET',
		route: 'listParticipants',
		okStatus: 200,
		idempotent: true,
		parameters: (callId, extra = {}) => ({ operation: 'getAll', callId, returnAll: true, ...extra }),
	},
	mute: {
		op: 'mute',
		method: 'POST',
		route: 'mute',
		okStatus: 200,
		idempotent: true,
		parameters: (callId, extra = {}) => ({
			operation: 'mute',
			callId,
			participantId: byId(FROM_ITEM),
			clientContext: '={{ "mute-" + $json.p }}',
			...extra,
		}),
	},
	startHoldMusic: holdMusicSpec('startHoldMusic', 'hold'),
	stopHoldMusic: holdMusicSpec('stopHoldMusic', 'unhold'),
	join: newCallSpec('join', { joinBy: 'meetingId', ...FAULT_MEETING }, (emulator) => {
		emulator.addMeeting(FAULT_MEETING);
	}),
	create: newCallSpec('create', { targets: { target: [{ type: 'user', id: '={{ "user-of-" + $json.p }}' }] } }),
	getCall: {
		op: 'getCall',
		node: 'call',
		method: 'GET',
		route: 'getCall',
		okStatus: 200,
		idempotent: true,
		parameters: (callId, extra = {}) => ({ operation: 'get', callId, ...extra }),
	},
	hangUp: {
		op: 'hangUp',
		node: 'call',
		method: 'DELETE',
		route: 'deleteCall',
		okStatus: 204,
		idempotent: true,
		lostAnswerOutput: (callId) => ({ hungUp: true, callId }),
		parameters: (callId, extra = {}) => ({ operation: 'hangUp', callId, ...extra }),
	},
	keepAlive: {
		op: 'keepAlive',
		node: 'call',
		method: 'POST',
		route: 'keepAlive',
		okStatus: 200,
		idempotent: true,
		parameters: (callId, extra = {}) => ({ operation: 'keepAlive', callId, ...extra }),
	},
	playPrompt: {
		op: 'playPrompt',
		node: 'call',
		method: 'POST',
		route: 'playPrompt',
		okStatus: 200,
		idempotent: false,
		parameters: (callId, extra = {}) => ({
			operation: 'playPrompt',
			callId,
			promptUrl: 'https://cdn.example.com/prompts/welcome.wav',
			clientContext: '={{ "prompt-" + $json.p }}',
			...extra,
		}),
	},
};

/** Runs one operation's spec (its node, after what it needs first) on the call. */
export async function runSpec(suite: Suite, spec: OperationSpec, callId: string, options: NodeRunOptions = {}, extra?: INodeParameters): Promise<Outcome> {
	spec.prepare?.(suite.emulator);
	return await suite.run(spec.parameters(callId, extra), { ...options, node: spec.node });
}

/** Items naming participants p-0 … p-(count-1). */
export function participantItems(count: number) {
	return Array.from({ length: count }, (_, index) => ({ p: `p-${index}` }));
}

export const ALL_OPERATIONS = Object.values(OPERATIONS);

/** The operations as listed, for tables that only some of them fit. */
export function operationsNamed(names: SpecName[]): OperationSpec[] {
	return names.map((name) => OPERATIONS[name]);
}

/** A call with `count` joined participants named p-0, p-1, … */
export function addCall(emulator: Emulator, id: string, count = 3) {
	return emulator.addCall({ id, participants: Array.from({ length: count }, (_, index) => ({ id: `p-${index}`, displayName: `P${index}` })) });
}

/** "METHOD route status" for each status, in order. */
export function requestsOf(spec: Pick<OperationSpec, 'method' | 'route'>, statuses: number[]): string[] {
	return statuses.map((status) => `${spec.method} ${spec.route} ${status}`);
}

/**
 * A list of "METHOD route status" in a short, lossless form for the table:
 * "DELETE deleteParticipant 0 → 404", "POST invite 429×10", "GET getParticipant 200×3 → 401 → 200×3".
 */
export function compact(requests: readonly string[]): string {
	const runs: Array<{ target: string; status: string; count: number }> = [];
	for (const request of requests) {
		const cut = request.lastIndexOf(' ');
		const target = request.slice(0, cut);
		const status = request.slice(cut + 1);
		const last = runs[runs.length - 1];
		if (last && last.target === target && last.status === status) last.count++;
		else runs.push({ target, status, count: 1 });
	}
	if (!runs.length) return 'none';
	const parts = runs.map((run, index) => {
		const status = run.count > 1 ? `${run.status}×${run.count}` : run.status;
		return index > 0 && runs[index - 1].target === run.target ? status : `${run.target} ${status}`;
	});
	return parts.join(' → ');
}
