#!/usr/bin/env node
/**
 * `npm run bench`: this node against what users would use instead, side by side, in the same real n8n as the e2e
 * suite (scripts/n8nHarness.mjs), against one emulator process (bench/emulatorServer.ts) whose counters tell how
 * many requests were made, how many at once, and how many tokens were fetched.
 *
 * Workloads: (a) remove N participants spread over C calls; (b) invite N users; (c) = (a) with Graph latency 0;
 * (d) remove T participants against a Graph that allows R requests per second (429 + Retry-After past that);
 * and memory: this node on M items (latency 0), peak RSS against the same workflow without the node.
 * Contenders: this node (defaults, maxConcurrency 1, 20); n8n's HTTP Request node with an OAuth2 client-credentials
 * credential (defaults; batching 10 per batch, interval 0); a script with @microsoft/microsoft-graph-client + msal-node
 * awaiting each call (bench/sdkLoop.mjs).
 * Times of n8n contenders come from the execution's own run data (the node's executionTime), not process wall time.
 *
 * Environment (defaults): BENCH_GRAPH_LATENCY_MS (50), BENCH_TOKEN_LATENCY_MS (150), BENCH_REPEAT (3),
 * BENCH_SLOW_REPEAT (1: runs of the contenders that await each request, at latency > 0), BENCH_ITEMS (1000),
 * BENCH_CALLS (20), BENCH_THROTTLE_ITEMS (200), BENCH_RATE_LIMIT (20), BENCH_MEMORY_ITEMS (10000),
 * BENCH_WORKLOADS (a,b,c,d,mem), BENCH_CONTENDERS (ours,ours1,ours20,http,httpBatch,sdk), BENCH_OUT (bench/),
 * BENCH_MEMORY_EXPRESSIONS=1 (add a memory run: a Set node evaluating the node's two expressions per item),
 * BENCH_CPU_PROF=<dir> (CPU profiles of the n8n runs), BENCH_KEEP=1 (keep the work folder), BENCH_VERBOSE=1.
 * Writes <out>/results.md, <out>/results.json and <out>/results.png.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
	buildAndPack,
	checkSqlite,
	configureHarness,
	CREDENTIAL_TYPE,
	emulatorCredential,
	fmtMs,
	freePort,
	installPackage,
	n8n,
	n8nEnv,
	N8N_VERSION,
	NODE_TYPE,
	nodeMajor,
	parseRun,
	provisionN8n,
	repo,
	startEmulator,
	stopAllChildren,
	tail,
} from '../scripts/n8nHarness.mjs';
import { renderChart } from './chart.mjs';
import { runIncomingCallBench } from './incomingCall.mjs';
import { runCallRecordsBench } from './callRecords.mjs';

configureHarness({ label: 'bench' });

const num = (name, fallback) => {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got '${raw}')`);
	return value;
};
const list = (name, fallback) => (process.env[name] ? process.env[name].split(',').map((s) => s.trim()).filter(Boolean) : fallback);

const CONFIG = {
	graphLatencyMs: num('BENCH_GRAPH_LATENCY_MS', 50),
	tokenLatencyMs: num('BENCH_TOKEN_LATENCY_MS', 150),
	repeat: Math.max(1, Math.round(num('BENCH_REPEAT', 3))),
	slowRepeat: Math.max(1, Math.round(num('BENCH_SLOW_REPEAT', 1))),
	items: Math.max(1, Math.round(num('BENCH_ITEMS', 1000))),
	calls: Math.max(1, Math.round(num('BENCH_CALLS', 20))),
	throttleItems: Math.max(1, Math.round(num('BENCH_THROTTLE_ITEMS', 200))),
	rateLimit: Math.max(1, Math.round(num('BENCH_RATE_LIMIT', 20))),
	executions: Math.max(2, Math.round(num('BENCH_EXECUTIONS', 5))),
	memoryItems: Math.max(10, Math.round(num('BENCH_MEMORY_ITEMS', 10_000))),
	workloads: list('BENCH_WORKLOADS', ['a', 'b', 'c', 'd', 'e', 'mem']),
	contenders: list('BENCH_CONTENDERS', ['ours', 'ours1', 'ours20', 'http', 'httpBatch', 'sdk']),
	out: process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : join(repo, 'bench'),
	keep: /^(1|true|yes)$/i.test(process.env.BENCH_KEEP ?? ''),
};

const OURS_CREDENTIAL = { id: 'benchGraphAppEmu', name: 'Microsoft Graph App (bench emulator)' };
const OAUTH2_CREDENTIAL = { id: 'benchOAuth2Graph', name: 'OAuth2 client credentials (bench emulator)' };
const HTTP_TYPE_VERSION = 4.2;
const CONTENDER_NODE = 'Contender';

const CONTENDERS = [
	{ key: 'ours', short: 'o10', label: 'this node (defaults: 10 at once)', kind: 'ours', maxConcurrency: undefined, concurrency: 10 },
	{ key: 'ours1', short: 'o1', label: 'this node, maxConcurrency 1', kind: 'ours', maxConcurrency: 1, concurrency: 1, awaitsEach: true },
	{ key: 'ours20', short: 'o20', label: 'this node, maxConcurrency 20', kind: 'ours', maxConcurrency: 20, concurrency: 20 },
	{ key: 'http', short: 'hd', label: 'HTTP Request + OAuth2 (defaults)', kind: 'http', batching: false },
	{ key: 'httpBatch', short: 'hb', label: 'HTTP Request + OAuth2, batch 10 / 0 ms', kind: 'http', batching: true },
	{ key: 'sdk', short: 'sdk', label: 'Graph SDK + msal-node, awaited loop', kind: 'sdk', concurrency: 1, awaitsEach: true },
].filter((c) => CONFIG.contenders.includes(c.key));

const WORKLOADS = [
	{ key: 'a', label: `(a) remove ${CONFIG.items}`, operation: 'remove', items: CONFIG.items, latencyMs: CONFIG.graphLatencyMs },
	{ key: 'b', label: `(b) invite ${CONFIG.items}`, operation: 'invite', items: CONFIG.items, latencyMs: CONFIG.graphLatencyMs },
	{ key: 'c', label: `(c) remove ${CONFIG.items}, latency 0`, operation: 'remove', items: CONFIG.items, latencyMs: 0 },
	{
		key: 'd',
		label: `(d) remove ${CONFIG.throttleItems}, ${CONFIG.rateLimit} req/s`,
		operation: 'remove',
		items: CONFIG.throttleItems,
		latencyMs: CONFIG.graphLatencyMs,
		rateLimitPerSecond: CONFIG.rateLimit,
	},
	{
		// Several executions of the same app at once in one n8n (`n8n execute-batch --concurrency`): Graph's limit is
		// the app's, so they share it. items: all executions together.
		key: 'e',
		label: `(e) ${CONFIG.executions} executions × remove ${CONFIG.throttleItems}, ${CONFIG.rateLimit} req/s`,
		operation: 'remove',
		items: CONFIG.executions * CONFIG.throttleItems,
		executions: CONFIG.executions,
		latencyMs: CONFIG.graphLatencyMs,
		rateLimitPerSecond: CONFIG.rateLimit,
	},
].filter((w) => CONFIG.workloads.includes(w.key));

// ---------------------------------------------------------------------------------------------------------------
// Items: deterministic IDs, spread round-robin over the calls

function guid(seed) {
	const h = createHash('sha1').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function makeItems(operation, count, calls = CONFIG.calls) {
	const items = [];
	for (let i = 0; i < count; i++) {
		const callId = `bench-call-${String(i % calls).padStart(2, '0')}`;
		if (operation === 'remove') items.push({ callId, participantId: guid(`participant-${i}`) });
		else items.push({ callId, userId: guid(`user-${i}`), clientContext: `bench-${i}` });
	}
	return items;
}

/** The calls the emulator must hold before a run: for removes, every participant to remove (plus one who stays). */
function callsFor(operation, items, calls = CONFIG.calls) {
	const byCall = new Map();
	for (let c = 0; c < calls; c++) byCall.set(`bench-call-${String(c).padStart(2, '0')}`, [guid(`stays-${c}`)]);
	if (operation === 'remove') for (const item of items) byCall.get(item.callId).push(item.participantId);
	return [...byCall].map(([id, participantIds]) => ({ id, participantIds }));
}

// ---------------------------------------------------------------------------------------------------------------
// Workflows: manual trigger -> Set (the items as one JSON array) -> Split Out -> the contender

function contenderNode(contender, operation, emulator, oauthCredential = OAUTH2_CREDENTIAL) {
	const base = { id: 'c0ffee00-0000-4000-8000-000000000004', name: CONTENDER_NODE, position: [720, 0], onError: 'continueRegularOutput' };
	if (contender.kind === 'ours') {
		const options = contender.maxConcurrency === undefined ? {} : { maxConcurrency: contender.maxConcurrency };
		const parameters =
			operation === 'remove'
				? {
						operation: 'remove',
						callId: '={{ $json.callId }}',
						participantId: { __rl: true, mode: 'id', value: '={{ $json.participantId }}' },
						options,
					}
				: {
						operation: 'invite',
						callId: '={{ $json.callId }}',
						specifyBody: 'fields',
						participants: { participant: [{ type: 'user', id: '={{ $json.userId }}', identityProvider: 'AAD' }] },
						clientContext: '={{ $json.clientContext }}',
						options,
					};
		return { ...base, type: NODE_TYPE, typeVersion: 1, parameters, credentials: { [CREDENTIAL_TYPE]: OURS_CREDENTIAL } };
	}
	const graph = `${emulator.values.GRAPH_URL}/v1.0/communications/calls/{{ $json.callId }}/participants`;
	const options = contender.batching ? { batching: { batch: { batchSize: 10, batchInterval: 0 } } } : {};
	const parameters =
		operation === 'remove'
			? { method: 'DELETE', url: `=${graph}/{{ $json.participantId }}`, authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api', options }
			: {
					method: 'POST',
					url: `=${graph}/invite`,
					authentication: 'genericCredentialType',
					genericAuthType: 'oAuth2Api',
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={ "participants": [ { "@odata.type": "#microsoft.graph.invitationParticipantInfo", "identity": { "user": ' +
						'{ "@odata.type": "#microsoft.graph.identity", "id": "{{ $json.userId }}", "identityProvider": "AAD" } } } ], ' +
						'"clientContext": "{{ $json.clientContext }}" }',
					options,
				};
	return {
		...base,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_TYPE_VERSION,
		parameters,
		credentials: { oAuth2Api: oauthCredential },
	};
}

function workflow(id, name, items, contender) {
	const nodes = [
		{ id: 'c0ffee00-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'c0ffee00-0000-4000-8000-000000000002',
			name: 'Items',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [240, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }), options: {} },
		},
		{
			id: 'c0ffee00-0000-4000-8000-000000000003',
			name: 'One item each',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [480, 0],
			parameters: { fieldToSplitOut: 'items', options: {} },
		},
	];
	const connections = {
		Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
		Items: { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
	};
	if (contender) {
		nodes.push(contender);
		connections['One item each'] = { main: [[{ node: CONTENDER_NODE, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections, pinData: {} };
}

// ---------------------------------------------------------------------------------------------------------------
// The emulator's control endpoint

async function control(emulator, method, path, body) {
	const response = await fetch(`${emulator.values.CONTROL_URL}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

async function prepare(emulator, operation, items, { latencyMs, rateLimitPerSecond, calls }) {
	await control(emulator, 'POST', '/reset');
	await control(emulator, 'POST', '/configure', {
		graphLatencyMs: latencyMs,
		tokenLatencyMs: CONFIG.tokenLatencyMs,
		rateLimitPerSecond: rateLimitPerSecond ?? null,
	});
	await control(emulator, 'POST', '/calls', { calls: callsFor(operation, items, calls) });
}

// ---------------------------------------------------------------------------------------------------------------
// One run of one contender

function countFailed(outItems) {
	return outItems.filter((item) => item.json && Object.hasOwn(item.json, 'error')).length;
}

/** The n8n process's environment for a measured run: peak RSS recorded into rssFile (and a CPU profile if asked). */
function measuredEnv(ctx, rssFile) {
	return {
		NODE_OPTIONS: [
			ctx.env.NODE_OPTIONS ?? '',
			'--expose-gc',
			`--require=${join(repo, 'bench', 'maxRss.cjs')}`,
			process.env.BENCH_CPU_PROF ? `--cpu-prof --cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}` : '',
		]
			.join(' ')
			.trim(),
		BENCH_RSS_FILE: rssFile,
	};
}

/**
 * Several workflows at once in one n8n process (`n8n execute-batch --concurrency`). Timed at Graph: from the first
 * request the emulator received to the last one; failed items: participants not removed.
 */
async function runBatch(ctx, emulator, workflowIds, expectedItems) {
	const rssFile = join(ctx.work, `rss-batch-${workflowIds[0]}-${Date.now()}.json`);
	const result = await n8n(
		ctx,
		['execute-batch', `--ids=${workflowIds.join(',')}`, `--concurrency=${workflowIds.length}`, '--shortOutput'],
		600_000,
		measuredEnv(ctx, rssFile),
	);
	const removals = await control(emulator, 'GET', '/removals');
	const removed = Object.keys(removals.removed).length;
	const rss = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : undefined;
	return {
		wallMs: removals.lastAt && removals.firstAt ? removals.lastAt - removals.firstAt : undefined,
		failed: Math.max(0, expectedItems - removed),
		firstError: result.code === 0 ? undefined : `execute-batch exited ${result.code}: ${tail(result.stderr || result.stdout, 3)}`,
		peakRssMb: rss ? rss.maxRssKb / 1024 : undefined,
		processMs: result.ms,
		exitCode: result.code,
	};
}

async function runN8n(ctx, workflowId, expectedItems) {
	const rssFile = join(ctx.work, `rss-${workflowId}-${Date.now()}.json`);
	const result = await n8n(ctx, ['execute', `--id=${workflowId}`, '--rawOutput'], 600_000, measuredEnv(ctx, rssFile));
	let out;
	try {
		out = parseRun(result.stdout);
	} catch (error) {
		throw new Error(`${error.message}\n${tail(result.stderr)}`);
	}
	if (!out) throw new Error(`n8n execute printed no run data (exit ${result.code})\n${tail(result.stdout + result.stderr)}`);
	const rss = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : undefined;
	const runs = out.data?.resultData?.runData?.[CONTENDER_NODE];
	const run = runs?.[runs.length - 1];
	const outItems = run?.data?.main?.[0] ?? [];
	const failed = run?.error ? expectedItems : countFailed(outItems) + Math.max(0, expectedItems - outItems.length);
	const firstError = run?.error?.message ?? outItems.find((i) => i.json && Object.hasOwn(i.json, 'error'))?.json;
	return {
		wallMs: run?.executionTime,
		startTime: run?.startTime,
		failed,
		firstError: firstError === undefined ? undefined : typeof firstError === 'string' ? firstError : JSON.stringify(firstError).slice(0, 200),
		peakRssMb: rss ? rss.maxRssKb / 1024 : undefined,
		heapAfterGcMb: rss?.heapUsedAfterGc === undefined ? undefined : rss.heapUsedAfterGc / 2 ** 20,
		processMs: result.ms,
		exitCode: result.code,
	};
}

function runSdk(ctx, emulator, operation, items) {
	const file = join(ctx.work, `sdk-items-${operation}-${items.length}.json`);
	if (!existsSync(file)) writeFileSync(file, JSON.stringify({ operation, items }));
	const v = emulator.values;
	return new Promise((done, fail) => {
		const started = Date.now();
		const child = spawn(process.execPath, [join(repo, 'bench', 'sdkLoop.mjs'), file], {
			cwd: repo,
			env: {
				...process.env,
				NODE_EXTRA_CA_CERTS: v.CA_FILE,
				GRAPH_URL: v.GRAPH_URL,
				AUTHORITY_HOST: v.AUTHORITY_HOST,
				TENANT_ID: v.TENANT_ID,
				CLIENT_ID: v.CLIENT_ID,
				CLIENT_SECRET: v.CLIENT_SECRET,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.once('error', fail);
		child.once('close', (code) => {
			const line = stdout.trim().split('\n').pop();
			try {
				const r = JSON.parse(line);
				done({ wallMs: r.wallMs, failed: r.failed, firstError: r.firstError, peakRssMb: r.maxRssKb / 1024, processMs: Date.now() - started, exitCode: code });
			} catch {
				fail(new Error(`sdkLoop exited ${code}: ${tail(stderr || stdout)}`));
			}
		});
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

const median = (values) => {
	const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const max = (values) => values.reduce((m, v) => (typeof v === 'number' && v > m ? v : m), -Infinity);

/** Median wall time and memory; worst case (max) of in-flight, tokens and failures, so that a bad run shows. */
/** Accepted requests per second, with the 429s of each second that had any in brackets: `20 19[3] 19 …`. */
function timeline(perSecond) {
	return perSecond.accepted.map((count, second) => (perSecond.refused[second] ? `${count}[${perSecond.refused[second]}]` : String(count))).join(' ');
}

function summarise(runs) {
	return {
		runs: runs.length,
		each: runs.map((r) => ({ wallMs: r.wallMs, requests: r.stats.graphRequests, throttled: r.stats.throttled, failed: r.failed, load: r.load, perSecond: r.perSecond })),
		wallMs: median(runs.map((r) => r.wallMs)),
		wallMsAll: runs.map((r) => r.wallMs),
		graphRequests: median(runs.map((r) => r.stats.graphRequests)),
		maxInFlight: max(runs.map((r) => r.stats.maxInFlight)),
		tokenRequests: max(runs.map((r) => r.stats.tokenRequests)),
		throttled: median(runs.map((r) => r.stats.throttled)),
		failed: max(runs.map((r) => r.failed)),
		firstError: runs.find((r) => r.firstError)?.firstError,
		peakRssMb: median(runs.map((r) => r.peakRssMb)),
	};
}

/** The least time the workload can take for a contender: items × latency ÷ concurrency (or items ÷ rate limit). */
function boundMs(workload, contender, summary) {
	if (workload.rateLimitPerSecond) return (workload.items / workload.rateLimitPerSecond) * 1000;
	if (!workload.latencyMs) return undefined;
	const concurrency = contender.concurrency ?? summary.maxInFlight; // HTTP Request has no bound: what it reached
	return concurrency > 0 ? (workload.items * workload.latencyMs) / concurrency : undefined;
}

// ---------------------------------------------------------------------------------------------------------------

function machine() {
	let cpuModel = cpus()[0]?.model ?? 'unknown';
	try {
		cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
	} catch {
		/* not Linux */
	}
	return { cpus: cpus().length, cpuModel, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, n8n: N8N_VERSION };
}

async function main() {
	const t0 = Date.now();
	if (nodeMajor < 24) throw new Error(`n8n@${N8N_VERSION} needs Node >= 24; running ${process.version}`);
	// (f) runs in its own `n8n start` and writes bench/incomingCall.results.json, not the tables below (bench/incomingCall.mjs).
	// (g) likewise: bench/callRecords.mjs, bench/callRecords.results.json.
	if (CONFIG.workloads.includes('f')) await runIncomingCallBench();
	if (CONFIG.workloads.includes('g')) await runCallRecordsBench();
	if (CONFIG.workloads.every((w) => w === 'f' || w === 'g')) return;
	const work = mkdtempSync(join(tmpdir(), 'teams-call-bench-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder, { recursive: true });
	const ctx = { work, userFolder, port: await freePort(), outputs: [], keepOutputs: false, env: undefined };
	ctx.env = n8nEnv(userFolder, ctx.port, await freePort());
	const say = (text) => process.stdout.write(`bench: ${text}\n`);
	let ok = false;
	try {
		say(`n8n@${N8N_VERSION}: ${await provisionN8n()}; ${await checkSqlite()}`);
		const packed = await buildAndPack(work, { outName: 'bench', entries: ['bench/emulatorServer.ts'] });
		say(`installed: ${await installPackage(userFolder, packed)}`);
		const emulator = await startEmulator(work, {
			script: join(repo, 'build', 'bench', 'bench', 'emulatorServer.js'),
			env: { EMULATOR_GRAPH_LATENCY_MS: String(CONFIG.graphLatencyMs), EMULATOR_TOKEN_LATENCY_MS: String(CONFIG.tokenLatencyMs) },
			keys: ['CONTROL_URL'],
		});
		const v = emulator.values;
		ctx.env.NODE_EXTRA_CA_CERTS = v.CA_FILE; // the HTTP Request node and its OAuth2 token request must trust the emulator
		say(`emulator ${v.GRAPH_URL} (Graph latency ${CONFIG.graphLatencyMs} ms, token latency ${CONFIG.tokenLatencyMs} ms)`);

		// The HTTP Request contenders get a new OAuth2 credential for every run (n8n stores the token it fetches in the
		// credential and reuses it in later runs): each run starts cold, as a run after the token expired does.
		const oauthData = {
			grantType: 'clientCredentials',
			accessTokenUrl: `${v.AUTHORITY_HOST}/${v.TENANT_ID}/oauth2/v2.0/token`,
			clientId: v.CLIENT_ID,
			clientSecret: v.CLIENT_SECRET,
			scope: `${v.GRAPH_URL}/.default`,
			authQueryParameters: '',
			authentication: 'body',
		};
		const credentials = [emulatorCredential(v, readFileSync(v.CA_FILE, 'utf8'), OURS_CREDENTIAL)];
		const oauthCredentialFor = (w, c, round) => {
			const credential = { id: `oauth${w.key}${c.short}r${round}`.padEnd(16, '0'), name: `OAuth2 client credentials (bench ${w.key} ${c.key} ${round})` };
			credentials.push({ ...credential, type: 'oAuth2Api', data: oauthData });
			return credential;
		};

		// Workflows: one per workload × contender (× run for HTTP Request), plus the memory ones.
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const plan = [];
		const itemsByWorkload = new Map();
		const slow = (w, c) => c.awaitsEach && w.latencyMs > 0;
		const repeatsOf = (w, c) => (slow(w, c) ? CONFIG.slowRepeat : CONFIG.repeat);
		for (const w of WORKLOADS) {
			const items = makeItems(w.operation, w.items);
			itemsByWorkload.set(w.key, items);
			for (const c of CONTENDERS) {
				if (w.executions && c.kind === 'sdk') continue; // one script, not executions of a workflow
				const workflowIds = [];
				for (let round = 0; round < repeatsOf(w, c); round++) {
					if (c.kind === 'sdk') continue;
					if (w.executions) {
						// One workflow per execution, each with its share of the items (and, for HTTP Request, a cold credential).
						if (c.kind === 'ours' && round > 0) {
							workflowIds.push(workflowIds[0]);
							continue;
						}
						const share = items.length / w.executions;
						workflowIds.push(
							Array.from({ length: w.executions }, (_, k) => {
								const id = `bench${w.key}${c.short}r${round}x${k}`.padEnd(16, '0');
								const credential = c.kind === 'http' ? oauthCredentialFor(w, c, `${round}x${k}`) : undefined;
								const node = contenderNode(c, w.operation, emulator, credential);
								const label = `bench ${w.label}: ${c.label} (${round + 1}, execution ${k + 1})`;
								writeFileSync(join(workflowsDir, `${id}.json`), JSON.stringify(workflow(id, label, items.slice(k * share, (k + 1) * share), node)));
								return id;
							}),
						);
						continue;
					}
					if (c.kind === 'ours' && round > 0) {
						workflowIds.push(workflowIds[0]);
						continue;
					}
					const id = `bench${w.key}${c.short}r${round}`.padEnd(16, '0');
					const node = contenderNode(c, w.operation, emulator, c.kind === 'http' ? oauthCredentialFor(w, c, round) : undefined);
					writeFileSync(join(workflowsDir, `${id}.json`), JSON.stringify(workflow(id, `bench ${w.label}: ${c.label} (${round + 1})`, items, node)));
					workflowIds.push(id);
				}
				plan.push({ workload: w, contender: c, workflowIds });
			}
		}
		const credentialsFile = join(work, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(credentials));

		const memory = CONFIG.workloads.includes('mem') && CONTENDERS.some((c) => c.key === 'ours');
		const memoryItems = memory ? makeItems('remove', CONFIG.memoryItems) : [];
		const memoryRuns = [];
		if (memory) {
			const ours = CONTENDERS.find((c) => c.key === 'ours');
			const small = memoryItems.slice(0, 10);
			const defs = [
				{ id: 'benchMemNoNode00', label: `${CONFIG.memoryItems} items, without the node`, items: memoryItems, node: undefined },
				{ id: 'benchMemOurs0000', label: `${CONFIG.memoryItems} items through this node`, items: memoryItems, node: contenderNode(ours, 'remove', emulator) },
				{ id: 'benchMemOursTen0', label: '10 items through this node', items: small, node: contenderNode(ours, 'remove', emulator) },
				{ id: 'benchMemNoNodeT0', label: '10 items, without the node', items: small, node: undefined },
			];
			// Optional: the same items through n8n's Set node evaluating the same two expressions per item as the node
			// (what n8n's expression runtime alone costs in memory).
			if (/^(1|true|yes)$/i.test(process.env.BENCH_MEMORY_EXPRESSIONS ?? '')) {
				defs.push({
					id: 'benchMemSetExpr0',
					label: `${CONFIG.memoryItems} items through a Set node evaluating the same 2 expressions`,
					items: memoryItems,
					node: {
						id: 'c0ffee00-0000-4000-8000-000000000004',
						name: CONTENDER_NODE,
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						position: [720, 0],
						parameters: {
							mode: 'manual',
							assignments: {
								assignments: [
									{ id: 'a1', name: 'callId', value: '={{ $json.callId }}', type: 'string' },
									{ id: 'a2', name: 'participantId', value: '={{ $json.participantId }}', type: 'string' },
								],
							},
							options: {},
						},
					},
				});
			}
			for (const def of defs) {
				writeFileSync(join(workflowsDir, `${def.id}.json`), JSON.stringify(workflow(def.id, `bench memory: ${def.label}`, def.items, def.node)));
				memoryRuns.push(def);
			}
		}
		const imported = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
		rmSync(credentialsFile);
		if (imported.code !== 0) throw new Error(`import:credentials exited ${imported.code}\n${tail(imported.stderr || imported.stdout)}`);
		const importedWf = await n8n(ctx, ['import:workflow', '--separate', `--input=${workflowsDir}`]);
		if (importedWf.code !== 0) throw new Error(`import:workflow exited ${importedWf.code}\n${tail(importedWf.stderr || importedWf.stdout)}`);
		say(`setup ${fmtMs(Date.now() - t0)}; ${plan.length} workload × contender pairs`);

		// Runs: per workload, repeats interleaved across contenders (so that drift hits all alike).
		const results = [];
		for (const w of WORKLOADS) {
			const items = itemsByWorkload.get(w.key);
			const pairs = plan.filter((p) => p.workload === w);
			const rounds = Math.max(...pairs.map((p) => repeatsOf(w, p.contender)));
			const runsOf = new Map(pairs.map((p) => [p, []]));
			for (let round = 0; round < rounds; round++) {
				for (const p of pairs) {
					if (round >= repeatsOf(w, p.contender)) continue;
					await prepare(emulator, w.operation, items, w);
					const loadBefore = loadavg()[0];
					const ids = p.workflowIds[round];
					const r =
						p.contender.kind === 'sdk'
							? await runSdk(ctx, emulator, w.operation, items)
							: Array.isArray(ids)
								? await runBatch(ctx, emulator, ids, items.length)
								: await runN8n(ctx, ids, items.length);
					r.stats = await control(emulator, 'GET', '/stats');
					r.load = loadBefore;
					if (w.rateLimitPerSecond) r.perSecond = (await control(emulator, 'GET', '/removals')).perSecond;
					runsOf.get(p).push(r);
					say(
						`${w.label} | ${p.contender.label} | run ${round + 1}: ${r.wallMs === undefined ? 'no time' : fmtMs(r.wallMs)}, ` +
							`${r.stats.graphRequests} requests, max ${r.stats.maxInFlight} in flight, ${r.stats.tokenRequests} token(s), ` +
							`${r.failed} failed${r.firstError ? ` (${String(r.firstError).slice(0, 120)})` : ''}, ` +
							`peak RSS ${r.peakRssMb?.toFixed(0) ?? '?'} MB (process ${fmtMs(r.processMs)}), load ${r.load.toFixed(1)}`,
					);
					if (r.perSecond) say(`  per second, accepted: ${timeline(r.perSecond)}`);
				}
			}
			for (const p of pairs) results.push({ workload: w, contender: p.contender, summary: summarise(runsOf.get(p)) });
		}

		// Memory
		const memoryResults = [];
		if (memory) {
			for (const def of memoryRuns) {
				await prepare(emulator, 'remove', memoryItems, { latencyMs: 0, calls: CONFIG.calls });
				const r = await runN8n(ctx, def.id, def.node ? def.items.length : 0);
				r.stats = await control(emulator, 'GET', '/stats');
				memoryResults.push({ ...def, items: def.items.length, result: r });
				say(`memory | ${def.label}: peak RSS ${r.peakRssMb?.toFixed(1)} MB, ${r.stats.graphRequests} requests, ${r.failed} failed, node ${r.wallMs === undefined ? '-' : fmtMs(r.wallMs)}`);
			}
		}

		const report = buildReport(results, memoryResults, Date.now() - t0);
		process.stdout.write(`\n${report.text}\n`);
		mkdirSync(CONFIG.out, { recursive: true });
		writeFileSync(join(CONFIG.out, 'results.md'), report.markdown);
		writeFileSync(join(CONFIG.out, 'results.json'), JSON.stringify(report.json, null, 2));
		writeFileSync(join(CONFIG.out, 'results.png'), renderChart(report.chart));
		say(`wrote ${join(CONFIG.out, 'results.md')}, results.json, results.png; total ${fmtMs(Date.now() - t0)}`);
		ok = true;
	} finally {
		await stopAllChildren();
		if (CONFIG.keep || !ok) say(`kept ${work} (n8n logs in ${join(work, 'logs')})`);
		else rmSync(work, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Report: table, targets, markdown, chart data

const f1 = (v, digits = 2) => (v === undefined || v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function buildReport(results, memoryResults, totalMs) {
	const find = (wk, ck) => results.find((r) => r.workload.key === wk && r.contender.key === ck)?.summary;
	const rows = results.map(({ workload: w, contender: c, summary: s }) => {
		const ours = find(w.key, 'ours');
		const bound = boundMs(w, c, s);
		return {
			workload: w.label,
			workloadKey: w.key,
			contender: c.label,
			contenderKey: c.key,
			runs: s.runs,
			wallS: s.wallMs / 1000,
			msPerItem: s.wallMs / w.items,
			vsOurs: ours ? s.wallMs / ours.wallMs : undefined,
			vsBound: bound ? s.wallMs / bound : undefined,
			boundFromObserved: bound !== undefined && c.concurrency === undefined && !w.rateLimitPerSecond,
			requests: s.graphRequests,
			maxInFlight: s.maxInFlight,
			tokens: s.tokenRequests,
			throttled: s.throttled,
			failed: s.failed,
			firstError: s.firstError,
			peakRssMb: s.peakRssMb,
			wallMsAll: s.wallMsAll,
			each: s.each,
			itemsCount: w.items,
			rateLimit: w.rateLimitPerSecond,
		};
	});
	const loads = rows.flatMap((r) => r.each.map((run) => run.load)).filter((load) => load !== undefined);
	const header = ['workload', 'contender', 'runs', 'wall s', 'ms/item', '× ours', '× bound', 'requests', 'max in flight', 'tokens', '429s', 'failed', 'peak RSS MB'];
	const cells = rows.map((r) => [
		r.workload,
		r.contender,
		String(r.runs),
		f1(r.wallS),
		f1(r.msPerItem, 2),
		f1(r.vsOurs),
		r.vsBound === undefined ? '—' : `${f1(r.vsBound)}${r.boundFromObserved ? '*' : ''}`,
		String(r.requests),
		String(r.maxInFlight),
		String(r.tokens),
		String(r.throttled),
		String(r.failed),
		f1(r.peakRssMb, 0),
	]);

	// Targets
	const targets = [];
	const ratio = (slow, fast) => (slow && fast ? slow.wallMs / fast.wallMs : undefined);
	const target = (name, value, pass, detail) => targets.push({ name, value, pass, detail });
	for (const wk of ['a', 'b']) {
		const ours = find(wk, 'ours');
		if (!ours) continue;
		const http = find(wk, 'http');
		const batch = find(wk, 'httpBatch');
		const sdk = find(wk, 'sdk');
		const ours20 = find(wk, 'ours20');
		const w = WORKLOADS.find((x) => x.key === wk);
		if (http) {
			const r = ratio(http, ours);
			target(`(${wk}) defaults ≥ 1.5× faster than HTTP Request defaults, ≤ 10 in flight`, `${f1(r)}×, max ${ours.maxInFlight} in flight`, r >= 1.5 && ours.maxInFlight <= 10);
			if (ours20) {
				const r20 = ratio(http, ours20);
				target(`(${wk}) maxConcurrency 20 ≥ 3× faster than HTTP Request defaults`, `${f1(r20)}×`, r20 >= 3);
			}
		}
		if (batch) {
			const r = ratio(batch, ours);
			target(`(${wk}) defaults ≥ 1.5× faster than HTTP Request with batching 10`, `${f1(r)}×`, r >= 1.5);
		}
		if (sdk) {
			const r = ratio(sdk, ours);
			target(`(${wk}) defaults ≥ 5× faster than the awaited SDK loop`, `${f1(r)}×`, r >= 5);
		}
		const b = boundMs(w, CONTENDERS.find((c) => c.key === 'ours'), ours);
		if (b) target(`(${wk}) defaults within 1.25× of the latency bound (${fmtMs(b)})`, `${f1(ours.wallMs / b)}×`, ours.wallMs / b <= 1.25);
		if (ours20 && b) {
			const b20 = (w.items * w.latencyMs) / 20;
			target(`(${wk}) maxConcurrency 20 within 1.25× of its latency bound (${fmtMs(b20)}) [not a target; for information]`, `${f1(ours20.wallMs / b20)}×`, undefined);
		}
	}
	{
		const ours = find('c', 'ours');
		const http = find('c', 'http');
		if (ours && http) {
			const r = ratio(http, ours);
			target(
				'(c) ≥ 5× less time per item than HTTP Request (latency 0: own overhead)',
				`${f1(r)}× (${f1(ours.wallMs / CONFIG.items, 2)} vs ${f1(http.wallMs / CONFIG.items, 2)} ms/item)`,
				r >= 5,
			);
		}
	}
	{
		const oursRows = results.filter((r) => r.contender.kind === 'ours');
		if (oursRows.length) {
			const worst = Math.max(...oursRows.map((r) => r.summary.tokenRequests));
			target('one token request per run (this node, every workload and setting)', `max ${worst} per run`, worst === 1);
		}
	}
	for (const wk of ['d', 'e']) {
		const ours = find(wk, 'ours');
		if (!ours) continue;
		const w = WORKLOADS.find((x) => x.key === wk);
		const allowed = (w.items / w.rateLimitPerSecond) * 1000;
		const perItem = ours.graphRequests / w.items;
		const http = find(wk, 'http');
		target(
			`(${wk}) zero failed items, within 1.1× of what ${w.rateLimitPerSecond} req/s allows (${fmtMs(allowed)}), ≤ 1.15 requests per item`,
			`${ours.failed} failed, ${f1(ours.wallMs / allowed)}×, ${f1(perItem)} requests per item` +
				(http ? `; HTTP Request: ${http.failed} of ${w.items} failed, ${f1(http.wallMs / 1000)} s` : ''),
			ours.failed === 0 && ours.wallMs / allowed <= 1.1 && perItem <= 1.15,
		);
		const walls = ours.each.map((run) => run.wallMs / allowed);
		target(
			`(${wk}) the worst of ${walls.length} runs within 1.2× of what ${w.rateLimitPerSecond} req/s allows`,
			`each run ${walls.map((x) => `${f1(x)}×`).join(', ')}`,
			Math.max(...walls) <= 1.2,
		);
	}
	let memoryRows = [];
	if (memoryResults.length) {
		const by = (id) => memoryResults.find((m) => m.id === id)?.result;
		const without = by('benchMemNoNode00');
		const withNode = by('benchMemOurs0000');
		const ten = by('benchMemOursTen0');
		memoryRows = memoryResults.map((m) => ({
			label: m.label,
			peakRssMb: m.result.peakRssMb,
			heapAfterGcMb: m.result.heapAfterGcMb,
			nodeMs: m.result.wallMs,
			requests: m.result.stats.graphRequests,
			failed: m.result.failed,
		}));
		const tenWithout = by('benchMemNoNodeT0');
		if (without && withNode) {
			const growth = withNode.peakRssMb - without.peakRssMb;
			const load = ten && tenWithout ? ten.peakRssMb - tenWithout.peakRssMb : undefined;
			const retained = withNode.heapAfterGcMb - without.heapAfterGcMb;
			target(
				`memory: heap still in use after ${CONFIG.memoryItems} items under 50 MB (after GC, at exit, with the node − without it)`,
				`${f1(retained, 1)} MB (the node's ${CONFIG.memoryItems} output items and its code included)`,
				retained < 50,
			);
			target(
				`memory: peak RSS growth under 50 MB for ${CONFIG.memoryItems} items (peak RSS with the node − the same workflow without it)`,
				`${f1(growth, 1)} MB, of which loading the node's code (10 items with − without) ${f1(load, 1)} MB`,
				growth < 50,
			);
		}
	}

	const m = machine();
	const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	const settings =
		`Graph latency ${CONFIG.graphLatencyMs} ms, token latency ${CONFIG.tokenLatencyMs} ms, ${CONFIG.calls} calls, ` +
		`median of ${CONFIG.repeat} runs (${CONFIG.slowRepeat} for the contenders that await each request at latency > 0)`;
	const machineLine =
		`${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, n8n ${m.n8n}, ${process.platform}; ` +
		`load average (1 min) ${f1(Math.min(...loads), 1)}–${f1(Math.max(...loads), 1)} at the start of the runs (the machine is shared)`;
	const rateRuns = rows.filter((r) => r.each.some((run) => run.perSecond));
	const rateLines = rateRuns.flatMap((r) =>
		r.each.map((run, i) => {
			const allowed = (r.itemsCount / r.rateLimit) * 1000;
			return `| ${r.workload} | ${r.contender} | ${i + 1} | ${f1(run.wallMs / 1000)} | ${f1(run.wallMs / allowed)} | ${run.requests} | ${run.throttled} | ${run.failed} | ${f1(run.load, 1)} | ${run.perSecond ? timeline(run.perSecond) : '—'} |`;
		}),
	);

	const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
	const textRow = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ');
	const targetLine = (t) => `${t.pass === undefined ? 'info' : t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.value}`;
	const text = [
		`${date} — ${machineLine}`,
		settings,
		'',
		textRow(header),
		widths.map((w) => '-'.repeat(w)).join('-+-'),
		...cells.map(textRow),
		'',
		'× ours: wall time ÷ this node with defaults on the same workload; × bound: wall ÷ (items × latency ÷ concurrency), or ÷ (items ÷ rate) for (d);',
		'* HTTP Request has no concurrency bound: its bound uses the most requests in flight the emulator saw.',
		'',
		...(memoryRows.length
			? ['Memory (latency 0):', ...memoryRows.map((r) => `  ${r.label}: peak RSS ${f1(r.peakRssMb, 1)} MB, heap in use at exit (after GC) ${f1(r.heapAfterGcMb, 1)} MB${r.nodeMs === undefined ? '' : `, node ${fmtMs(r.nodeMs)}, ${r.requests} requests, ${r.failed} failed`}`), '']
			: []),
		...(rateRuns.length
			? ['Rate-limited runs, each (accepted per second, [429s]):', ...rateRuns.flatMap((r) => r.each.map((run, i) => `  ${r.workload} | ${r.contender} | run ${i + 1}: ${fmtMs(run.wallMs)}, ${run.requests} requests, ${run.throttled} × 429, load ${f1(run.load, 1)}: ${run.perSecond ? timeline(run.perSecond) : '—'}`)), '']
			: []),
		'Targets:',
		...targets.map((t) => `  ${targetLine(t)}`),
		'',
		`bench total ${fmtMs(totalMs)}`,
	].join('\n');

	const md = [
		'# Benchmark results',
		'',
		`Generated by \`npm run bench\` on ${date}.`,
		'',
		`- Machine: ${machineLine}`,
		`- Settings: ${settings}`,
		`- Total bench time: ${fmtMs(totalMs)}`,
		'',
		`| ${header.join(' | ')} |`,
		`|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
		...cells.map((row) => `| ${row.join(' | ')} |`),
		'',
		'- **wall s**: for the n8n contenders, the contender node\'s `executionTime` from the execution\'s run data (`n8n execute --rawOutput`); ' +
			'for the SDK script, from before its first token request to its last answer. Median of the runs.',
		'- **× ours**: wall time ÷ this node with its defaults on the same workload. **× bound**: wall ÷ (items × Graph latency ÷ concurrency); ' +
			'for (d) wall ÷ (items ÷ rate limit). \\* HTTP Request has no bound: its concurrency is taken as the most requests in flight seen.',
		'- **requests**, **max in flight**, **tokens**, **429s**: counted by the emulator (max in flight, tokens and failed: the worst run).',
		'- **peak RSS MB**: the process\'s peak resident memory (getrusage maxRSS) — the whole n8n process for the n8n contenders, the script for the SDK.',
		'',
		...(rateLines.length
			? [
					'## Rate-limited workloads, run by run',
					'',
					'Every run, not only the median. *per second*: the requests Graph (the emulator) accepted in each second from the first request, ' +
						'with the 429s of that second in brackets. *load*: the machine\'s 1-minute load average as the run started (2 cores, shared).',
					'',
					'| workload | contender | run | wall s | × bound | requests | 429s | failed | load | per second |',
					'|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
					...rateLines,
					'',
				]
			: []),
		...(memoryRows.length
			? [
					'## Memory (latency 0, peak RSS of the `n8n execute` process)',
					'',
					'| run | peak RSS MB | heap in use at exit, after GC, MB | node time | requests | failed |',
					'|---|---:|---:|---:|---:|---:|',
					...memoryRows.map((r) => `| ${r.label} | ${f1(r.peakRssMb, 1)} | ${f1(r.heapAfterGcMb, 1)} | ${r.nodeMs === undefined ? '—' : fmtMs(r.nodeMs)} | ${r.requests} | ${r.failed} |`),
					'',
				]
			: []),
		'## Targets',
		'',
		...targets.map((t) => `- **${t.pass === undefined ? 'info' : t.pass ? 'PASS' : 'MISS'}** ${t.name}: ${t.value}`),
		'',
		...NOTES,
		'',
		'## Chart',
		'',
		'![wall time per workload and contender](results.png)',
		'',
		'Wall time (seconds, log scale) per workload; bar colours, left to right in each group:',
		'',
		...CONTENDERS.map((c, i) => `- ${CHART_COLOUR_NAMES[i % CHART_COLOUR_NAMES.length]}: ${c.label}`),
		'',
	].join('\n');

	const chart = {
		title: `WALL TIME S LOG SCALE - LATENCY ${CONFIG.graphLatencyMs} MS - ${date.slice(0, 10)}`,
		groups: WORKLOADS.map((w) => ({ label: w.label.replace(', latency 0', ', 0 MS').toUpperCase(), values: CONTENDERS.map((c) => find(w.key, c.key)?.wallMs / 1000) })),
		series: CONTENDERS.map((c) => c.label.toUpperCase()),
	};
	return { text, markdown: md, json: { date, machine: m, config: CONFIG, rows, memory: memoryRows, targets, totalMs }, chart };
}

const NOTES = ['## Notes', '', '- The HTTP Request contenders get a new OAuth2 credential for every run, so each run starts without a stored token (as after the token expired); with a warm credential n8n reuses the stored token and fetches none. Cold, every item that starts before the first token is stored fetches its own.', '- In n8n 2.41.1’s HTTP Request node (typeVersion 4.x, `HttpRequestV3`), batching only waits when the interval is > 0: "batch 10, interval 0" starts every item at once, as the defaults do.', '- The HTTP Request node runs with *On Error: Continue* here so that failed items can be counted; in (d) its bars are short because 429s failed at once (without Continue, the first 429 stops the workflow).', "- This node's and the SDK's bars never include failures: 0 failed in every run."];

export const CHART_COLOUR_NAMES = ['dark blue', 'light blue', 'teal', 'orange', 'yellow', 'grey'];

main().catch(async (error) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	await stopAllChildren();
	process.exitCode = 1;
});
