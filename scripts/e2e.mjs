#!/usr/bin/env node
/**
 * End-to-end: our package inside a real n8n (the version below), installed the way n8n's community-package
 * installer does it, against the local Entra + Graph emulator. `npm run test:e2e`.
 *
 *  1. n8n is installed once into a cache folder outside the repo (a marker file says the install is complete);
 *  2. our package is built, packed and installed into <user folder>/.n8n/nodes/node_modules (production deps only);
 *  3. the emulator runs as a child process; 4. two credentials (right and wrong secret) are imported;
 *  5. examples/*.workflow.json are imported and run with `n8n execute --id=… --rawOutput`;
 *  6. `n8n start` briefly: the node, its tool variant and the credential are listed, and the credential test works.
 *
 * Environment: TEAMS_CALL_TOOLS (cache root, default ${XDG_CACHE_HOME:-~/.cache}/teams-call-tools),
 * E2E_KEEP=1 (keep the temporary user folder and print its path), E2E_VERBOSE=1 (print n8n's output).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const N8N_VERSION = '2.41.1';
const PACKAGE_NAME = 'n8n-nodes-teams-call';
const NODE_TYPE = `${PACKAGE_NAME}.teamsCallParticipant`;
const TOOL_TYPE = `${PACKAGE_NAME}.teamsCallParticipantTool`;
const CREDENTIAL_TYPE = 'microsoftGraphAppApi';
const GOOD_CREDENTIAL = { id: 'tcpGraphEmulator', name: 'Microsoft Graph App (local emulator)' };
const WRONG_CREDENTIAL = { id: 'tcpGraphWrongSec', name: 'Microsoft Graph App (wrong secret)' };
const ADELE = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
const FRONT_DESK = '0b3c6e0e-55d1-4a55-8c58-6f1d2b7e4c10';
const MEGAN = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
const UNKNOWN_PARTICIPANT = '00000000-0000-4000-8000-00000000dead';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot =
	process.env.TEAMS_CALL_TOOLS ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'teams-call-tools');
const n8nHome = join(cacheRoot, `n8n-${N8N_VERSION}`);
const n8nBin = join(n8nHome, 'node_modules', 'n8n', 'bin', 'n8n');
const marker = join(n8nHome, '.install-complete.json');
const verbose = /^(1|true|yes)$/i.test(process.env.E2E_VERBOSE ?? '');
const keep = /^(1|true|yes)$/i.test(process.env.E2E_KEEP ?? '');
const nodeMajor = Number(process.versions.node.split('.')[0]);

// ---------------------------------------------------------------------------------------------------------------
// Results table

const results = [];
const t0 = Date.now();

function record(name, ok, ms, detail = '') {
	results.push({ name, ok, ms, detail });
	const status = ok ? 'PASS' : 'FAIL';
	process.stdout.write(`  ${status}  ${name}${ms === undefined ? '' : ` (${fmtMs(ms)})`}${detail && !ok ? `: ${detail}` : ''}\n`);
}

function fmtMs(ms) {
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Runs fn, records one row: pass when it returns (its return value becomes the detail), fail when it throws. */
async function step(name, fn) {
	const start = Date.now();
	try {
		const detail = await fn();
		record(name, true, Date.now() - start, typeof detail === 'string' ? detail : '');
		return true;
	} catch (error) {
		record(name, false, Date.now() - start, error instanceof Error ? error.message : String(error));
		return false;
	}
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function printTable() {
	const nameWidth = Math.max(5, ...results.map((r) => r.name.length));
	const detailWidth = 100;
	const line = `+--------+-${'-'.repeat(nameWidth)}-+-----------+-${'-'.repeat(detailWidth)}-+`;
	const out = [line, `| Result | ${'Check'.padEnd(nameWidth)} |      Time | ${'Detail'.padEnd(detailWidth)} |`, line];
	for (const r of results) {
		let detail = (r.detail ?? '').split('\n')[0].trim();
		if (detail.length > detailWidth) detail = `${detail.slice(0, detailWidth - 1)}…`;
		const time = r.ms === undefined ? '' : fmtMs(r.ms);
		out.push(`| ${(r.ok ? 'pass' : 'FAIL').padEnd(6)} | ${r.name.padEnd(nameWidth)} | ${time.padStart(9)} | ${detail.padEnd(detailWidth)} |`);
	}
	out.push(line);
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	out.push(`total ${fmtMs(Date.now() - t0)}`);
	out.push(`${passed} passed, ${failed} failed`);
	process.stdout.write(`\n${out.join('\n')}\n`);
	return failed;
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: every child gets its own process group, killed on the way out whatever happens.

const children = new Set();

function killGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

async function stopChild(child, graceMs = 5000) {
	if (child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise((done) => child.once('exit', done));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// The group may hold grandchildren (n8n's task runner) that outlive the leader.
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		/* group gone */
	}
	children.delete(child);
}

process.on('exit', () => {
	for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		process.stderr.write(`\ne2e: ${signal}, stopping children\n`);
		process.exit(130);
	});
}

function spawnTracked(command, args, options) {
	const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	child.once('exit', () => {
		if (!children.has(child)) return;
		// Leader gone; reap whatever is left in its group.
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* group gone */
		}
		children.delete(child);
	});
	return child;
}

/** Runs a command to completion: { code, stdout, stderr, ms }. */
function run(command, args, { cwd = repo, env = process.env, timeoutMs = 600_000, echo = verbose } = {}) {
	return new Promise((done, fail) => {
		const start = Date.now();
		const child = spawnTracked(command, args, { cwd, env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (echo) process.stdout.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (echo) process.stderr.write(chunk);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			fail(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			const ms = Date.now() - start;
			if (timedOut) fail(new Error(`${command} ${args.join(' ')} timed out after ${fmtMs(timeoutMs)}`));
			else done({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms });
		});
	});
}

function tail(text, lines = 15) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

async function mustRun(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(`${[command, ...args].join(' ')} exited ${result.code}\n${tail(result.stderr || result.stdout)}`);
	}
	return result;
}

function freePort() {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => done(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Environment for npm and n8n children

/**
 * The process env without what `npm run` injects for this project (its .npmrc's ignore-scripts, its prefix, the
 * machine's nodedir): those must not leak into npm runs in other folders. A user's own npm_config_registry,
 * npm_config_cache, proxies etc. are kept.
 */
const PROJECT_NPM_ENV =
	/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(ignore_scripts|local_prefix|prefix|global_prefix|globalconfig|nodedir|call|node_gyp|npm_version|user_agent|init_module|allow_scripts)$)/i;

function baseEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (PROJECT_NPM_ENV.test(key)) continue;
		env[key] = value;
	}
	// Node of this process first, so that npm, node-gyp and n8n run on it.
	env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
	return env;
}

function headersMajor(dir) {
	try {
		const header = readFileSync(join(dir, 'include', 'node', 'node_version.h'), 'utf8');
		const major = /#define NODE_MAJOR_VERSION (\d+)/.exec(header);
		return major ? Number(major[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Headers of the running Node for native builds: npm_config_nodedir when it matches, else derived from process.execPath. */
function nodeDir() {
	const candidates = [process.env.npm_config_nodedir, process.env.NPM_CONFIG_NODEDIR, resolve(dirname(process.execPath), '..')];
	for (const dir of candidates) if (dir && headersMajor(dir) === nodeMajor) return dir;
	return undefined;
}

function npmEnv() {
	const env = baseEnv();
	const dir = nodeDir();
	if (dir) env.npm_config_nodedir = dir;
	env.npm_config_update_notifier = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	return env;
}

let n8nEnvCache;
function n8nEnv(userFolder, port, brokerPort) {
	n8nEnvCache ??= { N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') };
	return {
		...baseEnv(),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: n8nEnvCache.N8N_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		// The task runner broker listens on 5679 by default: a free port lets runs happen beside another n8n.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};
}

// ---------------------------------------------------------------------------------------------------------------
// 1. n8n, cached

function readMarker() {
	try {
		return JSON.parse(readFileSync(marker, 'utf8'));
	} catch {
		return undefined;
	}
}

async function provisionN8n() {
	const current = readMarker();
	if (current && current.n8n === N8N_VERSION && current.nodeMajor === nodeMajor && existsSync(n8nBin)) {
		return `cached in ${n8nHome}`;
	}
	const dir = nodeDir();
	assert(dir, `no Node ${nodeMajor} headers found for building sqlite3 (set npm_config_nodedir to the Node ${nodeMajor} install folder)`);
	rmSync(marker, { force: true });
	mkdirSync(n8nHome, { recursive: true });
	writeFileSync(
		join(n8nHome, 'package.json'),
		JSON.stringify({ name: 'teams-call-e2e-n8n', private: true, description: 'n8n for npm run test:e2e (cache)' }, null, 2),
	);
	// This folder's own npmrc: scripts off for the big install (a Kafka client would download a binary).
	writeFileSync(join(n8nHome, '.npmrc'), 'ignore-scripts=true\naudit=false\nfund=false\n');
	const env = npmEnv();
	process.stdout.write(`e2e: installing n8n@${N8N_VERSION} into ${n8nHome} (a few minutes, once)\n`);
	await mustRun('npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: n8nHome,
		env,
		timeoutMs: 20 * 60_000,
	});
	process.stdout.write(`e2e: building sqlite3 from source against ${dir}\n`);
	await mustRun('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: n8nHome,
		env: { ...env, npm_config_build_from_source: 'true' },
		timeoutMs: 10 * 60_000,
	});
	await checkSqlite();
	writeFileSync(
		marker,
		JSON.stringify({ n8n: N8N_VERSION, nodeMajor, node: process.version, nodedir: dir, completedAt: new Date().toISOString() }, null, 2),
	);
	return `installed into ${n8nHome}`;
}

async function checkSqlite() {
	const probe =
		"const s=require('sqlite3');const db=new s.Database(':memory:');" +
		"db.get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v);db.close();});";
	const result = await run(process.execPath, ['-e', probe], { cwd: n8nHome, env: baseEnv(), timeoutMs: 30_000 });
	assert(result.code === 0, `sqlite3's native binding does not load:\n${tail(result.stderr)}`);
	return `sqlite ${result.stdout.trim()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. our package, as n8n's installer puts it (CommunityPackagesService.downloadPackage)

async function buildAndPack(work) {
	const env = baseEnv();
	await mustRun('npm', ['run', 'build'], { env, timeoutMs: 300_000 });
	// The emulator alone (with what it imports), so that unrelated test files being edited cannot break this run.
	const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
	rmSync(join(repo, 'build', 'e2e'), { recursive: true, force: true });
	await mustRun(
		process.execPath,
		[tsc, '--outDir', join(repo, 'build', 'e2e'), '--rootDir', repo, '--module', 'commonjs', '--moduleResolution', 'node',
			'--target', 'es2022', '--lib', 'es2022', '--types', 'node', '--strict', '--esModuleInterop', '--skipLibCheck',
			'--resolveJsonModule', join(repo, 'test', 'emulator', 'cli.ts')],
		{ env, timeoutMs: 300_000 },
	);
	const packDir = join(work, 'pack');
	mkdirSync(packDir, { recursive: true });
	const packed = await mustRun('npm', ['pack', '--json', '--pack-destination', packDir], { env, timeoutMs: 120_000 });
	const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
	const files = info.files.map((f) => f.path);
	assert(files.some((f) => f === 'dist/nodes/TeamsCallParticipant/TeamsCallParticipant.node.js'), 'the tarball lacks the node');
	assert(!files.some((f) => /^(nodes|credentials|test)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'the tarball holds sources');
	return { tarball: join(packDir, info.filename), version: info.version, files: files.length, size: info.size };
}

async function installPackage(userFolder, packed) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	await mustRun('tar', ['-xzf', packed.tarball, '-C', packageDir, '--strip-components=1']);
	const packageJsonPath = join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
	// The same npm arguments as n8n's installer.
	await mustRun(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir, env: npmEnv(), timeoutMs: 300_000 },
	);
	// n8n's ledger of installed community packages.
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: packed.version } }, null, 2),
	);
	const installed = readdirSync(join(packageDir, 'node_modules')).filter((name) => !name.startsWith('.'));
	for (const dependency of Object.keys(packageJson.dependencies ?? {})) {
		const [scopeOrName, name] = dependency.split('/');
		assert(
			name ? existsSync(join(packageDir, 'node_modules', scopeOrName, name)) : installed.includes(scopeOrName),
			`dependency ${dependency} was not installed`,
		);
	}
	assert(!installed.includes('n8n-workflow'), 'n8n-workflow was installed beside the package (it must come from n8n)');
	return `${packed.files} files, ${installed.length} top-level dependencies`;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. the emulator

async function startEmulator(work) {
	const child = spawnTracked(process.execPath, [join(repo, 'build', 'e2e', 'test', 'emulator', 'cli.js')], {
		cwd: repo,
		env: { ...baseEnv(), EMULATOR_CA_FILE: join(work, 'emulator-ca.pem') },
	});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const values = await new Promise((done, fail) => {
		const timer = setTimeout(() => fail(new Error(`the emulator did not start in 30 s\n${tail(stderr)}`)), 30_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`the emulator exited (${code})\n${tail(stderr || stdout)}`));
		});
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (!stdout.includes('Press Ctrl+C')) return;
			clearTimeout(timer);
			const found = {};
			for (const line of stdout.split('\n')) {
				const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
				if (match) found[match[1]] = match[2];
			}
			done(found);
		});
	});
	child.stdout.resume();
	for (const key of ['GRAPH_URL', 'AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'CA_FILE', 'CALL_ID']) {
		assert(values[key], `the emulator printed no ${key}`);
	}
	assert(values.CALL_ID === 'demo-call', `the emulator's call is ${values.CALL_ID}, the examples use demo-call`);
	return { child, values, caPem: readFileSync(values.CA_FILE, 'utf8') };
}

// ---------------------------------------------------------------------------------------------------------------
// n8n CLI

function n8n(ctx, args, timeoutMs = 180_000) {
	return run(process.execPath, [n8nBin, ...args], { cwd: ctx.userFolder, env: ctx.env, timeoutMs }).then((result) => {
		saveLog(ctx, args.join(' '), `$ n8n ${args.join(' ')}\n# exit ${result.code}\n## stdout\n${result.stdout}\n## stderr\n${result.stderr}`);
		return result;
	});
}

/** Every n8n output is kept (checked for secrets at the end; left in <work>/logs when the run fails or E2E_KEEP=1). */
function saveLog(ctx, label, text) {
	ctx.outputs.push(text);
	const dir = join(ctx.work, 'logs');
	mkdirSync(dir, { recursive: true });
	const name = `${String(ctx.outputs.length).padStart(2, '0')}-${label.replace(/--input=\S+/, '').replace(/[^a-z0-9=]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60)}.log`;
	writeFileSync(join(dir, name), text);
}

/**
 * The run data `n8n execute --rawOutput` prints (pretty JSON) from the first line that starts with `{`. Log lines
 * can also come after it (the task runner registering late): the JSON ends at the first top-level `}` that parses.
 */
function parseRun(stdout) {
	const lines = stdout.split('\n');
	const first = lines.findIndex((line) => line.startsWith('{'));
	if (first < 0) return undefined;
	for (let end = first; end < lines.length; end++) {
		if (lines[end].trimEnd() !== '}' && !(end === first && lines[end].trimEnd().endsWith('}'))) continue;
		try {
			return JSON.parse(lines.slice(first, end + 1).join('\n'));
		} catch {
			/* not the end yet */
		}
	}
	throw new Error(`the JSON on stdout does not parse:\n${lines.slice(first, first + 5).join('\n')}`);
}

/** Output items (main output 0) of a node in the run's last run of that node. */
function itemsOf(runOutput, nodeName) {
	const runs = runOutput?.data?.resultData?.runData?.[nodeName];
	assert(Array.isArray(runs) && runs.length > 0, `node "${nodeName}" did not run`);
	const last = runs[runs.length - 1];
	assert(!last.error, `node "${nodeName}" failed: ${last.error?.message}`);
	return last.data?.main?.[0] ?? [];
}

function workflowNodeOfOurs(workflow) {
	return workflow.nodes.filter((node) => node.type === NODE_TYPE);
}

/** Expectations per example workflow, by file name, in the order they run (later ones rely on earlier ones). */
const EXPECTATIONS = [
	[
		'invite-and-wait.workflow.json',
		'invite (fields, 2 participants, wait for completion)',
		(out) => {
			const items = itemsOf(out, 'Invite Adele and the front desk');
			assert(items.length === 1, `expected 1 item, got ${items.length}`);
			const op = items[0].json;
			assert(op.status === 'completed', `status is ${op.status}, expected completed`);
			assert(op.clientContext === 'invite-adele-and-front-desk', `clientContext is ${op.clientContext}`);
			assert(op.callId === 'demo-call', `callId is ${op.callId}`);
			assert(items[0].pairedItem?.item === 0, 'no pairedItem');
			return `status ${op.status}, resultInfo ${JSON.stringify(op.resultInfo)}`;
		},
	],
	[
		'invite-json.workflow.json',
		'invite (JSON body)',
		(out) => {
			const items = itemsOf(out, 'Invite Megan (JSON body)');
			assert(items.length === 1, `expected 1 item, got ${items.length}`);
			const op = items[0].json;
			assert(['running', 'completed'].includes(op.status), `status is ${op.status}`);
			assert(op.clientContext === 'invite-megan-json', `clientContext is ${op.clientContext}`);
			assert(String(op['@odata.type']).includes('inviteParticipantsOperation'), `@odata.type is ${op['@odata.type']}`);
			return `status ${op.status}`;
		},
	],
	[
		'get-many.workflow.json',
		'get many (return all)',
		(out) => {
			const items = itemsOf(out, 'List participants');
			const ids = items.map((item) => item.json.id);
			assert(items.length === 6, `expected 6 participants (3 + 2 + 1 invited), got ${items.length}: ${ids.join(', ')}`);
			for (const id of [ADELE, FRONT_DESK, MEGAN]) assert(ids.includes(id), `participant ${id} is not listed`);
			assert(items.every((item) => item.pairedItem?.item === 0), 'pairedItem missing');
			return `${items.length} participants`;
		},
	],
	[
		'get.workflow.json',
		'get (by ID)',
		(out) => {
			const items = itemsOf(out, 'Get Adele');
			assert(items.length === 1, `expected 1 item, got ${items.length}`);
			const p = items[0].json;
			assert(p.id === ADELE, `id is ${p.id}`);
			const user = p.info?.identity?.user;
			assert(user?.displayName === 'Adele Vance', `identity is ${JSON.stringify(p.info?.identity)}`);
			return `${user.displayName}, muted ${p.isMuted}`;
		},
	],
	[
		'mute.workflow.json',
		'mute, then get shows isMuted',
		(out) => {
			const muted = itemsOf(out, 'Mute Adele');
			assert(muted.length === 1, `expected 1 item, got ${muted.length}`);
			assert(muted[0].json.clientContext === 'mute-adele', `clientContext is ${muted[0].json.clientContext}`);
			assert(muted[0].json.participantId === ADELE, `participantId is ${muted[0].json.participantId}`);
			const checked = itemsOf(out, 'Check Adele is muted');
			assert(checked[0]?.json.isMuted === true, `isMuted is ${checked[0]?.json.isMuted}`);
			return `status ${muted[0].json.status}`;
		},
	],
	[
		'remove.workflow.json',
		'remove',
		(out) => {
			const items = itemsOf(out, 'Remove Megan');
			assert(items.length === 1, `expected 1 item, got ${items.length}`);
			const json = items[0].json;
			assert(json.deleted === true && json.participantId === MEGAN, `output is ${JSON.stringify(json)}`);
			return '';
		},
	],
	[
		'lookup-continue-on-fail.workflow.json',
		'continue on fail (1 of 3 items fails)',
		(out) => {
			const items = itemsOf(out, 'Get participant');
			assert(items.length === 3, `expected 3 items, got ${items.length}`);
			assert(items[0].json.id === ADELE && items[2].json.id === FRONT_DESK, `ids ${items.map((i) => i.json.id).join(', ')}`);
			const error = items[1].json.error;
			assert(typeof error === 'string' && error.length > 0, `item 1 is ${JSON.stringify(items[1].json)}`);
			assert(!('id' in items[1].json), 'the error item also holds a participant');
			assert(items.map((i) => i.pairedItem?.item).join() === '0,1,2', 'pairedItem is not 0,1,2');
			return `error item: ${error}`;
		},
	],
];

// ---------------------------------------------------------------------------------------------------------------
// 6. n8n start: what the editor sees

async function http(base, path, { method = 'GET', body, cookie } = {}) {
	const headers = { 'browser-id': 'e2e-browser' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (cookie) headers.cookie = cookie;
	const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text, setCookie: response.headers.getSetCookie?.() ?? [] };
}

async function withServer(ctx, fn) {
	const start = Date.now();
	const child = spawnTracked(process.execPath, [n8nBin, 'start'], { cwd: ctx.userFolder, env: ctx.env });
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const base = `http://127.0.0.1:${ctx.port}`;
	try {
		const deadline = Date.now() + 90_000;
		for (;;) {
			assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(log)}`);
			assert(Date.now() < deadline, `n8n start was not ready in 90 s\n${tail(log)}`);
			const ready = await fetch(`${base}/healthz/readiness`).then(
				(r) => r.status === 200,
				() => false,
			);
			if (ready) break;
			await new Promise((done) => setTimeout(done, 250));
		}
		record('n8n start: ready', true, Date.now() - start);
		return await fn(base, () => log);
	} finally {
		await stopChild(child, 10_000);
		saveLog(ctx, 'start', log);
	}
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
	process.stdout.write(`e2e: ${PACKAGE_NAME} in n8n@${N8N_VERSION} (node ${process.version})\n`);
	if (nodeMajor < 24) {
		record(`Node >= 24 (n8n@${N8N_VERSION} needs it)`, false, undefined, `running ${process.version}; put Node 24 first on PATH`);
		return;
	}
	const work = mkdtempSync(join(tmpdir(), 'teams-call-e2e-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder, { recursive: true });
	const ctx = { work, userFolder, port: await freePort(), outputs: [], env: undefined };
	ctx.env = n8nEnv(userFolder, ctx.port, await freePort());
	let emulator;
	try {
		if (!(await step(`provision n8n@${N8N_VERSION}`, provisionN8n))) return;
		if (!(await step('sqlite3 native binding loads', checkSqlite))) return;
		let packed;
		if (!(await step('build + npm pack', async () => {
			packed = await buildAndPack(work);
			return `${packed.files} files, ${Math.round(packed.size / 1024)} kB`;
		}))) return;
		if (!(await step('install into .n8n/nodes (production deps only)', () => installPackage(userFolder, packed)))) return;
		if (!(await step('emulator started', async () => {
			emulator = await startEmulator(work);
			return emulator.values.GRAPH_URL;
		}))) return;
		const secret = emulator.values.CLIENT_SECRET;
		const wrongSecret = `wrong-${randomBytes(12).toString('hex')}`;

		// 4. credentials
		const credentialData = (clientSecret) => ({
			cloud: 'custom',
			tenantId: emulator.values.TENANT_ID,
			clientId: emulator.values.CLIENT_ID,
			authentication: 'clientSecret',
			clientSecret,
			authorityHost: emulator.values.AUTHORITY_HOST,
			graphBaseUrl: emulator.values.GRAPH_URL,
			caCertificate: emulator.caPem,
		});
		const credentialsFile = join(work, 'credentials.json');
		writeFileSync(
			credentialsFile,
			JSON.stringify([
				{ ...GOOD_CREDENTIAL, type: CREDENTIAL_TYPE, data: credentialData(secret) },
				{ ...WRONG_CREDENTIAL, type: CREDENTIAL_TYPE, data: credentialData(wrongSecret) },
			]),
		);
		const imported = await step('n8n import:credentials (first CLI call: migrates the database)', async () => {
			const result = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
			rmSync(credentialsFile);
			assert(result.code === 0, `exit ${result.code}\n${tail(result.stderr || result.stdout)}`);
			assert(/2 credentials/i.test(result.stdout + result.stderr), `unexpected output: ${tail(result.stdout)}`);
			return '2 credentials';
		});
		if (!imported) return;

		// 5. workflows: the examples, plus get-many with the wrong-secret credential
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const examplesDir = join(repo, 'examples');
		const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.workflow.json')).sort();
		const workflows = new Map();
		for (const file of exampleFiles) {
			const workflow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
			workflows.set(file, workflow);
			writeFileSync(join(workflowsDir, file), JSON.stringify(workflow));
		}
		const wrong = structuredClone(workflows.get('get-many.workflow.json'));
		wrong.id = 'tcpWrongSecret01';
		wrong.name = 'Teams call: list participants with a wrong client secret';
		for (const node of workflowNodeOfOurs(wrong)) node.credentials = { [CREDENTIAL_TYPE]: WRONG_CREDENTIAL };
		writeFileSync(join(workflowsDir, 'wrong-secret.json'), JSON.stringify(wrong));

		await step('every example is covered by an expectation', async () => {
			const covered = new Set(EXPECTATIONS.map(([file]) => file));
			const missing = exampleFiles.filter((f) => !covered.has(f));
			assert(missing.length === 0, `no expectation for ${missing.join(', ')}`);
			for (const [file] of EXPECTATIONS) assert(workflows.has(file), `examples/${file} is missing`);
			for (const [file, workflow] of workflows) {
				for (const node of workflowNodeOfOurs(workflow)) {
					assert(node.credentials?.[CREDENTIAL_TYPE]?.id === GOOD_CREDENTIAL.id, `${file}: node ${node.name} uses another credential`);
				}
			}
			return `${exampleFiles.length} examples`;
		});
		if (!(await step(`n8n import:workflow (${workflows.size + 1} workflows)`, async () => {
			const result = await n8n(ctx, ['import:workflow', '--separate', `--input=${workflowsDir}`]);
			assert(result.code === 0, `exit ${result.code}\n${tail(result.stderr || result.stdout)}`);
			return '';
		}))) return;

		for (const [file, label, expect] of EXPECTATIONS) {
			const workflow = workflows.get(file);
			if (!workflow) continue;
			await step(`execute ${file}: ${label}`, async () => {
				const result = await n8n(ctx, ['execute', `--id=${workflow.id}`, '--rawOutput']);
				assert(result.code === 0, `exit ${result.code}\n${tail(result.stdout + result.stderr)}`);
				const out = parseRun(result.stdout);
				assert(out, `no JSON on stdout\n${tail(result.stdout)}`);
				assert(out.status === 'success' || out.finished === true, `execution status ${out.status}`);
				return expect(out);
			});
		}

		await step('execute with the wrong client secret: fails clearly, secret not shown', async () => {
			const result = await n8n(ctx, ['execute', `--id=${wrong.id}`, '--rawOutput']);
			const all = result.stdout + result.stderr;
			assert(result.code === 1, `exit ${result.code}, expected 1\n${tail(all)}`);
			assert(/AADSTS7000215/.test(all) && /client secret/i.test(all), `no clear message (AADSTS7000215 / client secret):\n${tail(all)}`);
			assert(!all.includes(wrongSecret), 'the wrong secret appears in the output');
			const line = all.split('\n').find((l) => /client secret/i.test(l)) ?? '';
			return line.trim().slice(0, 160);
		});

		// 6. the server: node types and the credential test
		await withServer(ctx, async (base, log) => {
			let cookie;
			await step('POST /rest/owner/setup', async () => {
				const response = await http(base, '/rest/owner/setup', {
					method: 'POST',
					body: { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: `E2e-${randomBytes(6).toString('hex')}A1` },
				});
				assert(response.status === 200, `status ${response.status}: ${response.text.slice(0, 200)}`);
				cookie = response.setCookie.map((c) => c.split(';')[0]).join('; ');
				assert(cookie.includes('n8n-auth='), 'no n8n-auth cookie');
				return '';
			});
			await step('GET /types/nodes.json lists the node and its tool variant', async () => {
				const response = await http(base, '/types/nodes.json', { cookie });
				assert(response.status === 200 && Array.isArray(response.json), `status ${response.status}`);
				const ours = response.json.filter((type) => type.name?.startsWith(`${PACKAGE_NAME}.`));
				const node = ours.find((type) => type.name === NODE_TYPE);
				const tool = ours.find((type) => type.name === TOOL_TYPE);
				assert(node, `${NODE_TYPE} not listed (ours: ${ours.map((t) => t.name).join(', ') || 'none'})`);
				assert(tool, `${TOOL_TYPE} not listed (ours: ${ours.map((t) => t.name).join(', ')})`);
				assert(node.credentials?.some((c) => c.name === CREDENTIAL_TYPE), 'the node does not declare its credential');
				assert(Array.isArray(tool.outputs) ? tool.outputs.includes('ai_tool') : String(tool.outputs).includes('ai_tool'), `tool outputs ${JSON.stringify(tool.outputs)}`);
				assert(node.iconUrl || node.icon, 'the node has no icon');
				return `${ours.map((t) => t.name.slice(PACKAGE_NAME.length + 1)).join(', ')}`;
			});
			await step('GET /types/credentials.json lists the credential', async () => {
				const response = await http(base, '/types/credentials.json', { cookie });
				assert(response.status === 200 && Array.isArray(response.json), `status ${response.status}`);
				const credential = response.json.find((type) => type.name === CREDENTIAL_TYPE);
				assert(credential, `${CREDENTIAL_TYPE} not listed`);
				return credential.displayName;
			});
			const testCredential = async (credential) => {
				const stored = await http(base, `/rest/credentials/${credential.id}?includeData=true`, { cookie });
				assert(stored.status === 200, `GET credential: status ${stored.status} ${stored.text.slice(0, 200)}`);
				const data = stored.json?.data ?? stored.json;
				const response = await http(base, '/rest/credentials/test', {
					method: 'POST',
					cookie,
					body: { credentials: { id: credential.id, name: credential.name, type: CREDENTIAL_TYPE, data: data.data } },
				});
				assert(response.status === 200, `test: status ${response.status} ${response.text.slice(0, 200)}`);
				return response.json?.data ?? response.json;
			};
			await step('credential test (Test button): right secret OK', async () => {
				const result = await testCredential(GOOD_CREDENTIAL);
				assert(result?.status === 'OK', `result ${JSON.stringify(result)}`);
				return result.message ?? '';
			});
			await step('credential test (Test button): wrong secret explained, secret not shown', async () => {
				const result = await testCredential(WRONG_CREDENTIAL);
				assert(result?.status === 'Error', `result ${JSON.stringify(result)}`);
				assert(/client secret/i.test(result.message ?? ''), `message: ${result.message}`);
				assert(!JSON.stringify(result).includes(wrongSecret), 'the wrong secret is in the answer');
				return String(result.message).slice(0, 160);
			});
			await step('n8n start: no load errors for our package', async () => {
				const lines = log()
					.split('\n')
					.filter((l) => /n8n-nodes-teams-call|teamsCallParticipant|microsoftGraphAppApi/i.test(l) && /error|fail|warn/i.test(l));
				assert(lines.length === 0, lines.slice(0, 5).join('\n'));
				return '';
			});
		});

		await step('no client secret (right or wrong) in any n8n output', async () => {
			const eventLogs = readdirSync(join(userFolder, '.n8n'))
				.filter((f) => f.startsWith('n8nEventLog'))
				.map((f) => readFileSync(join(userFolder, '.n8n', f), 'utf8'));
			const all = [...ctx.outputs, ...eventLogs].join('\n');
			assert(!all.includes(secret), 'the client secret appears in n8n output');
			assert(!all.includes(wrongSecret), 'the wrong client secret appears in n8n output');
			return `${ctx.outputs.length} n8n runs and ${eventLogs.length} event log(s) checked`;
		});
	} catch (error) {
		record('unexpected error', false, undefined, error instanceof Error ? error.stack ?? error.message : String(error));
	} finally {
		for (const child of [...children]) await stopChild(child);
		if (keep || results.some((r) => !r.ok)) process.stdout.write(`e2e: kept ${work} (n8n logs in ${join(work, 'logs')})\n`);
		else rmSync(work, { recursive: true, force: true });
	}
}

await main();
const failed = printTable();
process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
