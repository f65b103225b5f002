#!/usr/bin/env node
/**
 * End-to-end: our package inside real n8n instances (TARGETS below: n8n 2.x on Node 24, n8n 1.x on the machine's own
 * Node), installed the way n8n's community-package installer does it, against the local Entra + Graph emulator.
 * `npm run test:e2e`. Our package is built and packed once (with this process's Node); then, for each target:
 *
 *  1. n8n is installed once into a cache folder outside the repo (a marker file says the install is complete);
 *  2. the package is installed into <user folder>/.n8n/nodes/node_modules (production deps only);
 *  3. the emulator runs as a child process; 4. two credentials (right and wrong secret) are imported;
 *  5. examples/*.workflow.json are imported and run with `n8n execute --id=… --rawOutput`;
 *  6. `n8n start` briefly: the node, its tool variant and the credential are listed, and the credential test works.
 *
 * Environment: TEAMS_CALL_TOOLS (cache root, default ${XDG_CACHE_HOME:-~/.cache}/teams-call-tools),
 * E2E_N8N=<version>[,<version>] (only these targets), E2E_KEEP=1 (keep the temporary user folder and print its path),
 * E2E_VERBOSE=1 (print n8n's output), E2E_ONLY=<parts> (comma-separated: cli = steps 5 and 6, guard, voicemail,
 * front-desk, on-call-alert = the running-n8n examples of step 7, record-trigger = the Teams Call Record Trigger across
 * polls and an n8n restart (step 8); while developing one of them).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	assert,
	buildAndPack,
	checkSqlite,
	configureHarness,
	CREDENTIAL_TYPE,
	emulatorCredential,
	fmtMs,
	freePort,
	installPackage,
	itemsOf,
	n8n,
	n8nEnv,
	n8nInstall,
	n8nRest as http,
	N8N_VERSION,
	NODE_TYPE,
	PACKAGE_NAME,
	parseRun,
	provisionN8n,
	repo,
	saveLog,
	spawnTracked,
	startEmulator,
	stopAllChildren,
	stopChild,
	tail,
	TOOL_TYPE,
} from './n8nHarness.mjs';
import { selectedParts } from './conversationScenarios.mjs';
import { callRecordTriggerPart } from './e2eCallRecordTrigger.mjs';
import { meetingGuardPart, RUNNING_N8N_EXAMPLES } from './e2eMeetingGuard.mjs';
import { ensureNode24, Node24Unavailable } from './node24.mjs';

configureHarness({ label: 'e2e' });

/**
 * The n8n versions the package is checked in, each on its Node: 'node24' (this Node when it is 24 or newer, else the
 * Node 24 that scripts/node24.mjs fetches) or 'own' (this process's Node: the machine's).
 * `vmEngineFrom`: the lowest Node major on which the version's default expression engine (vm, isolated-vm) loads;
 * below it the target runs with N8N_EXPRESSION_ENGINE=legacy, says so, and checks that the default indeed fails.
 */
const TARGETS = [
	// Both run the meeting guard and the conversation recipes in a running n8n (step 7).
	{ n8n: '2.41.1', node: 'node24' },
	// n8n 1.123 declares Node >= 20.19, but its default engine's isolated-vm 6 ships binaries for Node 22 and 24 only.
	{ n8n: '1.123.81', node: 'own', vmEngineFrom: 22 },
];

const GOOD_CREDENTIAL = { id: 'tcpGraphEmulator', name: 'Microsoft Graph App (local emulator)' };
const WRONG_CREDENTIAL = { id: 'tcpGraphWrongSec', name: 'Microsoft Graph App (wrong secret)' };
const ADELE = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
const FRONT_DESK = '0b3c6e0e-55d1-4a55-8c58-6f1d2b7e4c10';
const MEGAN = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
const UNKNOWN_PARTICIPANT = '00000000-0000-4000-8000-00000000dead';

/** The parts the meeting guard's n8n runs (step 7). */
const GUARD_PARTS = ['guard', 'voicemail', 'front-desk', 'on-call-alert'];

const keep = /^(1|true|yes)$/i.test(process.env.E2E_KEEP ?? '');
const wanted = selectedParts();

// ---------------------------------------------------------------------------------------------------------------
// Results table

const results = [];
const t0 = Date.now();
/** The heading the rows below belong to ('package', then one per target). */
let section = 'package';

function startSection(title) {
	section = title;
	process.stdout.write(`\n${title}\n`);
}

function record(name, ok, ms, detail = '') {
	results.push({ section, name, ok, ms, detail });
	const status = ok ? 'PASS' : 'FAIL';
	process.stdout.write(`  ${status}  ${name}${ms === undefined ? '' : ` (${fmtMs(ms)})`}${detail && !ok ? `: ${detail}` : ''}\n`);
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

function printTable() {
	const nameWidth = Math.max(5, ...results.map((r) => r.name.length));
	const detailWidth = 100;
	const line = `+--------+-${'-'.repeat(nameWidth)}-+-----------+-${'-'.repeat(detailWidth)}-+`;
	const out = [line, `| Result | ${'Check'.padEnd(nameWidth)} |      Time | ${'Detail'.padEnd(detailWidth)} |`, line];
	const sections = [...new Set(results.map((r) => r.section))];
	let previous;
	for (const r of results) {
		if (sections.length > 1 && r.section !== previous) out.push(`| ${r.section.padEnd(line.length - 4)} |`);
		previous = r.section;
		let detail = (r.detail ?? '').split('\n')[0].trim();
		if (detail.length > detailWidth) detail = `${detail.slice(0, detailWidth - 1)}…`;
		const time = r.ms === undefined ? '' : fmtMs(r.ms);
		out.push(`| ${(r.ok ? 'pass' : 'FAIL').padEnd(6)} | ${r.name.padEnd(nameWidth)} | ${time.padStart(9)} | ${detail.padEnd(detailWidth)} |`);
	}
	out.push(line);
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	for (const title of sections) {
		const rows = results.filter((r) => r.section === title);
		out.push(`${title}: ${rows.filter((r) => r.ok).length} passed, ${rows.filter((r) => !r.ok).length} failed`);
	}
	out.push(`total ${fmtMs(Date.now() - t0)}`);
	out.push(`${passed} passed, ${failed} failed`);
	process.stdout.write(`\n${out.join('\n')}\n`);
	return failed;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. what each example must give

const CALL_NODE_TYPE = `${PACKAGE_NAME}.teamsCall`;
const RECORD_NODE_TYPE = `${PACKAGE_NAME}.teamsCallRecord`;

function workflowNodeOfOurs(workflow) {
	return workflow.nodes.filter((node) => [NODE_TYPE, CALL_NODE_TYPE, RECORD_NODE_TYPE].includes(node.type));
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
	[
		'join-and-dial.workflow.json',
		'join a meeting by its short link, then dial a phone number into the call',
		(out) => {
			const [joined] = itemsOf(out, 'Join the stand-up');
			assert(joined?.json.state === 'established', `call state is ${joined?.json.state}`);
			const [dialed] = itemsOf(out, 'Dial the on-call number');
			assert(dialed?.json.status === 'completed' && dialed.json.callId === joined.json.id, `invite ${JSON.stringify(dialed?.json)}`);
			return `call ${joined.json.id}, invite ${dialed.json.status}`;
		},
	],
	[
		'join-play-prompt-leave.workflow.json',
		'join by meeting ID, play a prompt, hang up',
		(out) => {
			const [joined] = itemsOf(out, 'Join by meeting ID');
			const [prompt] = itemsOf(out, 'Play the announcement');
			const [left] = itemsOf(out, 'Leave the meeting');
			assert(String(prompt?.json['@odata.type']).includes('playPromptOperation'), `prompt ${JSON.stringify(prompt?.json)}`);
			assert(left?.json.hungUp === true && left.json.callId === joined?.json.id, `hang up ${JSON.stringify(left?.json)}`);
			return `prompt ${prompt.json.status}`;
		},
	],
	[
		'keep-alive.workflow.json',
		'keep a call alive, then read it',
		(out) => {
			const [alive] = itemsOf(out, 'Keep the call alive');
			assert(alive?.json.alive === true && alive.json.callId === 'demo-call', `keep alive ${JSON.stringify(alive?.json)}`);
			const [call] = itemsOf(out, 'Check the call');
			assert(call?.json.state === 'established', `state ${call?.json.state}`);
			return '';
		},
	],
	...callRecordExpectations(),
];

/** The call-record examples read what the emulator seeds at start (test/emulator/callRecords/demoRecords.ts). */
function callRecordExpectations() {
	return [
		[
			'daily-attendance.workflow.json',
			"yesterday's meetings, attendance per meeting, a CSV file",
			(out) => {
				const rows = itemsOf(out, 'Attendance per meeting').map((item) => item.json);
				const names = rows.map((row) => `${row.callRecordId}:${row.displayName}`).sort();
				const expected = ['demo-record-review:Adele Vance', 'demo-record-review:Megan Bowen', 'demo-record-standup:Adele Vance', 'demo-record-standup:Alex Wilber', 'demo-record-standup:Megan Bowen'];
				assert(JSON.stringify(names) === JSON.stringify(expected), `attendance rows ${names.join(', ')}`);
				const alex = rows.find((row) => row.displayName === 'Alex Wilber');
				assert(alex.connectedSeconds === 1680 && alex.sessionCount === 2, `Alex: ${JSON.stringify(alex)}`);
				const [file] = itemsOf(out, 'Attendance CSV');
				const binary = file?.binary?.data;
				assert(binary && /^attendance-\d{4}-\d{2}-\d{2}\.csv$/.test(binary.fileName) && /csv/.test(binary.mimeType), `file ${JSON.stringify(binary)}`);
				const text = binary.data && binary.data.length > 40 ? Buffer.from(binary.data, 'base64').toString('utf8') : '';
				if (text) assert(text.split('\n')[0].includes('connectedSeconds') && text.includes('Alex Wilber'), `CSV: ${text.slice(0, 200)}`);
				return `${rows.length} rows, ${binary.fileName}${text ? `, ${text.trim().split('\n').length} CSV lines` : ''}`;
			},
		],
		[
			'pstn-minutes.workflow.json',
			'PSTN minutes per user for a month',
			(out) => {
				const minutes = Object.fromEntries(itemsOf(out, 'Minutes per user').map((item) => [item.json.user, item.json.minutes]));
				const expected = { 'adelev@contoso-emulator.onmicrosoft.com': 60, 'alexw@contoso-emulator.onmicrosoft.com': 40, 'meganb@contoso-emulator.onmicrosoft.com': 20 };
				assert(JSON.stringify(minutes, Object.keys(expected)) === JSON.stringify(expected), `minutes ${JSON.stringify(minutes)}`);
				return JSON.stringify(minutes);
			},
		],
	];
}

// ---------------------------------------------------------------------------------------------------------------
// 6. n8n start: what the editor sees

async function withServer(ctx, fn) {
	const start = Date.now();
	const child = spawnTracked(ctx.install.node, [ctx.install.bin, 'start'], { cwd: ctx.userFolder, env: ctx.env });
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const base = `http://127.0.0.1:${ctx.port}`;
	try {
		const deadline = Date.now() + 90_000;
		for (;;) {
			assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(log)}`);
			assert(Date.now() < deadline, `n8n start was not ready in 90 s\n${tail(log)}`);
			// n8n 1.x answers readiness before its REST routes exist: wait for the editor's first call too.
			const ok = (path) => fetch(`${base}${path}`).then((r) => r.status === 200, () => false);
			if ((await ok('/healthz/readiness')) && (await ok('/rest/settings'))) break;
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

/** The install of a target: its n8n version on its Node (throws Node24Unavailable's one sentence when there is none). */
function installOf(target) {
	if (target.node === 'own') return n8nInstall({ version: target.n8n });
	const found = ensureNode24({ say: (line) => process.stdout.write(`${line}\n`) });
	return n8nInstall({ version: target.n8n, node: found.node, nodeVersion: found.version, nodedir: found.nodedir });
}

async function main() {
	const only = (process.env.E2E_N8N ?? '').split(',').filter(Boolean);
	const targets = only.length ? TARGETS.filter((target) => only.includes(target.n8n)) : TARGETS;
	process.stdout.write(`e2e: ${PACKAGE_NAME} in n8n ${targets.map((t) => t.n8n).join(' and ')} (this script on node ${process.version})\n`);
	const work = mkdtempSync(join(tmpdir(), 'teams-call-e2e-'));
	try {
		let packed;
		if (!(await step('build + npm pack', async () => {
			packed = await buildAndPack(work);
			return `${packed.files} files, ${Math.round(packed.size / 1024)} kB`;
		}))) return;
		for (const target of targets) await checkTarget(target, work, packed);
	} catch (error) {
		record('unexpected error', false, undefined, error instanceof Error ? error.stack ?? error.message : String(error));
	} finally {
		await stopAllChildren();
		if (keep || results.some((r) => !r.ok)) process.stdout.write(`e2e: kept ${work} (n8n logs in ${join(work, 'n8n-<version>', 'logs')})\n`);
		else rmSync(work, { recursive: true, force: true });
	}
}

/** Every check of one target, in its own user folder, against its own emulator. */
async function checkTarget(target, parentWork, packed) {
	let install;
	try {
		install = installOf(target);
	} catch (error) {
		if (!(error instanceof Node24Unavailable)) throw error;
		startSection(`n8n ${target.n8n}`);
		record(`Node for n8n ${target.n8n}`, false, undefined, error.message);
		return;
	}
	const legacyOnly = install.nodeMajor < (target.vmEngineFrom ?? 0);
	startSection(`n8n ${target.n8n} on Node ${install.nodeVersion}${legacyOnly ? ', legacy expression engine' : ''}`);
	if (legacyOnly) {
		process.stdout.write(
			`  NOTE  n8n ${target.n8n}'s default expression engine (vm, isolated-vm) does not load on Node ${install.nodeMajor} ` +
				`(it needs ${target.vmEngineFrom}+); n8n runs here with N8N_EXPRESSION_ENGINE=legacy, as it must for its users on Node ${install.nodeMajor}.\n`,
		);
	}
	const work = join(parentWork, `n8n-${target.n8n}`);
	const userFolder = join(work, 'user');
	mkdirSync(userFolder, { recursive: true });
	const owner = { email: 'owner@example.com', password: `E2e-${randomBytes(6).toString('hex')}A1` };
	const ctx = { work, userFolder, install, port: await freePort(), outputs: [], env: undefined, owner };
	ctx.env = n8nEnv(userFolder, ctx.port, await freePort(), install);
	if (legacyOnly) ctx.env.N8N_EXPRESSION_ENGINE = 'legacy';
	let emulator;
	try {
		if (!(await step(`provision n8n@${target.n8n}`, () => provisionN8n(install)))) return;
		if (!(await step('sqlite3 native binding loads', () => checkSqlite(install)))) return;
		if (!(await step('install into .n8n/nodes (production deps only)', () => installPackage(userFolder, packed, install)))) return;
		if (!(await step('emulator started', async () => {
			emulator = await startEmulator(work);
			return emulator.values.GRAPH_URL;
		}))) return;
		const secret = emulator.values.CLIENT_SECRET;
		const wrongSecret = `wrong-${randomBytes(12).toString('hex')}`;

		// 4. credentials
		const credentialsFile = join(work, 'credentials.json');
		writeFileSync(
			credentialsFile,
			JSON.stringify([
				emulatorCredential(emulator.values, emulator.caPem, GOOD_CREDENTIAL, { clientSecret: secret }),
				emulatorCredential(emulator.values, emulator.caPem, WRONG_CREDENTIAL, { clientSecret: wrongSecret }),
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
		const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.workflow.json') && !RUNNING_N8N_EXAMPLES.includes(f)).sort();
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
		if (legacyOnly) {
			await step(`Node ${install.nodeMajor}: n8n's default vm expression engine does not load (hence legacy)`, async () => {
				const readOnly = workflows.get('get.workflow.json');
				const result = await n8n(ctx, ['execute', `--id=${readOnly.id}`, '--rawOutput'], 180_000, { N8N_EXPRESSION_ENGINE: 'vm' });
				const all = result.stdout + result.stderr;
				assert(result.code !== 0, `the vm engine ran on Node ${install.nodeMajor}: drop vmEngineFrom for n8n ${target.n8n}`);
				assert(/Could not initialize the vm expression engine/.test(all), `unexpected failure:\n${tail(all)}`);
				return 'Could not initialize the vm expression engine';
			});
		}

		for (const [file, label, expect] of EXPECTATIONS) {
			const workflow = workflows.get(file);
			if (!workflow || !wanted('cli')) continue;
			await step(`execute ${file}: ${label}`, async () => {
				const result = await n8n(ctx, ['execute', `--id=${workflow.id}`, '--rawOutput']);
				const out = parseRun(result.stdout);
				// n8n 2.x's CLI now and then dies of SIGSEGV while shutting down, after it printed the finished execution
				// (native teardown of its expression isolates: this package has no native code). That run is judged on
				// what it printed, and the crash is said in the step's detail; any other non-zero exit fails.
				const crashedAfterFinishing = result.signal === 'SIGSEGV' && out?.finished === true;
				assert(result.code === 0 || crashedAfterFinishing, `exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\n${tail(result.stdout + result.stderr)}`);
				assert(out, `no JSON on stdout\n${tail(result.stdout)}`);
				assert(out.status === 'success' || out.finished === true, `execution status ${out.status}`);
				const detail = expect(out);
				return crashedAfterFinishing ? `${detail}; then n8n crashed on exit (SIGSEGV), after the execution was stored` : detail;
			});
		}

		if (wanted('cli')) await step('execute with the wrong client secret: fails clearly, secret not shown', async () => {
			const result = await n8n(ctx, ['execute', `--id=${wrong.id}`, '--rawOutput']);
			const all = result.stdout + result.stderr;
			assert(result.code === 1, `exit ${result.code}, expected 1\n${tail(all)}`);
			assert(/AADSTS7000215/.test(all) && /client secret/i.test(all), `no clear message (AADSTS7000215 / client secret):\n${tail(all)}`);
			assert(!all.includes(wrongSecret), 'the wrong secret appears in the output');
			const line = all.split('\n').find((l) => /client secret/i.test(l)) ?? '';
			return line.trim().slice(0, 160);
		});

		// 6. the server: node types and the credential test
		if (wanted('cli')) await withServer(ctx, async (base, log) => {
			let cookie;
			await step('POST /rest/owner/setup', async () => {
				const response = await http(base, '/rest/owner/setup', {
					method: 'POST',
					body: { ...ctx.owner, firstName: 'E2E', lastName: 'Owner' },
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
				assert(ours.some((type) => type.name === CALL_NODE_TYPE) && ours.some((type) => type.name === `${CALL_NODE_TYPE}Tool`), 'Teams Call (or its tool variant) not listed');
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

		// 7. a running n8n: the meeting guard (Teams Call Trigger) next to the emulator
		if (GUARD_PARTS.some(wanted)) await meetingGuardPart({ work, packed, emulator, step, install, extraEnv: legacyOnly ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {} });

		// 8. a running n8n, stopped and started again: the Teams Call Record Trigger emits each record once
		if (wanted('record-trigger')) {
			await callRecordTriggerPart({ ctx, emulator, step, credential: GOOD_CREDENTIAL });
		}

		await step('no client secret (right or wrong) in any n8n output', async () => {
			const eventLogs = readdirSync(join(userFolder, '.n8n'))
				.filter((f) => f.startsWith('n8nEventLog'))
				.map((f) => readFileSync(join(userFolder, '.n8n', f), 'utf8'));
			const all = [...ctx.outputs, ...eventLogs].join('\n');
			assert(!all.includes(secret), 'the client secret appears in n8n output');
			assert(!all.includes(wrongSecret), 'the wrong client secret appears in n8n output');
			return `${ctx.outputs.length} n8n runs and ${eventLogs.length} event log(s) checked`;
		});
	} finally {
		if (emulator) await stopChild(emulator.child);
	}
}

await main();
const failed = printTable();
process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
