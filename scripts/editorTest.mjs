#!/usr/bin/env node
/**
 * `npm run test:editor`: the package as a builder meets it, in n8n's own editor. A real n8n 2.41.1 (`n8n start`, the
 * cached install of test:e2e), the package built, packed and installed into <user folder>/.n8n/nodes as n8n's installer
 * does, the emulator beside it (its tokens carry application permissions as `roles`), the owner set up through the REST
 * API, then headless Chromium (Debian's `chromium`, driven by playwright-core) signing in and using the editor:
 *
 *   credential     created through the UI (Cloud: Custom, the emulator's values, the CA): Test passes
 *   wrong secret   the package's message under "More details", without the secret
 *   nodes panel    "teams call" and every codex alias offer the package's nodes; each node opens from there
 *   operations     every operation of every node (read from the built descriptions in dist/, so new ones count too):
 *                  its parameters render; every mode switch (fields / JSON, join by link / ID, …), every resource
 *                  locator mode and every Options entry renders
 *   list search    the participant picker lists the emulator call's participants by name
 *   run            the demo workflow: Execute workflow, every node succeeds, the output panel shows Get Many's items
 *   trigger        the Teams Call Trigger shows its production URL; the meeting guard example opens and is published
 *   icons          the nodes' icons load in light and in dark mode
 *
 * Every check fails on a console error of the editor (failed loads of other origins, such as n8n asking the npm
 * registry about the package, are reported apart: they say nothing about the package) or an error toast. It prints
 * "N passed, M failed" and exits 1 on any failure. With --screenshots (`npm run docs:screenshots`) the same run also
 * writes README's pictures (1440x900 PNGs) into docs/images, or SCREENSHOTS_OUT: editor-canvas, node-join-parameters,
 * node-invite-parameters, run-output, credential, guard-workflow, trigger-parameters, and from two checks that run only
 * then: front-desk (the front desk example on the canvas) and attendance-output (the daily attendance example run
 * against the emulator's demo call records, Get Attendance's output panel).
 *
 * Environment: TEAMS_CALL_TOOLS (cache root, as for e2e), CHROMIUM (default /usr/bin/chromium, installed with apt-get
 * when missing and run as root), EDITOR_KEEP=1 (keep the temporary folder: n8n's log, failure-*.png),
 * EDITOR_VERBOSE=1 (echo n8n's output), EDITOR_ONLY=<name prefix> (only those checks, while working on them).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
	n8nEnv,
	nodeMajor,
	ownerSession,
	provisionN8n,
	repo,
	startEmulator,
	startN8n,
	stopAllChildren,
} from './n8nHarness.mjs';
import {
	VIEWPORT,
	canvasNode,
	closeNode,
	dismissOverlays,
	ensureChromium,
	errorToasts,
	launchBrowser,
	login,
	newOwner,
	openNode,
	ownerRest,
	sleep,
} from './n8nEditor.mjs';
import { operationsOf, visibleProperties } from './nodeDescriptions.mjs';

/** What the emulator's tokens grant: every Calls.* permission the operations of the package need. */
const TOKEN_ROLES = ['Calls.JoinGroupCall.All', 'Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.AccessMedia.All', 'CallRecords.Read.All'];
const WRONG_SECRET = 'Not-The-Secret-7f3a9c2e1d4b';
const verbose = /^(1|true|yes)$/i.test(process.env.EDITOR_VERBOSE ?? '');
const keep = /^(1|true|yes)$/i.test(process.env.EDITOR_KEEP ?? '');
const screenshotsDir = process.argv.includes('--screenshots')
	? resolve(repo, process.env.SCREENSHOTS_OUT ?? join('docs', 'images'))
	: undefined;
const t0 = Date.now();
configureHarness({ label: 'editor', verbose });

function log(message) {
	process.stdout.write(`editor [${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Checks: each one fails on its own assertion, a console error or an error toast; the run goes on after a failure.

const results = [];

/**
 * Console errors, but two kinds of failed load that say nothing about the package, counted apart: other origins (n8n
 * asks the npm registry about the package, offline here) and n8n's probe for output-schema previews
 * (/schemas/<node type>/<version>/<operation>.json), optional files that the package does not ship.
 */
function watchConsole(page, base) {
	const watch = { errors: [], external: new Set(), schemaProbes: 0 };
	const origin = new URL(base).origin;
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const source = message.location()?.url ?? '';
		if (/^Failed to load resource/.test(message.text()) && source) {
			const url = new URL(source, origin);
			if (url.origin !== origin) {
				watch.external.add(url.origin);
				return;
			}
			if (/ 404 /.test(message.text()) && url.pathname.startsWith(`/schemas/${PACKAGE_NAME}.`)) {
				watch.schemaProbes++;
				return;
			}
		}
		watch.errors.push(`${message.text().slice(0, 300)}${source ? ` (${source.slice(0, 200)})` : ''}`);
	});
	page.on('pageerror', (error) => watch.errors.push(`uncaught: ${error.message.slice(0, 300)}`));
	return watch;
}

/** EDITOR_ONLY=<prefix>: only the checks whose name starts with it (and the credential, which the others need). */
const only = process.env.EDITOR_ONLY;

async function check(ctx, name, run) {
	if (only && !name.startsWith(only) && !name.startsWith('credential:')) return false;
	const { page, watch } = ctx;
	watch.errors.length = 0;
	const started = Date.now();
	let problem;
	try {
		const detail = await run();
		await sleep(200);
		const toasts = await errorToasts(page);
		if (toasts.length) problem = `error toast: ${toasts.join(' | ').slice(0, 300)}`;
		else if (watch.errors.length) problem = `console error: ${watch.errors.join(' | ')}`;
		else results.push({ name, ok: true });
		if (!problem) log(`ok    ${name}${detail ? `: ${detail}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	} catch (error) {
		problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
	}
	if (problem) {
		results.push({ name, ok: false, problem });
		const shot = join(ctx.work, `failure-${results.length}.png`);
		await page.screenshot({ path: shot }).catch(() => {});
		log(`FAIL  ${name}: ${problem} (${shot})`);
		ctx.failed = true;
		await page.keyboard.press('Escape').catch(() => {});
		await dismissOverlays(page).catch(() => {});
	}
	return !problem;
}

async function shoot(page, name) {
	if (!screenshotsDir) return;
	await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height / 2); // no hover effects
	await sleep(300);
	const toasts = await errorToasts(page);
	assert(toasts.length === 0, `${name}: an error toast would be in the picture`);
	await page.screenshot({ path: join(screenshotsDir, name) });
	log(`wrote ${name}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The package, as the editor should show it: read from the built dist/ (package.json's n8n section).

function packageNodes() {
	const require = createRequire(import.meta.url);
	const { n8n } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
	return n8n.nodes.map((file) => {
		const exported = require(join(repo, file));
		const description = new (Object.values(exported)[0])().description;
		const codex = JSON.parse(readFileSync(join(repo, file.replace(/\.js$/, '.json')), 'utf8'));
		return { description, aliases: codex.alias ?? [], isTrigger: description.group?.includes('trigger') ?? false };
	});
}

/** The name the nodes panel lists a node under: n8n shows a trigger with its action node, without "Trigger". */
const panelName = (node) => node.description.displayName.replace(/ Trigger$/, '');

// ---------------------------------------------------------------------------------------------------------------
// Driving the editor

const dropdownItem = (page, text) =>
	page.locator('.el-select-dropdown__item:visible, .el-dropdown-menu__item:visible').filter({ has: page.getByText(text, { exact: true }) }).first();

async function chooseOption(page, scope, parameterName, optionName) {
	await scope.locator(`[data-test-id="parameter-input-${parameterName}"]`).first().click();
	await dropdownItem(page, optionName).click();
	await sleep(300);
}

async function fillCredential(page, dialog, values) {
	await dialog.locator('[data-test-id="parameter-input-cloud"]').click();
	await dropdownItem(page, 'Custom (Proxy or Emulator)').click();
	for (const [name, value] of Object.entries(values)) {
		await dialog.locator(`[data-test-id="parameter-input-${name}"]`).locator('input, textarea').first().fill(value);
	}
}

async function newCredential(page, base, values) {
	await page.goto(`${base}/home/credentials`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="add-resource-credential"]').click({ timeout: 60_000 });
	await page.locator('[data-test-id="new-credential-type-select"] input').first().fill('Microsoft Graph App');
	await page.locator('[data-test-id="new-credential-type-select-option"]').filter({ hasText: 'Microsoft Graph App API' }).click();
	await page.locator('[data-test-id="new-credential-type-button"]').click();
	const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
	await dialog.waitFor();
	await fillCredential(page, dialog, values);
	await page.locator('[data-test-id="credential-save-button"]').click();
	return dialog;
}

async function closeDialog(page) {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="credential-edit-dialog"]').waitFor({ state: 'hidden' }).catch(() => {});
}

/** A workflow through the REST API, our nodes on the given credential; returns its id. */
async function createWorkflow(ctx, workflow) {
	const nodes = workflow.nodes.map((node) =>
		node.type.startsWith(`${PACKAGE_NAME}.`) ? { ...node, credentials: { [CREDENTIAL_TYPE]: ctx.credential } } : node,
	);
	const { id: _id, active: _active, pinData: _pinData, ...rest } = workflow;
	const created = await ownerRest(ctx.base, ctx.cookie, '/rest/workflows', { method: 'POST', body: { ...rest, nodes } });
	return created.id;
}

async function openWorkflow(ctx, id, nodeName) {
	await ctx.page.goto(`${ctx.base}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	await canvasNode(ctx.page, nodeName).waitFor({ timeout: 60_000 });
	await sleep(500);
	await dismissOverlays(ctx.page);
}

/** The labels n8n renders for the visible parameters, checked against the description. */
async function expectParametersShown(page, properties, where) {
	const panel = page.locator('[data-test-id="node-parameters"]');
	await panel.waitFor();
	await sleep(300);
	const text = await panel.innerText();
	const missing = properties.filter((p) => p.type !== 'hidden' && p.type !== 'notice' && !text.includes(p.displayName));
	assert(missing.length === 0, `${where}: not rendered: ${missing.map((p) => p.displayName).join(', ')}`);
	return properties.length;
}

// ---------------------------------------------------------------------------------------------------------------

async function credentialChecks(ctx) {
	const { page, base, emulator } = ctx;
	const values = {
		tenantId: emulator.values.TENANT_ID,
		clientId: emulator.values.CLIENT_ID,
		clientSecret: emulator.values.CLIENT_SECRET,
		authorityHost: emulator.values.AUTHORITY_HOST,
		graphBaseUrl: emulator.values.GRAPH_URL,
		notificationOpenIdConfigUrl: emulator.values.NOTIFICATION_OPENID_URL,
		caCertificate: emulator.caPem,
	};
	await check(ctx, 'credential: created through the UI, Test passes', async () => {
		await newCredential(page, base, values);
		await page.locator('[data-test-id="credentials-config-container-test-success"]').waitFor({ timeout: 60_000 });
		await shoot(page, 'credential.png');
		await closeDialog(page);
		const credentials = await ownerRest(base, ctx.cookie, '/rest/credentials');
		const created = credentials.find((c) => c.type === CREDENTIAL_TYPE);
		assert(created, 'the credential was not saved');
		ctx.credential = { id: created.id, name: created.name };
		return `"${created.name}"`;
	});
	await check(ctx, 'credential: a wrong secret gets the package\'s message, without the secret', async () => {
		const dialog = await newCredential(page, base, { ...values, clientSecret: WRONG_SECRET });
		await dialog.getByText("Couldn't connect with these settings").or(dialog.getByText('Couldn’t connect with these settings')).first().waitFor({ timeout: 60_000 });
		await dialog.getByText('More details').first().click();
		await dialog.getByText(/client secret is wrong/).first().waitFor();
		const text = await dialog.innerText();
		assert(/AADSTS7000215/.test(text), 'the message lacks the Entra error code');
		assert(!text.includes(WRONG_SECRET), 'the dialog shows the secret');
		await closeDialog(page);
		return 'The client secret is wrong … (AADSTS7000215)';
	});
}

async function nodesPanelChecks(ctx) {
	const { page, base, nodes } = ctx;
	const openPanel = async () => {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		return page.locator('[data-test-id="node-creator-search-bar"]');
	};
	const listed = async (search, term) => {
		await search.fill(term);
		await sleep(400);
		return await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
	};
	await check(ctx, 'nodes panel: "teams call" and every codex alias offer the package\'s nodes', async () => {
		await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
		const search = await openPanel();
		const names = await listed(search, 'teams call');
		const wanted = [...new Set(nodes.map(panelName))];
		const absent = wanted.filter((name) => !names.includes(name));
		assert(absent.length === 0, `"teams call" does not offer ${absent.join(', ')} (offered: ${names.join(', ')})`);
		let searches = 1;
		for (const alias of [...new Set(nodes.flatMap((node) => node.aliases))]) {
			const offered = await listed(search, alias);
			searches++;
			const expected = nodes.filter((node) => node.aliases.includes(alias)).map(panelName);
			const lacking = expected.filter((name) => !offered.includes(name));
			assert(lacking.length === 0, `"${alias}" does not offer ${lacking.join(', ')}`);
		}
		await page.keyboard.press('Escape');
		return `${wanted.join(', ')}; ${searches} searches`;
	});
	// Each trigger on a new workflow (the panel asks for one, and marks it), then each action node after the last one.
	for (const node of [...nodes.filter((n) => n.isTrigger), ...nodes.filter((n) => !n.isTrigger)]) {
		if (node.isTrigger) await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await check(ctx, `nodes panel: ${node.description.displayName} opens`, async () => {
			const search = await openPanel();
			await listed(search, node.description.displayName);
			await page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: new RegExp(`^${panelName(node)}$`) }).first().click();
			// Its panel lists its triggers and actions, the first of its own kind marked: Enter adds it and opens it.
			const section = page.locator('[data-test-id="node-creator"]').getByText(node.isTrigger ? /^Triggers \(/ : /^Actions \(/).first();
			await section.waitFor();
			await sleep(300);
			await page.keyboard.press('Enter');
			await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30_000 });
			const title = (await page.locator('[data-test-id="node-title-container"]').innerText()).trim().split('\n')[0];
			await closeNode(page);
			await dismissOverlays(page);
			const expected = node.description.defaults?.name ?? node.description.displayName;
			assert(new RegExp(`^${expected}\\d*$`).test(title), `the node that opened is "${title}", not ${expected}`);
			return `NDV "${title}"`;
		});
	}
}

async function operationChecks(ctx) {
	const { page, nodes } = ctx;
	for (const node of nodes) {
		const operations = operationsOf(node.description);
		if (operations.length === 0) continue;
		const name = node.description.defaults?.name ?? node.description.displayName;
		const opened = await check(ctx, `operation: ${node.description.displayName} opens on a canvas`, async () => {
			const id = await createWorkflow(ctx, {
				name: `Operations of ${node.description.displayName}`,
				nodes: [{ id: 'n1', name, type: `${PACKAGE_NAME}.${node.description.name}`, typeVersion: 1, position: [0, 0], parameters: { operation: operations[0].value } }],
				connections: {},
				settings: {},
			});
			await openWorkflow(ctx, id, name);
			await openNode(page, name);
			return `${operations.length} operations`;
		});
		if (!opened) continue;
		for (const operation of operations) {
			await check(ctx, `operation: ${node.description.displayName} > ${operation.name}`, async () => {
				const parameters = page.locator('[data-test-id="node-parameters"]');
				await chooseOption(page, parameters, 'operation', operation.name);
				let values = { operation: operation.value };
				let shown = await expectParametersShown(page, visibleProperties(node.description, values), operation.name);
				let switches = 0;
				for (const property of visibleProperties(node.description, values)) {
					if (property.type === 'options' && property.name !== 'operation' && drivesOthers(node.description, property.name)) {
						for (const option of property.options) {
							await chooseOption(page, parameters, property.name, option.name);
							values = { ...values, [property.name]: option.value };
							shown += await expectParametersShown(page, visibleProperties(node.description, values), `${operation.name}, ${property.displayName}: ${option.name}`);
							switches++;
						}
						await chooseOption(page, parameters, property.name, property.options.find((o) => o.value === property.default)?.name ?? property.options[0].name);
						values = { ...values, [property.name]: property.default };
					}
				}
				for (const property of visibleProperties(node.description, values)) {
					if (property.type === 'resourceLocator') switches += await resourceLocatorModes(page, property);
					if (property.type === 'collection') switches += await collectionEntries(page, property);
				}
				return `${shown} parameters, ${switches} modes and options`;
			});
		}
		await closeNode(page).catch(() => {});
	}
}

/** Whether another parameter's visibility depends on this one (a mode switch such as fields / JSON). */
function drivesOthers(description, name) {
	return description.properties.some((p) => p.displayOptions?.show?.[name] !== undefined || p.displayOptions?.hide?.[name] !== undefined);
}

/** Every mode of a resource locator but "From list" (its search is its own check): it renders, no error. */
async function resourceLocatorModes(page, property) {
	const locator = page.locator(`[data-test-id="resource-locator-${property.name}"]`);
	let count = 0;
	for (const mode of property.modes.filter((m) => m.type !== 'list')) {
		await locator.locator('[data-test-id="rlc-mode-selector"]').click();
		await dropdownItem(page, mode.displayName).click();
		await locator.locator('[data-test-id="rlc-input"]').first().waitFor();
		count++;
	}
	return count;
}

/** The Options collection offers every entry of the description. */
async function collectionEntries(page, property) {
	const add = page.locator('[data-test-id="collection-parameter-add"]').first();
	await add.click();
	const entries = page.locator('.el-select-dropdown__item:visible, .el-dropdown-menu__item:visible');
	await entries.first().waitFor();
	await sleep(200);
	const offered = await entries.allInnerTexts();
	await page.keyboard.press('Escape');
	const missing = property.options.filter((option) => !offered.some((text) => text.includes(option.displayName)));
	assert(missing.length === 0, `${property.displayName} does not offer ${missing.map((o) => o.displayName).join(', ')}`);
	return property.options.length;
}

async function listSearchCheck(ctx) {
	const { page, emulator } = ctx;
	await check(ctx, 'list search: the participant picker lists the emulator call\'s participants', async () => {
		const id = await createWorkflow(ctx, {
			name: 'Participant list search',
			nodes: [{ id: 'n1', name: 'Remove', type: `${PACKAGE_NAME}.teamsCallParticipant`, typeVersion: 1, position: [0, 0], parameters: { operation: 'remove', callId: emulator.values.CALL_ID, participantId: { __rl: true, mode: 'list', value: '' } } }],
			connections: {},
			settings: {},
		});
		await openWorkflow(ctx, id, 'Remove');
		await openNode(page, 'Remove');
		await page.locator('[data-test-id="resource-locator-participantId"] [data-test-id="rlc-input"]').first().click();
		const names = emulator.values.PARTICIPANT_NAMES.split(',');
		for (const name of names) await page.getByText(new RegExp(`^${name} \\(`)).first().waitFor({ timeout: 30_000 });
		await page.keyboard.press('Escape');
		await closeNode(page);
		return names.join(', ');
	});
}

async function runCheck(ctx) {
	const { page } = ctx;
	await check(ctx, 'run: the demo workflow succeeds, Get Many\'s items in the output panel', async () => {
		const demo = JSON.parse(readFileSync(join(repo, 'demo', 'teams-call.workflow.json'), 'utf8'));
		const id = await createWorkflow(ctx, { ...demo, name: 'Teams Call demo', settings: demo.settings ?? {} });
		const last = demo.nodes.at(-1).name;
		await openWorkflow(ctx, id, last);
		ctx.demo = { id, workflow: demo, lightIcons: await checkIcons(ctx, 'light', demo) };
		await shoot(page, 'editor-canvas.png');
		if (screenshotsDir) {
			await openNode(page, 'Join Meeting');
			await shoot(page, 'node-join-parameters.png');
			await closeNode(page);
			await openNode(page, 'Invite Participants');
			await shoot(page, 'node-invite-parameters.png');
			await closeNode(page);
		}
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		for (const node of demo.nodes) {
			await canvasNode(page, node.name).locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 120_000 });
		}
		await sleep(500);
		await dismissOverlays(page);
		await openNode(page, 'Get Many Participants');
		const output = page.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="ndv-data-container"] table').first().waitFor();
		const summary = await output.innerText();
		const items = /(\d+) items?/.exec(summary)?.[1];
		assert(items && Number(items) > 0, `the output panel shows no items: ${summary.slice(0, 200)}`);
		await shoot(page, 'run-output.png');
		await closeNode(page);
		return `${demo.nodes.length} nodes succeeded, Get Many: ${items} items`;
	});
}

async function triggerChecks(ctx) {
	const { page } = ctx;
	const guard = JSON.parse(readFileSync(join(repo, 'examples', 'meeting-guard.workflow.json'), 'utf8'));
	const trigger = guard.nodes.find((node) => node.type.endsWith('.teamsCallTrigger'));
	let id;
	await check(ctx, 'trigger: the meeting guard opens, the trigger shows its production URL', async () => {
		id = await createWorkflow(ctx, guard);
		await openWorkflow(ctx, id, trigger.name);
		await shoot(page, 'guard-workflow.png');
		await openNode(page, trigger.name);
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.getByText('Webhook URLs').first().click();
		await ndv.getByText('Production URL', { exact: true }).first().click();
		const url = `${ctx.webhookBase}webhook/${trigger.webhookId}/notifications`;
		await ndv.getByText(url).first().waitFor();
		await shoot(page, 'trigger-parameters.png');
		await closeNode(page);
		return url;
	});
	await check(ctx, 'trigger: the meeting guard is published (active)', async () => {
		await page.locator('[data-test-id="workflow-open-publish-modal-button"]').click();
		const confirm = page.locator('[data-test-id="workflow-publish-button"], .el-dialog [data-test-id*="publish"]').last();
		await confirm.click();
		let workflow;
		for (let i = 0; i < 40; i++) {
			workflow = await ownerRest(ctx.base, ctx.cookie, `/rest/workflows/${id}`);
			if (workflow.active === true || workflow.activeVersionId) break;
			await sleep(500);
		}
		assert(workflow.active === true || workflow.activeVersionId, 'the workflow did not become active');
		return 'published';
	});
}

/** Our icons on the canvas loaded, the light or dark variant as the theme asks. */
async function checkIcons(ctx, theme, workflow) {
	const ours = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
	for (const node of ours) {
		const icon = canvasNode(ctx.page, node.name).locator('img').first();
		await icon.waitFor();
		const { loaded, src } = await icon.evaluate((img) => ({ loaded: img.complete && img.naturalWidth > 0, src: img.getAttribute('src') ?? '' }));
		assert(loaded, `${node.name}: its icon did not load (${theme})`);
		assert(theme === 'dark' ? /\.dark\.svg/.test(src) : !/\.dark\.svg/.test(src), `${node.name}: the ${theme} icon is not the one shown (${src})`);
	}
	return ours.length;
}

async function darkIconsCheck(ctx) {
	await check(ctx, 'icons: light and dark', async () => {
		assert(ctx.demo, 'the demo workflow did not open (run check)');
		const { id, workflow, lightIcons } = ctx.demo;
		await ctx.page.evaluate(() => localStorage.setItem('N8N_THEME', 'dark'));
		await openWorkflow(ctx, id, workflow.nodes.at(-1).name);
		const darkIcons = await checkIcons(ctx, 'dark', workflow);
		await ctx.page.evaluate(() => localStorage.setItem('N8N_THEME', 'light'));
		return `${lightIcons} light (the run check's canvas), ${darkIcons} dark`;
	});
}

/** README's pictures that no other check opens: only with --screenshots. */
async function screenshotOnlyChecks(ctx) {
	const { page } = ctx;
	await check(ctx, 'screenshot: the front desk example opens on the canvas', async () => {
		const frontDesk = JSON.parse(readFileSync(join(repo, 'examples', 'front-desk.workflow.json'), 'utf8'));
		const id = await createWorkflow(ctx, frontDesk);
		await openWorkflow(ctx, id, frontDesk.nodes.at(-1).name);
		await shoot(page, 'front-desk.png');
		return `${frontDesk.nodes.length} nodes`;
	});
	await check(ctx, 'screenshot: the daily attendance example runs, Get Attendance\'s items in the output panel', async () => {
		const daily = JSON.parse(readFileSync(join(repo, 'examples', 'daily-attendance.workflow.json'), 'utf8'));
		// The manual trigger only: with two triggers, Execute workflow asks which one.
		const nodes = daily.nodes.filter((node) => node.type !== 'n8n-nodes-base.scheduleTrigger');
		const kept = new Set(nodes.map((node) => node.name));
		const connections = Object.fromEntries(Object.entries(daily.connections).filter(([from]) => kept.has(from)));
		const id = await createWorkflow(ctx, { ...daily, nodes, connections });
		const attendance = nodes.find((node) => node.parameters.operation === 'getAttendance').name;
		await openWorkflow(ctx, id, attendance);
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		for (const node of nodes) {
			await canvasNode(page, node.name).locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 120_000 });
		}
		await sleep(500);
		await dismissOverlays(page);
		await openNode(page, attendance);
		const output = page.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="ndv-data-container"] table').first().waitFor();
		const items = /(\d+) items?/.exec(await output.innerText())?.[1];
		assert(items && Number(items) > 0, 'the output panel shows no items');
		// JSON: every field of an item (the table is too narrow for connectedSeconds and the platforms).
		await output.getByText('JSON', { exact: true }).first().click();
		await output.getByText('connectedSeconds').first().waitFor();
		await shoot(page, 'attendance-output.png');
		await closeNode(page);
		return `${items} attendance items`;
	});
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
	assert(nodeMajor >= 24, `n8n@${N8N_VERSION} needs Node.js 24 (running ${process.version}); run through npm run test:editor`);
	ensureChromium(log);
	if (screenshotsDir) mkdirSync(screenshotsDir, { recursive: true });
	const work = mkdtempSync(join(tmpdir(), 'teams-call-editor-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder, { recursive: true });
	const port = await freePort();
	const ctx = { work, userFolder, port, outputs: [], keepOutputs: false, failed: false };
	ctx.webhookBase = `http://127.0.0.1:${port}/`;
	ctx.env = { ...n8nEnv(userFolder, port, await freePort()), WEBHOOK_URL: ctx.webhookBase };
	let browser;
	let server;
	try {
		log(`n8n@${N8N_VERSION}: ${await provisionN8n()}`);
		const packed = await buildAndPack(work, { outName: 'editor' });
		await installPackage(userFolder, packed);
		log(`${PACKAGE_NAME}@${packed.version} built, packed and installed into .n8n/nodes`);
		ctx.nodes = packageNodes();
		ctx.emulator = await startEmulator(work, {
			script: join(repo, 'build', 'editor', 'test', 'emulator', 'cli.js'),
			env: { EMULATOR_TOKEN_ROLES: TOKEN_ROLES.join(',') },
			keys: ['NOTIFICATION_OPENID_URL', 'PARTICIPANT_NAMES'],
		});
		const owner = newOwner('Editor');
		server = await startN8n(ctx, { label: 'start', echo: verbose });
		Object.assign(ctx, { base: server.base, cookie: await ownerSession(server.base, owner) });
		log(`n8n ready at ${ctx.base}, owner set up; emulator at ${ctx.emulator.values.GRAPH_URL}`);
		browser = await launchBrowser();
		ctx.page = browser.page;
		await login(ctx.page, ctx.base, owner);
		ctx.watch = watchConsole(ctx.page, ctx.base);
		log('signed in');

		await credentialChecks(ctx);
		assert(ctx.credential, 'without the credential the other checks cannot run');
		await nodesPanelChecks(ctx);
		await operationChecks(ctx);
		await listSearchCheck(ctx);
		await runCheck(ctx);
		await triggerChecks(ctx);
		await darkIconsCheck(ctx);
		if (screenshotsDir) await screenshotOnlyChecks(ctx);

		if (ctx.watch.external.size) log(`(failed loads of other origins, not counted: ${[...ctx.watch.external].join(', ')})`);
		if (ctx.watch.schemaProbes) log(`(n8n asked ${ctx.watch.schemaProbes} times for output-schema previews the package does not ship, not counted)`);
		await browser.close();
		browser = undefined;
	} finally {
		await browser?.close();
		await server?.stop();
		await stopAllChildren();
		if (keep || ctx.failed) process.stdout.write(`editor: kept ${work} (n8n's output in logs/, failure-*.png)\n`);
		else rmSync(work, { recursive: true, force: true });
	}
	const failed = results.filter((r) => !r.ok);
	process.stdout.write(`editor: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
	for (const failure of failed) process.stdout.write(`  FAIL ${failure.name}: ${failure.problem}\n`);
	if (failed.length) process.exitCode = 1;
}

main().catch((error) => {
	process.stderr.write(`editor: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exitCode = 1;
});
