#!/usr/bin/env node
/**
 * Bench workload (f), issue 17 "Deadlines are performance": in a running n8n (`n8n start`, the package installed as
 * n8n's installer does it), the time from an incoming-call notification (the emulator's /control/incomingCall) to the
 * answer request arriving at the emulator, for CALLS calls arriving within SPREAD ms, side by side with n8n's own
 * floor in the same n8n: a Webhook node → an HTTP Request node making the same POST (same body, a warm bearer token
 * in a header, TLS verified through NODE_EXTRA_CA_CERTS).
 *
 *  - ours:  Teams Call Trigger (Call Incoming) → Teams Call Answer (waitUntilEstablished off: it returns at Graph's 202);
 *  - floor: Webhook (POST, respond on receipt) → HTTP Request POST …/communications/calls/{id}/answer.
 * Both answers name the same callback: a sink in this process answering 202, so that the call's later notifications
 * load neither workflow. One warm-up call each first (token, signing keys, code loaded), not counted.
 * Each run places CALLS calls for ours and CALLS for the floor, in two phases (order alternating per run).
 *
 * Where the time goes, per call, all on this machine's clock (ms after the emulator sent the notification):
 * the webhook's HTTP answer (the emulator's delivery: verification and parsing for ours, none for the floor), the
 * execution's start (n8n's execution list), the answering node's start (run data) and the request's arrival (the
 * emulator's log).
 *
 * Run: `node scripts/node24.mjs node bench/incomingCall.mjs` (or `BENCH_WORKLOADS=f npm run bench`).
 * Environment (defaults): BENCH_F_CALLS (50), BENCH_F_SPREAD_MS (10000), BENCH_F_RUNS (3), BENCH_F_CONTENDERS
 * (ours,floor,mixed; floor is needed for the ratios), BENCH_F_SETTINGS (default,lazy: the n8n settings measured, see
 * N8N_SETTINGS), BENCH_CPU_PROF=<dir>, BENCH_KEEP=1, BENCH_VERBOSE=1.
 * Writes bench/incomingCall.results.json and prints the Markdown rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import {
	assert,
	buildAndPack,
	configureHarness,
	defaultInstall,
	emulatorCredential,
	fmtMs,
	freePort,
	installPackage,
	listExecutions,
	n8n,
	n8nEnv,
	n8nHome,
	N8N_VERSION,
	n8nRest as rest,
	ownerSession,
	provisionN8n,
	repo,
	startEmulator,
	startN8n,
	stopAllChildren,
	tail,
	waitFor,
} from '../scripts/n8nHarness.mjs';

const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const CALLS = num('BENCH_F_CALLS', 50);
const SPREAD_MS = num('BENCH_F_SPREAD_MS', 10_000);
const RUNS = num('BENCH_F_RUNS', 3);
const CREDENTIAL = { id: 'benchGraphEmulator', name: 'Microsoft Graph App (bench emulator)' };
const OURS = { id: 'benchFours', trigger: 'Call incoming', answerer: 'Answer' };
const FLOOR = { id: 'benchFfloor', trigger: 'Webhook', answerer: 'HTTP Request', path: 'bench-floor-incoming' };
/** Between the two: n8n's Webhook node → this package's Answer node (no verification): splits the trigger's cost from the Answer node's. */
const MIXED = { id: 'benchFmixed', trigger: 'Webhook', answerer: 'Answer', path: 'bench-mixed-incoming' };
const LABELS = {
	ours: 'this node (Trigger → Answer)',
	mixed: 'Webhook → this node\'s Answer',
	floor: 'floor (Webhook → HTTP Request)',
};
const CONTENDER_KEYS = (process.env.BENCH_F_CONTENDERS ?? 'ours,floor,mixed').split(',').map((k) => k.trim()).filter((k) => k in LABELS);
/**
 * n8n settings, each measured in its own `n8n start` on the same database, one after the other in one bench run. On
 * n8n 2.x every webhook of a trigger other than n8n's own Webhook node takes an expression isolate before the node's
 * code runs, built afresh for each (the `vm` expression engine, default); with lazy acquisition n8n builds one only
 * when an expression is evaluated, which the Teams Call Trigger's webhook does not do.
 */
const N8N_SETTINGS = {
	default: { label: "n8n's defaults", env: {} },
	lazy: { label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
};
const SETTING_KEYS = (process.env.BENCH_F_SETTINGS ?? 'default,lazy').split(',').map((k) => k.trim()).filter((k) => k in N8N_SETTINGS);
const TRIGGER_WEBHOOK_ID = '4b7a0c1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const FLOOR_WEBHOOK_ID = '5c8b1d2f-3e4a-4b6c-9d7e-8f9a0b1c2d3e';
const MIXED_WEBHOOK_ID = '6d9c2e3a-4f5b-4c7d-8e9f-0a1b2c3d4e5f';

function say(text) {
	process.stdout.write(`bench f: ${text}\n`);
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function medianOf(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

/** JSON over HTTPS with the emulator's CA. */
export function httpsJson(url, caPem, { method = 'GET', body, form } = {}) {
	const payload = form ? new URLSearchParams(form).toString() : body === undefined ? undefined : JSON.stringify(body);
	const headers = payload === undefined ? {} : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' };
	return new Promise((resolve, reject) => {
		const request = https.request(url, { method, ca: caPem, headers }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (text += chunk));
			response.on('end', () => {
				if (response.statusCode !== 200) reject(new Error(`${method} ${url}: ${response.statusCode} ${text.slice(0, 200)}`));
				else resolve(JSON.parse(text));
			});
		});
		request.on('error', reject);
		request.end(payload);
	});
}

/** A callback for the answered calls' later notifications: answers 202 and forgets them. */
async function startSink() {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(202).end());
	});
	const port = await freePort();
	await new Promise((done) => server.listen(port, '127.0.0.1', done));
	return { url: `http://127.0.0.1:${port}/callback`, close: () => new Promise((done) => server.close(done)) };
}

function workflows(values, caPem, sinkUrl, token) {
	const credentials = { microsoftGraphAppApi: CREDENTIAL };
	const ours = {
		id: OURS.id,
		name: 'bench f: Teams Call Trigger → Answer',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: randomUUID(), name: OURS.trigger, type: 'n8n-nodes-teams-call.teamsCallTrigger', typeVersion: 1, position: [0, 0], webhookId: TRIGGER_WEBHOOK_ID, parameters: { events: ['callIncoming'], options: {} }, credentials },
			{
				id: randomUUID(),
				name: OURS.answerer,
				type: 'n8n-nodes-teams-call.teamsCall',
				typeVersion: 1,
				position: [240, 0],
				parameters: { operation: 'answer', callId: '={{ $json.callId }}', callbackUrl: sinkUrl, options: { waitUntilEstablished: false } },
				credentials,
			},
		],
		connections: { [OURS.trigger]: { main: [[{ node: OURS.answerer, type: 'main', index: 0 }]] } },
		pinData: {},
	};
	const answerBody = { callbackUri: sinkUrl, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } };
	const floor = {
		id: FLOOR.id,
		name: 'bench f: Webhook → HTTP Request (n8n floor)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: randomUUID(), name: FLOOR.trigger, type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: FLOOR_WEBHOOK_ID, parameters: { httpMethod: 'POST', path: FLOOR.path, responseMode: 'onReceived', options: {} } },
			{
				id: randomUUID(),
				name: FLOOR.answerer,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: `={{ '${values.GRAPH_URL}/v1.0' + $json.body.value[0].resourceUrl + '/answer' }}`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify(answerBody),
					options: {},
				},
			},
		],
		connections: { [FLOOR.trigger]: { main: [[{ node: FLOOR.answerer, type: 'main', index: 0 }]] } },
		pinData: {},
	};
	const mixed = {
		id: MIXED.id,
		name: 'bench f: Webhook → Teams Call Answer',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ ...floor.nodes[0], id: randomUUID(), webhookId: MIXED_WEBHOOK_ID, parameters: { ...floor.nodes[0].parameters, path: MIXED.path } },
			{ ...ours.nodes[1], id: randomUUID(), parameters: { ...ours.nodes[1].parameters, callId: "={{ $json.body.value[0].resourceUrl.split('/').pop() }}" } },
		],
		connections: { [MIXED.trigger]: { main: [[{ node: MIXED.answerer, type: 'main', index: 0 }]] } },
		pinData: {},
	};
	const credential = emulatorCredential(values, caPem, CREDENTIAL, { notifications: true });
	return { ours, floor, mixed, credential };
}

async function importAndPublish(ctx, work, { ours, floor, mixed, credential }) {
	const credentialsFile = join(work, 'f-credentials.json');
	writeFileSync(credentialsFile, JSON.stringify([credential]));
	const imported = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
	rmSync(credentialsFile, { force: true });
	assert(imported.code === 0, `import:credentials: ${tail(imported.stderr || imported.stdout)}`);
	const dir = join(work, 'f-workflows');
	mkdirSync(dir, { recursive: true });
	for (const workflow of [ours, floor, mixed]) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
	const workflowsImported = await n8n(ctx, ['import:workflow', '--separate', `--input=${dir}`]);
	assert(workflowsImported.code === 0, `import:workflow: ${tail(workflowsImported.stderr || workflowsImported.stdout)}`);
	for (const workflow of [ours, floor, mixed]) {
		const published = await n8n(ctx, ['publish:workflow', `--id=${workflow.id}`]);
		assert(published.code === 0, `publish:workflow ${workflow.id}: ${tail(published.stderr || published.stdout)}`);
	}
}

/** `n8n start` with one of N8N_SETTINGS' env, and the owner's session (set up at the first start, signed in after). */
async function startN8nSignedIn(ctx, settingKey) {
	// BENCH_CPU_PROF=<dir>: a CPU profile of `n8n start` (written when it stops), to see where the time goes.
	const profile = process.env.BENCH_CPU_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` } : {};
	const server = await startN8n(ctx, { label: `n8n-start-${settingKey}`, env: { ...N8N_SETTINGS[settingKey].env, ...profile }, stopGraceMs: 60_000 });
	ctx.owner ??= { email: 'owner@example.com', password: `Bench-${randomBytes(6).toString('hex')}A1`, firstName: 'Bench', lastName: 'Owner' };
	return { ...server, cookie: await ownerSession(server.base, ctx.owner) };
}

/** In an `n8n start` with one of N8N_SETTINGS: warm-ups, then `runs` runs of every contender; its rows and medians. */
async function measureSetting({ server, settingKey, contenders, control, calls, spreadMs, runs, sinceIds }) {
	say(`n8n ${N8N_VERSION} started at ${server.base} with ${N8N_SETTINGS[settingKey].label}`);
	// n8n answers readiness before it has registered the published workflows' webhooks: wait until all are.
	await waitFor('the webhooks to be registered', async () => {
		const probes = await Promise.all(contenders.map((c) => fetch(c.webhookUrl, { method: 'GET' }).then((r) => r.text(), () => '')));
		return probes.every((text) => !/is not registered\.|not registered"/.test(text) || /Did you mean/i.test(text));
	}, 120_000, 500);
	for (const c of contenders) {
		const warm = await phase({ control, server, workflow: c.workflow, webhookUrl: c.webhookUrl, count: 1, spreadMs: 0, sinceId: sinceIds[c.key] });
		sinceIds[c.key] = warm.lastExecutionId;
		say(`${settingKey}: warm-up ${c.key}: answer request after ${fmtMs(warm.calls[0].toAnswerRequest)}`);
	}
	const results = [];
	for (let run = 0; run < runs; run++) {
		const order = run % 2 === 0 ? contenders : [...contenders].reverse();
		const row = { run: run + 1, loadavg1: loadavg()[0], order: order.map((c) => c.key) };
		for (const c of order) {
			const result = await phase({ control, server, workflow: c.workflow, webhookUrl: c.webhookUrl, count: calls, spreadMs, sinceId: sinceIds[c.key] });
			sinceIds[c.key] = result.lastExecutionId;
			row[c.key] = summarize(result.calls);
			row[`${c.key}Calls`] = result.calls;
			say(`${settingKey}: run ${run + 1} ${c.key}: notification → answer request p50 ${fmtMs(row[c.key].toAnswerRequest.p50)}, p95 ${fmtMs(row[c.key].toAnswerRequest.p95)}`);
		}
		for (const c of order) {
			row[c.key].ratioP50 = row[c.key].toAnswerRequest.p50 / row.floor.toAnswerRequest.p50;
			row[c.key].ratioP95 = row[c.key].toAnswerRequest.p95 / row.floor.toAnswerRequest.p95;
		}
		results.push(row);
	}
	const median = Object.fromEntries(
		contenders.map((c) => [
			c.key,
			{
				p50: medianOf(results.map((r) => r[c.key].toAnswerRequest.p50)),
				p95: medianOf(results.map((r) => r[c.key].toAnswerRequest.p95)),
				ratioP50: medianOf(results.map((r) => r[c.key].ratioP50)),
				ratioP95: medianOf(results.map((r) => r[c.key].ratioP95)),
			},
		]),
	);
	return { key: settingKey, label: N8N_SETTINGS[settingKey].label, env: N8N_SETTINGS[settingKey].env, runs: results, median };
}

/** Every execution of a workflow since `sinceId`: { id, startedAt, answererStart, text (its trigger's output, to find the call ID in) }. */
async function executionsOf(server, workflow, sinceId) {
	const { parse } = createRequire(join(n8nHome, 'node_modules', 'n8n', 'package.json'))('flatted');
	const results = (await listExecutions(server.base, server.cookie, workflow.id)).filter((e) => Number(e.id) > sinceId);
	const found = [];
	for (const summary of results) {
		const response = await rest(server.base, `/rest/executions/${summary.id}`, { cookie: server.cookie });
		const raw = response.json?.data ?? response.json;
		const data = typeof raw.data === 'string' ? parse(raw.data) : raw.data;
		const runData = data?.resultData?.runData ?? {};
		found.push({
			id: Number(summary.id),
			status: summary.status,
			startedAt: Date.parse(summary.startedAt),
			answererStart: runData[workflow.answerer]?.[0]?.startTime,
			answererMs: runData[workflow.answerer]?.[0]?.executionTime,
			triggerStart: runData[workflow.trigger]?.[0]?.startTime,
			text: JSON.stringify(runData[workflow.trigger]?.[0]?.data ?? null),
		});
	}
	return found;
}

/** Places `count` incoming calls to `webhookUrl`, one every spread/count ms, and returns their deliveries. */
async function placeCalls(control, webhookUrl, count, spreadMs) {
	const every = count > 1 ? spreadMs / count : 0;
	const start = Date.now();
	const pending = [];
	for (let i = 0; i < count; i++) {
		const due = start + i * every;
		const wait = due - Date.now();
		if (wait > 0) await new Promise((done) => setTimeout(done, wait));
		const from = i % 2 ? { identityType: 'phone', identityId: `+4930${String(1000000 + i)}` } : { displayName: `Caller ${i}`, identityId: randomUUID() };
		pending.push(control('/control/incomingCall', { from, webhookUrl }));
	}
	const placed = await Promise.all(pending);
	return { placed, spanMs: Date.now() - start };
}

/** One phase: `count` calls to one contender; waits for every answer request and every execution; per-call figures. */
async function phase({ control, server, workflow, webhookUrl, count, spreadMs, sinceId }) {
	const { placed } = await placeCalls(control, webhookUrl, count, spreadMs);
	const ids = new Set(placed.map((p) => p.callId));
	const answerAt = new Map();
	await waitFor(() => `${count} answer requests (seen ${answerAt.size})`, async () => {
		for (const entry of await control('/control/graphLog?route=answer')) {
			const id = entry.path.split('/').at(-2);
			if (ids.has(id) && !answerAt.has(id)) answerAt.set(id, entry);
		}
		return answerAt.size === count;
	}, 60_000, 250);
	let executions = [];
	await waitFor(() => `${count} finished executions of ${workflow.id} (seen ${executions.length})`, async () => {
		executions = await executionsOf(server, workflow, sinceId);
		return executions.length >= count && executions.every((e) => e.answererStart !== undefined);
	}, 60_000, 500);
	const answers = await control('/control/graphLog?route=answer');
	const calls = placed.map(({ callId, delivery }) => {
		const execution = executions.find((e) => e.text.includes(callId));
		assert(execution, `no execution for call ${callId}`);
		const request = answerAt.get(callId);
		return {
			callId,
			toWebhookAnswer: delivery.answeredAt - delivery.sentAt,
			webhookStatus: delivery.status,
			toExecutionStart: execution.startedAt - delivery.sentAt,
			toAnswererStart: execution.answererStart - delivery.sentAt,
			toAnswerRequest: request.at - delivery.sentAt,
			answerStatus: request.status,
			answerRequests: answers.filter((entry) => entry.path.split('/').at(-2) === callId).length,
		};
	});
	return { calls, lastExecutionId: Math.max(sinceId, ...executions.map((e) => e.id)) };
}

function summarize(calls) {
	const stat = (key) => {
		const sorted = calls.map((c) => c[key]).sort((a, b) => a - b);
		return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) };
	};
	return {
		calls: calls.length,
		toAnswerRequest: stat('toAnswerRequest'),
		toWebhookAnswer: stat('toWebhookAnswer'),
		toExecutionStart: stat('toExecutionStart'),
		toAnswererStart: stat('toAnswererStart'),
		answerRequestsPerCall: Math.max(...calls.map((c) => c.answerRequests)),
		non2xxAnswers: calls.filter((c) => c.answerStatus !== 202).length,
		webhookStatuses: [...new Set(calls.map((c) => c.webhookStatus))],
	};
}

/** A Graph token for the emulator's app (client credentials), for contenders that send it in a header. */
export async function obtainToken(values, caPem) {
	const answer = await httpsJson(`${values.AUTHORITY_HOST}/${values.TENANT_ID}/oauth2/v2.0/token`, caPem, {
		method: 'POST',
		form: { grant_type: 'client_credentials', client_id: values.CLIENT_ID, client_secret: values.CLIENT_SECRET, scope: `${values.GRAPH_URL}/.default` },
	});
	return answer.access_token;
}

export async function runIncomingCallBench({ calls = CALLS, spreadMs = SPREAD_MS, runs = RUNS, out = join(repo, 'bench') } = {}) {
	const t0 = Date.now();
	const loadBefore = loadavg();
	const work = mkdtempSync(join(tmpdir(), 'teams-call-bench-f-'));
	const sink = await startSink();
	let server;
	const logs = [];
	try {
		await provisionN8n();
		const packed = await buildAndPack(work, { outName: 'bench-f' });
		const emulator = await startEmulator(work, { script: join(repo, 'build', 'bench-f', 'test', 'emulator', 'cli.js'), keys: ['PLATFORM_URL', 'NOTIFICATION_OPENID_URL'] });
		const { values, caPem } = emulator;
		const control = (path, body) => httpsJson(`${values.PLATFORM_URL}${path}`, caPem, body === undefined ? {} : { method: 'POST', body });
		const token = await obtainToken(values, caPem);
		const userFolder = join(work, 'user');
		mkdirSync(userFolder, { recursive: true });
		const port = await freePort();
		const webhookBase = `http://127.0.0.1:${port}/`;
		const ctx = { work, userFolder, port, outputs: [], keepOutputs: false, install: defaultInstall };
		ctx.env = { ...n8nEnv(userFolder, port, await freePort()), WEBHOOK_URL: webhookBase, NODE_EXTRA_CA_CERTS: values.CA_FILE };
		await installPackage(userFolder, packed);
		await importAndPublish(ctx, work, workflows(values, caPem, sink.url, token));
		say(`${fmtMs(Date.now() - t0)} of set-up`);
		const contenders = [
			{ key: 'ours', workflow: OURS, webhookUrl: new URL(`webhook/${TRIGGER_WEBHOOK_ID}/notifications`, webhookBase).href },
			{ key: 'floor', workflow: FLOOR, webhookUrl: new URL(`webhook/${FLOOR.path}`, webhookBase).href },
			{ key: 'mixed', workflow: MIXED, webhookUrl: new URL(`webhook/${MIXED.path}`, webhookBase).href },
		].filter((c) => CONTENDER_KEYS.includes(c.key));
		const sinceIds = { ours: 0, floor: 0, mixed: 0 };
		const measured = [];
		for (const settingKey of SETTING_KEYS) {
			server = await startN8nSignedIn(ctx, settingKey);
			measured.push(await measureSetting({ server, settingKey, contenders, control, calls, spreadMs, runs, sinceIds }));
			await server.stop();
			const log = server.log();
			server = undefined;
			assert(!log.includes(values.CLIENT_SECRET), 'the client secret is in n8n\'s log');
			logs.push(`--- ${N8N_SETTINGS[settingKey].label}\n${log}`);
		}
		const report = {
			generatedAt: new Date().toISOString(),
			command: 'node scripts/node24.mjs node bench/incomingCall.mjs',
			machine: `${cpus().length} × ${cpus()[0]?.model?.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, n8n ${N8N_VERSION}`,
			settings: { calls, spreadMs, runs, graphLatencyMs: 0, tokenLatencyMs: 0 },
			loadavgBefore: loadBefore,
			loadavgAfter: loadavg(),
			totalSeconds: (Date.now() - t0) / 1000,
			n8nSettings: measured,
		};
		writeFileSync(join(out, 'incomingCall.results.json'), JSON.stringify(report, null, 2));
		process.stdout.write(`${markdownRows(report)}\n`);
		return report;
	} finally {
		if (server) {
			await server.stop();
			logs.push(server.log());
		}
		if (process.env.BENCH_KEEP) writeFileSync(join(work, 'n8n-start.log'), logs.join('\n'));
		await sink.close();
		await stopAllChildren();
		if (process.env.BENCH_KEEP) say(`work folder ${work}`);
		else rmSync(work, { recursive: true, force: true });
	}
}

const ms = (value) => String(Math.round(value));

/** The rows for bench/results.md: per n8n setting, one per run and contender, then the medians. */
export function markdownRows(report) {
	const lines = [];
	for (const setting of report.n8nSettings) {
		lines.push(
			`**${setting.label}**`,
			'',
			'| run | contender | calls | load (1 min) | → webhook answered p50 / p95 | → execution start p50 / p95 | → answering node start p50 / p95 | → answer request p50 / p95 / max | × floor (p50 / p95) | answers per call | not answered (Graph refused: too late) |',
			'|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		);
		for (const row of setting.runs) {
			for (const key of row.order) {
				const s = row[key];
				const ratio = `${s.ratioP50.toFixed(2)} / ${s.ratioP95.toFixed(2)}`;
				lines.push(
					`| ${row.run} | ${LABELS[key]} | ${s.calls} | ${row.loadavg1.toFixed(2)} | ` +
						`${ms(s.toWebhookAnswer.p50)} / ${ms(s.toWebhookAnswer.p95)} | ${ms(s.toExecutionStart.p50)} / ${ms(s.toExecutionStart.p95)} | ` +
						`${ms(s.toAnswererStart.p50)} / ${ms(s.toAnswererStart.p95)} | ${ms(s.toAnswerRequest.p50)} / ${ms(s.toAnswerRequest.p95)} / ${ms(s.toAnswerRequest.max)} | ${ratio} | ${s.answerRequestsPerCall} | ${s.non2xxAnswers} |`,
				);
			}
		}
		const medians = Object.entries(setting.median).map(([key, v]) => `${LABELS[key]}: p50 ${ms(v.p50)} ms, p95 ${ms(v.p95)} ms (${v.ratioP50.toFixed(2)}× / ${v.ratioP95.toFixed(2)}× the floor)`);
		lines.push('', `Median of ${setting.runs.length} runs: ${medians.join('; ')}.`, '');
	}
	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	configureHarness({ label: 'bench f' });
	runIncomingCallBench().then(
		() => process.exit(0),
		async (error) => {
			process.stderr.write(`bench f failed: ${error instanceof Error ? error.stack : String(error)}\n`);
			await stopAllChildren();
			process.exit(1);
		},
	);
}
