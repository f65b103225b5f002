/**
 * The conversation examples (issue 17) in a running n8n, next to the emulator: voicemail, the front desk and the
 * on-call alert. The emulator plays the callers (an incoming call, keys pressed); the checks read what Graph received
 * (the emulator's request log, with bodies) and what n8n ran (its execution list).
 *
 * What the caller provides, as for the meeting guard (scripts/meetingGuardScenario.mjs): the emulator, the credential
 * imported (importGuard), n8n running with WEBHOOK_URL, its owner's cookie. `conversationFixtures` + `importConversations`
 * before n8n starts; `runConversations` once it runs.
 *
 * E2E_ONLY=<names> (comma-separated: voicemail, front-desk, on-call-alert, guard, cli) runs only those parts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { activateWorkflow, assert, fmtMs, n8n, n8nRest as rest, repo, tail, waitFor, webhookRegistered } from './n8nHarness.mjs';
import { controlClient, executionsOf } from './meetingGuardScenario.mjs';

export const VOICEMAIL_FILE = 'voicemail.workflow.json';
export const FRONT_DESK_FILE = 'front-desk.workflow.json';
export const ON_CALL_FILE = 'on-call-alert.workflow.json';
export const ON_CALL_ACK_FILE = 'on-call-alert-acknowledge.workflow.json';
/** Examples that need a running n8n (the CLI part of the e2e leaves them out). */
export const CONVERSATION_FILES = [VOICEMAIL_FILE, FRONT_DESK_FILE, ON_CALL_FILE, ON_CALL_ACK_FILE];
/** The data table the on-call alert's two workflows share (README, "Conversations"). */
export const ACK_TABLE = 'On-call acknowledgements';
/** The e2e's waits, shorter than the examples' own (10 s for the menu, 30 s to acknowledge): CI time. */
const MENU_WAIT_SECONDS = 3;
const ACK_WAIT_SECONDS = 4;
/** A Wednesday, inside and outside the front desk's hours (8 to 18, Europe/London). */
const OPEN_AT = '2026-12-09T10:00:00.000+00:00';
const CLOSED_AT = '2026-12-09T03:00:00.000+00:00';

/** The parts E2E_ONLY names, or every part. */
export function selectedParts() {
	const only = (process.env.E2E_ONLY ?? '').split(',').map((name) => name.trim()).filter(Boolean);
	return (name) => only.length === 0 || only.includes(name);
}

const TRIGGER_TYPE = 'n8n-nodes-teams-call.teamsCallTrigger';

function readExample(file) {
	return JSON.parse(readFileSync(join(repo, 'examples', file), 'utf8'));
}

function triggerUrl(workflow, webhookBase) {
	const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE);
	return new URL(`webhook/${trigger.webhookId}/notifications`, webhookBase).href;
}

/** Every Callback URL of the workflow's Teams Call nodes → `url` (the examples hold a placeholder the user replaces). */
function pointCallbacksAt(workflow, url) {
	for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-teams-call.teamsCall')) {
		if ('callbackUrl' in node.parameters) node.parameters.callbackUrl = url;
	}
	return workflow;
}

/** A Set node's value (the examples' Settings: what a user sets), as the e2e overrides it. */
function setValue(workflow, nodeName, name, value) {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	const assignment = node.parameters.assignments.assignments.find((a) => a.name === name);
	assert(assignment, `${workflow.name}: ${nodeName} sets no ${name}`);
	assignment.value = value;
}

/** The front desk at a fixed time: its own id and webhook IDs (a copy per clock). */
function frontDeskAt(now, suffix, webhookBase) {
	const workflow = readExample(FRONT_DESK_FILE);
	workflow.id = `tcpFrontDesk${suffix}`;
	workflow.name += ` (${suffix}, ${now})`;
	for (const node of workflow.nodes.filter((n) => n.webhookId)) node.webhookId = `${node.webhookId.slice(0, -4)}${suffix}`;
	setValue(workflow, 'Settings', 'now', now);
	setValue(workflow, 'Settings', 'menuWaitSeconds', MENU_WAIT_SECONDS);
	const webhookUrl = triggerUrl(workflow, webhookBase);
	pointCallbacksAt(workflow, webhookUrl);
	const settings = Object.fromEntries(workflow.nodes.find((n) => n.name === 'Settings').parameters.assignments.assignments.map((a) => [a.name, a.value]));
	return { workflow, webhookUrl, settings };
}

/** The workflows as the e2e imports them (callback URLs → this n8n, shorter waits), by part (E2E_ONLY's names). */
export function conversationFixtures(webhookBase) {
	const voicemail = readExample(VOICEMAIL_FILE);
	const voicemailUrl = triggerUrl(voicemail, webhookBase);
	pointCallbacksAt(voicemail, voicemailUrl);
	const open = frontDeskAt(OPEN_AT, 'Open', webhookBase);
	const closed = frontDeskAt(CLOSED_AT, 'Shut', webhookBase);
	const alert = readExample(ON_CALL_FILE);
	const acknowledge = readExample(ON_CALL_ACK_FILE);
	const ackUrl = triggerUrl(acknowledge, webhookBase);
	setValue(alert, 'Settings', 'callbackUrl', ackUrl);
	setValue(alert, 'Settings', 'acknowledgeWithinSeconds', ACK_WAIT_SECONDS);
	pointCallbacksAt(acknowledge, ackUrl);
	return {
		voicemail: { workflows: [voicemail], published: [voicemail.id], webhookUrl: voicemailUrl, workflow: voicemail },
		'front-desk': { workflows: [open.workflow, closed.workflow], published: [open.workflow.id, closed.workflow.id], open, closed },
		'on-call-alert': { workflows: [alert, acknowledge], published: [alert.id, acknowledge.id], alert, acknowledge, ackUrl, startUrl: new URL('webhook/on-call-alert', webhookBase).href },
	};
}

/** Imports the selected parts' workflows with the n8n CLI of `ctx` and publishes their triggers (before n8n starts). */
export async function importConversations(ctx, work, fixtures, wanted = selectedParts()) {
	const parts = Object.entries(fixtures).filter(([name]) => wanted(name));
	if (parts.length === 0) return 'none selected';
	const dir = join(work, 'conversation-workflows');
	mkdirSync(dir, { recursive: true });
	for (const [, part] of parts) for (const workflow of part.workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
	const imported = await n8n(ctx, ['import:workflow', '--separate', `--input=${dir}`]);
	assert(imported.code === 0, `import:workflow exit ${imported.code}\n${tail(imported.stderr || imported.stdout)}`);
	for (const [, part] of parts) {
		for (const id of part.published) await activateWorkflow(ctx, id);
	}
	return parts.map(([name]) => name).join(', ');
}

/** Output items of a node in an execution (its last run, main output `output`). */
function outputOf(execution, nodeName, output = 0) {
	const runs = execution.runData[nodeName];
	if (!runs?.length) return undefined;
	return runs.at(-1).data?.main?.[output] ?? [];
}

/** The bytes of a binary field as n8n stored it: inline (base64) or in its binary data store (REST download). */
async function binaryBytes(base, cookie, binary) {
	if (binary.id) {
		const query = new URLSearchParams({ id: binary.id, action: 'download', fileName: binary.fileName ?? 'file', mimeType: binary.mimeType ?? 'application/octet-stream' });
		const response = await fetch(`${base}/rest/binary-data?${query}`, { headers: { cookie, 'browser-id': 'e2e-browser' } });
		assert(response.status === 200, `GET /rest/binary-data: ${response.status}`);
		return Buffer.from(await response.arrayBuffer());
	}
	return Buffer.from(binary.data, 'base64');
}

/**
 * Runs the selected conversation parts in a running n8n.
 *  - step(name, fn): records one check; fixtures: conversationFixtures' answer, imported with importConversations;
 *  - emulator: startEmulator's answer (with PLATFORM_URL); restBase, cookie: n8n's REST API and its owner's cookie.
 */
export async function runConversations({ step, fixtures, emulator, restBase, cookie, wanted = selectedParts(), tablesById = false }) {
	const control = controlClient(emulator.values.PLATFORM_URL, emulator.caPem);
	const executions = executionsOf(restBase, cookie);
	const graphLogOf = async (callId) => (await control('/control/graphLog')).filter((entry) => entry.path.includes(`/calls/${callId}`));
	const finished = (workflowId, count) =>
		waitFor(`${count} finished executions of ${workflowId}`, async () => {
			const list = await executions(workflowId);
			return list.length >= count && list.every((e) => !e.pending) ? list : undefined;
		}, 60_000, 200);

	if (wanted('voicemail')) {
		const { webhookUrl, workflow } = fixtures.voicemail;
		await step('voicemail: a call comes in → answered, recorded after a beep (max 60 s), downloaded as the emulator\'s WAV, hung up', async () => {
			await webhookRegistered(webhookUrl);
			const started = Date.now();
			const { callId, delivery } = await control('/control/incomingCall', { from: { displayName: 'Carol Caller', identityId: randomUUID() }, webhookUrl });
			assert(delivery.status === 202, `the trigger answered the incoming call with ${delivery.status}`);
			const runs = await finished(workflow.id, 2);
			const failed = runs.filter((run) => run.status !== 'success');
			assert(failed.length === 0, `failed executions: ${failed.map((run) => `${run.id} ${run.error}`).join('; ')}`);
			assert(runs.length === 2, `${runs.length} executions, expected 2 (the call, the recording)`);
			await waitFor('the hang-up', async () => (await graphLogOf(callId)).some((entry) => entry.route === 'deleteCall'));
			const log = (await graphLogOf(callId)).filter((entry) => entry.method !== 'GET');
			const sent = log.map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
			assert(JSON.stringify(sent) === JSON.stringify(['POST answer 202', 'POST recordResponse 200', 'DELETE deleteCall 204']), `Graph received ${sent.join(', ')}`);
			const [answer, record] = log;
			assert(answer.body?.callbackUri === webhookUrl, `answer's callbackUri is ${answer.body?.callbackUri}`);
			assert(record.body?.playBeep === true && record.body.maxRecordDurationInSeconds === 60, `recordResponse body ${JSON.stringify(record.body)}`);
			const recordings = (await control('/control/recordings')).filter((recording) => recording.callId === callId);
			assert(recordings.length === 1, `${recordings.length} recordings of the call`);
			const downloads = (await control('/control/graphLog?route=downloadRecording')).filter((entry) => entry.path.endsWith(recordings[0].id));
			assert(downloads.length === 1 && downloads[0].status === 200, `downloads: ${JSON.stringify(downloads)}`);
			const [file] = outputOf(runs[1], 'Download the recording') ?? [];
			assert(file?.binary?.data, `no file: ${JSON.stringify(file?.json)}`);
			assert(file.binary.data.mimeType === 'audio/wav' && file.binary.data.fileName === `recording-${callId}.wav`, `file ${JSON.stringify({ ...file.binary.data, data: undefined })}`);
			const bytes = await binaryBytes(restBase, cookie, file.binary.data);
			const wav = Buffer.from(recordings[0].wav, 'base64');
			assert(bytes.equals(wav), `the file (${bytes.length} bytes) is not the emulator's WAV (${wav.length} bytes)`);
			return `executions ${runs.map((run) => run.id).join(', ')}; ${wav.length}-byte WAV byte for byte; ${fmtMs(Date.now() - started)} from the ring`;
		});
	}
	if (wanted('front-desk')) await frontDesk({ step, fixtures: fixtures['front-desk'], control, executions, finished, graphLogOf });
	if (wanted('on-call-alert')) await onCallAlert({ step, fixtures: fixtures['on-call-alert'], control, executions, finished, graphLogOf, restBase, cookie, tablesById });
}

/** Graph's requests for a call other than reads: `METHOD route status`. */
function sentOf(log) {
	return log.filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
}

function same(actual, expected, what) {
	assert(JSON.stringify(actual) === JSON.stringify(expected), `${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

async function frontDesk({ step, fixtures, control, executions, finished, graphLogOf }) {
	const { open, closed } = fixtures;
	const caller = (name) => ({ from: { displayName: name, identityType: 'phone', identityId: `+1425555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}` } });
	await step('front desk: outside business hours → redirected to the on-call number, not answered', async () => {
		await webhookRegistered(closed.webhookUrl);
		const { callId, delivery } = await control('/control/incomingCall', { ...caller('Night caller'), webhookUrl: closed.webhookUrl });
		assert(delivery.status === 202, `the trigger answered ${delivery.status}`);
		const [run] = await finished(closed.workflow.id, 1);
		assert(run.status === 'success', `execution ${run.id}: ${run.status} ${run.error ?? ''}`);
		const log = await graphLogOf(callId);
		same(sentOf(log), ['POST redirect 202'], 'Graph received');
		const target = log.find((entry) => entry.route === 'redirect').body?.targets?.[0]?.identity?.phone?.id;
		assert(target === closed.settings.onCallNumber, `redirected to ${target}`);
		return `execution ${run.id}: redirect to ${target}`;
	});

	await step(`front desk: inside business hours, three callers at once → answered, menu, keys; 1 → sales, 2 → support, nothing → the menu again (${MENU_WAIT_SECONDS} s waits), hung up`, async () => {
		await webhookRegistered(open.webhookUrl);
		const placed = await Promise.all(['Presses 1', 'Presses 2', 'Presses nothing'].map((name) => control('/control/incomingCall', { ...caller(name), webhookUrl: open.webhookUrl })));
		assert(placed.every(({ delivery }) => delivery.status === 202), `the trigger answered ${placed.map(({ delivery }) => delivery.status)}`);
		const [one, two, none] = placed.map(({ callId }) => callId);
		for (const [callId, key] of [[one, '1'], [two, '2']]) {
			await waitFor(`the tone subscription of ${callId}`, async () => (await graphLogOf(callId)).some((entry) => entry.route === 'subscribeToTone' && entry.status === 200), 30_000, 100);
			const pressed = await control(`/control/calls/${callId}/press`, { keys: key });
			assert(pressed.heard && pressed.deliveries.every((d) => d.status === 202), `pressing ${key}: ${JSON.stringify(pressed)}`);
		}
		// 3 calls + 2 keys; the caller who pressed nothing waits twice before the hang-up.
		const runs = await finished(open.workflow.id, 5);
		const failed = runs.filter((run) => run.status !== 'success');
		assert(failed.length === 0, `failed executions: ${failed.map((run) => `${run.id} ${run.error}`).join('; ')}`);
		assert(runs.length === 5, `${runs.length} executions, expected 5`);
		await waitFor('the hang-up of the silent caller', async () => (await graphLogOf(none)).some((entry) => entry.route === 'deleteCall'), 30_000, 200);
		const menu = ['POST answer 202', 'POST playPrompt 200', 'POST subscribeToTone 200'];
		const logs = await Promise.all([one, two, none].map(graphLogOf));
		same(sentOf(logs[0]), [...menu, 'POST transfer 202'], `caller 1 (${one})`);
		same(sentOf(logs[1]), [...menu, 'POST transfer 202'], `caller 2 (${two})`);
		same(sentOf(logs[2]), [...menu, 'POST playPrompt 200', 'DELETE deleteCall 204'], `caller 3 (${none})`);
		const transferredTo = (log) => log.find((entry) => entry.route === 'transfer').body?.transferTarget?.identity?.user?.id;
		assert(transferredTo(logs[0]) === open.settings.salesUserId, `1 went to ${transferredTo(logs[0])}`);
		assert(transferredTo(logs[1]) === open.settings.supportUserId, `2 went to ${transferredTo(logs[1])}`);
		const prompts = logs[2].filter((entry) => entry.route === 'playPrompt').map((entry) => entry.body?.prompts?.[0]?.mediaInfo?.uri);
		assert(prompts.every((uri) => uri === open.settings.menuPromptUrl), `prompts ${prompts}`);
		return `executions ${runs.map((run) => run.id).join(', ')}: 1 → sales, 2 → support, the menu twice then hung up`;
	});
}

/** The data table both on-call workflows use, made through n8n's REST API as the editor makes it. */
async function createAckTable(restBase, cookie) {
	const personal = await rest(restBase, '/rest/projects/personal', { cookie });
	assert(personal.status === 200, `GET /rest/projects/personal: ${personal.status} ${personal.text.slice(0, 200)}`);
	const projectId = personal.json?.data?.id;
	const created = await rest(restBase, `/rest/projects/${projectId}/data-tables`, {
		method: 'POST',
		cookie,
		body: { name: ACK_TABLE, columns: [{ name: 'callId', type: 'string' }, { name: 'acknowledgedAt', type: 'string' }] },
	});
	assert(created.status === 200, `POST data-tables: ${created.status} ${created.text.slice(0, 300)}`);
	return created.json?.data?.id;
}

/**
 * Points every Data Table node of a saved workflow at the table by its ID (PATCH, as the editor saves a table picked
 * from the list): n8n 1.x finds a data table by ID only (its Data Table node has no By Name mode), so there the
 * examples' table named By Name is chosen so.
 */
async function chooseTableById(restBase, cookie, workflowId, tableId) {
	const got = await rest(restBase, `/rest/workflows/${workflowId}`, { cookie });
	assert(got.status === 200, `GET /rest/workflows/${workflowId}: ${got.status} ${got.text.slice(0, 200)}`);
	const workflow = got.json.data;
	const nodes = workflow.nodes.map((node) =>
		node.type === 'n8n-nodes-base.dataTable' ? { ...node, parameters: { ...node.parameters, dataTableId: { __rl: true, mode: 'id', value: tableId } } } : node,
	);
	const saved = await rest(restBase, `/rest/workflows/${workflowId}`, { method: 'PATCH', cookie, body: { ...workflow, nodes } });
	assert(saved.status === 200, `PATCH /rest/workflows/${workflowId}: ${saved.status} ${saved.text.slice(0, 300)}`);
}

async function onCallAlert({ step, fixtures, control, executions, finished, graphLogOf, restBase, cookie, tablesById }) {
	const { alert, acknowledge, ackUrl, startUrl } = fixtures;
	const people = JSON.parse(/\{\{(.*)\}\}/s.exec(alert.nodes.find((n) => n.name === 'Settings').parameters.assignments.assignments.find((a) => a.name === 'people').value)[1]);
	await step(`on-call alert: ${people[0].name} does not acknowledge in ${ACK_WAIT_SECONDS} s → hung up; ${people[1].name} presses 1 → recorded, hung up; ${people[2].name} never called`, async () => {
		const tableId = await createAckTable(restBase, cookie);
		if (tablesById) for (const workflow of [alert, acknowledge]) await chooseTableById(restBase, cookie, workflow.id, tableId);
		await webhookRegistered(ackUrl);
		await webhookRegistered(startUrl);
		const started = Date.now();
		// Whatever raises the alert (monitoring, a form) POSTs to its webhook.
		const start = await fetch(startUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alert: 'disk full on db-1' }) });
		assert(start.status === 200, `the alert's webhook answered ${start.status}`);
		const calls = async () => (await control('/control/graphLog?route=createCall')).filter((entry) => entry.at >= started && entry.status === 201);
		const calledUser = (entry) => entry.body?.targets?.[0]?.identity?.user?.id;
		// The second person's call: once the bot listens for keys, they press 1.
		const second = await waitFor('the call to the second person', async () => {
			const list = await calls();
			return list.length >= 2 ? list[1] : undefined;
		}, 60_000, 100);
		const secondCallId = await waitFor('the second call\'s ID', async () => {
			const ids = (await control('/control/graphLog?route=subscribeToTone')).filter((entry) => entry.at >= second.at).map((entry) => /calls\/([^/]+)\//.exec(entry.path)[1]);
			return ids[0];
		}, 30_000, 100);
		const pressed = await control(`/control/calls/${secondCallId}/press`, { keys: '1' });
		assert(pressed.heard && pressed.deliveries.every((d) => d.status === 202), `pressing 1: ${JSON.stringify(pressed)}`);
		const [run] = await finished(alert.id, 1);
		assert(run.status === 'success', `alert execution ${run.id}: ${run.status} ${run.error ?? ''}`);
		const made = await calls();
		same(made.map(calledUser), [people[0].userId, people[1].userId], 'called (in order)');
		const [acked] = await finished(acknowledge.id, 1);
		assert(acked.status === 'success', `acknowledgement execution ${acked.id}: ${acked.status} ${acked.error ?? ''}`);
		const [row] = outputOf(acked, 'Record the acknowledgement') ?? [];
		assert(row?.json.callId === secondCallId, `recorded ${JSON.stringify(row?.json)}`);
		assert((await executions(acknowledge.id)).length === 1, 'more than one acknowledgement execution');
		const firstCallId = /calls\/([^/]+)\//.exec((await control('/control/graphLog?route=playPrompt')).find((entry) => entry.at >= started).path)[1];
		const firstLog = await graphLogOf(firstCallId);
		same(sentOf(firstLog), ['POST playPrompt 200', 'POST subscribeToTone 200', 'DELETE deleteCall 204'], `${people[0].name}'s call`);
		same(sentOf(await graphLogOf(secondCallId)), ['POST playPrompt 200', 'POST subscribeToTone 200', 'DELETE deleteCall 204'], `${people[1].name}'s call`);
		const notAcknowledged = run.runData['Not acknowledged?'].map((r) => r.data?.main?.[0]?.length ?? 0);
		same(notAcknowledged, [1, 0], 'Not acknowledged? passed on');
		return `${made.length} calls; acknowledged in execution ${acked.id}; ${fmtMs(Date.now() - started)}`;
	});
}
