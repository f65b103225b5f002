import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from './emulator';
import { graphRequestsSince, runCallNode } from './helpers/testbed';
import { until } from './helpers/until';

/**
 * Teams Call's conversation operations inside n8n's real engine against the emulator: answer, reject, redirect,
 * transfer, tones, recordings. Each checks the exact body Graph received and what the emulator then did (call
 * state, notifications to the callback URL).
 */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ callEstablishMs: 100, operationCompletionMs: 120 });
});
afterAll(async () => await emulator.close());
/** Deliveries before this index belong to earlier tests (the notification center keeps them across reset). */
let firstDelivery = 0;
beforeEach(() => {
	emulator.reset();
	firstDelivery = emulator.notifications.deliveries.length;
});

function deliveriesOf(callId: string) {
	return emulator.notifications.deliveries.slice(firstDelivery).filter((delivery) => delivery.callId === callId);
}

const CALLBACK = 'https://n8n.example.com/webhook/teams-call';
const WEBHOOK = 'https://n8n.example.com/webhook/bot-calling';
const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const HEIDI = '550fae72-d251-43ec-868c-373732c2704f';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function bodiesOf(route: string): unknown[] {
	return emulator.log.filter((entry) => entry.route === route).map((entry) => entry.body);
}

/** The call states the emulator notified for a call, in order. */
function notifiedStates(callId: string): string[] {
	return deliveriesOf(callId)
		.flatMap((delivery) => (delivery.body as { value: Array<{ resourceUrl: string; resourceData: { state?: string } }> }).value)
		.filter((notification) => notification.resourceUrl === `/communications/calls/${callId}` && notification.resourceData.state)
		.map((notification) => notification.resourceData.state as string);
}

/** Operation outcomes (`deleted` on …/operations/{id}) notified for a call. */
function notifiedOperations(callId: string): IDataObject[] {
	return deliveriesOf(callId)
		.flatMap((delivery) => (delivery.body as { value: Array<{ resourceUrl: string; resourceData: IDataObject }> }).value)
		.filter((notification) => notification.resourceUrl.includes('/operations/'))
		.map((notification) => notification.resourceData);
}

const user = (id: string, displayName?: string) => ({
	'@odata.type': '#microsoft.graph.invitationParticipantInfo',
	identity: {
		'@odata.type': '#microsoft.graph.identitySet',
		user: { '@odata.type': '#microsoft.graph.identity', id, ...(displayName ? { displayName } : {}), identityProvider: 'AAD' },
	},
});
const phone = (id: string) => ({
	'@odata.type': '#microsoft.graph.invitationParticipantInfo',
	identity: { '@odata.type': '#microsoft.graph.communicationsIdentitySet', phone: { '@odata.type': '#microsoft.graph.identity', id } },
});

/** An established one-to-one call (the bot and a caller) whose notifications go to CALLBACK. */
function oneToOneCall(id = 'call-1') {
	const call = emulator.addCall({ id, participants: [{ id: 'caller', displayName: 'Adele Vance' }] });
	call.callbackUri = CALLBACK;
	return call;
}

describe('Answer', () => {
	it('answers a ringing call with service-hosted audio, waits until established, notifications go to the callback URL', async () => {
		const call = emulator.addIncomingCall({ id: 'incoming-1', callbackUri: WEBHOOK });
		const run = await runCallNode(emulator, { operation: 'answer', callId: '={{ $json.callId }}', callbackUrl: CALLBACK }, { items: [{ callId: call.id }] });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('answer')).toEqual([{ callbackUri: CALLBACK, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED }]);
		expect(run.json).toEqual([expect.objectContaining({ id: call.id, state: 'established', direction: 'incoming' })]);
		expect(run.paired).toEqual([0]);
		const requests = graphRequestsSince(emulator, 0);
		expect(requests[0]).toBe('POST answer');
		expect(new Set(requests.slice(1))).toEqual(new Set(['GET getCall']));
		await until('established notified', () => notifiedStates(call.id).includes('established'));
		expect(notifiedStates(call.id)).toEqual(['establishing', 'established']);
		expect(emulator.notifications.callbackFor(call.id)).toBe(CALLBACK);
	});

	it('without waiting, with audio and video accepted: one request, the call establishing', async () => {
		const call = emulator.addIncomingCall();
		const run = await runCallNode(emulator, {
			operation: 'answer',
			callId: call.id,
			callbackUrl: CALLBACK,
			options: { acceptedModalities: ['audio', 'video'], waitUntilEstablished: false },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('answer')).toEqual([{ callbackUri: CALLBACK, acceptedModalities: ['audio', 'video'], mediaConfig: SERVICE_HOSTED }]);
		expect(run.json).toEqual([{ answered: true, callId: call.id }]);
		expect(graphRequestsSince(emulator, 0)).toEqual(['POST answer']);
	});

	it('a call no longer ringing: Graph\'s refusal explains the 15-second window', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, { operation: 'answer', callId: call.id, callbackUrl: CALLBACK });
		expect(run.errorMessage).toMatch(/^Microsoft Graph could not answer the call \(HTTP 400, code BadRequest\)/);
		expect(run.errorDescription).toMatch(/within 15 seconds/);
	});
});

describe('Reject and Redirect', () => {
	it('rejects as busy: the body names the reason, the call is then deleted', async () => {
		const call = emulator.addIncomingCall({ callbackUri: WEBHOOK });
		const run = await runCallNode(emulator, { operation: 'reject', callId: call.id, reason: 'busy' });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('reject')).toEqual([{ reason: 'busy' }]);
		expect(run.json).toEqual([{ rejected: true, callId: call.id, reason: 'busy' }]);
		await until('terminated', () => emulator.getCall(call.id)?.state === 'terminated');
		await until('notified', () => notifiedStates(call.id).includes('terminated'));
		expect(emulator.notifications.callbackFor(call.id)).toBe(WEBHOOK);
	});

	it('rejects with no reason chosen: reason none', async () => {
		const call = emulator.addIncomingCall();
		const run = await runCallNode(emulator, { operation: 'reject', callId: call.id });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('reject')).toEqual([{ reason: 'none' }]);
	});

	it('redirects to a user and a phone number (fields), with timeout and callback URL; the call ends redirected', async () => {
		const call = emulator.addIncomingCall({ callbackUri: WEBHOOK });
		const run = await runCallNode(emulator, {
			operation: 'redirect',
			callId: call.id,
			targets: { target: [{ type: 'user', id: HEIDI, displayName: 'Heidi Steen' }, { type: 'phone', id: '+12065550100' }] },
			options: { timeout: 30, callbackUrl: CALLBACK },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('redirect')).toEqual([{ targets: [user(HEIDI, 'Heidi Steen'), phone('+12065550100')], timeout: 30, callbackUri: CALLBACK }]);
		expect(run.json).toEqual([{ redirected: true, callId: call.id, targets: 2 }]);
		await until('terminated', () => emulator.getCall(call.id)?.state === 'terminated');
		await until('notified', () => notifiedStates(call.id).includes('terminated'));
		expect(notifiedStates(call.id)).toEqual(['redirecting', 'terminated']);
		expect(emulator.notifications.callbackFor(call.id)).toBe(CALLBACK);
	});

	it('redirects with Graph\'s own body (JSON)', async () => {
		const call = emulator.addIncomingCall();
		const jsonBody = { targets: [phone('+12065550123')], timeout: 45 };
		const run = await runCallNode(emulator, { operation: 'redirect', callId: call.id, specifyBody: 'json', jsonBody: JSON.stringify(jsonBody) });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('redirect')).toEqual([jsonBody]);
	});
});

describe('Transfer', () => {
	it('blind transfer of a one-to-one call (fields): transferring, accepted, then the call ends', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, { operation: 'transfer', callId: call.id, transferTarget: { target: { type: 'user', id: HEIDI } } });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('transfer')).toEqual([{ transferTarget: user(HEIDI) }]);
		expect(run.json).toEqual([{ transferStarted: true, callId: call.id }]);
		await until('terminated notified', () => notifiedStates(call.id).includes('terminated'));
		expect(notifiedStates(call.id)).toEqual(['transferring', 'transferAccepted', 'terminated']);
		expect(emulator.getCall(call.id)?.resultInfo).toMatchObject({ code: 0 });
	});

	it('from a group call with Transferee Participant ID: the transferee\'s identity is read from the call first', async () => {
		const call = emulator.addCall({ id: 'group-1', participants: [{ id: 'p-a', displayName: 'A' }, { id: 'p-b', displayName: 'B' }, { id: 'p-c', displayName: 'C' }] });
		const identity = call.participants.get('p-b')?.info.identity;
		const run = await runCallNode(emulator, {
			operation: 'transfer',
			callId: call.id,
			specifyBody: 'json',
			jsonBody: JSON.stringify({ transferTarget: phone('+12065550100') }),
			options: { transfereeParticipantId: 'p-b' },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(graphRequestsSince(emulator, 0)).toEqual(['GET getParticipant', 'POST transfer']);
		expect(bodiesOf('transfer')).toEqual([
			{ transferTarget: phone('+12065550100'), transferee: { '@odata.type': '#microsoft.graph.participantInfo', identity, participantId: 'p-b' } },
		]);
	});

	it('a transfer the target does not accept: the call is established again with resultInfo 500', async () => {
		const call = oneToOneCall();
		emulator.failInvitesFor(HEIDI, { code: 500, subcode: 7700, message: 'declined' });
		const run = await runCallNode(emulator, { operation: 'transfer', callId: call.id, transferTarget: { target: { type: 'user', id: HEIDI } } });
		expect(run.errorMessage).toBeUndefined();
		await until('back to established', () => notifiedStates(call.id).includes('established'));
		expect(notifiedStates(call.id)).toEqual(['transferring', 'transferAccepted', 'established']);
		expect(emulator.getCall(call.id)).toMatchObject({ state: 'established', resultInfo: { code: 500 } });
	});
});

describe('Tones', () => {
	it('Subscribe to Tones: the client context (a new UUID when empty), the operation completed at once', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, { operation: 'subscribeToTone', callId: call.id }, { items: [{}, {}] });
		expect(run.errorMessage).toBeUndefined();
		const bodies = bodiesOf('subscribeToTone') as IDataObject[];
		expect(bodies).toHaveLength(2);
		for (const body of bodies) expect(body).toEqual({ clientContext: expect.stringMatching(UUID) });
		expect(bodies[0].clientContext).not.toBe(bodies[1].clientContext);
		expect(run.json.map((item) => item.clientContext)).toEqual(bodies.map((body) => body.clientContext));
		expect(run.json[0]).toMatchObject({ '@odata.type': '#microsoft.graph.subscribeToToneOperation', status: 'completed', callId: call.id });
		expect(emulator.getCall(call.id)?.toneSubscribed).toBe(true);
	});

	it('Send DTMF Tones: keys as typed mapped to Graph\'s tone names, with the delay; completes successfully', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, {
			operation: 'sendDtmfTones',
			callId: call.id,
			tones: '1 2*#-ab',
			clientContext: 'menu-1',
			options: { delayBetweenTonesMs: 200 },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('sendDtmfTones')).toEqual([{ tones: ['tone1', 'tone2', 'star', 'pound', 'a', 'b'], delayBetweenTonesMs: 200, clientContext: 'menu-1' }]);
		expect(run.json[0]).toMatchObject({ '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'running', clientContext: 'menu-1' });
		await until('completion notified', () => notifiedOperations(call.id).length > 0);
		expect(notifiedOperations(call.id)[0]).toMatchObject({ status: 'completed', completionReason: 'completedSuccessfully', clientContext: 'menu-1' });
	});
});

/** The recordOperation the emulator notified once the recording ended. */
async function recordedOperation(callId: string): Promise<IDataObject> {
	await until('the recording', () => notifiedOperations(callId).some((op) => op['@odata.type'] === '#microsoft.graph.recordOperation'));
	return notifiedOperations(callId).find((op) => op['@odata.type'] === '#microsoft.graph.recordOperation') as IDataObject;
}

describe('Record Response and Download Recording', () => {
	it('records after a prompt with every option; the recording downloads as the emulator\'s WAV, with its own token only', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, {
			operation: 'recordResponse',
			callId: call.id,
			promptUrl: 'https://cdn.example.com/prompts/leave-a-message.wav',
			clientContext: 'voicemail-1',
			options: {
				bargeInAllowed: true,
				initialSilenceTimeoutInSeconds: 3,
				maxSilenceTimeoutInSeconds: 4,
				maxRecordDurationInSeconds: 60,
				playBeep: true,
				stopTones: '#*',
			},
		});
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('recordResponse')).toEqual([
			{
				prompts: [
					{
						'@odata.type': '#microsoft.graph.mediaPrompt',
						mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.example.com/prompts/leave-a-message.wav' },
					},
				],
				bargeInAllowed: true,
				playBeep: true,
				initialSilenceTimeoutInSeconds: 3,
				maxSilenceTimeoutInSeconds: 4,
				maxRecordDurationInSeconds: 60,
				stopTones: ['#', '*'],
				clientContext: 'voicemail-1',
			},
		]);
		expect(run.json[0]).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status: 'running', clientContext: 'voicemail-1', callId: call.id });

		const operation = await recordedOperation(call.id);
		expect(operation).toMatchObject({ status: 'completed', resultInfo: expect.objectContaining({ code: 200 }) });
		expect(operation).not.toHaveProperty('completionReason'); // v1.0's recordOperation has none (beta's has)
		const location = String(operation.recordingLocation);
		const token = String(operation.recordingAccessToken);
		const from = emulator.log.length;
		const download = await runCallNode(
			emulator,
			{ operation: 'downloadRecording', recordingLocation: '={{ $json.location }}', recordingAccessToken: '={{ $json.token }}', callId: call.id },
			{ items: [{ location, token }] },
		);
		expect(download.errorMessage).toBeUndefined();
		const [item] = download.result.output('Teams Call');
		const wav = [...emulator.recordings.values()][0].wav;
		expect(item.json).toEqual({ fileName: `recording-${call.id}.wav`, mimeType: 'audio/wav', fileSize: wav.length, callId: call.id });
		expect(item.binary?.data).toMatchObject({ fileName: `recording-${call.id}.wav`, mimeType: 'audio/wav' });
		const bytes = Buffer.from(String(item.binary?.data.data), 'base64');
		expect(bytes.equals(wav)).toBe(true);
		expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(bytes.subarray(8, 12).toString('ascii')).toBe('WAVE');
		// Only the download went out, with a token the emulator never issued for Graph (its log shows Graph tokens as <redacted:N>).
		const requests = emulator.log.slice(from);
		expect(requests.map((entry) => `${entry.method} ${entry.route} ${entry.status}`)).toEqual(['GET downloadRecording 200']);
		expect(requests[0].headers.authorization).toBe('Bearer <redacted:?>');
		expect(JSON.stringify(download.result.run.data.resultData.runData['Teams Call'])).not.toContain(token);
	});

	it('no prompt, no options: an empty body but the client context (a new UUID)', async () => {
		const call = oneToOneCall();
		const run = await runCallNode(emulator, { operation: 'recordResponse', callId: call.id });
		expect(run.errorMessage).toBeUndefined();
		expect(bodiesOf('recordResponse')).toEqual([{ clientContext: expect.stringMatching(UUID) }]);
	});

	it('a wrong token: the location refuses it, the error names the host and never the token; a file into another field', async () => {
		const call = oneToOneCall();
		await runCallNode(emulator, { operation: 'recordResponse', callId: call.id });
		const operation = await recordedOperation(call.id);
		const wrong = 'rec.wrong-token-0123456789';
		const run = await runCallNode(emulator, {
			operation: 'downloadRecording',
			recordingLocation: String(operation.recordingLocation),
			recordingAccessToken: wrong,
			options: { binaryPropertyName: 'voicemail' },
		});
		const host = new URL(emulator.graphUrl).host;
		expect(run.errorMessage).toBe(
			`Could not download the recording from ${host}: HTTP 401, the recording access token was refused (it belongs to another recording, or has expired)`,
		);
		expect(JSON.stringify(run.result.run.data.resultData)).not.toContain(String(operation.recordingAccessToken));
		const right = await runCallNode(emulator, {
			operation: 'downloadRecording',
			recordingLocation: String(operation.recordingLocation),
			recordingAccessToken: String(operation.recordingAccessToken),
			options: { binaryPropertyName: 'voicemail' },
		});
		expect(right.errorMessage).toBeUndefined();
		expect(Object.keys(right.result.output('Teams Call')[0].binary ?? {})).toEqual(['voicemail']);
		expect(right.json[0].fileName).toMatch(/^recording-.+\.wav$/);
	});

	it('Cancel Media Processing ends a running recording as cancelled, without a file', async () => {
		emulator.configure({ operationCompletionMs: 5_000 });
		try {
			const call = oneToOneCall();
			await runCallNode(emulator, { operation: 'recordResponse', callId: call.id, clientContext: 'rec' });
			const run = await runCallNode(emulator, { operation: 'cancelMediaProcessing', callId: call.id, clientContext: 'stop' });
			expect(run.errorMessage).toBeUndefined();
			expect(bodiesOf('cancelMediaProcessing')).toEqual([{ clientContext: 'stop' }]);
			expect(run.json[0]).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed', clientContext: 'stop' });
			const operation = await recordedOperation(call.id);
			expect(operation).toMatchObject({ status: 'failed', clientContext: 'rec', resultInfo: expect.objectContaining({ code: 400 }), recordingLocation: '' });
		} finally {
			emulator.configure({ operationCompletionMs: 120 });
		}
	});
});

describe('Sent once', () => {
	const SENDS_ONCE: Array<[string, IDataObject]> = [
		['answer', { callbackUrl: CALLBACK }],
		['reject', {}],
		['redirect', { targets: { target: [{ type: 'user', id: HEIDI }] } }],
		['transfer', { transferTarget: { target: { type: 'user', id: HEIDI } } }],
		['recordResponse', {}],
		['sendDtmfTones', { tones: '1' }],
	];

	it.each(SENDS_ONCE)('%s refuses Retry On Fail before anything is sent', async (operation, fields) => {
		const call = emulator.addIncomingCall();
		const run = await runCallNode(emulator, { operation, callId: call.id, ...fields }, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(run.errorMessage).toMatch(/^Retry On Fail is on in this node's settings, but this operation must not be sent twice/);
		expect(graphRequestsSince(emulator, 0)).toEqual([]);
	});

	it.each([
		['answer', { callbackUrl: CALLBACK, options: { waitUntilEstablished: false } }, 'answering again could fail or answer it twice'],
		['redirect', { targets: { target: [{ type: 'user', id: HEIDI }] } }, 'redirecting again could ring the targets twice'],
		['sendDtmfTones', { tones: '1' }, 'sending them again could press the keys twice'],
	] as Array<[string, IDataObject, string]>)('%s whose answer is lost (a 504 after Graph acted) is not sent again, and says so', async (operation, fields, risk) => {
		const call = operation === 'sendDtmfTones' ? oneToOneCall() : emulator.addIncomingCall();
		emulator.addFault({ route: operation, fault: { kind: 'status', status: 504 }, processFirst: true });
		const run = await runCallNode(emulator, { operation, callId: call.id, ...fields });
		expect(run.errorMessage).toContain(`It was not sent again: the request may have reached Graph, and ${risk}`);
		expect(graphRequestsSince(emulator, 0)).toEqual([`POST ${operation}`]);
	});
});
