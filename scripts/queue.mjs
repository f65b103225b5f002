#!/usr/bin/env node
/**
 * Queue mode, for real: `npm run test:queue`. Redis and PostgreSQL on loopback (Debian's redis-server and postgresql,
 * installed with apt-get when missing), an n8n 2.41.1 main instance, one webhook process and two workers
 * (EXECUTIONS_MODE=queue), each with its own user folder and our package installed the way n8n installs community
 * packages, next to the emulator (bench/emulatorServer.ts: Entra + Graph + the calling platform + a control endpoint).
 *
 * Checks:
 *  1. N executions × M removes started at once through the webhook process: every participant removed once, none lost,
 *     every execution successful, token requests at most one per worker process;
 *  2. the meeting guard (scripts/meetingGuardScenario.mjs, as in the e2e) with the calls' notifications going to the
 *     webhook process and the executions running on the workers: Mallory removed once, Alice stays, 20 strangers
 *     removed once each, forged notifications refused with no execution, the trigger's memory in the workflow's static
 *     data and back after the webhook process restarts, callTerminated once;
 *  3. N executions × M removes under a 20 requests/s limit at the emulator: 0 failed items, requests per item;
 *  4. a worker killed (SIGKILL) mid-run: what n8n does with its execution is observed and printed; our package adds
 *     nothing to it (no participant reported removed that Graph did not remove, and the surviving worker's next
 *     execution runs with no blocked token or throttle state).
 * Everything it started is stopped, whatever happens.
 *
 * Environment: QUEUE_EXECUTIONS (default 10), QUEUE_ITEMS (default 200), QUEUE_RATE_ITEMS (default 50),
 * QUEUE_RATE (default 20), QUEUE_N8N (the n8n version, default the e2e's 2.x; 1.x runs on the machine's own Node), QUEUE_EAGER_ISOLATE=1 (the webhook process with n8n's default eager expression isolates),
 * QUEUE_WEBHOOK_DB_POOL (the webhook process's PostgreSQL pool, default 10; n8n's own default is 2),
 * QUEUE_KEEP=1 (keep the work folder), QUEUE_VERBOSE=1, TEAMS_CALL_TOOLS (the tools cache).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	activateWorkflow,
	assert,
	buildAndPack,
	configureHarness,
	CREDENTIAL_TYPE,
	emulatorCredential,
	fmtMs,
	freePort,
	installPackage,
	n8n,
	n8nEnv,
	N8N_VERSION,
	n8nInstall,
	NODE_TYPE,
	nodeMajor,
	provisionN8n,
	repo,
	saveLog,
	spawnTracked,
	startEmulator,
	stopAllChildren,
	stopChild,
	tail,
	waitFor,
	webhookRegistered,
} from './n8nHarness.mjs';
import { guardFixtures, importGuard, joinByCli, runMeetingGuard, setUpOwner } from './meetingGuardScenario.mjs';
import { nodeMajorOf, OWN_NODE_ENV, OWN_NODE_PATH_ENV } from './node24.mjs';

configureHarness({ label: 'queue', verbose: /^(1|true|yes)$/i.test(process.env.QUEUE_VERBOSE ?? '') });

const int = (name, fallback) => Math.max(1, Math.round(Number(process.env[name] ?? fallback)) || fallback);
const EXECUTIONS = int('QUEUE_EXECUTIONS', 10);
const ITEMS = int('QUEUE_ITEMS', 200);
const RATE_ITEMS = int('QUEUE_RATE_ITEMS', 50);
const RATE = int('QUEUE_RATE', 20);
const WORKER_CONCURRENCY = 10;
/**
 * The n8n to run (QUEUE_N8N, default the e2e's 2.x): 2.x on this process's Node (24, through node24.mjs); 1.x on the
 * machine's own Node, as the e2e runs it and as its users there do (with the legacy expression engine below Node 22).
 */
const N8N = process.env.QUEUE_N8N || N8N_VERSION;
const install =
	nodeMajorOf(N8N) >= 2
		? n8nInstall({ version: N8N })
		: n8nInstall({ version: N8N, node: process.env[OWN_NODE_PATH_ENV] || process.execPath, nodeVersion: process.env[OWN_NODE_ENV] || process.version });
const engineEnv = install.nodeMajor < 22 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {};
const keep = /^(1|true|yes)$/i.test(process.env.QUEUE_KEEP ?? '');
const CREDENTIAL = { id: 'tcpQueueEmulator', name: 'Microsoft Graph App (queue emulator)' };
const WORKFLOW_ID = 'tcpQueueRemove01';
const WEBHOOK_PATH = 'teams-call-queue-remove';

const say = (line) => process.stdout.write(`queue: ${line}\n`);
const results = [];
function check(name, ok, detail = '') {
	results.push({ name, ok, detail });
	say(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` · ${detail}` : ''}`);
}
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------------------------------------------------------
// Redis and PostgreSQL from Debian

function which(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function ensureDebianPackages() {
	const missing = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!postgresBin()) missing.push('postgresql');
	if (!missing.length) return 'already installed';
	assert(process.getuid?.() === 0, `${missing.join(' and ')} missing: install them (sudo apt-get install ${missing.join(' ')}) and run again`);
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
		const result = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		assert(result.status === 0, `apt-get ${args.join(' ')} failed:\n${tail(result.stderr || result.stdout)}`);
	}
	return `installed ${missing.join(', ')}`;
}

async function startRedis(work) {
	const port = await freePort();
	const child = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], {});
	child.stdout.resume();
	child.stderr.resume();
	await waitFor('redis', () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 20_000, 250);
	return { child, port };
}

/** PostgreSQL refuses to run as root: as root, its data folder belongs to the postgres user and it runs as that user. */
async function startPostgres(work) {
	const bin = postgresBin();
	const port = await freePort();
	const data = join(work, 'pg-data');
	const sockets = join(work, 'pg-sock');
	mkdirSync(data, { recursive: true });
	mkdirSync(sockets, { recursive: true });
	const asRoot = process.getuid?.() === 0;
	const as = (command, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
	if (asRoot) {
		chmodSync(work, 0o755);
		spawnSync('chown', ['-R', 'postgres:postgres', data, sockets]);
	}
	const [initCommand, initArgs] = as(join(bin, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
	assert(init.status === 0, `initdb failed:\n${tail(init.stderr || init.stdout)}`);
	const [command, args] = as(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', sockets, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
	const child = spawnTracked(command, args, {});
	child.stdout.resume();
	child.stderr.resume();
	await waitFor('postgresql', () => spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0, 30_000, 250);
	const psql = (sql) => {
		const result = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'postgres', '-Atc', sql], { encoding: 'utf8' });
		assert(result.status === 0, `psql failed: ${tail(result.stderr)}`);
		return result.stdout.trim();
	};
	return { child, port, psql };
}

// ---------------------------------------------------------------------------------------------------------------
// n8n in queue mode

function queueEnv(userFolder, port, brokerPort, services, extra = {}) {
	return {
		...n8nEnv(userFolder, port, brokerPort, install),
		...engineEnv,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_DATABASE: 'postgres',
		WEBHOOK_URL: `http://127.0.0.1:${services.webhookPort}/`,
		...extra,
	};
}

/**
 * The webhook process answers Graph's notifications. n8n 2.x takes an expression isolate for every webhook call to a
 * node other than its own Webhook node, before the node's webhook() runs, from a pool of 1 (N8N_EXPRESSION_ENGINE_POOL_SIZE):
 * 20 notifications at once start 19 new isolates (about 0.2 s of CPU each here), and the last 202 waits for all of
 * them. The Teams Call Trigger evaluates no expression while it answers: with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true,
 * n8n creates an isolate only when an expression is evaluated (README, Queue mode). QUEUE_EAGER_ISOLATE=1: n8n's default.
 */
function webhookIsolateEnv() {
	return {
		N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: /^(1|true|yes)$/i.test(process.env.QUEUE_EAGER_ISOLATE ?? '') ? 'false' : 'true',
		// The trigger's debug line per notification: when its webhook() was entered and how long it took (numbers only).
		N8N_LOG_LEVEL: 'debug',
		// n8n's PostgreSQL pool is 2 connections: 20 notifications at once wait in line for it (each loads its workflow
		// and reads the trigger's credential before the 202; the executions queued after it write). 10, as README advises
		// (20 at once: 202 after a median 2.43 s, against 4.35 s with 2); QUEUE_WEBHOOK_DB_POOL=2 for n8n's default.
		DB_POSTGRESDB_POOL_SIZE: String(int('QUEUE_WEBHOOK_DB_POOL', 10)),
	};
}

/**
 * Where the 20 strangers' notification → 202 time goes: from the notifications' sending (the emulator) to the trigger's
 * webhook() being entered in the webhook process (n8n: routing, loading the workflow, its webhook set-up), and inside
 * webhook() (credential read, verification, events) until the 202 is written. From the trigger's debug lines.
 */
function answerBreakdown(log, deliveries) {
	if (!deliveries?.length) return 'no deliveries';
	const first = Math.min(...deliveries.map((d) => d.sentAt));
	const last = Math.max(...deliveries.map((d) => d.answeredAt));
	const lines = [...log.matchAll(/Teams Call Trigger answered 202 at (\d+): webhook\(\) entered at (\d+), credential (\d+) ms, verification and events (\d+) ms/g)]
		.map((m) => ({ answeredAt: Number(m[1]), enteredAt: Number(m[2]), credentialMs: Number(m[3]), restMs: Number(m[4]) }))
		.filter((l) => l.enteredAt >= first && l.answeredAt <= last + 1000);
	if (lines.length === 0) return 'no trigger debug lines';
	const mid = (values) => fmtMs([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
	const max = (values) => fmtMs(Math.max(...values));
	const entered = lines.map((l) => l.enteredAt - first);
	const inside = lines.map((l) => l.answeredAt - l.enteredAt);
	return `${lines.length} answers: sent → webhook() entered median ${mid(entered)} (last ${max(entered)}); inside webhook() median ` +
		`${mid(inside)} (max ${max(inside)}; credential read median ${mid(lines.map((l) => l.credentialMs))}, verification and events ` +
		`median ${mid(lines.map((l) => l.restMs))})`;
}

/**
 * An n8n process (`start`, `webhook` or `worker`) with its own user folder; ready when its health check answers.
 * restart() stops it (SIGTERM) and starts it again on the same port.
 */
async function startInstance(work, packed, services, role, index = 0) {
	const name = index ? `${role}-${index}` : role;
	const userFolder = join(work, name);
	mkdirSync(userFolder, { recursive: true });
	await installPackage(userFolder, packed, install);
	const port = role === 'webhook' ? services.webhookPort : await freePort();
	const health = role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) } : {};
	const env = queueEnv(userFolder, port, await freePort(), services, { ...health, ...(role === 'webhook' ? webhookIsolateEnv() : {}) });
	const ctx = { work, userFolder, env, install, outputs: [], keepOutputs: false };
	const args = role === 'start' ? ['start'] : role === 'webhook' ? ['webhook'] : ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
	const healthPath = role === 'worker' ? '/healthz' : '/healthz/readiness';
	const instance = { name, ctx, port, base: `http://127.0.0.1:${port}`, logs: [] };
	const launch = async () => {
		const child = spawnTracked(install.node, [install.bin, ...args], { cwd: userFolder, env });
		const log = { text: '' };
		instance.logs.push(log);
		child.stdout.on('data', (chunk) => (log.text += chunk));
		child.stderr.on('data', (chunk) => (log.text += chunk));
		instance.child = child;
		await waitFor(`n8n ${name} to be ready`, async () => {
			assert(child.exitCode === null && child.signalCode === null, `n8n ${name} exited (${child.exitCode ?? child.signalCode})\n${tail(log.text)}`);
			return await fetch(`http://127.0.0.1:${port}${healthPath}`).then((r) => r.ok, () => false);
		}, 120_000, 250);
		// n8n 1.x's webhook process answers readiness before it serves webhooks (a notification then got 404).
		if (role === 'webhook') await webhookRegistered(`http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`);
	};
	await launch();
	instance.log = () => instance.logs.map((log) => log.text).join('\n');
	instance.save = () => saveLog(ctx, name, instance.log());
	instance.restart = async () => {
		await stopChild(instance.child, 10_000);
		await launch();
	};
	return instance;
}

function removeWorkflow() {
	const callId = '={{ $json.c }}';
	return {
		id: WORKFLOW_ID,
		name: 'Queue mode: remove the participants posted to the webhook',
		nodes: [
			{
				id: 'w', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: WEBHOOK_PATH,
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: 's', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0],
				parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
			},
			{
				id: 'r', name: 'Remove', type: NODE_TYPE, typeVersion: 1, position: [400, 0],
				parameters: { operation: 'remove', callId, participantId: { __rl: true, mode: 'id', value: '={{ $json.p }}' }, options: {} },
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Remove', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		active: false,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// the emulator's control endpoint

async function control(emulator, method, path, body) {
	const response = await fetch(`${emulator.values.CONTROL_URL}${path}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	const json = await response.json();
	assert(response.ok, `emulator control ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

/** `executions` calls of `items` participants each: call q<run>-<e>, participants p-<i>. */
function plan(run, executions, items) {
	return Array.from({ length: executions }, (_, e) => ({
		id: `q${run}-${e}`,
		participantIds: Array.from({ length: items }, (_, i) => `p-${i}`),
	}));
}

async function fire(services, calls) {
	const url = `http://127.0.0.1:${services.webhookPort}/webhook/${WEBHOOK_PATH}`;
	const answers = await Promise.all(
		calls.map((call) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ items: call.participantIds.map((p) => ({ c: call.id, p })) }),
			}).then((r) => r.status, (error) => String(error)),
		),
	);
	return answers;
}

/** SQL: the removal workflow's executions created since `startedAfter` (ms). */
function executionsSince(startedAfter) {
	return `"workflowId" = '${WORKFLOW_ID}' and "createdAt" >= to_timestamp(${startedAfter / 1000})`;
}

/** Waits until every execution of this run has finished (PostgreSQL), or nothing changes for `quietMs`. */
async function settle(services, startedAfter, expected, quietMs = 60_000) {
	let last = '';
	let changedAt = Date.now();
	for (;;) {
		const rows = services.postgres.psql(
			`select status, count(*) from execution_entity where ${executionsSince(startedAfter)} group by status order by status`,
		);
		const byStatus = Object.fromEntries(rows.split('\n').filter(Boolean).map((row) => row.split('|')).map(([s, n]) => [s, Number(n)]));
		const finished = Object.entries(byStatus).filter(([s]) => !['new', 'running', 'waiting'].includes(s)).reduce((n, [, c]) => n + c, 0);
		if (finished >= expected) return byStatus;
		const seen = JSON.stringify(byStatus);
		if (seen !== last) {
			last = seen;
			changedAt = Date.now();
		}
		if (Date.now() - changedAt > quietMs) return byStatus;
		await sleep(500);
	}
}

/** When each execution since `since` (ms) started and stopped, in seconds from then, as n8n recorded them (PostgreSQL). */
function executionSpans(services, since) {
	const rows = services.postgres.psql(
		`select extract(epoch from "startedAt") * 1000, extract(epoch from "stoppedAt") * 1000 from execution_entity where ${executionsSince(since - 1000)} order by "startedAt"`,
	);
	const seconds = (ms) => (Number(ms) - since) / 1000;
	return rows.split('\n').filter(Boolean).map((row) => row.split('|')).map(([start, stop]) => `${seconds(start).toFixed(1)}–${seconds(stop).toFixed(1)}`).join(' ');
}

function summarise(removals, calls) {
	const expected = calls.flatMap((call) => call.participantIds.map((p) => `${call.id}/${p}`));
	const counts = expected.map((key) => removals.removed[key] ?? 0);
	return {
		removedOnce: counts.filter((n) => n === 1).length,
		twice: counts.filter((n) => n > 1).length,
		never: counts.filter((n) => n === 0).length,
		stillInCalls: calls.reduce((n, call) => n + (removals.remaining[call.id] ?? 0), 0),
	};
}

// ---------------------------------------------------------------------------------------------------------------

async function scenario(label, services, emulator, { run, executions, items, rate, expectTokensAtMost }) {
	await control(emulator, 'POST', '/reset');
	await control(emulator, 'POST', '/configure', { rateLimitPerSecond: rate ?? null });
	const calls = plan(run, executions, items);
	await control(emulator, 'POST', '/calls', { calls });
	const started = Date.now();
	const answers = await fire(services, calls);
	check(`${label}: ${executions} webhook calls accepted`, answers.every((s) => s === 200), `answers ${[...new Set(answers)].join(', ')}`);
	const statuses = await settle(services, started - 1000, executions);
	const ms = Date.now() - started;
	const removals = await control(emulator, 'GET', '/removals');
	const s = summarise(removals, calls);
	const total = executions * items;
	check(`${label}: every execution succeeded`, (statuses.success ?? 0) === executions, JSON.stringify(statuses));
	check(`${label}: ${total} participants removed once, none twice, none lost`, s.removedOnce === total && s.twice === 0 && s.never === 0 && s.stillInCalls === 0,
		`once ${s.removedOnce}, twice ${s.twice}, never ${s.never}, still in calls ${s.stillInCalls}`);
	check(`${label}: token requests ≤ ${expectTokensAtMost} (one per worker process at most)`, removals.tokenRequests <= expectTokensAtMost, `${removals.tokenRequests}`);
	const perItem = removals.graphRequests / total;
	say(`${label}: ${fmtMs(ms)}, ${removals.graphRequests} Graph requests (${perItem.toFixed(2)} per item), ${removals.throttled} × 429` +
		(rate ? `, bound ${fmtMs((total / rate) * 1000)} (${(ms / ((total / rate) * 1000)).toFixed(2)}×)` : ''));
	if (rate && removals.perSecond) {
		const { accepted, refused } = removals.perSecond;
		say(`${label}: accepted per second [429s]: ${accepted.map((n, i) => (refused[i] ? `${n}[${refused[i]}]` : String(n))).join(' ')}`);
		say(`${label}: executions, seconds from the first webhook call to their start–stop: ${executionSpans(services, started)}`);
	}
	return { ms, removals, statuses, perItem };
}

/** Logs of the processes by name: which worker ran each of these executions ("Worker started execution <id>"). */
function workersOf(instances, executionIds) {
	const counts = {};
	for (const instance of instances.filter((i) => i.name.startsWith('worker'))) {
		const started = new Set([...instance.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
		counts[instance.name] = executionIds.filter((id) => started.has(String(id))).length;
	}
	return counts;
}

/**
 * The meeting guard (scripts/meetingGuardScenario.mjs) in queue mode: the emulator's notifications go to the webhook
 * process, which verifies them and answers; the executions run on the workers; the checks read n8n's execution list
 * through the main instance's REST API. The webhook process is restarted once, to show where the trigger's memory lives.
 */
async function guardInQueueMode(instances, fixtures) {
	const byName = (name) => instances.find((i) => i.name === name);
	const step = async (name, fn) => {
		try {
			const detail = await fn();
			check(name, true, typeof detail === 'string' ? detail : '');
			return true;
		} catch (error) {
			check(name, false, error instanceof Error ? error.message : String(error));
			return false;
		}
	};
	const label = 'guard (queue mode)';
	let cookie;
	if (!(await step(`${label}: owner set up on the main instance, the guard is active`, async () => {
		cookie = await setUpOwner(byName('start').base, fixtures);
		return `notifications to ${fixtures.webhookUrl}`;
	}))) return;
	const started = Date.now();
	const figures = await runMeetingGuard({
		step,
		fixtures,
		restBase: byName('start').base,
		cookie,
		// n8n execute runs a workflow in its own process (it falls back from queue mode by itself: said here instead).
		join: joinByCli(byName('start').ctx, fixtures, { EXECUTIONS_MODE: 'regular' }),
		logs: () => instances.map((i) => i.log()).join('\n'),
		restartWebhooks: () => byName('webhook').restart(),
		label,
	});
	const n = figures.notifications;
	const e = figures.executions;
	say(`${label}: ${fmtMs(Date.now() - started)}; notifications ${n?.total} (answers ${JSON.stringify(n?.byStatus)}), ` +
		`executions ${e?.total} ${JSON.stringify(e?.byStatus)} on ${JSON.stringify(workersOf(instances, e?.ids ?? []))}, ` +
		`removals ${figures.removals}; webhook process with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=${webhookIsolateEnv().N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE}, ` +
		`DB_POSTGRESDB_POOL_SIZE=${webhookIsolateEnv().DB_POSTGRESDB_POOL_SIZE}: ` +
		`one notification → 202 ${fmtMs(figures.singleAnswerMs ?? NaN)}; 20 strangers: notification → 202 median ${fmtMs(figures.toAnswer?.medianMs ?? NaN)} ` +
		`(p95 ${fmtMs(figures.toAnswer?.p95Ms ?? NaN)}), ` +
		`→ DELETE median ${fmtMs(figures.toDelete?.medianMs ?? NaN)} (p95 ${fmtMs(figures.toDelete?.p95Ms ?? NaN)}); ` +
		`stored memory ${JSON.stringify(figures.storedMemory)}`);
	say(`${label}: where the 20 strangers' notification → 202 went: ${answerBreakdown(byName('webhook').log(), figures.strangerDeliveries)}`);
}

async function main() {
	say(`n8n@${N8N} in queue mode (node ${install.nodeVersion}${engineEnv.N8N_EXPRESSION_ENGINE ? ', legacy expression engine' : ''}): main + webhook + 2 workers, Redis, PostgreSQL`);
	assert(nodeMajorOf(N8N) < 2 || nodeMajor >= 24, `n8n@${N8N} needs Node 24 (running ${process.version}); run it through npm run test:queue`);
	const work = mkdtempSync(join(tmpdir(), 'teams-call-queue-'));
	const instances = [];
	let failed = false;
	const t0 = Date.now();
	try {
		say(`redis + postgresql: ${ensureDebianPackages()}`);
		say(`n8n: ${await provisionN8n(install)}`);
		const packed = await buildAndPack(work, { outName: 'queue', entries: ['bench/emulatorServer.ts'] });
		const emulator = await startEmulator(work, {
			script: join(repo, 'build', 'queue', 'bench', 'emulatorServer.js'),
			keys: ['CONTROL_URL', 'PLATFORM_URL', 'NOTIFICATION_OPENID_URL'],
		});
		const services = { redis: await startRedis(work), postgres: await startPostgres(work), webhookPort: await freePort() };
		say(`redis :${services.redis.port}, postgresql :${services.postgres.port}, emulator ${emulator.values.GRAPH_URL}`);

		// Credential and workflow go in through the main instance's CLI (one database for all instances).
		const mainFolder = join(work, 'start');
		mkdirSync(mainFolder, { recursive: true });
		const cli = { work, userFolder: mainFolder, install, outputs: [], env: queueEnv(mainFolder, await freePort(), await freePort(), services) };
		const files = { credentials: join(work, 'credentials.json'), workflow: join(work, 'workflow.json') };
		writeFileSync(files.credentials, JSON.stringify([emulatorCredential(emulator.values, emulator.caPem, CREDENTIAL)]));
		writeFileSync(files.workflow, JSON.stringify(removeWorkflow()));
		for (const args of [['import:credentials', `--input=${files.credentials}`], ['import:workflow', `--input=${files.workflow}`]]) {
			const result = await n8n(cli, args);
			assert(result.code === 0, `n8n ${args[0]} failed (exit ${result.code})\n${tail(result.stderr || result.stdout)}`);
		}
		await activateWorkflow(cli, WORKFLOW_ID);
		rmSync(files.credentials);
		// The meeting guard: its notifications go to the webhook process.
		const guardSetUp = guardFixtures(emulator, `http://127.0.0.1:${services.webhookPort}/`);
		await importGuard(cli, work, guardSetUp);

		const starting = Date.now();
		instances.push(await startInstance(work, packed, services, 'start'));
		instances.push(...(await Promise.all([
			startInstance(work, packed, services, 'webhook'),
			startInstance(work, packed, services, 'worker', 1),
			startInstance(work, packed, services, 'worker', 2),
		])));
		say(`4 n8n processes ready in ${fmtMs(Date.now() - starting)}`);


		await scenario('no limit', services, emulator, { run: 1, executions: EXECUTIONS, items: ITEMS, expectTokensAtMost: 2 });
		// The guard uses the same app (so the workers' tokens are already there) and runs before any throttle is learned.
		await control(emulator, 'POST', '/reset');
		await control(emulator, 'POST', '/configure', { rateLimitPerSecond: null });
		await guardInQueueMode(instances, guardSetUp);
		// Each worker process paces on its own (throttle state is per process): the figures are printed, not judged.
		await scenario(`${RATE} requests/s`, services, emulator, { run: 2, executions: EXECUTIONS, items: RATE_ITEMS, rate: RATE, expectTokensAtMost: 2 });

		// 3. A worker killed mid-run.
		await control(emulator, 'POST', '/reset');
		await control(emulator, 'POST', '/configure', { rateLimitPerSecond: RATE });
		const calls = plan(3, 4, 100);
		await control(emulator, 'POST', '/calls', { calls });
		const killedAt = Date.now();
		await fire(services, calls);
		await sleep(3000);
		const victim = instances.find((i) => i.name === 'worker-1');
		victim.child.kill('SIGKILL');
		await new Promise((done) => (victim.child.exitCode !== null || victim.child.signalCode !== null ? done() : victim.child.once('exit', done)));
		const statuses = await settle(services, killedAt - 1000, calls.length, 45_000);
		const removals = await control(emulator, 'GET', '/removals');
		const s = summarise(removals, calls);
		say(`worker-1 killed 3 s into 4 executions × 100 removes at ${RATE} requests/s; after 45 s without change:`);
		say(`worker killed: executions ${JSON.stringify(statuses)}; removed once ${s.removedOnce}, twice ${s.twice}, never ${s.never}, ` +
			`still in calls ${s.stillInCalls}, 404 answers ${removals.notFound}`);
		check('worker killed: no participant removed twice (Graph never got a second DELETE that succeeded)', s.twice === 0);
		const next = await scenario('after the kill (surviving worker)', services, emulator, { run: 4, executions: 2, items: 50, expectTokensAtMost: 1 });
		check('after the kill: the surviving worker is not blocked', (next.statuses.success ?? 0) === 2);
	} catch (error) {
		failed = true;
		check('queue suite ran to the end', false, error instanceof Error ? error.message : String(error));
	} finally {
		for (const instance of instances) instance.save();
		await stopAllChildren();
		failed ||= results.some((r) => !r.ok);
		if (keep || failed) say(`work folder kept: ${work}`);
		else rmSync(work, { recursive: true, force: true });
	}
	const passed = results.filter((r) => r.ok).length;
	say(`done in ${fmtMs(Date.now() - t0)}`);
	process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`);
	process.exitCode = passed === results.length && results.length > 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		stopAllChildren().finally(() => process.exit(130));
	});
}
main().catch(async (error) => {
	process.stderr.write(`queue: ${error instanceof Error ? error.stack : String(error)}\n`);
	await stopAllChildren();
	process.exit(1);
});
