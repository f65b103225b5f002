/**
 * The running-n8n part of the e2e: a real n8n (`n8n start`, WEBHOOK_URL set, workflows imported and published, so
 * active) next to the emulator, with the meeting guard (Teams Call Trigger → If → Teams Call Participant Remove).
 * The emulator plays Teams: people join, rosters repeat, forged notifications arrive, the call ends; the checks read
 * the emulator's request log (who was DELETEd, when) and n8n's own execution list (what ran).
 *
 * Called from scripts/e2e.mjs with its `step` function, or on its own: `node scripts/e2eMeetingGuard.mjs`
 * (builds, packs and starts the emulator itself).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import {
	assert,
	CREDENTIAL_TYPE,
	fmtMs,
	freePort,
	installPackage,
	itemsOf,
	n8n,
	n8nBin,
	n8nEnv,
	n8nHome,
	n8nRest as rest,
	parseRun,
	repo,
	saveLog,
	spawnTracked,
	stopChild,
	tail,
} from './n8nHarness.mjs';

/** Examples this part runs (the CLI part of the e2e leaves them out: they need a running n8n). */
export const RUNNING_N8N_EXAMPLES = ['meeting-guard.workflow.json', 'join-meeting.workflow.json'];

const GUARD_FILE = 'meeting-guard.workflow.json';
const JOIN_FILE = 'join-meeting.workflow.json';
const CREDENTIAL = { id: 'tcpGraphEmulator', name: 'Microsoft Graph App (local emulator)' };
/** On the guard's allow list (examples/meeting-guard.workflow.json). */
const ALICE_ID = '6e7f7d0a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const FRONT_DESK_ID = '0b3c6e0e-55d1-4a55-8c58-6f1d2b7e4c10';
const WAIT_MS = 60_000;
/** Execution statuses after which n8n writes nothing more. */
const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

// ---------------------------------------------------------------------------------------------------------------
// HTTP: the emulator's control API (its own CA) and n8n's REST API (owner cookie)

function controlClient(platformUrl, caPem) {
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

async function waitFor(what, probe, timeoutMs = WAIT_MS) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		assert(Date.now() < deadline, `gave up waiting for ${typeof what === 'function' ? what() : what} after ${fmtMs(timeoutMs)}`);
		await new Promise((done) => setTimeout(done, 100));
	}
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------------------------
// n8n start

async function startN8n(ctx) {
	const install = ctx.install;
	const child = spawnTracked(install ? install.node : process.execPath, [install ? install.bin : n8nBin, 'start'], { cwd: ctx.userFolder, env: ctx.env });
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const base = `http://127.0.0.1:${ctx.port}`;
	await waitFor('n8n start to be ready', async () => {
		assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(log)}`);
		return fetch(`${base}/healthz/readiness`).then(
			(r) => r.status === 200,
			() => false,
		);
	}, 120_000);
	return {
		base,
		log: () => log,
		stop: async () => {
			await stopChild(child, 10_000);
			saveLog(ctx, 'guard-start', log);
		},
	};
}

/** n8n's execution list for a workflow, oldest first, with each execution's trigger items (flatted run data). */
function executionReader(server, cookie, workflowId) {
	const { parse } = createRequire(join(n8nHome, 'node_modules', 'n8n', 'package.json'))('flatted');
	const details = new Map();
	return async () => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest(server.base, `/rest/executions?filter=${filter}&limit=100`, { cookie });
		assert(list.status === 200, `GET /rest/executions: ${list.status} ${list.text.slice(0, 200)}`);
		const results = list.json?.data?.results ?? list.json?.data ?? [];
		const executions = [];
		for (const summary of results) {
			let detail = details.get(summary.id);
			if (!detail && DONE.has(summary.status)) {
				const response = await rest(server.base, `/rest/executions/${summary.id}`, { cookie });
				assert(response.status === 200, `GET /rest/executions/${summary.id}: ${response.status}`);
				const raw = response.json?.data ?? response.json;
				const data = typeof raw.data === 'string' ? parse(raw.data) : raw.data;
				const runData = data?.resultData?.runData ?? {};
				const triggerItems = (runData['Someone joined']?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
				const removed = (runData['Remove them']?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
				detail = { id: summary.id, status: summary.status, triggerItems, removed, error: data?.resultData?.error?.message };
				details.set(summary.id, detail);
			}
			executions.push(detail ?? { id: summary.id, status: summary.status, pending: true });
		}
		return executions.sort((a, b) => Number(a.id) - Number(b.id));
	};
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Runs the meeting guard in a running n8n. `emulator` is what startEmulator (n8nHarness) returned; `packed` what
 * buildAndPack returned; `step(name, fn)` records one row of the e2e table.
 */
export async function meetingGuardPart({ work, packed, emulator, step, install }) {
	const userFolder = join(work, 'guard-user');
	mkdirSync(userFolder, { recursive: true });
	const port = await freePort();
	const ctx = { work, userFolder, port, outputs: [], install };
	ctx.env = { ...n8nEnv(userFolder, port, await freePort(), install), WEBHOOK_URL: `http://127.0.0.1:${port}/` };
	const values = emulator.values;
	const control = controlClient(values.PLATFORM_URL, emulator.caPem);
	const guard = JSON.parse(readFileSync(join(repo, 'examples', GUARD_FILE), 'utf8'));
	const trigger = guard.nodes.find((node) => node.type.endsWith('.teamsCallTrigger'));
	const webhookUrl = `http://127.0.0.1:${port}/webhook/${trigger.webhookId}/notifications`;
	// The bot joins with the Join Meeting example once the Teams Call node is in the package; before, the emulator makes the call.
	const canJoin = existsSync(join(repo, 'nodes', 'TeamsCall'));
	const joinWorkflow = JSON.parse(readFileSync(join(repo, 'examples', JOIN_FILE), 'utf8'));
	for (const node of joinWorkflow.nodes.filter((n) => n.parameters?.operation === 'join')) {
		node.parameters.callbackUrl = webhookUrl;
		if (values.JOIN_MEETING_ID) node.parameters.joinMeetingId = values.JOIN_MEETING_ID;
		if (values.PASSCODE !== undefined) node.parameters.passcode = values.PASSCODE;
	}
	const figures = {};

	if (!(await step('guard: install into a second n8n user folder', () => installPackage(userFolder, packed, install)))) return figures;
	if (!(await step('guard: import credential (with the notification OpenID URL) and the guard, publish it', async () => {
		const credentialsFile = join(work, 'guard-credentials.json');
		writeFileSync(credentialsFile, JSON.stringify([{
			...CREDENTIAL,
			type: CREDENTIAL_TYPE,
			data: {
				cloud: 'custom',
				tenantId: values.TENANT_ID,
				clientId: values.CLIENT_ID,
				authentication: 'clientSecret',
				clientSecret: values.CLIENT_SECRET,
				authorityHost: values.AUTHORITY_HOST,
				graphBaseUrl: values.GRAPH_URL,
				caCertificate: emulator.caPem,
				notificationOpenIdConfigUrl: values.NOTIFICATION_OPENID_URL,
			},
		}]));
		const credentials = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
		assert(credentials.code === 0, `import:credentials exit ${credentials.code}\n${tail(credentials.stderr || credentials.stdout)}`);
		const workflowsDir = join(work, 'guard-workflows');
		mkdirSync(workflowsDir, { recursive: true });
		writeFileSync(join(workflowsDir, GUARD_FILE), JSON.stringify(guard));
		if (canJoin) writeFileSync(join(workflowsDir, JOIN_FILE), JSON.stringify(joinWorkflow));
		const imported = await n8n(ctx, ['import:workflow', '--separate', `--input=${workflowsDir}`]);
		assert(imported.code === 0, `import:workflow exit ${imported.code}\n${tail(imported.stderr || imported.stdout)}`);
		const published = await n8n(ctx, ['publish:workflow', `--id=${guard.id}`]);
		assert(published.code === 0, `publish:workflow exit ${published.code}\n${tail(published.stderr || published.stdout)}`);
		return webhookUrl;
	}))) return figures;

	const server = await startN8n(ctx);
	try {
		let cookie;
		if (!(await step('guard: n8n start (WEBHOOK_URL set), owner set up, the guard is active', async () => {
			const owner = await rest(server.base, '/rest/owner/setup', {
				method: 'POST',
				body: { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: `E2e-${randomBytes(6).toString('hex')}A1` },
			});
			assert(owner.status === 200, `owner setup: ${owner.status} ${owner.text.slice(0, 200)}`);
			cookie = owner.setCookie.map((c) => c.split(';')[0]).join('; ');
			const workflow = await rest(server.base, `/rest/workflows/${guard.id}`, { cookie });
			const data = workflow.json?.data ?? {};
			assert(workflow.status === 200 && (data.active === true || data.activeVersionId), `the guard is not active: ${workflow.text.slice(0, 300)}`);
			return `active, webhook ${webhookUrl}`;
		}))) return figures;
		const executions = executionReader(server, cookie, guard.id);
		const deletes = async () => control('/control/graphLog?route=deleteParticipant');
		const deletedIds = async () => (await deletes()).filter((entry) => entry.status === 204).map((entry) => entry.path.split('/').pop());
		/** Waits until n8n has `count` finished executions of the guard, and returns them. */
		let lastList = [];
		const finished = (count) =>
			waitFor(() => `${count} finished guard executions (last seen: ${JSON.stringify(lastList.slice(-3))})`, async () => {
				const list = await executions();
				lastList = list;
				assert(list.length <= count, `${list.length} guard executions, expected ${count}: ${JSON.stringify(list.map((e) => e.triggerItems?.map((i) => i.event)))}`);
				return list.length === count && list.every((e) => !e.pending) ? list : undefined;
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
		await step('guard: the bot joins the meeting, with callbackUrl = the guard\'s production URL', async () => {
			let how;
			if (canJoin) {
				// n8n execute beside the running n8n: its own task-runner port.
				const result = await n8n(ctx, ['execute', `--id=${joinWorkflow.id}`, '--rawOutput'], 180_000, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
				assert(result.code === 0, `execute join-meeting: exit ${result.code}\n${tail(result.stdout + result.stderr)}`);
				const [joined] = itemsOf(parseRun(result.stdout), 'Join the meeting');
				callId = joined.json.id;
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
		});

		await step('guard: Alice (allowed) and Mallory join → Mallory removed, Alice stays', async () => {
			const before = await deletedIds();
			const joined = await control(`/control/calls/${callId}/join`, {
				people: [
					{ displayName: 'Alice (allowed)', identityId: ALICE_ID },
					{ displayName: 'Mallory', identityId: randomUUID() },
				],
			});
			assert(joined.delivery.status === 202, `the trigger answered ${joined.delivery.status}`);
			const [alice, mallory] = joined.participants;
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

		await step('guard: 20 strangers join at once → each removed exactly once', async () => {
			const people = Array.from({ length: 20 }, (_, i) => ({ displayName: `Stranger ${i + 1}`, identityId: randomUUID() }));
			const { participants, deliveries } = await control(`/control/calls/${callId}/joinAtOnce`, { people });
			assert(deliveries.every((d) => d.status === 202), `answers ${deliveries.map((d) => d.status).join(',')}`);
			expected += 20;
			const runs = await finished(expected);
			const failed = runs.filter((run) => run.status !== 'success');
			assert(failed.length === 0, `failed executions: ${failed.map((r) => `${r.id} ${r.error}`).join('; ')}`);
			const log = await deletes();
			const strangerIds = new Set(participants.map((p) => p.id));
			const perStranger = new Map(participants.map((p) => [p.id, 0]));
			for (const entry of log) {
				const id = entry.path.split('/').pop();
				if (strangerIds.has(id)) perStranger.set(id, perStranger.get(id) + 1);
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
			return (
				`20 DELETEs; notification → DELETE median ${fmtMs(figures.toDelete.medianMs)}, p95 ${fmtMs(figures.toDelete.p95Ms)}; ` +
				`notification → 202 median ${fmtMs(figures.toAnswer.medianMs)}, p95 ${fmtMs(figures.toAnswer.p95Ms)}`
			);
		});

		await step('guard: a repeated roster and a repeated notification → no second removal', async () => {
			const before = (await deletes()).length;
			const again = await control(`/control/calls/${callId}/rosterAgain`, {});
			assert(again.status === 202, `roster again answered ${again.status}`);
			const resent = await control('/control/resend', {});
			assert(resent.status === 202, `resend answered ${resent.status}`);
			expected = (await barrier(callId)).length;
			assert((await deletes()).length === before, 'a DELETE followed the repeated roster');
			return 'no new execution, no DELETE';
		});

		const forgeries = [];
		const forgeryKinds = await control('/control/forgeries');
		await step(`guard: ${forgeryKinds.length} forged notifications → 401 each, no execution`, async () => {
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

		await step('guard: the call ends → callTerminated fires once', async () => {
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
			expected = (await barrier(secondCall)).length;
			const terminated = (await executions()).filter((run) => run.triggerItems.some((item) => item.event === 'callTerminated'));
			assert(terminated.length === 1, `${terminated.length} executions with callTerminated`);
			return `execution ${terminated[0].id}; a late roster of the ended call started nothing`;
		});

		await step('guard: no error or secret from our package in n8n\'s log', async () => {
			const lines = server.log().split('\n').filter((l) => /teamsCall|microsoftGraphAppApi|n8n-nodes-teams-call/i.test(l) && /error|fail/i.test(l));
			assert(lines.length === 0, lines.slice(0, 5).join('\n'));
			assert(!server.log().includes(values.CLIENT_SECRET), 'the client secret is in n8n\'s log');
			const refused = server.log().split('\n').filter((l) => l.includes('Teams Call Trigger refused a notification'));
			assert(!refused.some((l) => /eyJ[\w-]{10,}/.test(l)), 'a token is in n8n\'s log');
			return `${refused.length} refusal lines, no token in them`;
		});
	} finally {
		await server.stop();
	}
	return figures;
}

// ---------------------------------------------------------------------------------------------------------------
// On its own: `node scripts/e2eMeetingGuard.mjs`

if (import.meta.url === `file://${process.argv[1]}`) {
	const { buildAndPack, configureHarness, provisionN8n, startEmulator, stopAllChildren } = await import('./n8nHarness.mjs');
	const { mkdtempSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	configureHarness({ label: 'guard' });
	const work = mkdtempSync(join(tmpdir(), 'teams-call-guard-'));
	let failed = 0;
	const step = async (name, fn) => {
		const start = Date.now();
		try {
			const detail = await fn();
			process.stdout.write(`  PASS  ${name} (${fmtMs(Date.now() - start)})${typeof detail === 'string' && detail ? `: ${detail}` : ''}\n`);
			return true;
		} catch (error) {
			failed++;
			process.stdout.write(`  FAIL  ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
			return false;
		}
	};
	try {
		await provisionN8n();
		const packed = await buildAndPack(work);
		const emulator = await startEmulator(work, { keys: ['PLATFORM_URL', 'NOTIFICATION_OPENID_URL'] });
		const figures = await meetingGuardPart({ work, packed, emulator, step });
		process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
	} finally {
		await stopAllChildren();
		process.stdout.write(`guard: work folder ${work}\n`);
	}
	process.exitCode = failed > 0 ? 1 : 0;
}
