/**
 * The meeting guard (examples/meeting-guard.workflow.json: Teams Call Trigger → If → Teams Call Participant Remove)
 * against an n8n that is already running, whoever started it: one `n8n start` (scripts/e2eMeetingGuard.mjs) or a
 * queue-mode set-up where the notifications go to a webhook process and the executions run on workers
 * (scripts/queue.mjs). The emulator plays Teams: people join, rosters repeat, forged notifications arrive, the call
 * ends; the checks read the emulator's request log (who was DELETEd, when) and n8n's execution list (what ran).
 *
 * What the caller provides: the emulator (startEmulator's answer, with PLATFORM_URL and NOTIFICATION_OPENID_URL),
 * the guard imported and published (`guardFixtures` + `importGuard`, before n8n starts), n8n's REST base and owner
 * cookie (`setUpOwner`), the way the bot joins (`joinByCli`), and n8n's logs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { activateWorkflow, assert, emulatorCredential, fmtMs, freePort, itemsOf, listExecutions, n8n, n8nHome, n8nRest as rest, ownerSession, parseRun, repo, tail, waitFor } from './n8nHarness.mjs';

export const GUARD_FILE = 'meeting-guard.workflow.json';
export const JOIN_FILE = 'join-meeting.workflow.json';
const CREDENTIAL = { id: 'tcpGraphEmulator', name: 'Microsoft Graph App (local emulator)' };
/** On the guard's allow list (examples/meeting-guard.workflow.json). */
const ALICE_ID = '6e7f7d0a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const FRONT_DESK_ID = '0b3c6e0e-55d1-4a55-8c58-6f1d2b7e4c10';
const TRIGGER_NAME = 'Someone joined';
/** Execution statuses after which n8n writes nothing more. */
const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

// ---------------------------------------------------------------------------------------------------------------
// Set-up pieces, for whoever starts n8n

/**
 * The guard and join workflows and their credential, for the emulator, with notifications to `webhookBase`
 * (the n8n process that serves production webhooks, e.g. http://127.0.0.1:5678/).
 */
export function guardFixtures(emulator, webhookBase) {
	const values = emulator.values;
	const guard = JSON.parse(readFileSync(join(repo, 'examples', GUARD_FILE), 'utf8'));
	const trigger = guard.nodes.find((node) => node.type.endsWith('.teamsCallTrigger'));
	const webhookUrl = new URL(`webhook/${trigger.webhookId}/notifications`, webhookBase).href;
	// The bot joins with the Join Meeting example once the Teams Call node is in the package; before, the emulator makes the call.
	const canJoin = existsSync(join(repo, 'nodes', 'TeamsCall'));
	const joinWorkflow = JSON.parse(readFileSync(join(repo, 'examples', JOIN_FILE), 'utf8'));
	for (const node of joinWorkflow.nodes.filter((n) => n.parameters?.operation === 'join')) {
		node.parameters.callbackUrl = webhookUrl;
		if (values.JOIN_MEETING_ID) node.parameters.joinMeetingId = values.JOIN_MEETING_ID;
		if (values.PASSCODE !== undefined) node.parameters.passcode = values.PASSCODE;
	}
	const credential = emulatorCredential(values, emulator.caPem, CREDENTIAL, { notifications: true });
	return { emulator, guard, webhookUrl, canJoin, joinWorkflow, credential };
}

/** Imports the credential and both workflows with the n8n CLI of `ctx`, and publishes the guard (so it is active once n8n starts). */
export async function importGuard(ctx, work, fixtures) {
	const credentialsFile = join(work, 'guard-credentials.json');
	writeFileSync(credentialsFile, JSON.stringify([fixtures.credential]));
	try {
		const credentials = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
		assert(credentials.code === 0, `import:credentials exit ${credentials.code}\n${tail(credentials.stderr || credentials.stdout)}`);
	} finally {
		rmSync(credentialsFile, { force: true });
	}
	const workflowsDir = join(work, 'guard-workflows');
	mkdirSync(workflowsDir, { recursive: true });
	writeFileSync(join(workflowsDir, GUARD_FILE), JSON.stringify(fixtures.guard));
	if (fixtures.canJoin) writeFileSync(join(workflowsDir, JOIN_FILE), JSON.stringify(fixtures.joinWorkflow));
	const imported = await n8n(ctx, ['import:workflow', '--separate', `--input=${workflowsDir}`]);
	assert(imported.code === 0, `import:workflow exit ${imported.code}\n${tail(imported.stderr || imported.stdout)}`);
	await activateWorkflow(ctx, fixtures.guard.id);
	return fixtures.webhookUrl;
}

/** Signs n8n's owner in (set up on a fresh database), checks that the guard is active, and returns the owner's cookie. */
export async function setUpOwner(base, fixtures) {
	const cookie = await ownerSession(base, { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: `E2e-${randomBytes(6).toString('hex')}A1` });
	const workflow = await rest(base, `/rest/workflows/${fixtures.guard.id}`, { cookie });
	const data = workflow.json?.data ?? {};
	assert(workflow.status === 200 && (data.active === true || data.activeVersionId), `the guard is not active: ${workflow.text.slice(0, 300)}`);
	return cookie;
}

/**
 * How the bot joins: `n8n execute` of the Join Meeting example in `ctx`'s user folder (its own task-runner port,
 * beside the running n8n; `extraEnv` for more). Returns the call's id.
 */
export function joinByCli(ctx, fixtures, extraEnv = {}) {
	return async () => {
		const env = { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extraEnv };
		const result = await n8n(ctx, ['execute', `--id=${fixtures.joinWorkflow.id}`, '--rawOutput'], 180_000, env);
		assert(result.code === 0, `execute join-meeting: exit ${result.code}\n${tail(result.stdout + result.stderr)}`);
		const [joined] = itemsOf(parseRun(result.stdout), 'Join the meeting');
		return joined.json.id;
	};
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: the emulator's control API (its own CA) and n8n's execution list

export function controlClient(platformUrl, caPem) {
	const agent = new https.Agent({ ca: caPem, keepAlive: true });
	return (path, body) =>
		new Promise((resolve, reject) => {
			const request = https.request(
				`${platformUrl}${path}`,
				{ method: body === undefined ? 'GET' : 'POST', agent, headers: { 'content-type': 'application/json' } },
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => {
						if (response.statusCode !== 200) reject(new Error(`control ${path}: ${response.statusCode} ${text.slice(0, 200)}`));
						else resolve(JSON.parse(text));
					});
				},
			);
			request.on('error', reject);
			request.end(body === undefined ? undefined : JSON.stringify(body));
		});
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** n8n's executions of a workflow, oldest first, each finished one with its run data (flatted, parsed). */
export function executionsOf(base, cookie) {
	const { parse } = createRequire(join(n8nHome, 'node_modules', 'n8n', 'package.json'))('flatted');
	const details = new Map();
	return async (workflowId) => {
		const results = await listExecutions(base, cookie, workflowId);
		const executions = [];
		for (const summary of results) {
			let detail = details.get(summary.id);
			if (!detail && DONE.has(summary.status)) {
				const response = await rest(base, `/rest/executions/${summary.id}`, { cookie });
				assert(response.status === 200, `GET /rest/executions/${summary.id}: ${response.status}`);
				const raw = response.json?.data ?? response.json;
				const data = typeof raw.data === 'string' ? parse(raw.data) : raw.data;
				detail = { id: summary.id, status: summary.status, runData: data?.resultData?.runData ?? {}, error: data?.resultData?.error?.message };
				details.set(summary.id, detail);
			}
			executions.push(detail ?? { id: summary.id, status: summary.status, pending: true });
		}
		return executions.sort((a, b) => Number(a.id) - Number(b.id));
	};
}

/** n8n's execution list for a workflow, oldest first, with each execution's trigger items and removals. */
function executionReader(base, cookie, workflowId) {
	const read = executionsOf(base, cookie);
	const itemsOfNode = (runData, nodeName) => (runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	return async () =>
		(await read(workflowId)).map((execution) =>
			execution.pending
				? execution
				: { id: execution.id, status: execution.status, triggerItems: itemsOfNode(execution.runData, TRIGGER_NAME), removed: itemsOfNode(execution.runData, 'Remove them'), error: execution.error },
		);
}

/** The trigger's memory as n8n stored it in the workflow's static data (REST, so: the database). */
async function storedMemory(base, cookie, workflowId) {
	const workflow = await rest(base, `/rest/workflows/${workflowId}`, { cookie });
	assert(workflow.status === 200, `GET /rest/workflows/${workflowId}: ${workflow.status}`);
	const data = workflow.json?.data ?? {};
	assert('staticData' in data, `n8n's workflow answer has no staticData (keys: ${Object.keys(data).join(', ')})`);
	return data.staticData?.[`node:${TRIGGER_NAME}`];
}

/** Executions as a failure message shows them: id, status and each trigger item's event and participant. */
function describeRuns(runs) {
	const itemOf = (item) => `${item.event}${item.participant ? ` ${item.participant.displayName ?? ''} ${item.participant.id}` : ''}`;
	return runs.map((run) => `#${run.id} ${run.status}: [${(run.triggerItems ?? []).map(itemOf).join('; ')}] removed [${(run.removed ?? []).map((r) => r.participantId ?? r.id ?? '?').join(', ')}]`).join(' | ');
}

function countBy(list, key) {
	const counts = {};
	for (const entry of list) counts[key(entry)] = (counts[key(entry)] ?? 0) + 1;
	return counts;
}

// ---------------------------------------------------------------------------------------------------------------

/** Why the trigger refuses the emulator's forgeries (/control/forgeries): twelve forgeries, nine reasons. */
const FORGERY_REFUSAL_REASONS = [
	'missingToken',
	'algorithmNotAllowed',
	'unknownKey',
	'badSignature',
	'expired',
	'notYetValid',
	'wrongAudience',
	'wrongIssuer',
	'wrongTenant',
];

/**
 * Runs the meeting guard in a running n8n and returns its figures.
 *  - step(name, fn): records one check (fn throws on failure, returns a detail); returns whether it passed;
 *  - fixtures: guardFixtures' answer, imported with importGuard;
 *  - restBase, cookie: n8n's REST API (the main instance in queue mode) and its owner's cookie;
 *  - join: async () => callId (joinByCli), used when the package has the Teams Call node;
 *  - logs: () => the text of every n8n process that handled notifications or ran executions;
 *  - restartWebhooks (optional): async () => restarts the process that answers notifications, to show that the
 *    trigger's memory comes back from the workflow's static data;
 *  - label: the prefix of each check's name.
 */
export async function runMeetingGuard({ step, fixtures, restBase, cookie, join: joinCall, logs, restartWebhooks, label = 'guard' }) {
	const { emulator, guard, webhookUrl, canJoin } = fixtures;
	const values = emulator.values;
	const control = controlClient(values.PLATFORM_URL, emulator.caPem);
	const figures = {};
	const executions = executionReader(restBase, cookie, guard.id);
	const deletes = async () => control('/control/graphLog?route=deleteParticipant');
	const deletedIds = async () => (await deletes()).filter((entry) => entry.status === 204).map((entry) => entry.path.split('/').pop());
	/** Waits until n8n has `count` finished executions of the guard, and returns them. */
	let lastList = [];
	const finished = (count) =>
		waitFor(() => `${count} finished guard executions (last seen: ${JSON.stringify(lastList.slice(-3))})`, async () => {
			const list = await executions();
			lastList = list;
			const done = list.every((e) => !e.pending);
			// Too many: once they have all finished, say what each of the extra ones was started with.
			assert(list.length <= count || !done, `${list.length} guard executions, expected ${count}; the last ${list.length - count + 2}: ${describeRuns(list.slice(count - 2))}`);
			return list.length === count && done ? list : undefined;
		});

	let expected = 0;
	/**
	 * A notification that surely starts one execution, sent after others: once it has run (and every execution
	 * before it), those others were handled too. The front desk (allowed) joins `onCall`.
	 */
	const barrier = async (onCall) => {
		// The emulator posts some notifications on its own (state, roster after a join or a removal): wait until
		// every one of them has been answered, so that none can arrive after the barrier.
		await waitFor('the emulator\'s notifications to be answered', async () => (await control('/control/deliveries')).every((d) => d.settled));
		const { participants, delivery } = await control(`/control/calls/${onCall}/join`, { people: [{ displayName: 'Front desk (allowed)', identityId: FRONT_DESK_ID }] });
		assert(delivery.status === 202, `barrier answered ${delivery.status}`);
		const runs = await waitFor('the barrier execution', async () => {
			const list = await executions();
			const done = list.every((e) => !e.pending);
			return done && list.some((e) => e.triggerItems.some((item) => item.participant?.id === participants[0].id)) ? list : undefined;
		});
		const last = runs.at(-1);
		assert(last.triggerItems.some((item) => item.participant?.id === participants[0].id), `the last execution is not the barrier's: ${JSON.stringify(last.triggerItems)}`);
		return runs;
	};

	let callId;
	if (!(await step(`${label}: the bot joins the meeting, with callbackUrl = the guard's production URL`, async () => {
		let how;
		if (canJoin) {
			callId = await joinCall();
			how = `joined by ${JOIN_FILE}`;
		} else {
			callId = `guard-call-${randomUUID()}`;
			await control(`/control/calls/${callId}/create`, { callbackUri: webhookUrl });
			how = 'created by the emulator (no Teams Call node in this build)';
		}
		const call = await control(`/control/calls/${encodeURIComponent(callId)}`);
		assert(call.callbackUri === webhookUrl, `the call's callbackUri is ${call.callbackUri}`);
		const runs = await barrier(callId);
		expected = runs.length;
		return `call ${callId} ${call.state}, ${how}; ${runs.length - 1} execution(s) from the join's own notifications`;
	}))) return figures;

	let alice;
	let mallory;
	await step(`${label}: Alice (allowed) and Mallory join → Mallory removed, Alice stays`, async () => {
		const before = await deletedIds();
		const joined = await control(`/control/calls/${callId}/join`, {
			people: [
				{ displayName: 'Alice (allowed)', identityId: ALICE_ID },
				{ displayName: 'Mallory', identityId: randomUUID() },
			],
		});
		assert(joined.delivery.status === 202, `the trigger answered ${joined.delivery.status}`);
		[alice, mallory] = joined.participants;
		expected++;
		const run = (await finished(expected)).at(-1);
		assert(run.status === 'success', `execution ${run.id}: ${run.status} ${run.error ?? ''}`);
		assert(run.triggerItems.length === 2, `trigger items: ${JSON.stringify(run.triggerItems)}`);
		const gone = (await deletedIds()).filter((id) => !before.includes(id));
		assert(gone.length === 1 && gone[0] === mallory.id, `DELETEs: ${JSON.stringify(gone)}`);
		const call = await control(`/control/calls/${callId}`);
		assert(call.participants.some((p) => p.id === alice.id), 'Alice is no longer in the call');
		figures.singleAnswerMs = joined.delivery.answeredAt - joined.delivery.sentAt;
		return `execution ${run.id}: 2 joined, 1 removed; 202 after ${fmtMs(figures.singleAnswerMs)}`;
	});

	const strangerIds = [];
	await step(`${label}: 20 strangers join at once → each removed exactly once`, async () => {
		const people = Array.from({ length: 20 }, (_, i) => ({ displayName: `Stranger ${i + 1}`, identityId: randomUUID() }));
		const { participants, deliveries } = await control(`/control/calls/${callId}/joinAtOnce`, { people });
		strangerIds.push(...participants.map((p) => p.id));
		assert(deliveries.every((d) => d.status === 202), `answers ${deliveries.map((d) => d.status).join(',')}`);
		expected += 20;
		const runs = await finished(expected);
		const failed = runs.filter((run) => run.status !== 'success');
		assert(failed.length === 0, `failed executions: ${failed.map((r) => `${r.id} ${r.error}`).join('; ')}`);
		const log = await deletes();
		const perStranger = new Map(strangerIds.map((id) => [id, 0]));
		for (const entry of log) {
			const id = entry.path.split('/').pop();
			if (perStranger.has(id)) perStranger.set(id, perStranger.get(id) + 1);
		}
		const wrong = [...perStranger].filter(([, count]) => count !== 1);
		assert(wrong.length === 0, `not removed exactly once: ${JSON.stringify(wrong)}`);
		const latencies = deliveries
			.map((delivery) => {
				const removal = log.find((entry) => entry.path.endsWith(`/${delivery.joinedIds[0]}`));
				return removal.at - delivery.sentAt;
			})
			.sort((a, b) => a - b);
		const answers = deliveries.map((delivery) => delivery.answeredAt - delivery.sentAt).sort((a, b) => a - b);
		figures.toDelete = { medianMs: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
		figures.toAnswer = { medianMs: percentile(answers, 50), p95Ms: percentile(answers, 95) };
		figures.strangerDeliveries = deliveries.map(({ sentAt, answeredAt }) => ({ sentAt, answeredAt }));
		return (
			`20 DELETEs; notification → DELETE median ${fmtMs(figures.toDelete.medianMs)}, p95 ${fmtMs(figures.toDelete.p95Ms)}; ` +
			`notification → 202 median ${fmtMs(figures.toAnswer.medianMs)}, p95 ${fmtMs(figures.toAnswer.p95Ms)}`
		);
	});

	await step(`${label}: a repeated roster and a repeated notification → no second removal`, async () => {
		const before = (await deletes()).length;
		const again = await control(`/control/calls/${callId}/rosterAgain`, {});
		assert(again.status === 202, `roster again answered ${again.status}`);
		const resent = await control('/control/resend', {});
		assert(resent.status === 202, `resend answered ${resent.status}`);
		const runs = await barrier(callId);
		assert(runs.length === expected + 1, `${runs.length - expected - 1} execution(s) from the repeated roster`);
		expected = runs.length;
		assert((await deletes()).length === before, 'a DELETE followed the repeated roster');
		return 'no new execution, no DELETE';
	});

	const forgeries = [];
	const forgeryKinds = await control('/control/forgeries');
	await step(`${label}: ${forgeryKinds.length} forged notifications → 401 each, no execution`, async () => {
		const before = (await executions()).length;
		for (const kind of forgeryKinds) {
			const delivery = await control(`/control/calls/${callId}/forge`, { kind });
			forgeries.push({ kind, status: delivery.status });
		}
		const wrong = forgeries.filter((f) => f.status !== 401);
		assert(wrong.length === 0, `answers: ${JSON.stringify(wrong)}`);
		const after = await barrier(callId);
		expected = after.length;
		assert(after.length === before + 1, `${after.length - before - 1} executions started by forged notifications`);
		return forgeries.map((f) => `${f.kind} ${f.status}`).join(', ');
	});
	figures.forgeries = forgeries.map((f) => ({ ...f, executions: 0 }));

	await step(`${label}: the trigger's memory is in the workflow's static data (Alice joined; Mallory and the strangers gone)`, async () => {
		const left = [mallory?.id, ...strangerIds];
		// n8n saves static data after answering: read until the last notification's save is there.
		let last;
		const memory = await waitFor(() => `the stored memory of call ${callId} (last read: ${JSON.stringify(last)?.slice(0, 300)})`, async () => {
			last = (await storedMemory(restBase, cookie, guard.id))?.calls?.[callId];
			const gone = new Set(last?.gone ?? []);
			return last && alice && last.joined?.[alice.id] && left.every((id) => id && gone.has(id) && !last.joined[id]) ? last : undefined;
		});
		figures.storedMemory = { joined: Object.keys(memory.joined).length, gone: memory.gone.length };
		return `call ${callId}: ${figures.storedMemory.joined} joined, ${figures.storedMemory.gone} gone`;
	});

	if (restartWebhooks) {
		await step(`${label}: the process that answers notifications restarts → its memory comes back from static data (a repeated roster starts nothing)`, async () => {
			const started = Date.now();
			await restartWebhooks();
			const restartMs = Date.now() - started;
			const before = (await deletes()).length;
			const again = await control(`/control/calls/${callId}/rosterAgain`, {});
			assert(again.status === 202, `roster again answered ${again.status}`);
			const runs = await barrier(callId);
			assert(runs.length === expected + 1, `${runs.length - expected - 1} execution(s) from the repeated roster after the restart`);
			expected = runs.length;
			assert((await deletes()).length === before, 'a DELETE followed the repeated roster');
			return `restarted in ${fmtMs(restartMs)}; no new execution, no DELETE`;
		});
	}

	await step(`${label}: the call ends → callTerminated fires once`, async () => {
		const ended = await control(`/control/calls/${callId}/end`, {});
		assert(ended.status === 202, `end answered ${ended.status}`);
		const resent = await control('/control/resend', {});
		assert(resent.status === 202, `resend answered ${resent.status}`);
		await finished(++expected);
		// Nothing more for a call that ended: a late roster starts nothing (a barrier on a second call proves it ran).
		const late = await control(`/control/calls/${callId}/rosterAgain`, {});
		assert(late.status === 202, `late roster answered ${late.status}`);
		const secondCall = `guard-call-${randomUUID()}`;
		await control(`/control/calls/${secondCall}/create`, { callbackUri: webhookUrl });
		const runs = await barrier(secondCall);
		assert(runs.length === expected + 1, `${runs.length - expected - 1} execution(s) from the late roster`);
		expected = runs.length;
		const terminated = runs.filter((run) => run.triggerItems.some((item) => item.event === 'callTerminated'));
		assert(terminated.length === 1, `${terminated.length} executions with callTerminated`);
		return `execution ${terminated[0].id}; a late roster of the ended call started nothing`;
	});

	await step(`${label}: no error or secret from our package in n8n's log`, async () => {
		const text = logs();
		const lines = text.split('\n').filter((l) => /teamsCall|microsoftGraphAppApi|n8n-nodes-teams-call/i.test(l) && /error|fail/i.test(l));
		assert(lines.length === 0, lines.slice(0, 5).join('\n'));
		assert(!text.includes(values.CLIENT_SECRET), 'the client secret is in n8n\'s log');
		const refused = text.split('\n').filter((l) => l.includes('Teams Call Trigger refused a notification'));
		// The forgeries were refused with these reasons, each logged once (one line per trigger and reason a minute):
		// without the lines, "no token in them" would hold of nothing.
		const reasons = new Set(refused.map((l) => /refused a notification \(401\): (\w+)/.exec(l)?.[1]));
		const missing = FORGERY_REFUSAL_REASONS.filter((reason) => !reasons.has(reason));
		assert(missing.length === 0, `no refusal line in n8n's log for ${missing.join(', ')} (${refused.length} refusal lines)`);
		assert(refused.length <= forgeries.length, `${refused.length} refusal lines for ${forgeries.length} forged notifications`);
		assert(!refused.some((l) => /eyJ[\w-]{10,}/.test(l)), 'a token is in n8n\'s log');
		return `${refused.length} refusal lines (${[...reasons].join(', ')}), no token in them`;
	});

	const deliveries = await control('/control/deliveries');
	const runs = await executions();
	figures.notifications = { total: deliveries.length, byStatus: countBy(deliveries, (d) => d.status) };
	figures.executions = { total: runs.length, byStatus: countBy(runs, (r) => r.status), ids: runs.map((r) => r.id) };
	figures.removals = (await deletes()).filter((entry) => entry.status === 204).length;
	return figures;
}
