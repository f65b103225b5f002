/**
 * Shared machinery of the scripts that drive a real n8n (`scripts/e2e.mjs`, `bench/run.mjs`): the cached n8n installs
 * (one folder per n8n version, each run by its own Node: see `n8nInstall`), our package packed and installed the way
 * n8n's community-package installer does it, the emulator as a child process, the n8n CLI (`import:*`,
 * `execute --rawOutput`) and the parsing of its run data.
 *
 * Environment: TEAMS_CALL_TOOLS (cache root, default ${XDG_CACHE_HOME:-~/.cache}/teams-call-tools),
 * E2E_VERBOSE=1 / BENCH_VERBOSE=1 (echo children's output).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeMajorOf, npmChildEnv, toolsDir } from './node24.mjs';

/** The n8n that bench and screenshots use, and e2e's first target. */
export const N8N_VERSION = '2.41.1';
export const PACKAGE_NAME = 'n8n-nodes-teams-call';
export const NODE_TYPE = `${PACKAGE_NAME}.teamsCallParticipant`;
export const TOOL_TYPE = `${PACKAGE_NAME}.teamsCallParticipantTool`;
export const CREDENTIAL_TYPE = 'microsoftGraphAppApi';

/**
 * The data of a Microsoft Graph App API credential (Custom cloud) for the emulator whose .env `values` and CA are
 * given: what `n8n import:credentials` takes, with `{ id, name }` and the type. `clientSecret` replaces the emulator's
 * (a wrong one, for refusals); `notifications` adds the trigger's Notification OpenID Configuration URL.
 */
export function emulatorCredential(values, caPem, { id, name }, { clientSecret = values.CLIENT_SECRET, notifications = false } = {}) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			cloud: 'custom',
			tenantId: values.TENANT_ID,
			clientId: values.CLIENT_ID,
			authentication: 'clientSecret',
			clientSecret,
			authorityHost: values.AUTHORITY_HOST,
			graphBaseUrl: values.GRAPH_URL,
			caCertificate: caPem,
			...(notifications ? { notificationOpenIdConfigUrl: values.NOTIFICATION_OPENID_URL } : {}),
		},
	};
}

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheRoot = toolsDir;
export const nodeMajor = nodeMajorOf(process.version);

/**
 * What installing an n8n version needs beyond `npm install n8n@<version> --ignore-scripts`: npm overrides.
 * n8n 1.x depends on xlsx as a tarball on its vendor's CDN (unreachable offline): the registry's last xlsx instead.
 */
const OVERRIDES = { '1.123.81': { xlsx: '0.18.5' } };

/**
 * An n8n install in the tools cache (<cache>/n8n-<version>), run by the given Node (path, version and, for native
 * builds, the folder holding its headers; default: this process's Node). Every function below that runs n8n takes one
 * (default: `defaultInstall`, n8n ${N8N_VERSION} on this process's Node).
 */
export function n8nInstall({ version = N8N_VERSION, node = process.execPath, nodeVersion = process.version, nodedir } = {}) {
	const home = join(cacheRoot, `n8n-${version}`);
	return {
		version,
		node,
		nodeVersion,
		nodeMajor: nodeMajorOf(nodeVersion),
		nodedir,
		home,
		bin: join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: join(home, '.install-complete.json'),
	};
}
export const defaultInstall = n8nInstall();
export const n8nHome = defaultInstall.home;
export const n8nBin = defaultInstall.bin;

let verbose = /^(1|true|yes)$/i.test(process.env.E2E_VERBOSE ?? process.env.BENCH_VERBOSE ?? '');
let label = 'harness';
/** The prefix of this module's progress lines ('e2e', 'bench'), and whether children's output is echoed. */
export function configureHarness(options = {}) {
	if (options.label !== undefined) label = options.label;
	if (options.verbose !== undefined) verbose = options.verbose;
}

export function fmtMs(ms) {
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function assert(condition, message) {
	if (!condition) throw new Error(message);
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

export async function stopChild(child, graceMs = 5000) {
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
		process.stderr.write(`\n${label}: ${signal}, stopping children\n`);
		process.exit(130);
	});
}

export function spawnTracked(command, args, options) {
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
export function run(command, args, { cwd = repo, env = process.env, timeoutMs = 600_000, echo = verbose } = {}) {
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
			else done({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr, ms });
		});
	});
}

/** Polls `probe` (every `everyMs`) until it returns something truthy, and returns that; fails after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 60_000, everyMs = 100) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		assert(Date.now() < deadline, `gave up waiting for ${typeof what === 'function' ? what() : what} after ${fmtMs(timeoutMs)}`);
		await new Promise((done) => setTimeout(done, everyMs));
	}
}

export function tail(text, lines = 15) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

export async function mustRun(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(`${[command, ...args].join(' ')} exited ${result.code}\n${tail(result.stderr || result.stdout)}`);
	}
	return result;
}

export function freePort() {
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
 * The process env without what `npm run` injects for this project (see npmChildEnv), with the given Node first on
 * PATH so that npm, node-gyp and n8n run on it.
 */
export function baseEnv(node = process.execPath) {
	const env = npmChildEnv();
	env.PATH = [dirname(node), process.env.PATH ?? ''].join(delimiter);
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

/** Headers of the install's Node for native builds: its nodedir, npm_config_nodedir, or the folder above its bin. */
export function nodeDir(install = defaultInstall) {
	const candidates = [install.nodedir, process.env.npm_config_nodedir, process.env.NPM_CONFIG_NODEDIR, resolve(dirname(install.node), '..')];
	for (const dir of candidates) if (dir && headersMajor(dir) === install.nodeMajor) return dir;
	return undefined;
}

export function npmEnv(install = defaultInstall) {
	const env = baseEnv(install.node);
	const dir = nodeDir(install);
	if (dir) env.npm_config_nodedir = dir;
	env.npm_config_update_notifier = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	return env;
}

let n8nEnvCache;
export function n8nEnv(userFolder, port, brokerPort, install = defaultInstall) {
	n8nEnvCache ??= { N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') };
	return {
		...baseEnv(install.node),
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

function readMarker(install) {
	try {
		return JSON.parse(readFileSync(install.marker, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Installs the n8n version into its cache folder once (a marker file says the install is complete). */
export async function provisionN8n(install = defaultInstall) {
	const { version, home } = install;
	const current = readMarker(install);
	if (current && current.n8n === version && current.nodeMajor === install.nodeMajor && existsSync(install.bin)) {
		return `cached in ${home}`;
	}
	const dir = nodeDir(install);
	assert(dir, `no Node ${install.nodeMajor} headers found for building sqlite3 (set npm_config_nodedir to the Node ${install.nodeMajor} install folder)`);
	rmSync(install.marker, { force: true });
	mkdirSync(home, { recursive: true });
	const overrides = OVERRIDES[version];
	writeFileSync(
		join(home, 'package.json'),
		JSON.stringify({ name: 'teams-call-e2e-n8n', private: true, description: `n8n ${version} for npm run test:e2e (cache)`, ...(overrides && { overrides }) }, null, 2),
	);
	// This folder's own npmrc: scripts off for the big install (a Kafka client would download a binary).
	writeFileSync(join(home, '.npmrc'), 'ignore-scripts=true\naudit=false\nfund=false\n');
	const env = npmEnv(install);
	process.stdout.write(`${label}: installing n8n@${version} into ${home} on Node ${install.nodeVersion} (a few minutes, once)\n`);
	await mustRun('npm', ['install', `n8n@${version}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: home,
		env,
		timeoutMs: 20 * 60_000,
	});
	process.stdout.write(`${label}: building sqlite3 from source against ${dir}\n`);
	await mustRun('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: home,
		env: { ...env, npm_config_build_from_source: 'true' },
		timeoutMs: 10 * 60_000,
	});
	await checkSqlite(install);
	writeFileSync(
		install.marker,
		JSON.stringify({ n8n: version, nodeMajor: install.nodeMajor, node: install.nodeVersion, nodedir: dir, completedAt: new Date().toISOString() }, null, 2),
	);
	return `installed into ${home}`;
}

export async function checkSqlite(install = defaultInstall) {
	const probe =
		"const s=require('sqlite3');const db=new s.Database(':memory:');" +
		"db.get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v);db.close();});";
	const result = await run(install.node, ['-e', probe], { cwd: install.home, env: baseEnv(install.node), timeoutMs: 30_000 });
	assert(result.code === 0, `sqlite3's native binding does not load:\n${tail(result.stderr)}`);
	return `sqlite ${result.stdout.trim()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. our package, as n8n's installer puts it (CommunityPackagesService.downloadPackage)

/**
 * Builds (`npm run build`), compiles the emulator entry points on their own (into build/<outName>, so that unrelated
 * test files being edited cannot break the run) and packs the package. entries: .ts files relative to the repo.
 */
export async function buildAndPack(work, { outName = 'e2e', entries = ['test/emulator/cli.ts'] } = {}) {
	const env = baseEnv();
	await mustRun('npm', ['run', 'build'], { env, timeoutMs: 300_000 });
	const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
	const outDir = join(repo, 'build', outName);
	rmSync(outDir, { recursive: true, force: true });
	await mustRun(
		process.execPath,
		[tsc, '--outDir', outDir, '--rootDir', repo, '--module', 'commonjs', '--moduleResolution', 'node',
			'--target', 'es2022', '--lib', 'es2022', '--types', 'node', '--strict', '--esModuleInterop', '--skipLibCheck',
			'--resolveJsonModule', ...entries.map((entry) => join(repo, entry))],
		{ env, timeoutMs: 300_000 },
	);
	const packDir = join(work, 'pack');
	mkdirSync(packDir, { recursive: true });
	const packed = await mustRun('npm', ['pack', '--json', '--pack-destination', packDir], { env, timeoutMs: 120_000 });
	const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
	const files = info.files.map((f) => f.path);
	assert(files.some((f) => f === 'dist/nodes/TeamsCallParticipant/TeamsCallParticipant.node.js'), 'the tarball lacks the node');
	assert(!files.some((f) => /^(nodes|credentials|test)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'the tarball holds sources');
	const withoutCodex = files.filter((f) => f.endsWith('.node.js') && !files.includes(`${f}on`));
	assert(withoutCodex.length === 0, `the tarball lacks the codex (.node.json) of ${withoutCodex.join(', ')}`);
	return { tarball: join(packDir, info.filename), version: info.version, files: files.length, size: info.size };
}

/** As n8n's installer does it, with npm on the install's Node (default `defaultInstall`). */
export async function installPackage(userFolder, packed, install = defaultInstall) {
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
		{ cwd: packageDir, env: npmEnv(install), timeoutMs: 300_000 },
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

/**
 * Starts an emulator entry point (default: the one `npm run emulator` uses, compiled by buildAndPack into build/e2e)
 * as a child, and reads the KEY=value lines it prints. Returns { child, values, caPem }.
 */
export async function startEmulator(work, { script = join(repo, 'build', 'e2e', 'test', 'emulator', 'cli.js'), env = {}, keys = [] } = {}) {
	const child = spawnTracked(process.execPath, [script], {
		cwd: repo,
		env: { ...baseEnv(), EMULATOR_CA_FILE: join(work, 'emulator-ca.pem'), ...env },
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
	for (const key of ['GRAPH_URL', 'AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'CA_FILE', 'CALL_ID', ...keys]) {
		assert(values[key], `the emulator printed no ${key}`);
	}
	assert(values.CALL_ID === 'demo-call', `the emulator's call is ${values.CALL_ID}, the examples use demo-call`);
	return { child, values, caPem: readFileSync(values.CA_FILE, 'utf8') };
}

// ---------------------------------------------------------------------------------------------------------------
// n8n CLI

/** Runs the n8n CLI (ctx.install, default `defaultInstall`) in ctx.userFolder with ctx.env (plus extraEnv); every output goes through saveLog. */
export function n8n(ctx, args, timeoutMs = 180_000, extraEnv = undefined) {
	const env = extraEnv ? { ...ctx.env, ...extraEnv } : ctx.env;
	const install = ctx.install ?? defaultInstall;
	return run(install.node, [install.bin, ...args], { cwd: ctx.userFolder, env, timeoutMs }).then((result) => {
		saveLog(ctx, args.join(' '), `$ n8n ${args.join(' ')}\n# exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\n## stdout\n${result.stdout}\n## stderr\n${result.stderr}`);
		return result;
	});
}

/** The major version of the n8n an install holds (default: this harness's n8n). */
export function n8nMajorOf(install = defaultInstall) {
	return nodeMajorOf(install.version);
}

/**
 * Makes an imported workflow active with the n8n CLI of `ctx`, before n8n starts: `publish:workflow` on n8n 2.x,
 * `update:workflow --active=true` on 1.x (which has no publishing).
 */
export async function activateWorkflow(ctx, id) {
	const args = n8nMajorOf(ctx.install) >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'];
	const result = await n8n(ctx, args);
	assert(result.code === 0, `${args[0]} ${id} exit ${result.code}\n${tail(result.stderr || result.stdout)}`);
}

/**
 * Waits until n8n serves the production webhook at `url` (a POST-only path): it activates published workflows after it
 * says it is ready, and n8n 1.x's webhook process answers readiness before its webhook routes exist. A GET asks without
 * sending anything: until then n8n answers 404 ("not registered", or a bare "Cannot GET"), afterwards that the path
 * takes POST requests only.
 */
export async function webhookRegistered(url) {
	await waitFor(`n8n to register ${url}`, async () => {
		const response = await fetch(url);
		const text = await response.text();
		return response.status !== 404 || /POST request/.test(text);
	}, 60_000, 250);
}

/** A request to n8n's REST API as the editor sends it: { status, json, text, setCookie }. */
export async function n8nRest(base, path, { method = 'GET', body, cookie } = {}) {
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

/**
 * The summaries of a workflow's executions (newest first, at most 100), from one query. Asked without a status filter,
 * n8n (1.x and 2.x alike) reads the running executions and the finished ones in two queries at once and joins the
 * answers: an execution that finishes between them is listed twice, running and finished (the meeting guard's "24
 * executions, expected 23" under a burst). Every status is named, so one query answers; a repeated ID fails loudly.
 */
export async function listExecutions(base, cookie, workflowId) {
	const { ExecutionStatusList } = createRequire(join(n8nHome, 'node_modules', 'n8n', 'package.json'))('n8n-workflow');
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ExecutionStatusList }));
	const list = await n8nRest(base, `/rest/executions?filter=${filter}&limit=100`, { cookie });
	assert(list.status === 200, `GET /rest/executions: ${list.status} ${list.text.slice(0, 200)}`);
	const results = list.json?.data?.results ?? list.json?.data ?? [];
	const ids = results.map((summary) => summary.id);
	assert(new Set(ids).size === ids.length, `n8n listed an execution twice: ${ids.join(', ')}`);
	return results;
}

/** Every n8n output is kept (checked for secrets at the end; left in <work>/logs when the run fails or E2E_KEEP=1). */
export function saveLog(ctx, label, text) {
	ctx.logCount = (ctx.logCount ?? 0) + 1;
	if (ctx.keepOutputs !== false) ctx.outputs.push(text);
	const dir = join(ctx.work, 'logs');
	mkdirSync(dir, { recursive: true });
	const name = `${String(ctx.logCount).padStart(2, '0')}-${label.replace(/--input=\S+/, '').replace(/[^a-z0-9=]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60)}.log`;
	writeFileSync(join(dir, name), text);
}

/**
 * `n8n start` in ctx's user folder (ctx.env, plus `env`), ready when /healthz/readiness answers; `stop()` stops it
 * (SIGKILL after `stopGraceMs`) and saves its log as `label`. `echo`: its output on this process's stdout too.
 */
export async function startN8n(ctx, { label = 'n8n-start', env = {}, stopGraceMs = 10_000, echo = false } = {}) {
	const install = ctx.install;
	const child = spawnTracked(install ? install.node : process.execPath, [install ? install.bin : n8nBin, 'start'], { cwd: ctx.userFolder, env: { ...ctx.env, ...env } });
	let log = '';
	const collect = (chunk) => {
		log += chunk;
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const base = `http://127.0.0.1:${ctx.port}`;
	await waitFor('n8n start to be ready', async () => {
		assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(log)}`);
		return fetch(`${base}/healthz/readiness`).then((r) => r.status === 200, () => false);
	}, 120_000);
	return {
		base,
		log: () => log,
		stop: async () => {
			await stopChild(child, stopGraceMs);
			saveLog(ctx, label, log);
		},
	};
}

/**
 * The owner's session cookie in a running n8n: the owner is set up on a fresh database and signs in on one that has
 * it (a restart, another start on the same database). Waits for the REST API first: n8n 1.x answers readiness before
 * its routes exist. `owner`: { email, password, firstName, lastName }.
 */
export async function ownerSession(base, owner) {
	await waitFor('n8n\'s REST API', () => fetch(`${base}/rest/settings`).then((r) => r.status === 200, () => false), 60_000, 250);
	const setup = await n8nRest(base, '/rest/owner/setup', { method: 'POST', body: owner });
	const answer = setup.status === 200 ? setup : await n8nRest(base, '/rest/login', { method: 'POST', body: { emailOrLdapLoginId: owner.email, password: owner.password } });
	assert(answer.status === 200, `owner setup ${setup.status}, login ${answer.status}: ${answer.text.slice(0, 200)}`);
	return answer.setCookie.map((c) => c.split(';')[0]).join('; ');
}

/**
 * The run data `n8n execute --rawOutput` prints (pretty JSON) from the first line that starts with `{`. Log lines
 * can also come after it (the task runner registering late): the JSON ends at the first top-level `}` that parses.
 */
export function parseRun(stdout) {
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
export function itemsOf(runOutput, nodeName) {
	const runs = runOutput?.data?.resultData?.runData?.[nodeName];
	assert(Array.isArray(runs) && runs.length > 0, `node "${nodeName}" did not run`);
	const last = runs[runs.length - 1];
	assert(!last.error, `node "${nodeName}" failed: ${last.error?.message}`);
	return last.data?.main?.[0] ?? [];
}


/** Stops every child this module started (each with its process group). */
export async function stopAllChildren() {
	for (const child of [...children]) await stopChild(child);
}
