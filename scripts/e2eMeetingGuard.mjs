/**
 * The running-n8n part of the e2e: a real n8n (`n8n start`, WEBHOOK_URL set, workflows imported and published, so
 * active) next to the emulator, running the meeting guard (scripts/meetingGuardScenario.mjs, which test:queue runs
 * too, through a webhook process and workers).
 *
 * Called from scripts/e2e.mjs with its `step` function, or on its own: `node scripts/e2eMeetingGuard.mjs`
 * (builds, packs and starts the emulator itself).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { assert, fmtMs, freePort, installPackage, n8nBin, n8nEnv, saveLog, spawnTracked, stopChild, tail, waitFor } from './n8nHarness.mjs';
import { CONVERSATION_FILES, conversationFixtures, importConversations, runConversations, selectedParts } from './conversationScenarios.mjs';
import { GUARD_FILE, guardFixtures, importGuard, JOIN_FILE, joinByCli, runMeetingGuard, setUpOwner } from './meetingGuardScenario.mjs';

/** Examples this part runs (the CLI part of the e2e leaves them out: they need a running n8n). */
export const RUNNING_N8N_EXAMPLES = [GUARD_FILE, JOIN_FILE, ...CONVERSATION_FILES];

/** `n8n start` in ctx's user folder, ready when /healthz/readiness answers; `stop()` stops it and saves its log as `label`. */
export async function startN8n(ctx, label = 'guard-start') {
	const install = ctx.install;
	const child = spawnTracked(install ? install.node : process.execPath, [install ? install.bin : n8nBin, 'start'], { cwd: ctx.userFolder, env: ctx.env });
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const base = `http://127.0.0.1:${ctx.port}`;
	await waitFor('n8n start to be ready', async () => {
		assert(child.exitCode === null, `n8n start exited (${child.exitCode})\n${tail(log)}`);
		return fetch(`${base}/healthz/readiness`).then((r) => r.status === 200, () => false);
	}, 120_000);
	return {
		base,
		log: () => log,
		stop: async () => {
			await stopChild(child, 10_000);
			saveLog(ctx, label, log);
		},
	};
}

/**
 * Runs the meeting guard in a running n8n it starts. `emulator` is what startEmulator (n8nHarness) returned; `packed`
 * what buildAndPack returned; `step(name, fn)` records one row of the e2e table.
 */
export async function meetingGuardPart({ work, packed, emulator, step, install }) {
	const userFolder = join(work, 'guard-user');
	mkdirSync(userFolder, { recursive: true });
	const port = await freePort();
	const ctx = { work, userFolder, port, outputs: [], install };
	const webhookBase = `http://127.0.0.1:${port}/`;
	ctx.env = { ...n8nEnv(userFolder, port, await freePort(), install), WEBHOOK_URL: webhookBase };
	const fixtures = guardFixtures(emulator, webhookBase);
	const conversations = conversationFixtures(webhookBase);
	const wanted = selectedParts();

	if (!(await step('guard: install into a second n8n user folder', () => installPackage(userFolder, packed, install)))) return {};
	if (!(await step('guard: import credential (with the notification OpenID URL) and the guard, publish it', () => importGuard(ctx, work, fixtures)))) return {};
	if (!(await step('conversations: import the examples, publish their triggers', () => importConversations(ctx, work, conversations, wanted)))) return {};

	const server = await startN8n(ctx);
	try {
		let cookie;
		if (!(await step('guard: n8n start (WEBHOOK_URL set), owner set up, the guard is active', async () => {
			cookie = await setUpOwner(server.base, fixtures);
			return `active, webhook ${fixtures.webhookUrl}`;
		}))) return {};
		await runConversations({ step, fixtures: conversations, emulator, restBase: server.base, cookie, wanted });
		if (!wanted('guard')) return {};
		return await runMeetingGuard({ step, fixtures, restBase: server.base, cookie, join: joinByCli(ctx, fixtures), logs: server.log });
	} finally {
		await server.stop();
	}
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
