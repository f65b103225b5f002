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

import { fmtMs, freePort, installPackage, n8nEnv, n8nMajorOf, startN8n } from './n8nHarness.mjs';
import { CONVERSATION_FILES, conversationFixtures, importConversations, runConversations, selectedParts } from './conversationScenarios.mjs';
import { GUARD_FILE, guardFixtures, importGuard, JOIN_FILE, joinByCli, runMeetingGuard, setUpOwner } from './meetingGuardScenario.mjs';

/** Examples this part runs (the CLI part of the e2e leaves them out: they need a running n8n). */
export const RUNNING_N8N_EXAMPLES = [GUARD_FILE, JOIN_FILE, ...CONVERSATION_FILES];

/**
 * Runs the meeting guard in a running n8n it starts. `emulator` is what startEmulator (n8nHarness) returned; `packed`
 * what buildAndPack returned; `step(name, fn)` records one row of the e2e table; `install` the n8n to run (default
 * n8nHarness's) and `extraEnv` what its target needs besides (n8n 1.x on Node 20: the legacy expression engine).
 */
export async function meetingGuardPart({ work, packed, emulator, step, install, extraEnv = {} }) {
	const userFolder = join(work, 'guard-user');
	mkdirSync(userFolder, { recursive: true });
	const port = await freePort();
	const ctx = { work, userFolder, port, outputs: [], install };
	const webhookBase = `http://127.0.0.1:${port}/`;
	ctx.env = { ...n8nEnv(userFolder, port, await freePort(), install), WEBHOOK_URL: webhookBase, ...extraEnv };
	const fixtures = guardFixtures(emulator, webhookBase);
	const conversations = conversationFixtures(webhookBase);
	const wanted = selectedParts();

	if (!(await step('guard: install into a second n8n user folder', () => installPackage(userFolder, packed, install)))) return {};
	if (!(await step('guard: import credential (with the notification OpenID URL) and the guard, publish it', () => importGuard(ctx, work, fixtures)))) return {};
	if (!(await step('conversations: import the examples, publish their triggers', () => importConversations(ctx, work, conversations, wanted)))) return {};

	const server = await startN8n(ctx, { label: 'guard-start' });
	try {
		let cookie;
		if (!(await step('guard: n8n start (WEBHOOK_URL set), owner set up, the guard is active', async () => {
			cookie = await setUpOwner(server.base, fixtures);
			return `active, webhook ${fixtures.webhookUrl}`;
		}))) return {};
		// n8n 1.x finds data tables by ID only: the on-call alert's table is chosen by ID there.
		const tablesById = n8nMajorOf(install) < 2;
		await runConversations({ step, fixtures: conversations, emulator, restBase: server.base, cookie, wanted, tablesById });
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
