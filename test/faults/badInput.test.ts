import './capture';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import type { Aspects } from './report';
import { addCall, byId, compact, expectNoMismatch, faultSuite, leakCheck } from './support';

/**
 * Bad input: every case fails before any request, with `<Parameter> (item N): <problem>` (credential problems name
 * the field), and with Continue On Fail only the bad item becomes `{ error }`. The bad item is not always item 0:
 * the other items are valid and do reach Graph (one request each), the bad one never does.
 */

const suite = faultSuite('Bad input');
const CALL = 'call-b';
const ITEMS = 3;
const SAFE = '; Graph IDs use only letters, digits and - _ . : = + ~ @';
const E164 = 'is not a phone number in E.164 form (+, country code and number, 7 to 15 digits, e.g. +12065550100)';
const LONG_CONTEXT = 'c'.repeat(257);

// ---------------------------------------------------------------- parameters that read every field from the item

type Form =
	| 'get'
	| 'remove'
	| 'mute'
	| 'getAll'
	| 'invite'
	| 'inviteJson'
	| 'joinLink'
	| 'joinId'
	| 'create'
	| 'playPrompt'
	| 'keepAlive'
	| 'holdMusic'
	| 'answer'
	| 'reject'
	| 'redirect'
	| 'transfer'
	| 'transferJson'
	| 'subscribeToTone'
	| 'sendDtmfTones'
	| 'recordResponse'
	| 'cancelMediaProcessing'
	| 'downloadRecording';

const CALL_ID = '={{ $json.callId }}';
const PARTICIPANT = byId('={{ $json.p }}');
const optional = (field: string, fallback = '""') => `={{ $json.${field} ?? ${fallback} }}`;

const MEETING = { joinMeetingId: '3141592653589', passcode: 'aBc123' };
const SHORT_LINK = `"https://teams.microsoft.com/meet/${MEETING.joinMeetingId}?p=${MEETING.passcode}"`;
const NO_WAIT = { waitUntilEstablished: false };
/** Join and Create bodies carry nothing of their item but the callback URL: each good item's names it (`?item=p-1`). */
const ITEM_CALLBACK = '"https://n8n.example.com/webhook/teams-call?item=" + $json.p';
const INCOMING_CALL_ID = '={{ $json.callId + "-in-" + $json.p }}';
const RECORDING = { id: 'rec-bad-input', accessToken: 'rec.bad-input-token' };

const FORMS: Record<Form, { parameters: INodeParameters; ok: string; node?: 'call' }> = {
	get: { parameters: { operation: 'get', callId: CALL_ID, participantId: PARTICIPANT }, ok: 'GET getParticipant 200' },
	remove: { parameters: { operation: 'remove', callId: CALL_ID, participantId: PARTICIPANT }, ok: 'DELETE deleteParticipant 204' },
	mute: { parameters: { operation: 'mute', callId: CALL_ID, participantId: PARTICIPANT, clientContext: optional('clientContext') }, ok: 'POST mute 200' },
	getAll: { parameters: { operation: 'getAll', callId: CALL_ID, returnAll: true }, ok: 'GET listParticipants 200' },
	invite: {
		parameters: {
			operation: 'invite',
			callId: CALL_ID,
			participants: {
				participant: [
					{
						type: optional('type', '"user"'),
						id: optional('id', '"user-" + $json.p'),
						participantId: optional('participantId'),
						tenantId: optional('tenantId'),
						replacesCallId: optional('replacesCallId'),
					},
				],
			},
			clientContext: optional('clientContext'),
		},
		ok: 'POST invite 200',
	},
	inviteJson: { parameters: { operation: 'invite', specifyBody: 'json', callId: CALL_ID, jsonBody: '={{ $json.jsonBody }}' }, ok: 'POST invite 200' },
	joinLink: {
		parameters: {
			operation: 'join',
			joinBy: 'link',
			joinUrl: optional('joinUrl', SHORT_LINK),
			callbackUrl: optional('callbackUrl', ITEM_CALLBACK),
			tenantId: optional('tenantId'),
			options: NO_WAIT,
		},
		ok: 'POST createCall 201',
		node: 'call',
	},
	joinId: {
		parameters: {
			operation: 'join',
			joinBy: 'meetingId',
			joinMeetingId: optional('joinMeetingId', `"${MEETING.joinMeetingId}"`),
			passcode: optional('passcode', `"${MEETING.passcode}"`),
			callbackUrl: `={{ ${ITEM_CALLBACK} }}`,
			options: NO_WAIT,
		},
		ok: 'POST createCall 201',
		node: 'call',
	},
	create: {
		parameters: {
			operation: 'create',
			targets: { target: [{ type: optional('type', '"user"'), id: optional('id', '"user-" + $json.p') }] },
			callbackUrl: optional('callbackUrl', ITEM_CALLBACK),
			applicationInstanceId: optional('applicationInstanceId'),
			options: NO_WAIT,
		},
		ok: 'POST createCall 201',
		node: 'call',
	},
	playPrompt: {
		parameters: {
			operation: 'playPrompt',
			callId: CALL_ID,
			promptUrl: optional('promptUrl', '"https://cdn.example.com/prompts/welcome.wav"'),
			clientContext: optional('clientContext', '"ctx-" + $json.p'),
		},
		ok: 'POST playPrompt 200',
		node: 'call',
	},
	keepAlive: { parameters: { operation: 'keepAlive', callId: CALL_ID }, ok: 'POST keepAlive 200', node: 'call' },
	// One call per item: only one participant of a call can be on hold at a time.
	holdMusic: {
		parameters: {
			operation: 'startHoldMusic',
			callId: '={{ $json.callId + "-" + $json.p }}',
			participantId: PARTICIPANT,
			customPromptUrl: optional('customPromptUrl'),
			clientContext: optional('clientContext'),
		},
		ok: 'POST startHoldMusic 202',
	},
	// Each item answers, rejects or redirects its own ringing call (CALL-in-p-N), transfers its own one-to-one call (CALL-t-p-N).
	answer: {
		parameters: {
			operation: 'answer',
			callId: INCOMING_CALL_ID,
			callbackUrl: optional('callbackUrl', '"https://n8n.example.com/webhook/teams-call"'),
			options: { waitUntilEstablished: false, acceptedModalities: optional('acceptedModalities', '["audio"]') },
		},
		ok: 'POST answer 202',
		node: 'call',
	},
	reject: { parameters: { operation: 'reject', callId: INCOMING_CALL_ID, reason: optional('reason', '"busy"') }, ok: 'POST reject 202', node: 'call' },
	redirect: {
		parameters: {
			operation: 'redirect',
			callId: INCOMING_CALL_ID,
			targets: { target: [{ type: optional('type', '"user"'), id: optional('id', '"user-" + $json.p') }] },
			options: { timeout: optional('timeout', '30'), callbackUrl: optional('redirectCallbackUrl') },
		},
		ok: 'POST redirect 202',
		node: 'call',
	},
	transfer: {
		parameters: {
			operation: 'transfer',
			callId: '={{ $json.callId + "-t-" + $json.p }}',
			transferTarget: { target: { type: optional('type', '"user"'), id: optional('id', '"user-" + $json.p') } },
			options: { transfereeParticipantId: optional('transfereeParticipantId') },
		},
		ok: 'POST transfer 202',
		node: 'call',
	},
	transferJson: {
		parameters: {
			operation: 'transfer',
			callId: '={{ $json.callId + "-t-" + $json.p }}',
			specifyBody: 'json',
			jsonBody: optional('transferJson', 'JSON.stringify({ transferTarget: { identity: { user: { id: "user-" + $json.p } } } })'),
		},
		ok: 'POST transfer 202',
		node: 'call',
	},
	subscribeToTone: { parameters: { operation: 'subscribeToTone', callId: CALL_ID, clientContext: optional('clientContext') }, ok: 'POST subscribeToTone 200', node: 'call' },
	sendDtmfTones: {
		parameters: {
			operation: 'sendDtmfTones',
			callId: CALL_ID,
			tones: optional('tones', '"12#"'),
			clientContext: optional('clientContext'),
			options: { delayBetweenTonesMs: optional('delay', '100') },
		},
		ok: 'POST sendDtmfTones 200',
		node: 'call',
	},
	recordResponse: {
		parameters: {
			operation: 'recordResponse',
			callId: CALL_ID,
			promptUrl: optional('promptUrl'),
			clientContext: optional('clientContext'),
			options: { maxRecordDurationInSeconds: optional('maxRecord', '10'), stopTones: optional('stopTones', '"#"'), playBeep: optional('playBeep', 'true') },
		},
		ok: 'POST recordResponse 200',
		node: 'call',
	},
	cancelMediaProcessing: {
		parameters: { operation: 'cancelMediaProcessing', callId: CALL_ID, clientContext: optional('clientContext') },
		ok: 'POST cancelMediaProcessing 200',
		node: 'call',
	},
	downloadRecording: {
		parameters: {
			operation: 'downloadRecording',
			recordingLocation: '={{ $json.recordingLocation }}',
			recordingAccessToken: '={{ $json.recordingAccessToken }}',
			callId: optional('downloadCallId'),
			options: { binaryPropertyName: optional('binaryPropertyName', '"data"') },
		},
		ok: 'GET downloadRecording 200',
		node: 'call',
	},
};

/** The calls and the meeting every case starts from. */
function seed(emulator: Emulator): void {
	addCall(emulator, CALL, 6);
	for (let index = 0; index < ITEMS; index++) {
		addCall(emulator, `${CALL}-p-${index}`, ITEMS);
		emulator.addIncomingCall({ id: `${CALL}-in-p-${index}` });
		addCall(emulator, `${CALL}-t-p-${index}`, 1);
	}
	emulator.addMeeting(MEETING);
	emulator.addRecording(CALL, RECORDING);
}

const userInfo = (id: string) => ({ identity: { user: { id } } });
const jsonBody = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));

/** A valid item for participant p-<index>; the bad item is this with the case's fields over it. */
function goodItem(index: number): IDataObject {
	return {
		callId: CALL,
		p: `p-${index}`,
		jsonBody: jsonBody({ participants: [userInfo(`user-json-${index}`)], clientContext: `ctx-${index}` }),
		recordingLocation: `${suite.emulator.graphUrl}/media/recordings/${RECORDING.id}`,
		recordingAccessToken: RECORDING.accessToken,
	};
}

const notJson = (text: string): string => {
	try {
		JSON.parse(text);
		return 'valid';
	} catch (error) {
		return (error as Error).message;
	}
};

// ---------------------------------------------------------------- the cases

interface ItemCase {
	name: string;
	form: Form;
	/** Fields of the bad item (over a valid one). */
	bad: IDataObject;
	/** Index of the bad item among ITEMS items. */
	at: number;
	/** The whole message, without "(item N)": `<Parameter>` and `<problem>`. */
	parameter: string;
	problem: string;
}

const idCase = (name: string, form: Form, field: 'callId' | 'p', value: IDataObject[string], at: number, problem: string): ItemCase => ({
	name,
	form,
	bad: { [field]: value },
	at,
	parameter: field === 'callId' ? 'Call ID' : 'Participant',
	problem,
});
const unsafe = (value: string, what: string) => `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} contains ${what}${SAFE}`;
const char = (value: string, character: string) => unsafe(value, `the character ${JSON.stringify(character)}`);
const P1 = 'Participants › Participant 1 ›';
const T1 = 'Targets › Target 1 ›';
const ACCEPTED =
	'. Accepted: a meeting link https://teams.microsoft.com/l/meetup-join/…?context=… or a short link https://teams.microsoft.com/meet/<meeting ID>?p=<passcode> (also on gov.teams.microsoft.us and dod.teams.microsoft.us, in the Teams web form …/v2/?meetingjoin=true#/meet/…, or wrapped by Safe Links in Outlook or a Teams chat)';
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '5c4b3a29-1807-4f6e-9d8c-7b6a5f4e3d2c';
const CONTEXT = encodeURIComponent(JSON.stringify({ Tid: TID, Oid: OID }));
const THREAD = '19%3ameeting_NDQ5ZTJm%40thread.v2';
const CLASSIC = `https://teams.microsoft.com/l/meetup-join/${THREAD}/0`;
const SAFE_LINKS = 'https://nam12.safelinks.protection.outlook.com/?url=';
const NOT_A_MEETING_ID = "must be the meeting's numeric ID (6 to 20 digits, spaces allowed), e.g. 123 456 789 012";
const NOT_A_PASSCODE = 'is not a meeting passcode (letters and digits only, at most 32), e.g. aBc123';
const CALLBACK_HTTPS = (got: string) =>
	`must use https:// (got ${got}//): Graph only calls back over HTTPS (plain http:// only to 127.0.0.1 or localhost, for the emulator)`;
const PROMPT_HTTPS = (got: string) => `must use https:// (got ${got}//): Graph fetches prompts over HTTPS only`;
const NOT_WAV = (url: string) => `"${url}" is not a .wav file; Graph plays WAV audio (16-bit PCM, mono, 16 kHz)`;

const link = (name: string, joinUrl: unknown, at: number, problem: string): ItemCase => ({
	name: `Join URL ${name}`,
	form: 'joinLink',
	bad: { joinUrl } as IDataObject,
	at,
	parameter: 'Join URL',
	problem: `${problem}${ACCEPTED}`,
});

const JOIN_CASES: ItemCase[] = [
	link('empty', '', 1, 'is empty'),
	link('only spaces', '   ', 2, 'is empty'),
	link('holding the meeting ID', '3141592653589', 0, 'holds a meeting ID, not a link: set "Join By" to "Meeting ID" and put it in "Meeting ID"'),
	link('holding the meeting ID with spaces', '314 159 265 358 9', 1, 'holds a meeting ID, not a link: set "Join By" to "Meeting ID" and put it in "Meeting ID"'),
	link('plain words', 'join the standup', 2, '"join the standup" is not a link'),
	link('without https://', 'teams.microsoft.com/meet/3141592653589?p=aBc123', 0, '"teams.microsoft.com/meet/3141592653589?p=aBc123" is not a link'),
	link('a chat link', 'https://teams.microsoft.com/l/chat/19:abc@thread.v2/conversations', 1, 'is a link to a chat, not to a meeting'),
	link(
		'on teams.live.com',
		'https://teams.live.com/meet/9876543210123?p=abc',
		2,
		'is a link to Teams (free) on teams.live.com: only meetings of a work or school tenant can be joined by an app',
	),
	link('to Zoom', 'https://zoom.us/j/123456789', 0, 'is a link to zoom.us, not to a Teams meeting'),
	link(
		'on a look-alike host',
		'https://teams.microsoft.com.evil.example/meet/3141592653589?p=aBc123',
		1,
		'is a link to teams.microsoft.com.evil.example, not to a Teams meeting',
	),
	link('over http://', 'http://teams.microsoft.com/meet/3141592653589?p=aBc123', 2, 'must use https:// (got http://)'),
	link(
		'Safe Links without the original',
		'https://nam12.safelinks.protection.outlook.com/?data=05%7C02',
		0,
		'is a Safe Links address without the original link in it (no url=…); copy the link from the meeting invitation itself',
	),
	link(
		'Safe Links around a non-link',
		`${SAFE_LINKS}not-a-link`,
		1,
		'is a Safe Links address without the original link in it (no url=…); copy the link from the meeting invitation itself',
	),
	link(
		'Teams chat Safe Links without the original',
		'https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?locale=en-us',
		0,
		'is a Safe Links address without the original link in it (no url=…); copy the link from the meeting invitation itself',
	),
	link('in the Teams web form, a chat', 'https://teams.microsoft.com/v2/?meetingjoin=true#/l/chat/19:abc@thread.v2/0', 1, 'is a link to a chat, not to a meeting'),
	link(
		'in the Teams web form, a fragment naming another host',
		'https://teams.microsoft.com/v2/?meetingjoin=true#//evil.example/meet/3141592653589?p=aBc123',
		2,
		'is not a meeting join link (its fragment is "#//evil.example/meet/3141592653589?p=aBc123")',
	),
	link('Safe Links around a chat link', `${SAFE_LINKS}${encodeURIComponent('https://teams.microsoft.com/l/chat/19:abc@thread.v2/0')}`, 2, 'is a link to a chat, not to a meeting'),
	link(
		'Safe Links around teams.live.com',
		`${SAFE_LINKS}${encodeURIComponent('https://teams.live.com/meet/9876543210123')}`,
		0,
		'is a link to Teams (free) on teams.live.com: only meetings of a work or school tenant can be joined by an app',
	),
	link('classic without context', CLASSIC, 1, 'has no ?context=… part (the organizer and tenant); copy the whole link from the meeting invitation'),
	link('classic with a context that is not JSON', `${CLASSIC}?context=Tid`, 2, 'has a ?context=… part that is not the JSON Teams writes ({"Tid":"…","Oid":"…"})'),
	link(
		'classic without organizer',
		`${CLASSIC}?context=${encodeURIComponent(JSON.stringify({ Tid: TID }))}`,
		0,
		'has no organizer ID (a GUID in "Oid") in its ?context=… part',
	),
	link(
		'classic with a tenant that is not a GUID',
		`${CLASSIC}?context=${encodeURIComponent(JSON.stringify({ Tid: 'contoso', Oid: OID }))}`,
		1,
		'has no tenant ID (a GUID in "Tid") in its ?context=… part',
	),
	link(
		'classic without message ID',
		`https://teams.microsoft.com/l/meetup-join/${THREAD}?context=${CONTEXT}`,
		2,
		'is not a whole meeting link: it needs /l/meetup-join/<thread ID>/<message ID>',
	),
	link(
		'classic with a wrong thread ID',
		`https://teams.microsoft.com/l/meetup-join/meeting_abc/0?context=${CONTEXT}`,
		0,
		'has "meeting_abc" where the meeting\'s thread ID (19:meeting_…@thread.v2) belongs',
	),
	link(
		'classic with a message ID that is not a number',
		`https://teams.microsoft.com/l/meetup-join/${THREAD}/abc?context=${CONTEXT}`,
		1,
		'has "abc" where the message ID (a number, usually 0) belongs',
	),
	link(
		'classic with broken % encoding',
		`https://teams.microsoft.com/l/meetup-join/19%3ameeting_%E0%A4%A%40thread.v2/0?context=${CONTEXT}`,
		2,
		'its thread ID is not valid URL encoding',
	),
	link('short with letters for the ID', 'https://teams.microsoft.com/meet/abc123?p=x', 0, 'has "abc123" where the meeting ID (digits) belongs'),
	link('short without the ID', 'https://teams.microsoft.com/meet/', 1, 'has "" where the meeting ID (digits) belongs'),
	link('short with a passcode holding $', 'https://teams.microsoft.com/meet/3141592653589?p=ab%24c', 2, `has a passcode (p=…) that "ab$c" ${NOT_A_PASSCODE}`),
	link('to the Teams web app', 'https://teams.microsoft.com/v2/', 0, 'is not a meeting join link (its path is "/v2/")'),
	{ name: 'Join URL an object (expression)', form: 'joinLink', bad: { joinUrl: { url: 'x' } }, at: 1, parameter: 'Join URL', problem: 'must be text, got object' },
	{ name: 'Tenant ID not a tenant', form: 'joinLink', bad: { tenantId: 'not a tenant' }, at: 2, parameter: 'Tenant ID', problem: '"not a tenant" is not a tenant ID (a GUID) or domain' },
	{ name: 'Meeting ID empty', form: 'joinId', bad: { joinMeetingId: '' }, at: 0, parameter: 'Meeting ID', problem: 'is empty; give the meeting ID from the invitation, e.g. 123 456 789 012' },
	{ name: 'Meeting ID of letters', form: 'joinId', bad: { joinMeetingId: 'abc' }, at: 1, parameter: 'Meeting ID', problem: `"abc" ${NOT_A_MEETING_ID}` },
	{ name: 'Meeting ID too short', form: 'joinId', bad: { joinMeetingId: '12345' }, at: 2, parameter: 'Meeting ID', problem: `"12345" ${NOT_A_MEETING_ID}` },
	{
		name: 'Meeting ID holding the link',
		form: 'joinId',
		bad: { joinMeetingId: 'https://teams.microsoft.com/meet/3141592653589' },
		at: 0,
		parameter: 'Meeting ID',
		problem: `"https://teams.microsoft.com/meet/3141592653589" ${NOT_A_MEETING_ID}`,
	},
	{ name: 'Passcode with a space', form: 'joinId', bad: { passcode: 'aBc 123' }, at: 1, parameter: 'Passcode', problem: `"aBc 123" ${NOT_A_PASSCODE}` },
	{ name: 'Passcode with symbols', form: 'joinId', bad: { passcode: 'p@ss!' }, at: 2, parameter: 'Passcode', problem: `"p@ss!" ${NOT_A_PASSCODE}` },
	{ name: 'Passcode of 33 characters', form: 'joinId', bad: { passcode: 'a'.repeat(33) }, at: 0, parameter: 'Passcode', problem: `"${'a'.repeat(33)}" ${NOT_A_PASSCODE}` },
	{
		name: 'Callback URL empty',
		form: 'joinLink',
		bad: { callbackUrl: '' },
		at: 1,
		parameter: 'Callback URL',
		problem: 'is empty; give a URL such as https://n8n.example.com/webhook/teams-call',
	},
	{ name: 'Callback URL http:// to another host', form: 'joinLink', bad: { callbackUrl: 'http://n8n.example.com/webhook/x' }, at: 2, parameter: 'Callback URL', problem: CALLBACK_HTTPS('http:') },
	{ name: 'Callback URL ftp://', form: 'create', bad: { callbackUrl: 'ftp://n8n.example.com/x' }, at: 0, parameter: 'Callback URL', problem: CALLBACK_HTTPS('ftp:') },
	{ name: 'Callback URL http:// to a private address', form: 'create', bad: { callbackUrl: 'http://10.0.0.5/webhook' }, at: 1, parameter: 'Callback URL', problem: CALLBACK_HTTPS('http:') },
	{
		name: 'Callback URL not a URL',
		form: 'joinLink',
		bad: { callbackUrl: 'n8n webhook' },
		at: 0,
		parameter: 'Callback URL',
		problem: '"n8n webhook" is not a URL; give one such as https://n8n.example.com/webhook/teams-call',
	},
	{
		name: 'Callback URL relative',
		form: 'create',
		bad: { callbackUrl: '/webhook/teams-call' },
		at: 2,
		parameter: 'Callback URL',
		problem: '"/webhook/teams-call" is not a URL; give one such as https://n8n.example.com/webhook/teams-call',
	},
	{
		name: 'Callback URL with user and password',
		form: 'joinLink',
		bad: { callbackUrl: 'https://user:pw@n8n.example.com/webhook/x' },
		at: 1,
		parameter: 'Callback URL',
		problem: '"https://user:pw@n8n.example.com/webhook/x" holds a user name or password; Graph would send them on',
	},
	{
		name: 'Callback URL with a #fragment',
		form: 'create',
		bad: { callbackUrl: 'https://n8n.example.com/webhook/x#part' },
		at: 0,
		parameter: 'Callback URL',
		problem: '"https://n8n.example.com/webhook/x#part" has a #fragment, which Graph would drop',
	},
	{ name: 'create target phone without +', form: 'create', bad: { type: 'phone', id: '12065550100' }, at: 1, parameter: `${T1} ID`, problem: `"12065550100" ${E164}` },
	{
		name: 'create target of an unknown type',
		form: 'create',
		bad: { type: 'robot' },
		at: 2,
		parameter: `${T1} Type`,
		problem: '"robot" is not one of user, phone, guest, application, applicationInstance',
	},
	{ name: 'create target ID empty', form: 'create', bad: { id: ' ' }, at: 0, parameter: `${T1} ID`, problem: 'is empty' },
	{ name: 'Application Instance ID with /', form: 'create', bad: { applicationInstanceId: 'a/b' }, at: 1, parameter: 'Application Instance ID', problem: char('a/b', '/') },
	{
		name: 'Prompt URL empty',
		form: 'playPrompt',
		bad: { promptUrl: '' },
		at: 2,
		parameter: 'Prompt URL',
		problem: 'is empty; give a URL such as https://example.com/prompts/welcome.wav',
	},
	{ name: 'Prompt URL over http://', form: 'playPrompt', bad: { promptUrl: 'http://cdn.example.com/a.wav' }, at: 0, parameter: 'Prompt URL', problem: PROMPT_HTTPS('http:') },
	{ name: 'Prompt URL an mp3', form: 'playPrompt', bad: { promptUrl: 'https://cdn.example.com/a.mp3' }, at: 1, parameter: 'Prompt URL', problem: NOT_WAV('https://cdn.example.com/a.mp3') },
	{
		name: 'Prompt URL with .wav only in the query',
		form: 'playPrompt',
		bad: { promptUrl: 'https://cdn.example.com/play?file=a.wav' },
		at: 2,
		parameter: 'Prompt URL',
		problem: NOT_WAV('https://cdn.example.com/play?file=a.wav'),
	},
	{
		name: 'Prompt URL a file name',
		form: 'playPrompt',
		bad: { promptUrl: 'welcome.wav' },
		at: 0,
		parameter: 'Prompt URL',
		problem: '"welcome.wav" is not a URL; give one such as https://example.com/prompts/welcome.wav',
	},
	{ name: 'Prompt URL a data: URL', form: 'playPrompt', bad: { promptUrl: 'data:audio/wav;base64,UklGRg==' }, at: 1, parameter: 'Prompt URL', problem: PROMPT_HTTPS('data:') },
	{ name: 'playPrompt Client Context of 257 characters', form: 'playPrompt', bad: { clientContext: LONG_CONTEXT }, at: 2, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
	idCase('playPrompt Call ID with /', 'playPrompt', 'callId', 'a/b', 0, char('a/b', '/')),
	idCase('keepAlive Call ID empty', 'keepAlive', 'callId', '', 1, 'is empty'),
	idCase('keepAlive Call ID ..', 'keepAlive', 'callId', '..', 2, '".." is not an ID'),
	{ name: 'Custom Prompt URL over http://', form: 'holdMusic', bad: { customPromptUrl: 'http://cdn.example.com/hold.wav' }, at: 0, parameter: 'Custom Prompt URL', problem: PROMPT_HTTPS('http:') },
	{ name: 'Custom Prompt URL an ogg', form: 'holdMusic', bad: { customPromptUrl: 'https://cdn.example.com/hold.ogg' }, at: 1, parameter: 'Custom Prompt URL', problem: NOT_WAV('https://cdn.example.com/hold.ogg') },
	{ name: 'startHoldMusic Client Context of 257 characters', form: 'holdMusic', bad: { clientContext: LONG_CONTEXT }, at: 2, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
];
const JSON_P0 = 'JSON Body › participants[0]';
const KEYS = 'use only 0–9, *, #, A–D';

const CONVERSATION_CASES: ItemCase[] = [
	{ name: 'answer Call ID with /', form: 'answer', bad: { callId: 'a/b' }, at: 1, parameter: 'Call ID', problem: char('a/b-in-p-1', '/') },
	{ name: 'answer Callback URL http:// to another host', form: 'answer', bad: { callbackUrl: 'http://n8n.example.com/x' }, at: 2, parameter: 'Callback URL', problem: CALLBACK_HTTPS('http:') },
	{
		name: 'answer Accepted Modalities unknown',
		form: 'answer',
		bad: { acceptedModalities: ['audio', 'hologram'] },
		at: 0,
		parameter: 'Accepted Modalities',
		problem: '"hologram" is not one of audio, video, videoBasedScreenSharing',
	},
	{ name: 'reject Reason unknown', form: 'reject', bad: { reason: 'maybe' }, at: 1, parameter: 'Reason', problem: '"maybe" is not one of none, busy, forbidden' },
	{ name: 'reject Call ID with /', form: 'reject', bad: { callId: 'a/b' }, at: 2, parameter: 'Call ID', problem: char('a/b-in-p-2', '/') },
	{ name: 'redirect target phone without +', form: 'redirect', bad: { type: 'phone', id: '12065550100' }, at: 0, parameter: `${T1} ID`, problem: `"12065550100" ${E164}` },
	{ name: 'redirect Timeout 10', form: 'redirect', bad: { timeout: 10 }, at: 1, parameter: 'Timeout', problem: 'must be a whole number from 15 to 90 (got 10)' },
	{ name: 'redirect Callback URL ftp://', form: 'redirect', bad: { redirectCallbackUrl: 'ftp://n8n.example.com/x' }, at: 2, parameter: 'Callback URL', problem: CALLBACK_HTTPS('ftp:') },
	{
		name: 'transfer target of an unknown type',
		form: 'transfer',
		bad: { type: 'robot' },
		at: 0,
		parameter: 'Transfer Target › Type',
		problem: '"robot" is not one of user, phone, guest, application, applicationInstance',
	},
	{ name: 'transfer target ID empty', form: 'transfer', bad: { id: '' }, at: 1, parameter: 'Transfer Target › ID', problem: 'is empty' },
	{ name: 'transfer Transferee Participant ID with /', form: 'transfer', bad: { transfereeParticipantId: 'a/b' }, at: 2, parameter: 'Transferee Participant ID', problem: char('a/b', '/') },
	{
		name: 'transfer JSON Body without transferTarget',
		form: 'transferJson',
		bad: { transferJson: '{"transferee":{}}' },
		at: 0,
		parameter: 'JSON Body › transferTarget',
		problem: 'must be an object (an invitationParticipantInfo)',
	},
	{ name: 'transfer JSON Body not JSON', form: 'transferJson', bad: { transferJson: '{ "transferTarget": ' }, at: 1, parameter: 'JSON Body', problem: `is not valid JSON (${notJson('{ "transferTarget": ')})` },
	{ name: 'subscribeToTone Client Context of 257 characters', form: 'subscribeToTone', bad: { clientContext: LONG_CONTEXT }, at: 2, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
	idCase('subscribeToTone Call ID empty', 'subscribeToTone', 'callId', '', 0, 'is empty'),
	{ name: 'sendDtmfTones Tones with a letter past D', form: 'sendDtmfTones', bad: { tones: '12x' }, at: 1, parameter: 'Tones', problem: `"X" is not a key; ${KEYS}` },
	{ name: 'sendDtmfTones Tones empty', form: 'sendDtmfTones', bad: { tones: ' ' }, at: 2, parameter: 'Tones', problem: 'is empty; give the keys to press, e.g. 123# (0–9, *, #, A–D)' },
	{ name: 'sendDtmfTones Delay negative', form: 'sendDtmfTones', bad: { delay: -1 }, at: 0, parameter: 'Delay Between Tones (Ms)', problem: 'must be a whole number from 0 to 10000 (got -1)' },
	{ name: 'sendDtmfTones Client Context of 257 characters', form: 'sendDtmfTones', bad: { clientContext: LONG_CONTEXT }, at: 1, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
	{ name: 'recordResponse Prompt URL over http://', form: 'recordResponse', bad: { promptUrl: 'http://cdn.example.com/a.wav' }, at: 2, parameter: 'Prompt URL', problem: PROMPT_HTTPS('http:') },
	{ name: 'recordResponse Max Record Duration 121', form: 'recordResponse', bad: { maxRecord: 121 }, at: 0, parameter: 'Max Record Duration', problem: 'must be a whole number from 1 to 120 (got 121)' },
	{ name: 'recordResponse Stop Tones E', form: 'recordResponse', bad: { stopTones: '#E' }, at: 1, parameter: 'Stop Tones', problem: `"E" is not a key; ${KEYS}` },
	{ name: 'recordResponse Play Beep not a boolean', form: 'recordResponse', bad: { playBeep: 'yes' }, at: 2, parameter: 'Play Beep', problem: 'must be true or false' },
	idCase('cancelMediaProcessing Call ID with ?', 'cancelMediaProcessing', 'callId', 'x?y', 1, char('x?y', '?')),
	{
		name: 'downloadRecording Recording Location over http://',
		form: 'downloadRecording',
		bad: { recordingLocation: 'http://media.example.com/rec/1' },
		at: 0,
		parameter: 'Recording Location',
		problem: "must use https:// (got http://): the recording's access token is sent only over HTTPS",
	},
	{ name: 'downloadRecording Recording Location not a URL', form: 'downloadRecording', bad: { recordingLocation: 'nowhere' }, at: 1, parameter: 'Recording Location', problem: '"nowhere" is not a URL; give one such as https://…/recordings/…' },
	{
		name: 'downloadRecording Recording Access Token empty',
		form: 'downloadRecording',
		bad: { recordingAccessToken: '' },
		at: 2,
		parameter: 'Recording Access Token',
		problem: "is empty; map it from the recording's operationCompleted event (operation.recordingAccessToken)",
	},
	{
		name: 'downloadRecording Recording Access Token with a line break (never echoed)',
		form: 'downloadRecording',
		bad: { recordingAccessToken: 'rec.secret-part\r\nX-Injected: 1' },
		at: 0,
		parameter: 'Recording Access Token',
		problem: 'contains spaces, line breaks or control characters; map the token alone',
	},
	{
		name: 'downloadRecording Put Output File in Field with a space',
		form: 'downloadRecording',
		bad: { binaryPropertyName: 'a b' },
		at: 1,
		parameter: 'Put Output File in Field',
		problem: '"a b" is not a field name (letters, digits, - _ . up to 100), e.g. data',
	},
	{ name: 'downloadRecording Call ID with /', form: 'downloadRecording', bad: { downloadCallId: 'a/b' }, at: 2, parameter: 'Call ID', problem: char('a/b', '/') },
];

const ITEM_CASES: ItemCase[] = [
	idCase('Call ID empty', 'get', 'callId', '', 1, 'is empty'),
	idCase('Call ID only spaces', 'get', 'callId', '   ', 2, 'is empty'),
	idCase('Call ID with /', 'remove', 'callId', 'a/b', 0, char('a/b', '/')),
	idCase('Call ID ..', 'mute', 'callId', '..', 2, '".." is not an ID'),
	idCase('Call ID .', 'getAll', 'callId', '.', 1, '"." is not an ID'),
	idCase('Call ID with ?', 'get', 'callId', `${CALL}?$select=id`, 1, char(`${CALL}?$select=id`, '?')),
	idCase('Call ID with #', 'remove', 'callId', `${CALL}#x`, 2, char(`${CALL}#x`, '#')),
	idCase('Call ID with %', 'get', 'callId', `${CALL}%2F..`, 0, char(`${CALL}%2F..`, '%')),
	idCase('Call ID with CR/LF (header injection)', 'mute', 'callId', `${CALL}\r\nX-Injected: 1`, 1, unsafe(`${CALL}\r\nX-Injected: 1`, 'a line break')),
	idCase('Call ID with unicode', 'getAll', 'callId', 'call-ü', 2, char('call-ü', 'ü')),
	idCase('Call ID with a space', 'invite', 'callId', 'call b', 1, unsafe('call b', 'a space')),
	idCase('Call ID an object (expression)', 'get', 'callId', { id: CALL }, 1, 'must be text, got object'),
	idCase('Call ID a list (expression)', 'remove', 'callId', [CALL], 0, 'must be text, got a list'),
	idCase('Call ID long, with / (shortened)', 'get', 'callId', `${'x'.repeat(70)}/y`, 2, char(`${'x'.repeat(70)}/y`, '/')),
	idCase('Participant empty', 'get', 'p', '', 1, 'is empty'),
	idCase('Participant path traversal', 'remove', 'p', '../../calls/other', 2, char('../../calls/other', '/')),
	idCase('Participant ..', 'mute', 'p', '..', 0, '".." is not an ID'),
	idCase('Participant .', 'remove', 'p', '.', 1, '"." is not an ID'),
	idCase('Participant with LF inside', 'get', 'p', 'p-1\nx', 1, unsafe('p-1\nx', 'a line break')),
	idCase('Participant unicode', 'remove', 'p', '参加者', 1, char('参加者', '参')),
	idCase('Participant %-encoded ..', 'mute', 'p', '%2e%2e', 2, char('%2e%2e', '%')),
	idCase('Participant with ?', 'get', 'p', 'p-0?x=1', 0, char('p-0?x=1', '?')),
	idCase('Participant with a tab', 'get', 'p', 'p\t0', 2, unsafe('p\t0', 'a space')),
	idCase('Participant with a zero-width space', 'mute', 'p', 'p-0\u200b', 1, char('p-0\u200b', '\u200b')),
	{ name: 'phone without +', form: 'invite', bad: { type: 'phone', id: '12065550100' }, at: 1, parameter: `${P1} ID`, problem: `"12065550100" ${E164}` },
	{ name: 'phone starting +0', form: 'invite', bad: { type: 'phone', id: '+0123456789' }, at: 0, parameter: `${P1} ID`, problem: `"+0123456789" ${E164}` },
	{ name: 'phone with spaces', form: 'invite', bad: { type: 'phone', id: '+1 206 555 0100' }, at: 2, parameter: `${P1} ID`, problem: `"+1 206 555 0100" ${E164}` },
	{ name: 'phone too short', form: 'invite', bad: { type: 'phone', id: '+123' }, at: 1, parameter: `${P1} ID`, problem: `"+123" ${E164}` },
	{
		name: 'unknown participant type',
		form: 'invite',
		bad: { type: 'robot' },
		at: 2,
		parameter: `${P1} Type`,
		problem: '"robot" is not one of user, phone, guest, application, applicationInstance',
	},
	{ name: 'invitee ID empty', form: 'invite', bad: { id: '  ' }, at: 1, parameter: `${P1} ID`, problem: 'is empty' },
	{ name: 'invite Participant ID with /', form: 'invite', bad: { participantId: 'a/b' }, at: 0, parameter: `${P1} Participant ID`, problem: char('a/b', '/') },
	{ name: 'invite Tenant ID with a space', form: 'invite', bad: { tenantId: 'contoso tenant' }, at: 2, parameter: `${P1} Tenant ID`, problem: unsafe('contoso tenant', 'a space') },
	{ name: 'invite Replaces Call ID with /', form: 'invite', bad: { replacesCallId: 'x/y' }, at: 1, parameter: `${P1} Replaces Call ID`, problem: char('x/y', '/') },
	{ name: 'invite Client Context of 257 characters', form: 'invite', bad: { clientContext: LONG_CONTEXT }, at: 1, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
	{ name: 'mute Client Context of 257 characters', form: 'mute', bad: { clientContext: LONG_CONTEXT }, at: 2, parameter: 'Client Context', problem: 'is 257 characters long; Graph accepts at most 256' },
	{ name: 'JSON Body not JSON', form: 'inviteJson', bad: { jsonBody: '{ "participants": [ ' }, at: 1, parameter: 'JSON Body', problem: `is not valid JSON (${notJson('{ "participants": [ ')})` },
	...[
		['JSON Body a list', '[1, 2]'],
		['JSON Body a string', '"participants"'],
		['JSON Body null', 'null'],
	].map(([name, body]): ItemCase => ({
		name,
		form: 'inviteJson',
		bad: { jsonBody: body },
		at: 2,
		parameter: 'JSON Body',
		problem: 'must be a JSON object such as { "participants": [ … ], "clientContext": "…" }',
	})),
	{ name: 'JSON Body without participants', form: 'inviteJson', bad: { jsonBody: '{"clientContext":"x"}' }, at: 0, parameter: 'JSON Body', problem: 'has no "participants" list' },
	{ name: 'JSON Body with no participant', form: 'inviteJson', bad: { jsonBody: jsonBody({ participants: [] }) }, at: 1, parameter: 'JSON Body › participants', problem: 'no participant given; add at least one' },
	{ name: 'JSON Body participant not an object', form: 'inviteJson', bad: { jsonBody: jsonBody({ participants: ['user-1'] }) }, at: 1, parameter: JSON_P0, problem: 'must be an object (an invitationParticipantInfo)' },
	{
		name: 'JSON Body participant without identity',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [{ participantId: 'x' }] }) },
		at: 2,
		parameter: `${JSON_P0}.identity`,
		problem: 'is missing: give an identity such as { "user": { "id": "…" } }',
	},
	{
		name: 'JSON Body identity with two kinds',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [{ identity: { user: { id: 'u' }, phone: { id: '+12065550100' } } }] }) },
		at: 0,
		parameter: `${JSON_P0}.identity`,
		problem: 'must hold exactly one of user, phone, guest, application, applicationInstance, device',
	},
	{
		name: 'JSON Body phone not E.164',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [{ identity: { phone: { id: '555-0100' } } }] }) },
		at: 1,
		parameter: `${JSON_P0}.identity.phone.id`,
		problem: `"555-0100" ${E164}`,
	},
	{
		name: 'JSON Body user id with /',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [userInfo('a/b')] }) },
		at: 2,
		parameter: `${JSON_P0}.identity.user.id`,
		problem: char('a/b', '/'),
	},
	{
		name: 'JSON Body with six participants',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: Array.from({ length: 6 }, (_, index) => userInfo(`six-${index}`)) }) },
		at: 1,
		parameter: 'JSON Body › participants',
		problem: '6 participants given; Graph invites at most 5 at once',
	},
	{
		name: 'JSON Body Client Context of 257 characters',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [userInfo('u-257')], clientContext: LONG_CONTEXT }) },
		at: 0,
		parameter: 'Client Context',
		problem: 'is 257 characters long; Graph accepts at most 256',
	},
	{
		name: 'JSON Body Client Context a number',
		form: 'inviteJson',
		bad: { jsonBody: jsonBody({ participants: [userInfo('u-42')], clientContext: 42 }) },
		at: 2,
		parameter: 'Client Context',
		problem: 'must be text',
	},
];

/**
 * The item a request whose path and body are the same for every item was sent for: a new call (Join, Create) by the
 * `?item=` of its callback URL, a prompt by its client context (`ctx-p-1`). Undefined for other requests; null when
 * the marker is missing (every good item's request has one: a bad value replaced it).
 */
function markedItem(entry: { route: string; body?: unknown }): string | null | undefined {
	const body = (entry.body ?? {}) as IDataObject;
	if (entry.route === 'createCall') return /[?&]item=([^&]+)/.exec(String(body.callbackUri ?? ''))?.[1] ?? null;
	if (entry.route === 'playPrompt') return /^ctx-(.+)$/.exec(String(body.clientContext ?? ''))?.[1] ?? null;
	return undefined;
}

/**
 * Graph requests that are about the bad item: its participant in the path, its invitee in the body, or a request
 * marked for it (see markedItem).
 */
function requestsForItem(emulator: Emulator, from: number, item: IDataObject, at: number): number {
	const who = String(item.p);
	return emulator.log
		.slice(from)
		.filter((entry) => entry.server === 'graph')
		.filter((entry) => {
			const segments = entry.path.split('?')[0].split('/').map((segment) => decodeURIComponent(segment));
			const body = JSON.stringify(entry.body ?? '');
			const marked = markedItem(entry);
			const markedFor = marked === null ? who : marked;
			return (who !== '' && segments.includes(who)) || body.includes(`"user-${who}"`) || body.includes(`"user-json-${at}"`) || markedFor === who;
		}).length;
}

describe('Bad item parameters: the message names the parameter and the item; the bad item never reaches Graph', () => {
	it.each(['joinLink', 'joinId', 'create', 'invite', 'playPrompt'] as const)('the check itself sees every item\'s request (%s, all items good)', async (form) => {
		const { emulator } = suite;
		emulator.reset();
		seed(emulator);
		const items = Array.from({ length: ITEMS }, (_, index) => goodItem(index));
		const { parameters, node } = FORMS[form];
		const run = await suite.run(parameters, { items, node });
		expect(run.message).toBe('');
		expect(items.map((item, index) => requestsForItem(emulator, 0, item, index))).toEqual(Array(ITEMS).fill(1));
	});

	it.each([...ITEM_CASES, ...JOIN_CASES, ...CONVERSATION_CASES].map((testCase): [string, ItemCase] => [`${testCase.name} (${testCase.form}, item ${testCase.at})`, testCase]))(
		'%s',
		async (name, testCase) => {
			const { emulator } = suite;
			const message = `${testCase.parameter} (item ${testCase.at}): ${testCase.problem}`;
			const items = Array.from({ length: ITEMS }, (_, index) => (index === testCase.at ? { ...goodItem(index), ...testCase.bad } : goodItem(index)));
			const { parameters, ok, node } = FORMS[testCase.form];
			const good = Array(ITEMS - 1).fill(ok);

			seed(emulator);
			const failing = await suite.run(parameters, { items, node });
			const failingRequests = failing.requests;
			const badRequests = requestsForItem(emulator, 0, items[testCase.at], testCase.at);

			emulator.reset();
			seed(emulator);
			const continued = await suite.run(parameters, { items, node, settings: { continueOnFail: true } });
			const expectedItems = items.map((_, index) => (index === testCase.at ? 'error' : 'ok'));
			expectNoMismatch(
				suite.report.check(name, {
					message: [message, failing.message],
					requests: [compact(good), compact(failingRequests)],
					requestsForBadItem: [0, badRequests],
					continueOnFailItems: [expectedItems, continued.items],
					continueOnFailError: [{ [testCase.at]: message }, continued.errors],
					continueOnFailRequests: [compact(good), compact(continued.requests)],
				}),
			);
		},
	);
});

// ---------------------------------------------------------------- parameters that fail for every item

interface RunCase {
	name: string;
	parameters: INodeParameters;
	message: string;
	/** n8n itself refuses to start the workflow (a parameter's typeOptions): the message is the engine's. */
	engineRefuses?: boolean;
	node?: 'call';
}

const sixUsers = Array.from({ length: 6 }, (_, index) => ({ type: 'user', id: `six-${index}` }));
const RUN_CASES: RunCase[] = [
	{
		name: 'six participants (fields)',
		parameters: { ...FORMS.invite.parameters, participants: { participant: sixUsers } },
		// The Participants parameter allows 5 entries (maxAllowedFields): n8n refuses to run the workflow at all.
		message: "The 'Teams Call Participant' node has issues:\n- At most 5 fields are allowed.",
		engineRefuses: true,
	},
	{
		name: 'no participant (fields)',
		parameters: { ...FORMS.invite.parameters, participants: {} },
		message: 'Participants (item 0): no participant given; add at least one',
	},
	{
		name: 'Replaces Call ID with two participants',
		parameters: {
			...FORMS.invite.parameters,
			participants: { participant: [{ type: 'user', id: 'mover', replacesCallId: 'other-call' }, { type: 'user', id: 'second' }] },
		},
		message: 'Participants (item 0): "Replaces Call ID" moves one participant from another call, so it needs exactly one participant',
	},
	{
		name: 'Requested Modalities empty (join)',
		parameters: { ...FORMS.joinLink.parameters, options: { ...NO_WAIT, requestedModalities: [] } },
		message: 'Requested Modalities (item 0): is empty; choose at least audio',
		node: 'call',
	},
	{
		name: 'Wait Timeout 0 (create)',
		parameters: { ...FORMS.create.parameters, options: { waitTimeout: 0 } },
		message: 'Wait Timeout (item 0): must be a number of seconds from 1 to 600 (got 0)',
		node: 'call',
	},
	{
		name: 'Max Concurrent Requests 0',
		parameters: { ...FORMS.get.parameters, options: { maxConcurrency: 0 } },
		message: 'Max Concurrent Requests must be a whole number of 1 or more (got 0)',
	},
	{
		name: 'Max Concurrent Requests 2.5',
		parameters: { ...FORMS.get.parameters, options: { maxConcurrency: 2.5 } },
		message: 'Max Concurrent Requests must be a whole number of 1 or more (got 2.5)',
	},
];

describe('Bad parameters for the whole run (one item): the node fails before any request', () => {
	it.each(RUN_CASES.map((testCase): [string, RunCase] => [testCase.name, testCase]))('%s', async (name, testCase) => {
		const { emulator } = suite;
		seed(emulator);
		const items = [goodItem(0)];
		const attempt = async (continueOnFail: boolean) =>
			await suite.run(testCase.parameters, { items, node: testCase.node, settings: { continueOnFail } }).then(
				(outcome) => ({ message: outcome.message, errors: outcome.errors }),
				(error: Error) => ({ message: `refused: ${error.message}`, errors: {} }),
			);
		const [failing, continued] = [await attempt(false), await attempt(true)];
		const message = testCase.engineRefuses ? `refused: ${testCase.message}` : testCase.message;
		expectNoMismatch(
			suite.report.check(name, {
				message: [message, failing.message],
				continueOnFail: [testCase.engineRefuses ? message : { 0: message }, testCase.engineRefuses ? continued.message : continued.errors],
				requestsToEntraOrGraph: [0, emulator.log.length],
			}),
		);
	});
});

// ---------------------------------------------------------------- the credential

interface CredentialCase {
	name: string;
	fields: (emulator: Emulator) => Record<string, string>;
	message: string;
}

const field = (label: string, problem: string) => `Credential field "${label}" ${problem}`;
const HTTPS_ONLY = (got: string) => `must use https:// (got ${got}//): tokens are never sent over plain HTTP`;
const GUID_TENANT = 'must be a directory (tenant) ID such as 00000000-0000-0000-0000-000000000000 or a domain such as contoso.onmicrosoft.com';
const KEY_UNREADABLE = 'could not be read: give a PEM private key (PKCS#8 or PKCS#1) and, if it is encrypted, its passphrase';
const certificate = (emu: Emulator, more: Record<string, string>) => ({ authentication: 'certificate', certificate: emu.app.certificatePem, ...more });
const CORRECT_IT = 'Open the Microsoft Graph App API credential and correct it.';

const CREDENTIAL_CASES: CredentialCase[] = [
	{ name: 'custom cloud, Graph Base URL http://', fields: (emu) => ({ graphBaseUrl: emu.graphUrl.replace('https:', 'http:') }), message: field('Graph Base URL', HTTPS_ONLY('http:')) },
	{ name: 'custom cloud, Authority Host http://', fields: (emu) => ({ authorityHost: emu.authorityHost.replace('https:', 'http:') }), message: field('Authority Host', HTTPS_ONLY('http:')) },
	{ name: 'custom cloud, Graph Base URL ftp://', fields: () => ({ graphBaseUrl: 'ftp://127.0.0.1:21' }), message: field('Graph Base URL', HTTPS_ONLY('ftp:')) },
	{
		name: 'custom cloud, Graph Base URL with a query',
		fields: (emu) => ({ graphBaseUrl: `${emu.graphUrl}?x=1` }),
		message: field('Graph Base URL', 'must be a plain https://host[:port][/path] URL without credentials, query or fragment'),
	},
	{
		name: 'custom cloud, Graph Base URL with user:password@',
		fields: (emu) => ({ graphBaseUrl: emu.graphUrl.replace('https://', 'https://user:pw@') }),
		message: field('Graph Base URL', 'must be a plain https://host[:port][/path] URL without credentials, query or fragment'),
	},
	{ name: 'custom cloud, Graph Base URL not a URL', fields: () => ({ graphBaseUrl: 'graph dot local' }), message: field('Graph Base URL', 'is not a valid URL: "graph dot local"') },
	{ name: 'custom cloud, Authority Host empty', fields: () => ({ authorityHost: '' }), message: field('Authority Host', 'is required for the Custom cloud') },
	{ name: 'invalid tenant id', fields: () => ({ tenantId: 'not a tenant' }), message: field('Tenant ID', GUID_TENANT) },
	{ name: 'empty tenant id', fields: () => ({ tenantId: '' }), message: field('Tenant ID', GUID_TENANT) },
	{
		name: 'invalid client id',
		fields: () => ({ clientId: 'my-teams-bot' }),
		message: field('Client ID', 'must be the application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000'),
	},
	{ name: 'cloud china (no calls API)', fields: () => ({ cloud: 'china' }), message:
		'Microsoft Graph in China (21Vianet) does not offer the cloud communications (calls) API, so call participants cannot be managed there. Use a credential for the global or a US Government cloud.' },
	{ name: 'unknown cloud', fields: () => ({ cloud: 'mars' }), message: field('Cloud', 'must be one of global, usGov, usGovDod, china, custom (got "mars")') },
	{ name: 'empty client secret', fields: () => ({ clientSecret: '' }), message: field('Client Secret', 'is required') },
	{
		name: 'unknown authentication',
		fields: () => ({ authentication: 'password' }),
		message: field('Authentication', 'must be "clientSecret" or "certificate" (got "password")'),
	},
	{ name: 'certificate, private key not PEM', fields: (emu) => certificate(emu, { certificatePrivateKey: 'not a key' }), message: field('Private Key', KEY_UNREADABLE) },
	{
		name: 'certificate, encrypted key without passphrase',
		fields: (emu) => certificate(emu, { certificatePrivateKey: emu.app.privateKeyEncryptedPem }),
		message: field('Private Key', KEY_UNREADABLE),
	},
	{
		name: 'certificate, encrypted key with a wrong passphrase',
		fields: (emu) => certificate(emu, { certificatePrivateKey: emu.app.privateKeyEncryptedPem, certificatePassphrase: 'wrong passphrase' }),
		message: field('Private Key', KEY_UNREADABLE),
	},
	{
		name: 'certificate not matching the key',
		fields: (emu) => certificate(emu, { certificatePrivateKey: emu.app.unregisteredPrivateKeyPem }),
		message: field('Certificate', 'does not match the private key'),
	},
	{
		name: 'certificate thumbprint of a wrong length',
		fields: (emu) => ({ authentication: 'certificate', certificatePrivateKey: emu.app.privateKeyPkcs8Pem, certificateThumbprint: 'AB:CD:EF' }),
		message: field('Certificate Thumbprint', 'must be hex SHA-256 (64 characters) or SHA-1 (40 characters)'),
	},
	{ name: 'CA certificate not PEM', fields: () => ({ caCertificate: 'my CA' }), message: field('CA Certificate', 'is not a PEM certificate') },
];

describe('Bad credential: the node and the Test button name the field; nothing is sent to Entra or Graph', () => {
	it.each(CREDENTIAL_CASES.map((testCase): [string, CredentialCase] => [testCase.name, testCase]))('%s', async (name, testCase) => {
		const { emulator } = suite;
		addCall(emulator, CALL, 6);
		const credentials = emulator.credentialData(testCase.fields(emulator));
		const items = [goodItem(0), goodItem(1)];
		const failing = await suite.run(FORMS.get.parameters, { items, credentials });
		const continued = await suite.run(FORMS.get.parameters, { items, credentials, settings: { continueOnFail: true } });
		const tested = await suite.testCredential(credentials);
		const aspects: Aspects = {
			message: [testCase.message, failing.message],
			description: [CORRECT_IT, failing.run.errorDescription],
			continueOnFailErrors: [{ 0: testCase.message, 1: testCase.message }, continued.errors],
			testButton: [`Error: ${testCase.message}`, `${tested.status}: ${tested.message}`],
			requestsToEntraOrGraph: [0, emulator.log.length],
		};
		expectNoMismatch(suite.report.check(name, aspects));
	});
});

leakCheck(suite);
