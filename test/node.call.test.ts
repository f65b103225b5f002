import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator, type EmulatedMeeting } from './emulator';
import { graphRequestsSince, runCallNode, runNode } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ callEstablishMs: 150, operationCompletionMs: 150 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const CALLBACK = 'https://n8n.example.com/webhook/teams-call';
const ORGANIZER = '5c4b3a29-1807-4f6e-9d8c-7b6a5f4e3d2c';
const THREAD = '19:meeting_NDQ5ZTJmZmUtZjRmNi00ZDVkLWI4MGQtNjQ2ZTFmMWQ4YzJi@thread.v2';

function seedMeeting(): EmulatedMeeting {
	return emulator.addMeeting({ joinMeetingId: '3141592653589', passcode: 'aBc123', threadId: THREAD, organizerId: ORGANIZER });
}

function createCallBodies(): unknown[] {
	return emulator.log.filter((entry) => entry.route === 'createCall').map((entry) => entry.body);
}

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

function classicBody(tenantId: string): IDataObject {
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: CALLBACK,
		requestedModalities: ['audio'],
		mediaConfig: SERVICE_HOSTED,
		chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: THREAD, messageId: '0' },
		meetingInfo: {
			'@odata.type': '#microsoft.graph.organizerMeetingInfo',
			organizer: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: { '@odata.type': '#microsoft.graph.identity', id: ORGANIZER, tenantId },
			},
			allowConversationWithoutHost: true,
		},
		tenantId,
	};
}

function meetingIdBody(passcode: string | null, tenantId = emulator.app.tenantId): IDataObject {
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: CALLBACK,
		requestedModalities: ['audio'],
		mediaConfig: SERVICE_HOSTED,
		meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '3141592653589', passcode },
		tenantId,
	};
}

async function joinByLink(joinUrl: string, extra: IDataObject = {}) {
	return await runCallNode(emulator, { operation: 'join', joinBy: 'link', joinUrl, callbackUrl: CALLBACK, ...extra });
}

/** The requests of a join that waited: one POST, then GETs until established. */
function expectJoinThenReads(from: number): void {
	const requests = graphRequestsSince(emulator, from);
	expect(requests[0]).toBe('POST createCall');
	expect(requests.length).toBeGreaterThan(1);
	expect(new Set(requests.slice(1))).toEqual(new Set(['GET getCall']));
}

describe('Join Meeting by link', () => {
	it('classic link (URL-encoded): chatInfo + organizerMeetingInfo from the link, waits until established', async () => {
		const meeting = seedMeeting();
		const run = await joinByLink(meeting.joinUrl);
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([classicBody(emulator.app.tenantId)]);
		expectJoinThenReads(0);
		expect(run.json).toEqual([
			expect.objectContaining({
				'@odata.type': '#microsoft.graph.call',
				id: expect.any(String),
				state: 'established',
				callbackUri: CALLBACK,
				callChainId: expect.any(String),
				tenantId: emulator.app.tenantId,
				chatInfo: expect.objectContaining({ threadId: THREAD }),
				meetingInfo: expect.objectContaining({ '@odata.type': '#microsoft.graph.organizerMeetingInfo' }),
			}),
		]);
		expect(run.paired).toEqual([0]);
		const call = emulator.getCall(String(run.json[0].id));
		expect(call?.callbackUri).toBe(CALLBACK);
		expect([...(call?.participants.values() ?? [])].map((p) => Object.keys(p.info.identity)[0])).toEqual(['application', 'user']);
	});

	it('classic link with its context not URL-encoded, as some mail clients show it', async () => {
		seedMeeting();
		const tenant = emulator.app.tenantId;
		const raw = `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${tenant}","Oid":"${ORGANIZER}"}`;
		const run = await joinByLink(raw, { options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([classicBody(tenant)]);
		expect(run.json[0].state).toBe('establishing');
		expect(graphRequestsSince(emulator, 0)).toEqual(['POST createCall']);
	});

	it('short link: joinMeetingIdMeetingInfo with the ID and passcode from the link, the credential\'s tenant', async () => {
		const meeting = seedMeeting();
		expect(meeting.shortUrl).toBe('https://teams.microsoft.com/meet/3141592653589?p=aBc123');
		const run = await joinByLink(meeting.shortUrl);
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([meetingIdBody('aBc123')]);
		expect(run.json[0].state).toBe('established');
	});

	it.each([
		['Safe Links (Outlook)', (url: string) => `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}&data=05%7C02&reserved=0`],
		['Safe Links twice', (url: string) =>
			`https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(`https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}`)}`],
		['GCC High host', (url: string) => url.replace('teams.microsoft.com', 'gov.teams.microsoft.us')],
		['DoD host', (url: string) => url.replace('teams.microsoft.com', 'dod.teams.microsoft.us')],
	])('short link through %s', async (_name, wrap) => {
		const meeting = seedMeeting();
		const run = await joinByLink(wrap(meeting.shortUrl), { options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([meetingIdBody('aBc123')]);
	});

	/** How a link copied from Teams (web or the new client) or clicked in a Teams chat looks. */
	const teamsWebLink = (url: string) => url.replace('https://teams.microsoft.com/', 'https://teams.microsoft.com/v2/?meetingjoin=true#/');
	const teamsChatSafeLink = (url: string) =>
		`https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=${encodeURIComponent(url)}&locale=en-us&dest=https%3A%2F%2Fteams.microsoft.com%2Fv2%2F`;

	it('short link in the Teams web form (v2/?meetingjoin=true#/meet/…?p=…&anon=true): the ID and passcode from the fragment', async () => {
		const meeting = seedMeeting();
		const link = `${teamsWebLink(meeting.shortUrl)}&anon=true&deeplinkId=c34d42b3`;
		expect(link).toBe('https://teams.microsoft.com/v2/?meetingjoin=true#/meet/3141592653589?p=aBc123&anon=true&deeplinkId=c34d42b3');
		const run = await joinByLink(link, { options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([meetingIdBody('aBc123')]);
	});

	it('classic link in the Teams web form (v2/?meetingjoin=true#/l/meetup-join/…&anon=true): thread and organizer from the fragment', async () => {
		const meeting = seedMeeting();
		const run = await joinByLink(`${teamsWebLink(meeting.joinUrl)}&anon=true`, { options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([classicBody(emulator.app.tenantId)]);
	});

	it.each([
		['a short link', (meeting: EmulatedMeeting) => meeting.shortUrl, () => meetingIdBody('aBc123')],
		['a classic link', (meeting: EmulatedMeeting) => meeting.joinUrl, () => classicBody(emulator.app.tenantId)],
		['a Teams web link', (meeting: EmulatedMeeting) => teamsWebLink(meeting.shortUrl), () => meetingIdBody('aBc123')],
	])('%s clicked in a Teams chat (Safe Links on statics.teams.cdn.office.net)', async (_name, linkOf, body) => {
		const meeting = seedMeeting();
		const run = await joinByLink(teamsChatSafeLink(linkOf(meeting)), { options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([body()]);
	});

	it('Tenant ID and the options go into the body as given', async () => {
		const meeting = seedMeeting();
		const tenantId = '0f0e0d0c-0b0a-4908-8706-050403020100';
		await joinByLink(meeting.joinUrl, {
			tenantId,
			options: { waitUntilEstablished: false, allowConversationWithoutHost: false, requestedModalities: ['audio', 'video'] },
		});
		const expected = classicBody(emulator.app.tenantId);
		expect(createCallBodies()).toEqual([
			{
				...expected,
				requestedModalities: ['audio', 'video'],
				meetingInfo: { ...(expected.meetingInfo as IDataObject), allowConversationWithoutHost: false },
				tenantId,
			},
		]);
	});
});

describe('Join Meeting by meeting ID', () => {
	it('takes the ID with spaces, as Teams shows it, and the passcode', async () => {
		seedMeeting();
		const run = await runCallNode(emulator, { operation: 'join', joinBy: 'meetingId', joinMeetingId: '314 159 265 358 9', passcode: 'aBc123', callbackUrl: CALLBACK });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([meetingIdBody('aBc123')]);
		expect(run.json[0].state).toBe('established');
	});

	it('sends passcode null for a meeting without one', async () => {
		emulator.addMeeting({ joinMeetingId: '3141592653589', passcode: undefined });
		const run = await runCallNode(emulator, { operation: 'join', joinBy: 'meetingId', joinMeetingId: '3141592653589', callbackUrl: CALLBACK });
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([meetingIdBody(null)]);
	});
});

describe('Join Meeting that fails', () => {
	it('a wrong passcode: the call ends, and the error explains Graph\'s resultInfo', async () => {
		seedMeeting();
		const run = await runCallNode(emulator, { operation: 'join', joinBy: 'meetingId', joinMeetingId: '3141592653589', passcode: 'wrong1', callbackUrl: CALLBACK });
		expect(run.errorMessage).toBe(
			'The call ended before it was established: the meeting refused the app (a wrong passcode, or the app may not join this meeting) (resultInfo code 403, subcode 0)',
		);
		expect(run.errorDescription).toMatch(/^Graph says: The passcode of the meeting is incorrect\. Call ID [0-9a-f-]{36}\.$/);
	});

	it('an unknown meeting: not found', async () => {
		const run = await joinByLink('https://teams.microsoft.com/meet/2718281828459?p=xyz789');
		expect(run.errorMessage).toBe('The call ended before it was established: the meeting was not found or has ended (resultInfo code 404, subcode 0)');
	});

	it('a classic link whose organizer does not match: not found', async () => {
		const meeting = seedMeeting();
		const run = await joinByLink(meeting.joinUrl.replace(ORGANIZER, '00000000-0000-4000-8000-000000000001'));
		expect(run.errorMessage).toMatch(/^The call ended before it was established: the meeting was not found or has ended/);
	});

	it('not established in time: the error gives the call ID and its last state', async () => {
		emulator.configure({ callEstablishMs: 5_000 });
		try {
			const meeting = seedMeeting();
			const run = await joinByLink(meeting.shortUrl, { options: { waitTimeout: 1 } });
			const [callId] = [...(emulator.log.find((entry) => entry.route === 'getCall')?.path.split('/').slice(-1) ?? [])];
			expect(run.errorMessage).toBe(`The call ${callId} was not established within 1 seconds (last state: establishing)`);
			expect(graphRequestsSince(emulator, 0)[0]).toBe('POST createCall');
			expect(emulator.stats().callsRequested).toBe(1);
		} finally {
			emulator.configure({ callEstablishMs: 150 });
		}
	});
});

describe('Create Call', () => {
	it('calls a user and a phone number from the application instance: exact body, established with both', async () => {
		const instance = '0d7c6e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
		const run = await runCallNode(emulator, {
			operation: 'create',
			targets: {
				target: [
					{ type: 'user', id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Adele Vance' },
					{ type: 'phone', id: '+12065550100' },
				],
			},
			callbackUrl: CALLBACK,
			applicationInstanceId: instance,
		});
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([
			{
				'@odata.type': '#microsoft.graph.call',
				callbackUri: CALLBACK,
				requestedModalities: ['audio'],
				mediaConfig: SERVICE_HOSTED,
				targets: [
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: {
							'@odata.type': '#microsoft.graph.identitySet',
							user: { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Adele Vance', identityProvider: 'AAD' },
						},
					},
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: { '@odata.type': '#microsoft.graph.communicationsIdentitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12065550100' } },
					},
				],
				tenantId: emulator.app.tenantId,
				source: {
					'@odata.type': '#microsoft.graph.participantInfo',
					identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: instance } },
				},
			},
		]);
		expect(run.json[0]).toMatchObject({ state: 'established', callbackUri: CALLBACK });
		expect(emulator.getCall(String(run.json[0].id))?.participants.size).toBe(3);
	});

	it('takes the targets as Graph JSON (specifyBody: json)', async () => {
		const targets = [{ identity: { user: { id: 'user-json-1' } } }];
		const run = await runCallNode(emulator, {
			operation: 'create',
			specifyBody: 'json',
			jsonBody: JSON.stringify({ targets }),
			callbackUrl: CALLBACK,
			options: { waitUntilEstablished: false },
		});
		expect(run.errorMessage).toBeUndefined();
		expect(createCallBodies()).toEqual([
			{ targets, '@odata.type': '#microsoft.graph.call', callbackUri: CALLBACK, requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, tenantId: emulator.app.tenantId },
		]);
	});

	it('a phone number without an application instance: Graph refuses, and the hint says what is missing', async () => {
		const run = await runCallNode(emulator, { operation: 'create', targets: { target: [{ type: 'phone', id: '+12065550100' }] }, callbackUrl: CALLBACK });
		expect(run.errorMessage).toBe(
			'Microsoft Graph could not create the call (HTTP 400, code BadRequest): Calling a phone number needs source.identity.applicationInstance (a resource account with a phone number)',
		);
		expect(run.errorDescription).toBe(
			'Graph did not accept the call. If its message says the app is not registered or configured for calling: The app must also be a calling bot: an Azure Bot resource for this app ID, with the Microsoft Teams channel and Calling enabled (README, "Set up the calling bot").',
		);
		expect(emulator.stats().callsRequested).toBe(1);
	});

	it('a target who is busy: the call ends, and the error explains it', async () => {
		emulator.failInvitesFor('busy-user', { code: 486, subcode: 0, message: 'Busy here' });
		const run = await runCallNode(emulator, { operation: 'create', targets: { target: [{ type: 'user', id: 'busy-user' }] }, callbackUrl: CALLBACK });
		expect(run.errorMessage).toBe('The call ended before it was established: the person called is busy (resultInfo code 486, subcode 0)');
	});
});

describe('Get, Hang Up, Keep Alive, Play Prompt', () => {
	it('Get returns the call; Hang Up ends it ({ hungUp, callId }); Get then shows it terminated', async () => {
		const call = emulator.addCall({ id: 'call-1' });
		const got = await runCallNode(emulator, { operation: 'get', callId: call.id });
		expect(got.json).toEqual([expect.objectContaining({ id: 'call-1', state: 'established', tenantId: emulator.app.tenantId })]);
		const from = emulator.log.length;
		const hung = await runCallNode(emulator, { operation: 'hangUp', callId: call.id });
		expect(hung.json).toEqual([{ hungUp: true, callId: 'call-1' }]);
		expect(graphRequestsSince(emulator, from)).toEqual(['DELETE deleteCall']);
		const after = await runCallNode(emulator, { operation: 'get', callId: call.id });
		expect(after.json[0]).toMatchObject({ state: 'terminated', resultInfo: { code: 200 } });
	});

	it('Keep Alive answers { alive, callId }; on an ended call it says the call has ended', async () => {
		const call = emulator.addCall({ id: 'call-2' });
		const alive = await runCallNode(emulator, { operation: 'keepAlive', callId: call.id });
		expect(alive.json).toEqual([{ alive: true, callId: 'call-2' }]);
		expect(emulator.log.filter((entry) => entry.route === 'keepAlive').map((entry) => [entry.method, entry.status])).toEqual([['POST', 200]]);
		emulator.endCall(call.id);
		const ended = await runCallNode(emulator, { operation: 'keepAlive', callId: call.id });
		expect(ended.errorMessage).toBe('The call call-2 has ended: Graph no longer knows it (HTTP 404, code 8522)');
	});

	it('Play Prompt sends the prompt and the client context, and returns the operation with the call ID', async () => {
		const call = emulator.addCall({ id: 'call-3' });
		const run = await runCallNode(emulator, { operation: 'playPrompt', callId: call.id, promptUrl: 'https://cdn.example.com/prompts/welcome.wav', clientContext: 'welcome-1' });
		expect(emulator.log.filter((entry) => entry.route === 'playPrompt').map((entry) => entry.body)).toEqual([
			{
				prompts: [
					{
						'@odata.type': '#microsoft.graph.mediaPrompt',
						mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.example.com/prompts/welcome.wav' },
					},
				],
				clientContext: 'welcome-1',
			},
		]);
		expect(run.json).toEqual([
			{ '@odata.type': '#microsoft.graph.playPromptOperation', id: expect.any(String), status: 'running', clientContext: 'welcome-1', resultInfo: null, callId: 'call-3' },
		]);
	});

	it('Play Prompt after a 503 with Retry-After is not sent again (only a 429 proves Graph did not act); after a 429 it is', async () => {
		const call = emulator.addCall();
		const prompt = { operation: 'playPrompt', callId: call.id, promptUrl: 'https://cdn.example.com/a.wav' };
		emulator.addFault({ route: 'playPrompt', fault: { kind: 'status', status: 503, retryAfter: '0' } });
		const unavailable = await runCallNode(emulator, prompt);
		expect(unavailable.errorMessage).toMatch(/^Microsoft Graph could not play the prompt \(HTTP 503.*It was not sent again: the request may have reached Graph/);
		expect(graphRequestsSince(emulator, 0)).toEqual(['POST playPrompt']);

		const from = emulator.log.length;
		emulator.addFault({ route: 'playPrompt', fault: { kind: 'status', status: 429, retryAfter: '0' } });
		const throttled = await runCallNode(emulator, prompt);
		expect(throttled.errorMessage).toBeUndefined();
		expect(graphRequestsSince(emulator, from)).toEqual(['POST playPrompt', 'POST playPrompt']);
	});

	it('Play Prompt with an empty Client Context sends a new UUID and returns it', async () => {
		const call = emulator.addCall();
		const run = await runCallNode(emulator, { operation: 'playPrompt', callId: call.id, promptUrl: 'https://cdn.example.com/a.WAV' });
		const [sent] = emulator.log.filter((entry) => entry.route === 'playPrompt').map((entry) => (entry.body as IDataObject).clientContext);
		expect(sent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(run.json[0].clientContext).toBe(sent);
	});

	it('a call that another app created: Graph refuses, and the hint says so', async () => {
		const call = emulator.addCall({ ownerAppId: '99999999-9999-4999-8999-999999999999' });
		const run = await runCallNode(emulator, { operation: 'hangUp', callId: call.id });
		expect(run.errorMessage).toBe(
			'Microsoft Graph could not hang up the call (HTTP 403, code 7504): The application is not allowed to access this call: another application created it',
		);
		expect(run.errorDescription).toBe(
			'The app needs the application permission Calls.Initiate.All with admin consent. If it has that permission, the call may belong to another app: Graph lets an app manage only calls that it created or answered itself.',
		);
		expect(emulator.getCall(call.id)?.state).toBe('established');
	});
});

describe('Hold music (Teams Call Participant)', () => {
	it('Start Hold Music with a custom prompt, then Stop Hold Music: the operations with call and participant IDs', async () => {
		const call = emulator.addCall({ id: 'call-h', participants: [{ id: 'p-1' }, { id: 'p-2' }] });
		const participantId = { __rl: true, mode: 'id', value: 'p-1' };
		const started = await runNode(emulator, {
			operation: 'startHoldMusic',
			callId: call.id,
			participantId,
			customPromptUrl: 'https://cdn.example.com/hold.wav',
			clientContext: 'hold-1',
		});
		expect(started.json).toEqual([
			{ '@odata.type': '#microsoft.graph.startHoldMusicOperation', id: expect.any(String), status: 'running', clientContext: 'hold-1', resultInfo: null, callId: 'call-h', participantId: 'p-1' },
		]);
		expect(emulator.getCall('call-h')?.participants.get('p-1')?.onHold).toBe(true);
		const stopped = await runNode(emulator, { operation: 'stopHoldMusic', callId: call.id, participantId, clientContext: 'hold-2' });
		expect(stopped.json[0]).toMatchObject({ '@odata.type': '#microsoft.graph.stopHoldMusicOperation', clientContext: 'hold-2', callId: 'call-h', participantId: 'p-1' });
		expect(emulator.log.filter((entry) => entry.route.endsWith('HoldMusic')).map((entry) => [entry.method, entry.route, entry.status, entry.body])).toEqual([
			[
				'POST',
				'startHoldMusic',
				202,
				{
					customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.example.com/hold.wav' } },
					clientContext: 'hold-1',
				},
			],
			['POST', 'stopHoldMusic', 202, { clientContext: 'hold-2' }],
		]);
		expect(emulator.getCall('call-h')?.participants.get('p-1')?.onHold).toBe(false);
	});
});

describe('Emulator events (for a notifier)', () => {
	it('tells listeners of state changes, roster changes and finished operations', async () => {
		const seen: string[] = [];
		const onState = ({ call, previousState }: { call: { state: string }; previousState?: string }) => seen.push(`state ${previousState ?? 'none'}→${call.state}`);
		const onRoster = ({ changeType, participants }: { changeType: string; participants: unknown[] }) => seen.push(`roster ${changeType} ${participants.length}`);
		const onOperation = ({ operation }: { operation: Record<string, unknown> }) => seen.push(`operation ${String(operation['@odata.type'])} ${String(operation.status)}`);
		emulator.events.on('callStateChanged', onState);
		emulator.events.on('rosterChanged', onRoster);
		emulator.events.on('operationFinished', onOperation);
		try {
			const meeting = seedMeeting();
			const joined = await joinByLink(meeting.shortUrl);
			const callId = String(joined.json[0].id);
			await runCallNode(emulator, { operation: 'playPrompt', callId, promptUrl: 'https://cdn.example.com/a.wav' });
			await new Promise((resolve) => setTimeout(resolve, 400));
			await runCallNode(emulator, { operation: 'hangUp', callId });
			expect(seen).toEqual([
				'state none→establishing',
				'state establishing→established',
				'roster updated 2',
				'operation #microsoft.graph.playPromptOperation completed',
				'state established→terminated',
			]);
		} finally {
			emulator.events.off('callStateChanged', onState);
			emulator.events.off('rosterChanged', onRoster);
			emulator.events.off('operationFinished', onOperation);
		}
	});
});
