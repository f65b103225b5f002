/**
 * The nodes' request bodies beside the documented ones where they correspond: each operation runs in n8n's engine
 * against the emulator with the values of a Graph docs example, and the body the emulator received is compared with
 * the example (equal, or the same fields but for the documented optional ones the node leaves out).
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { runCallNode, runNode } from '../helpers/testbed';
import { examplesOf } from './docsExamples';

let emulator: Emulator;
const CALLBACK = 'http://127.0.0.1:9/teams-call';

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

function documented(page: string, name: string): IDataObject {
	const example = examplesOf('request').find((entry) => entry.page.includes(`/${page}.md@`) && entry.name.startsWith(name));
	if (!example) throw new Error(`no documented request ${page}: ${name}`);
	return example.body as IDataObject;
}

function lastBody(route: string): IDataObject {
	const entry = emulator.log.filter((logged) => logged.route === route).at(-1);
	if (!entry) throw new Error(`the emulator received no ${route}`);
	return entry.body as IDataObject;
}

/** Every leaf's path ("meetingInfo.organizer.user.id"), arrays by index; `without` drops paths starting with these. */
function leafPaths(value: unknown, without: string[] = [], path = ''): string[] {
	if (without.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))) return [];
	if (Array.isArray(value)) return value.flatMap((entry, index) => leafPaths(entry, without, `${path}[${index}]`));
	if (value !== null && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, entry]) => leafPaths(entry, without, path ? `${path}.${key}` : key));
	}
	return [path];
}

const sorted = (paths: string[]) => [...paths].sort();

describe('Teams Call Participant', () => {
	it('Invite (fields) sends participant-invite.md Example 1 exactly', async () => {
		const call = emulator.addCall();
		const docs = documented('participant-invite', 'Example 1');
		const [participant] = docs.participants as IDataObject[];
		const user = (participant.identity as IDataObject).user as IDataObject;
		const run = await runNode(emulator, {
			operation: 'invite',
			callId: call.id,
			participants: { participant: [{ type: 'user', id: user.id, identityProvider: 'AAD', replacesCallId: participant.replacesCallId }] },
			clientContext: docs.clientContext,
		});
		expect(run.errorMessage).toBeUndefined();
		expect(lastBody('invite')).toEqual(docs);
	});

	it('Mute sends participant-mute.md\'s request exactly', async () => {
		const call = emulator.addCall();
		const docs = documented('participant-mute', 'Request');
		const [participantId] = call.participants.keys();
		const run = await runNode(emulator, { operation: 'mute', callId: call.id, participantId: { __rl: true, mode: 'id', value: participantId }, clientContext: docs.clientContext });
		expect(run.errorMessage).toBeUndefined();
		expect(lastBody('mute')).toEqual(docs);
	});

	it.each(['startHoldMusic', 'stopHoldMusic'])('%s sends its page\'s request exactly', async (operation) => {
		const call = emulator.addCall();
		const docs = documented(`participant-${operation.toLowerCase()}`, 'Request');
		const [participantId] = call.participants.keys();
		const prompt = (docs.customPrompt as IDataObject | undefined)?.mediaInfo as IDataObject | undefined;
		const run = await runNode(emulator, {
			operation,
			callId: call.id,
			participantId: { __rl: true, mode: 'id', value: participantId },
			...(prompt ? { customPromptUrl: prompt.uri } : {}),
			clientContext: docs.clientContext,
		});
		expect(run.errorMessage).toBeUndefined();
		expect(lastBody(operation)).toEqual(docs);
	});
});

describe('Teams Call', () => {
	it('Play Prompt sends call-playprompt.md\'s request but for the optional mediaInfo.resourceId', async () => {
		const call = emulator.addCall();
		const docs = documented('call-playprompt', 'Request');
		const [prompt] = docs.prompts as IDataObject[];
		const run = await runCallNode(emulator, { operation: 'playPrompt', callId: call.id, promptUrl: (prompt.mediaInfo as IDataObject).uri, clientContext: docs.clientContext });
		expect(run.errorMessage).toBeUndefined();
		const { resourceId: _documentedOnly, ...mediaInfo } = prompt.mediaInfo as IDataObject;
		expect(lastBody('playPrompt')).toEqual({ ...docs, prompts: [{ ...prompt, mediaInfo }] });
	});

	it('Join Meeting by ID has application-post-calls.md Example 7\'s fields but for the optional preFetchMedia', async () => {
		const meeting = emulator.addMeeting();
		const run = await runCallNode(emulator, {
			operation: 'join',
			joinBy: 'meetingId',
			joinMeetingId: meeting.joinMeetingId,
			passcode: meeting.passcode,
			callbackUrl: CALLBACK,
			options: { waitUntilEstablished: false },
		});
		expect(run.errorMessage).toBeUndefined();
		const docs = documented('application-post-calls', 'Example 7');
		expect(sorted(leafPaths(lastBody('createCall')))).toEqual(sorted(leafPaths(docs, ['mediaConfig.preFetchMedia'])));
		expect((lastBody('createCall').meetingInfo as IDataObject)['@odata.type']).toBe((docs.meetingInfo as IDataObject)['@odata.type']);
	});

	it('Join Meeting by link has Example 5\'s fields but for preFetchMedia and the organizer\'s display name', async () => {
		const meeting = emulator.addMeeting();
		const run = await runCallNode(emulator, { operation: 'join', joinBy: 'link', joinUrl: meeting.joinUrl, callbackUrl: CALLBACK, options: { waitUntilEstablished: false } });
		expect(run.errorMessage).toBeUndefined();
		const docs = documented('application-post-calls', 'Example 5');
		expect(sorted(leafPaths(lastBody('createCall')))).toEqual(sorted(leafPaths(docs, ['mediaConfig.preFetchMedia', 'meetingInfo.organizer.user.displayName'])));
	});

	it('Create Call to a phone number has Example 9\'s fields but for the documented nulls and display name', async () => {
		const run = await runCallNode(emulator, {
			operation: 'create',
			targets: { target: [{ type: 'phone', id: '+12345678901' }] },
			callbackUrl: CALLBACK,
			applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
			options: { waitUntilEstablished: false },
		});
		expect(run.errorMessage).toBeUndefined();
		const docs = documented('application-post-calls', 'Example 9');
		const optional = ['source.countryCode', 'source.endpointType', 'source.region', 'source.languageId', 'source.identity.applicationInstance.displayName'];
		expect(sorted(leafPaths(lastBody('createCall')))).toEqual(sorted(leafPaths(docs, optional)));
	});
});
