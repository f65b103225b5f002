/**
 * The Teams Call Record Trigger in a running n8n (`n8n start`, the workflows active), next to the emulator: records
 * appear between polls, n8n is stopped, a record appears while it is down, n8n starts again on the same user folder,
 * and every record must have started exactly one execution (none lost across the restart, none twice). Two workflows
 * poll side by side, one with Emit Updated Records on and one with it off: a record's version bump must start one
 * more execution in the first and none in the second.
 *
 * Poll Times: n8n refuses a poll cron that fires more than once a minute (n8n-core's activatePollTrigger throws "The
 * polling interval is too short. It has to be at least a minute." when n8n-workflow's isSubMinuteCron holds, i.e. for
 * any 6-field cron whose seconds field is not one number: `*\/5 * * * * *` and `0,5,10 * * * * *` are both refused in
 * 2.41.1; 1.123.81 refuses a `*` there). Each Poll Times entry is registered as its own cron, so twelve entries
 * `0 * * * * *`, `5 * * * * *`, … `55 * * * * *` (each one fixed second) poll every 5 seconds, as a user could set.
 *
 * Called from scripts/e2e.mjs (part `record-trigger`) with the target's ctx (its user folder already holds the
 * package, the credential and the migrated database), the emulator and its `step` function.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { activateWorkflow, assert, CREDENTIAL_TYPE, n8n, ownerSession, PACKAGE_NAME, startN8n, tail, waitFor } from './n8nHarness.mjs';
import { controlClient, executionsOf } from './meetingGuardScenario.mjs';

const TRIGGER_NAME = 'New call records';
const WITH_UPDATES = 'tcpRecordTrigUpd';
const WITHOUT_UPDATES = 'tcpRecordTrigOne';
const ADELE = { id: 'a7ebfb2d-871e-419c-87af-27290b22e8db', displayName: 'Adele Vance', platform: 'windows', productFamily: 'teams' };
const MEGAN = { id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', displayName: 'Megan Bowen', platform: 'android', productFamily: 'teams' };
const MINUTE = 60_000;

/** The trigger alone in a workflow, polling every 5 seconds (twelve one-second crons), with look-back of one hour. */
function triggerWorkflow(id, emitUpdates, credential) {
	const seconds = Array.from({ length: 12 }, (_, i) => i * 5);
	return {
		id,
		name: `Call records (e2e, emit updates ${emitUpdates ? 'on' : 'off'})`,
		active: false,
		settings: { executionOrder: 'v1', saveManualExecutions: true },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER_NAME,
				type: `${PACKAGE_NAME}.teamsCallRecordTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: seconds.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
					options: { emitUpdates, lookBackHours: 1 },
				},
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
		],
	};
}

/** A finished meeting of one session, started `agoMinutes` ago, `minutes` long. */
function meeting(id, agoMinutes, minutes = 5, caller = ADELE) {
	const start = Date.now() - agoMinutes * MINUTE;
	return { id, sessions: [{ caller, startDateTime: new Date(start).toISOString(), endDateTime: new Date(start + minutes * MINUTE).toISOString() }] };
}

/**
 * Runs the check. ctx: the target's { work, userFolder, install, env, port, owner: { email, password } } (owner: the
 * account the e2e's server part sets up, or this part when it runs alone).
 */
export async function callRecordTriggerPart({ ctx, emulator, step, credential }) {
	const control = controlClient(emulator.values.PLATFORM_URL, emulator.caPem);
	const ids = (n) => `e2e-trigger-record-${n}`;
	const workflows = { [WITH_UPDATES]: true, [WITHOUT_UPDATES]: false };

	if (!(await step('record trigger: two trigger workflows imported and active, a record from 40 minutes ago', async () => {
		const dir = join(ctx.work, 'record-trigger-workflows');
		mkdirSync(dir, { recursive: true });
		for (const [id, emitUpdates] of Object.entries(workflows)) writeFileSync(join(dir, `${id}.json`), JSON.stringify(triggerWorkflow(id, emitUpdates, credential)));
		const imported = await n8n(ctx, ['import:workflow', '--separate', `--input=${dir}`]);
		assert(imported.code === 0, `import:workflow exit ${imported.code}\n${tail(imported.stderr || imported.stdout)}`);
		for (const id of Object.keys(workflows)) await activateWorkflow(ctx, id);
		// Within Look Back (1 hour): the first poll at activation emits it; yesterday's demo records are older.
		await control('/control/callRecords', { records: [meeting(ids(1), 40)] });
		return 'polls every 5 s (Poll Times: 12 entries, one second each)';
	}))) return;

	let server;
	try {
		let read;
		const start = async (label) => {
			server = await startN8n(ctx, { label });
			read = executionsOf(server.base, await ownerSession(server.base, { ...ctx.owner, firstName: 'E2E', lastName: 'Owner' }));
		};
		/** Per workflow: the records its executions emitted, in order, as `id@version`. */
		const emitted = async () => {
			const result = {};
			for (const id of Object.keys(workflows)) {
				const executions = await read(id);
				const failed = executions.filter((execution) => !execution.pending && execution.status !== 'success');
				assert(failed.length === 0, `${id}: execution ${failed[0]?.id} ${failed[0]?.status} ${failed[0]?.error ?? ''}`);
				result[id] = executions.flatMap((execution) => (execution.runData?.[TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? []).map((item) => `${item.json.id}@${item.json.version}`));
			}
			return result;
		};
		/** Waits until both workflows emitted `expected` (theirs), and returns what they emitted. */
		const until = async (what, expected) =>
			await waitFor(what, async () => {
				const now = await emitted();
				return Object.keys(workflows).every((id) => expected[id].every((entry) => now[id].includes(entry))) ? now : undefined;
			}, 45_000, 500);

		if (!(await step('record trigger: n8n started; the activation poll emits the record within Look Back, not older ones', async () => {
			await start('record-trigger-start-1');
			const now = await until('the record from 40 minutes ago', { [WITH_UPDATES]: [`${ids(1)}@1`], [WITHOUT_UPDATES]: [`${ids(1)}@1`] });
			const old = Object.values(now).flat().filter((entry) => entry.startsWith('demo-record-'));
			assert(old.length === 0, `records older than Look Back emitted: ${JSON.stringify(old)}`);
			return JSON.stringify(now);
		}))) return;

		if (!(await step('record trigger: records appearing between polls are emitted at the next poll', async () => {
			await control('/control/callRecords', { records: [meeting(ids(2), 20)] });
			await until('record 2', { [WITH_UPDATES]: [`${ids(2)}@1`], [WITHOUT_UPDATES]: [`${ids(2)}@1`] });
			await control('/control/callRecords', { records: [meeting(ids(3), 15)] });
			const now = await until('record 3', { [WITH_UPDATES]: [`${ids(3)}@1`], [WITHOUT_UPDATES]: [`${ids(3)}@1`] });
			return JSON.stringify(now);
		}))) return;

		if (!(await step('record trigger: a version bump is emitted again only with Emit Updated Records on', async () => {
			// The bump and record 4 in one go: once a workflow emitted record 4, its poll saw the bump too.
			const { versions } = await control('/control/callRecords', {
				records: [meeting(ids(4), 10)],
				updates: [{ id: ids(2), sessions: meeting('', 20, 5, MEGAN).sessions }],
			});
			assert(versions[ids(2)] === 2, `versions ${JSON.stringify(versions)}`);
			const now = await until('record 4 (and record 2, version 2, with updates on)', { [WITH_UPDATES]: [`${ids(4)}@1`, `${ids(2)}@2`], [WITHOUT_UPDATES]: [`${ids(4)}@1`] });
			assert(!now[WITHOUT_UPDATES].includes(`${ids(2)}@2`), `emitted again with updates off: ${JSON.stringify(now[WITHOUT_UPDATES])}`);
			return JSON.stringify(now);
		}))) return;

		await server.stop();
		server = undefined;
		if (!(await step('record trigger: n8n stopped; a record appears while it is down; n8n started again on the same folder', async () => {
			// It started before record 4: a long call's record appears late; the look-back window still covers it.
			await control('/control/callRecords', { records: [meeting(ids(5), 50, 45)] });
			await start('record-trigger-start-2');
			const now = await until('record 5, added while n8n was down', { [WITH_UPDATES]: [`${ids(5)}@1`], [WITHOUT_UPDATES]: [`${ids(5)}@1`] });
			return JSON.stringify(now);
		}))) return;

		await step('record trigger: after the restart, polls go on; every record was emitted exactly once', async () => {
			await control('/control/callRecords', { records: [meeting(ids(6), 5)] });
			const now = await until('record 6, after the restart', { [WITH_UPDATES]: [`${ids(6)}@1`], [WITHOUT_UPDATES]: [`${ids(6)}@1`] });
			const ours = [1, 2, 3, 4, 5, 6].map((n) => `${ids(n)}@1`);
			const expected = { [WITH_UPDATES]: [...ours, `${ids(2)}@2`].sort(), [WITHOUT_UPDATES]: [...ours].sort() };
			for (const id of Object.keys(workflows)) {
				// Records of the calls the CLI examples ended (within Look Back at the first poll) are emitted too: once each.
				const twice = now[id].filter((entry, at) => now[id].indexOf(entry) !== at);
				assert(twice.length === 0, `${id} emitted again: ${JSON.stringify(twice)}`);
				const got = now[id].filter((entry) => entry.startsWith(ids(''))).sort();
				assert(JSON.stringify(got) === JSON.stringify(expected[id]), `${id} emitted ${JSON.stringify(got)}, expected each once: ${JSON.stringify(expected[id])}`);
			}
			const executions = (await read(WITH_UPDATES)).length + (await read(WITHOUT_UPDATES)).length;
			return `${executions} executions; with updates: ${now[WITH_UPDATES].length} items, without: ${now[WITHOUT_UPDATES].length}`;
		});
	} finally {
		if (server) await server.stop();
	}
}
