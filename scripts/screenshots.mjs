#!/usr/bin/env node
/**
 * Screenshots of our node in a real n8n editor, for the README: `npm run docs:screenshots`.
 *
 * The set-up of `npm run test:e2e`, through the shared scripts/n8nHarness.mjs (n8n from the same cache folder; our
 * package built, packed and installed into <user folder>/.n8n/nodes as n8n's installer does; the local Entra + Graph
 * emulator; a credential for it; the demo workflow), then `n8n start`, the owner set up through the REST API, and
 * headless Chromium (Debian's `chromium`, driven by playwright-core) signing in through the sign-in page and taking
 * PNGs (1440x900) into docs/images/:
 *
 *   editor-canvas.png           the demo workflow on the canvas
 *   node-join-parameters.png    the Join Meeting node's parameters (by link, callback URL, options)
 *   node-invite-parameters.png  the Invite node's parameters (fields mode, participants)
 *   run-output.png              after "Execute workflow": Get Many Participants' output (table)
 *   credential.png              the Microsoft Graph App API credential, tested
 *   guard-workflow.png          examples/meeting-guard.workflow.json on the canvas
 *   trigger-parameters.png      the Teams Call Trigger's parameters
 *
 * A picture is refused (the run fails) when it would show the sign-in page or an error toast, or when our icon did
 * not load. Everything runs offline (n8n's "getaddrinfo ENOTFOUND" lines about its own services are harmless).
 * Environment: TEAMS_CALL_TOOLS (cache root, as for e2e), CHROMIUM (default /usr/bin/chromium),
 * SCREENSHOTS_OUT (default docs/images), SCREENSHOTS_KEEP=1 (keep the temporary folder: n8n's logs, and review-*.png
 * shots of the parts the README pictures leave out), SCREENSHOTS_VERBOSE=1 (print the children's output).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
	CREDENTIAL_TYPE,
	N8N_VERSION,
	PACKAGE_NAME,
	assert,
	buildAndPack,
	configureHarness,
	freePort,
	installPackage,
	n8n,
	n8nBin,
	n8nEnv,
	nodeMajor,
	provisionN8n,
	repo,
	saveLog,
	spawnTracked,
	startEmulator,
	stopAllChildren,
	stopChild,
	tail,
} from './n8nHarness.mjs';

const CREDENTIAL = { id: 'tcpGraphEmulator', name: 'Microsoft Graph App (local emulator)' };
const DEMO_WORKFLOW_ID = 'tcpDemoWorkflow1';
const OWNER = { email: 'owner@example.com', firstName: 'Docs', lastName: 'Owner', password: `Docs-${randomBytes(6).toString('hex')}A1` };
const VIEWPORT = { width: 1440, height: 900 };
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--no-first-run',
];

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const outDir = resolve(repo, process.env.SCREENSHOTS_OUT ?? join('docs', 'images'));
const verbose = /^(1|true|yes)$/i.test(process.env.SCREENSHOTS_VERBOSE ?? '');
const keep = /^(1|true|yes)$/i.test(process.env.SCREENSHOTS_KEEP ?? '');
const t0 = Date.now();
configureHarness({ label: 'screenshots', verbose });

function log(message) {
	process.stdout.write(`screenshots [${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function checkPrerequisites() {
	assert(nodeMajor >= 24, `n8n@${N8N_VERSION} needs Node.js 24 (running ${process.version}); put Node 24 first on PATH`);
	assert(
		existsSync(chromiumPath),
		`${chromiumPath} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM to a Chromium binary`,
	);
}

/** The demo workflow with an ID and the emulator's credential on our nodes. */
function demoWorkflow() {
	const workflow = JSON.parse(readFileSync(join(repo, 'demo', 'teams-call.workflow.json'), 'utf8'));
	workflow.id = DEMO_WORKFLOW_ID;
	workflow.active = false;
	workflow.pinData = {};
	for (const node of workflow.nodes) {
		if (node.type.startsWith(`${PACKAGE_NAME}.`)) node.credentials = { [CREDENTIAL_TYPE]: CREDENTIAL };
	}
	return workflow;
}

async function importData(ctx, emulator) {
	const credentialsFile = join(ctx.work, 'credentials.json');
	writeFileSync(
		credentialsFile,
		JSON.stringify([
			{
				...CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: {
					cloud: 'custom',
					tenantId: emulator.values.TENANT_ID,
					clientId: emulator.values.CLIENT_ID,
					authentication: 'clientSecret',
					clientSecret: emulator.values.CLIENT_SECRET,
					authorityHost: emulator.values.AUTHORITY_HOST,
					graphBaseUrl: emulator.values.GRAPH_URL,
					caCertificate: emulator.caPem,
				},
			},
		]),
	);
	const credentials = await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`]);
	rmSync(credentialsFile);
	assert(credentials.code === 0, `n8n import:credentials exited ${credentials.code}\n${tail(credentials.stderr || credentials.stdout)}`);
	const workflowFile = join(ctx.work, 'workflow.json');
	writeFileSync(workflowFile, JSON.stringify(demoWorkflow()));
	const workflow = await n8n(ctx, ['import:workflow', `--input=${workflowFile}`]);
	assert(workflow.code === 0, `n8n import:workflow exited ${workflow.code}\n${tail(workflow.stderr || workflow.stdout)}`);
	const guard = await n8n(ctx, ['import:workflow', `--input=${join(repo, 'examples', 'meeting-guard.workflow.json')}`]);
	assert(guard.code === 0, `n8n import:workflow (guard) exited ${guard.code}\n${tail(guard.stderr || guard.stdout)}`);
}

/** `n8n start` until /healthz/readiness answers, then the owner (POST /rest/owner/setup). */
async function startN8n(ctx) {
	const child = spawnTracked(process.execPath, [n8nBin, 'start'], { cwd: ctx.userFolder, env: ctx.env });
	const collect = (chunk) => {
		ctx.n8nLog += chunk;
		if (verbose) process.stdout.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const base = `http://127.0.0.1:${ctx.port}`;
	const deadline = Date.now() + 90_000;
	for (;;) {
		assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(ctx.n8nLog)}`);
		assert(Date.now() < deadline, `n8n start was not ready in 90 s\n${tail(ctx.n8nLog)}`);
		const ready = await fetch(`${base}/healthz/readiness`).then((r) => r.status === 200, () => false);
		if (ready) break;
		await sleep(250);
	}
	const response = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	assert(response.status === 200, `POST /rest/owner/setup: status ${response.status} ${(await response.text()).slice(0, 200)}`);
	return { child, base };
}

// ---------------------------------------------------------------------------------------------------------------
// The browser

/** Closes whatever n8n shows on top (onboarding, "What's new", callouts) and its toasts. */
async function dismissOverlays(page) {
	for (let i = 0; i < 2; i++) {
		await page.keyboard.press('Escape').catch(() => {});
		await sleep(150);
	}
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
		await close.click({ timeout: 1000 }).catch(() => {});
	}
}

/** Fails on what must not be in a picture: the sign-in page, an error toast. */
async function checkPage(page, name) {
	assert(!new URL(page.url()).pathname.startsWith('/signin'), `${name}: the browser is on the sign-in page`);
	const errors = await page.locator('.el-notification--error, .el-notification.error').allInnerTexts();
	assert(errors.length === 0, `${name}: an error toast is shown: ${errors.join(' | ').slice(0, 300)}`);
}

async function shoot(page, name, options = {}) {
	await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height / 2); // no hover effects
	await sleep(300);
	await checkPage(page, name);
	await page.screenshot({ path: join(outDir, name), ...options });
	log(`wrote ${join(process.env.SCREENSHOTS_OUT ?? join('docs', 'images'), name)}`);
}

/** Signs in through n8n's sign-in page, as a person would. */
async function login(page, base) {
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first();
	await email.waitFor({ timeout: 60_000 });
	await email.fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

const canvasNode = (page, name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

async function openNode(page, name) {
	await canvasNode(page, name).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor();
	await sleep(1000);
}

async function closeNode(page) {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}

async function screenshots(base, work) {
	const { chromium } = await import('playwright-core');
	const userDataDir = mkdtempSync(join(tmpdir(), 'teams-call-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	try {
		await login(page, base);
		log('signed in');

		// 1. the demo workflow on the canvas
		await page.goto(`${base}/workflow/${DEMO_WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
		await canvasNode(page, 'Remove Front Desk').waitFor({ timeout: 60_000 });
		await sleep(1000);
		await dismissOverlays(page);
		const icon = canvasNode(page, 'Invite Participants').locator('img').first();
		await icon.waitFor();
		assert(await icon.evaluate((img) => img.complete && img.naturalWidth > 0), "our node's icon did not load");
		// Six nodes: "fit view" as it opens, so that none is cut off.
		await shoot(page, 'editor-canvas.png');

		// 2. Join Meeting's parameters (by link), then Invite's (fields mode, the participants)
		await openNode(page, 'Join Meeting');
		await page.locator('[data-test-id="node-parameters"]').getByText('Join URL', { exact: true }).first().waitFor();
		await shoot(page, 'node-join-parameters.png');
		await closeNode(page);

		await openNode(page, 'Invite Participants');
		await page.locator('[data-test-id="node-parameters"]').getByText('Participants', { exact: true }).first().waitFor();
		await shoot(page, 'node-invite-parameters.png');
		if (keep) {
			// Review shots (not for the README): the rest of the parameters.
			for (let i = 1; i <= 4; i++) {
				await page.locator('[data-test-id="node-parameters"]').hover();
				await page.mouse.wheel(0, 700);
				await sleep(400);
				await page.screenshot({ path: join(work, `review-invite-${i}.png`) });
			}
		}
		await closeNode(page);

		// 3. "Execute workflow", then Get Many Participants' output (table view, the output panel widened)
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await canvasNode(page, 'Remove Front Desk').locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 120_000 });
		await sleep(800);
		await dismissOverlays(page);
		await openNode(page, 'Get Many Participants');
		const output = page.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="ndv-data-container"] table').first().waitFor();
		const handle = page.locator('[data-test-id="panel-drag-button"]').first();
		const box = await handle.boundingBox();
		if (box) {
			await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
			await page.mouse.down();
			await page.mouse.move(box.x + box.width / 2 - 300, box.y + box.height / 2, { steps: 15 });
			await page.mouse.up();
			await sleep(600);
		}
		await shoot(page, 'run-output.png');
		if (keep) {
			await output.getByText('JSON', { exact: true }).click();
			await sleep(600);
			await page.screenshot({ path: join(work, 'review-output-json.png') });
		}
		await closeNode(page);

		// 4. the credential (its test runs when the dialog opens)
		await page.goto(`${base}/home/credentials/${CREDENTIAL.id}`, { waitUntil: 'domcontentloaded' });
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor({ timeout: 60_000 });
		await dialog.getByText(/Connection tested successfully|Couldn.t connect/).first().waitFor({ timeout: 30_000 }).catch(() => {});
		await sleep(500);
		await shoot(page, 'credential.png');
		if (keep) {
			await dialog.getByText('CA Certificate', { exact: true }).first().scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => {});
			await sleep(400);
			await page.screenshot({ path: join(work, 'review-credential-2.png') });
		}

		// 5. the meeting guard, and the trigger's parameters
		await page.goto(`${base}/workflow/tcpMeetingGuard01`, { waitUntil: 'domcontentloaded' });
		await canvasNode(page, 'Remove them').waitFor({ timeout: 60_000 });
		await sleep(1000);
		await dismissOverlays(page);
		await shoot(page, 'guard-workflow.png');
		await openNode(page, 'Someone joined');
		await page.locator('[data-test-id="node-parameters"]').getByText('Events', { exact: true }).first().waitFor();
		await shoot(page, 'trigger-parameters.png');
		await closeNode(page);
	} catch (error) {
		const path = join(work, 'failure.png');
		await page.screenshot({ path }).catch(() => {});
		process.stderr.write(`screenshots: the page when it failed: ${path}\n`);
		throw error;
	} finally {
		await context.close().catch(() => {});
		rmSync(userDataDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
	checkPrerequisites();
	mkdirSync(outDir, { recursive: true });
	const work = mkdtempSync(join(tmpdir(), 'teams-call-screenshots-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder, { recursive: true });
	const ctx = { work, userFolder, port: await freePort(), outputs: [], keepOutputs: false, n8nLog: '' };
	ctx.env = n8nEnv(userFolder, ctx.port, await freePort());
	let ok = false;
	try {
		log(`n8n@${N8N_VERSION}: ${await provisionN8n()}`);
		const packed = await buildAndPack(work, { outName: 'screenshots' });
		log(`built and packed ${PACKAGE_NAME}@${packed.version}`);
		await installPackage(userFolder, packed);
		log('installed into .n8n/nodes');
		const emulator = await startEmulator(work, { script: join(repo, 'build', 'screenshots', 'test', 'emulator', 'cli.js') });
		log(`emulator at ${emulator.values.GRAPH_URL}`);
		await importData(ctx, emulator);
		log('imported the credential and the demo workflow');
		const { child, base } = await startN8n(ctx);
		log(`n8n ready at ${base}, owner set up`);
		await screenshots(base, work);
		await stopChild(child, 10_000);
		ok = true;
	} finally {
		await stopAllChildren();
		saveLog(ctx, 'start', ctx.n8nLog);
		if (keep || !ok) process.stdout.write(`screenshots: kept ${work} (n8n's output in logs/)\n`);
		else rmSync(work, { recursive: true, force: true });
	}
	log('done');
}

main().catch((error) => {
	process.stderr.write(`screenshots: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exitCode = 1;
});
