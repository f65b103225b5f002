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

type Form = 'get' | 'remove' | 'mute' | 'getAll' | 'invite' | 'inviteJson';

const CALL_ID = '={{ $json.callId }}';
const PARTICIPANT = byId('={{ $json.p }}');
const optional = (field: string, fallback = '""') => `={{ $json.${field} ?? ${fallback} }}`;

const FORMS: Record<Form, { parameters: INodeParameters; ok: string }> = {
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
};

const userInfo = (id: string) => ({ identity: { user: { id } } });
const jsonBody = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));

/** A valid item for participant p-<index>; the bad item is this with the case's fields over it. */
function goodItem(index: number): IDataObject {
	return { callId: CALL, p: `p-${index}`, jsonBody: jsonBody({ participants: [userInfo(`user-json-${index}`)], clientContext: `ctx-${index}` }) };
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
const JSON_P0 = 'JSON Body › participants[0]';

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

/** Graph requests that are about the bad item: its participant in the path, or its invitee in the body. */
function requestsForItem(emulator: Emulator, from: number, item: IDataObject, at: number): number {
	const who = String(item.p);
	return emulator.log
		.slice(from)
		.filter((entry) => entry.server === 'graph')
		.filter((entry) => {
			const segments = entry.path.split('?')[0].split('/').map((segment) => decodeURIComponent(segment));
			const body = JSON.stringify(entry.body ?? '');
			return (who !== '' && segments.includes(who)) || body.includes(`"user-${who}"`) || body.includes(`"user-json-${at}"`);
		}).length;
}

describe('Bad item parameters: the message names the parameter and the item; the bad item never reaches Graph', () => {
	it.each(ITEM_CASES.map((testCase): [string, ItemCase] => [`${testCase.name} (${testCase.form}, item ${testCase.at})`, testCase]))(
		'%s',
		async (name, testCase) => {
			const { emulator } = suite;
			const message = `${testCase.parameter} (item ${testCase.at}): ${testCase.problem}`;
			const items = Array.from({ length: ITEMS }, (_, index) => (index === testCase.at ? { ...goodItem(index), ...testCase.bad } : goodItem(index)));
			const { parameters, ok } = FORMS[testCase.form];
			const good = Array(ITEMS - 1).fill(ok);

			addCall(emulator, CALL, 6);
			const failing = await suite.run(parameters, { items });
			const failingRequests = failing.requests;
			const badRequests = requestsForItem(emulator, 0, items[testCase.at], testCase.at);

			emulator.reset();
			addCall(emulator, CALL, 6);
			const continued = await suite.run(parameters, { items, settings: { continueOnFail: true } });
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
		addCall(emulator, CALL, 6);
		const items = [goodItem(0)];
		const attempt = async (continueOnFail: boolean) =>
			await suite.run(testCase.parameters, { items, settings: { continueOnFail } }).then(
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
