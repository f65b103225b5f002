/**
 * The n8n editor in headless Chromium, shared by `npm run test:editor` (scripts/editorTest.mjs) and
 * `npm run docs:screenshots` (the same script, --screenshots): Debian's Chromium (installed with apt-get when missing and run
 * as root, as CI does), a fresh profile per run, `n8n start` with the owner set up through the REST API, the sign-in
 * page, and the canvas and node-panel handles both drive.
 *
 * Environment: CHROMIUM (default /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assert, n8nRest, tail } from './n8nHarness.mjs';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1440, height: 900 };
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Debian's Chromium: there already, or installed with apt-get when this runs as root (CI); otherwise a clear error. */
export function ensureChromium(log) {
	if (existsSync(chromiumPath)) return;
	const root = process.getuid?.() === 0;
	assert(root && chromiumPath === '/usr/bin/chromium', `${chromiumPath} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM to a Chromium binary`);
	log('installing Debian\'s chromium with apt-get (once)');
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'pipe', encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		assert(result.status === 0, `apt-get ${args.join(' ')} exited ${result.status}\n${tail(result.stderr || result.stdout || '')}`);
	}
	assert(existsSync(chromiumPath), `apt-get installed chromium, but ${chromiumPath} is still missing`);
}

/** An owner account for a fresh n8n (a new password each run). */
export function newOwner(firstName) {
	return { email: 'owner@example.com', firstName, lastName: 'Owner', password: `${firstName}-${randomBytes(6).toString('hex')}A1` };
}

/** A REST call as the signed-in owner (n8nRest: the cookie is bound to its browser ID): the parsed `data`, or an error naming the status. */
export async function ownerRest(base, cookie, path, { method = 'GET', body } = {}) {
	const response = await n8nRest(base, path, { method, body, cookie });
	assert(response.status >= 200 && response.status < 300, `${method} ${path}: status ${response.status} ${response.text.slice(0, 300)}`);
	return response.json.data;
}

/** Chromium with a fresh profile: { context, page, close }. */
export async function launchBrowser({ colorScheme = 'light' } = {}) {
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
		colorScheme,
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	return {
		context,
		page,
		close: async () => {
			await context.close().catch(() => {});
			rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in through n8n's sign-in page, as a person would. */
export async function login(page, base, owner) {
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first();
	await email.waitFor({ timeout: 60_000 });
	await email.fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Closes whatever n8n shows on top (onboarding, "What's new", callouts) and its toasts. */
export async function dismissOverlays(page) {
	for (let i = 0; i < 2; i++) {
		await page.keyboard.press('Escape').catch(() => {});
		await sleep(150);
	}
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
		await close.click({ timeout: 1000 }).catch(() => {});
	}
}

/** The texts of the error toasts on screen. */
export async function errorToasts(page) {
	return await page.locator('.el-notification--error, .el-notification.error').allInnerTexts();
}

export const canvasNode = (page, name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

export async function openNode(page, name) {
	await canvasNode(page, name).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor();
	await sleep(500);
}

export async function closeNode(page) {
	const ndv = page.locator('[data-test-id="ndv"]');
	await page.keyboard.press('Escape');
	// Escape first closes whatever dropdown is open inside the panel: then the close button.
	if (!(await ndv.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false))) {
		await page.locator('[data-test-id="ndv-close-button"]').first().click();
		await ndv.waitFor({ state: 'hidden' });
	}
}
