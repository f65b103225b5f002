/** The schema checker on its own: each rule catches a bad value and names its path; good values pass. */
import { checkActionBody, checkValue, type Rule } from './checkValue';
import { checkNotifications } from './notificationContract';
import { checkAnswerBody, checkRequestBody, ROUTE_CONTRACTS } from './routeContracts';

const USER = { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Adele Vance' };
const rules = (violations: Array<{ path: string; rule: Rule }>) => violations.map(({ path, rule }) => `${path} ${rule}`);

describe('checkValue', () => {
	it('passes a participant as Graph documents it', () => {
		const participant = {
			'@odata.type': '#microsoft.graph.participant',
			id: 'a7ebfb2d-871e-419c-87af-27290b22e8db',
			info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { ...USER, tenantId: 't', identityProvider: 'AAD' } }, endpointType: 'default' },
			isMuted: false,
			isInLobby: false,
			mediaStreams: [{ mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
		};
		expect(checkValue(participant, 'microsoft.graph.participant')).toEqual([]);
	});

	it('closed-type-property: a property a closed type does not declare', () => {
		expect(rules(checkValue({ code: 200, subcode: 0, reason: 'x' }, 'microsoft.graph.resultInfo'))).toEqual(['$.reason closed-type-property']);
	});

	it('open-type-extra: an undeclared property of an open type outside the allow-list; allowed extras pass', () => {
		expect(checkValue({ user: { ...USER, tenantId: 't', identityProvider: 'AAD' } }, 'microsoft.graph.identitySet')).toEqual([]);
		expect(rules(checkValue({ user: { ...USER, email: 'a@b.c' } }, 'microsoft.graph.identitySet'))).toEqual(['$.user.email open-type-extra']);
		expect(checkValue({ '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: USER }, allowConversationWithoutHost: true }, 'microsoft.graph.meetingInfo')).toEqual([]);
		expect(rules(checkValue({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1', allowConversationWithoutHost: true }, 'microsoft.graph.meetingInfo'))).toEqual([
			'$.allowConversationWithoutHost open-type-extra',
		]);
	});

	it('value-type: strings, integers, booleans, objects and collections', () => {
		expect(rules(checkValue({ code: '200', subcode: 1.5, message: 3 }, 'microsoft.graph.resultInfo'))).toEqual([
			'$.code value-type',
			'$.subcode value-type',
			'$.message value-type',
		]);
		expect(rules(checkValue({ info: 'x', isMuted: 'no', isInLobby: false, mediaStreams: {} }, 'microsoft.graph.participant'))).toEqual([
			'$.info value-type',
			'$.isMuted value-type',
			'$.mediaStreams value-type',
		]);
		expect(rules(checkValue({ requestedModalities: ['audio', 7] }, 'microsoft.graph.call'))).toEqual(['$.requestedModalities[1] value-type']);
	});

	it('not-nullable: null where the schema says `!`, fine elsewhere', () => {
		expect(rules(checkValue({ status: null, clientContext: null, resultInfo: null }, 'microsoft.graph.commsOperation'))).toEqual(['$.status not-nullable']);
	});

	it('enum-member: compared case-insensitively ("Running" and "running" are both operationStatus)', () => {
		expect(checkValue({ status: 'Running' }, 'microsoft.graph.commsOperation')).toEqual([]);
		expect(checkValue({ status: 'completed' }, 'microsoft.graph.commsOperation')).toEqual([]);
		expect(rules(checkValue({ status: 'done' }, 'microsoft.graph.commsOperation'))).toEqual(['$.status enum-member']);
		expect(rules(checkValue({ state: 'ringing' }, 'microsoft.graph.call'))).toEqual(['$.state enum-member']);
	});

	it('odata-type: the declared type or one derived from it; unknown types are reported', () => {
		expect(checkValue({ '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'running', participants: [] }, 'microsoft.graph.commsOperation')).toEqual([]);
		expect(rules(checkValue({ '@odata.type': '#microsoft.graph.call', status: 'running' }, 'microsoft.graph.commsOperation'))).toEqual(['$["@odata.type"] odata-type']);
		expect(rules(checkValue({ '@odata.type': '#microsoft.graph.nothing' }, 'microsoft.graph.identity'))).toEqual(['$["@odata.type"] odata-type']);
	});

	it('abstract-type: an abstract type needs @odata.type naming a concrete one', () => {
		expect(rules(checkValue({ mediaConfig: {} }, 'microsoft.graph.call'))).toEqual(['$.mediaConfig abstract-type']);
		expect(checkValue({ mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }, 'microsoft.graph.call')).toEqual([]);
	});

	it('missing-property: a whole resource (an answer) must carry its `!` properties; parts need not', () => {
		expect(rules(checkValue({ id: 'p', isMuted: false }, 'microsoft.graph.participant', '$', true))).toEqual(['$.info missing-property', '$.isInLobby missing-property']);
		expect(checkValue({ id: 'p', isMuted: false }, 'microsoft.graph.participant')).toEqual([]);
		expect(rules(checkAnswerBody('getOperation', { id: 'o', resultInfo: { code: 200 } }) ?? [])).toEqual(['$.status missing-property', '$.resultInfo.subcode missing-property']);
	});
});

describe('checkActionBody', () => {
	it('required-parameter and unknown-parameter', () => {
		expect(rules(checkActionBody('invite', 'Collection(microsoft.graph.participant)', { clientContext: 'c' }))).toEqual(['$.participants required-parameter']);
		expect(rules(checkActionBody('mute', 'microsoft.graph.participant', { clientContext: 'c', silent: true }))).toEqual(['$.silent unknown-parameter']);
		expect(rules(checkActionBody('playPrompt', 'microsoft.graph.call', { prompts: [{ mediaInfo: { uri: 'https://x/a.wav' } }] }))).toEqual(['$.prompts[0] abstract-type', '$.prompts[0].mediaInfo closed-type-property']);
		expect(checkActionBody('keepAlive', 'microsoft.graph.call', undefined)).toEqual([]);
	});
});

describe('the route table', () => {
	it('names a request and an answer for every route, and checks pages of participants', () => {
		for (const [route, contract] of Object.entries(ROUTE_CONTRACTS)) {
			expect([route, contract.request, contract.answer].every((part) => part !== undefined)).toBe(true);
		}
		expect(checkRequestBody('getCall', { x: 1 })).toHaveLength(1);
		expect(rules(checkRequestBody('answerCall', {}) ?? [])).toEqual(['$ no-contract']);
		expect(checkAnswerBody('unknown', { error: {} })).toBeUndefined();
		expect(checkAnswerBody('deleteCall', undefined)).toEqual([]);
		expect(rules(checkAnswerBody('listParticipants', { value: [{ id: 'p', info: { identity: {} }, isInLobby: false, isMuted: 1 }], extra: 1 }) ?? [])).toEqual([
			'$.value[0].isMuted value-type',
			'$.extra closed-type-property',
		]);
	});
});

describe('checkNotifications', () => {
	it('types resourceData by the resource it names', () => {
		const body = (resourceUrl: string, resourceData: unknown) => ({
			'@odata.type': '#microsoft.graph.commsNotifications',
			value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl, resourceData }],
		});
		expect(checkNotifications(body('/communications/calls/1', { '@odata.type': '#microsoft.graph.call', state: 'established' }))).toEqual([]);
		expect(rules(checkNotifications(body('/communications/calls/1', { state: 'up' })))).toEqual(['$.value[0].resourceData.state enum-member']);
		expect(rules(checkNotifications(body('/communications/calls/1/participants', [{ isMuted: 'no' }])))).toEqual(['$.value[0].resourceData[0].isMuted value-type']);
		expect(rules(checkNotifications(body('/communications/calls/1/operations/2', { status: 'finished' })))).toEqual(['$.value[0].resourceData.status enum-member']);
		expect(rules(checkNotifications({ value: [{ changeType: 'changed', resourceUrl: '/communications/calls/1' }] }))).toEqual(['$.value[0].changeType enum-member']);
	});
});
