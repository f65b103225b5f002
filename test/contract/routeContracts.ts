/**
 * What each emulated Graph route takes and answers, in the schema's terms: the table the emulator checks every request
 * body and every answer against. A new route: add a row (its request as an action or an entity type, its answer's type).
 */
import { checkActionBody, checkValue, type Violation } from './checkValue';

export type RequestContract = { action: string; boundTo: string } | { type: string } | 'none';
/** A type reference, a page (a collection of that type with @odata.nextLink), or 'empty'. */
export type AnswerContract = string | { page: string } | 'empty';

export interface RouteContract {
	request: RequestContract;
	answer: AnswerContract;
}

const CALL = 'microsoft.graph.call';
const PARTICIPANT = 'microsoft.graph.participant';
const CALL_RECORDS = 'microsoft.graph.callRecords';

export const ROUTE_CONTRACTS: Record<string, RouteContract> = {
	createCall: { request: { type: CALL }, answer: CALL },
	getCall: { request: 'none', answer: CALL },
	deleteCall: { request: 'none', answer: 'empty' },
	keepAlive: { request: { action: 'keepAlive', boundTo: CALL }, answer: 'empty' },
	playPrompt: { request: { action: 'playPrompt', boundTo: CALL }, answer: 'microsoft.graph.playPromptOperation' },
	listParticipants: { request: 'none', answer: { page: PARTICIPANT } },
	getParticipant: { request: 'none', answer: PARTICIPANT },
	deleteParticipant: { request: 'none', answer: 'empty' },
	invite: { request: { action: 'invite', boundTo: `Collection(${PARTICIPANT})` }, answer: 'microsoft.graph.inviteParticipantsOperation' },
	mute: { request: { action: 'mute', boundTo: PARTICIPANT }, answer: 'microsoft.graph.muteParticipantOperation' },
	startHoldMusic: { request: { action: 'startHoldMusic', boundTo: PARTICIPANT }, answer: 'microsoft.graph.startHoldMusicOperation' },
	stopHoldMusic: { request: { action: 'stopHoldMusic', boundTo: PARTICIPANT }, answer: 'microsoft.graph.stopHoldMusicOperation' },
	getOperation: { request: 'none', answer: 'microsoft.graph.commsOperation' },
	answer: { request: { action: 'answer', boundTo: CALL }, answer: 'empty' },
	reject: { request: { action: 'reject', boundTo: CALL }, answer: 'empty' },
	redirect: { request: { action: 'redirect', boundTo: CALL }, answer: 'empty' },
	transfer: { request: { action: 'transfer', boundTo: CALL }, answer: 'empty' },
	subscribeToTone: { request: { action: 'subscribeToTone', boundTo: CALL }, answer: 'microsoft.graph.subscribeToToneOperation' },
	sendDtmfTones: { request: { action: 'sendDtmfTones', boundTo: CALL }, answer: 'microsoft.graph.sendDtmfTonesOperation' },
	recordResponse: { request: { action: 'recordResponse', boundTo: CALL }, answer: 'microsoft.graph.recordOperation' },
	cancelMediaProcessing: { request: { action: 'cancelMediaProcessing', boundTo: CALL }, answer: 'microsoft.graph.cancelMediaProcessingOperation' },
	listCallRecords: { request: 'none', answer: { page: `${CALL_RECORDS}.callRecord` } },
	getCallRecord: { request: 'none', answer: `${CALL_RECORDS}.callRecord` },
	listCallRecordSessions: { request: 'none', answer: { page: `${CALL_RECORDS}.session` } },
	listCallRecordParticipants: { request: 'none', answer: { page: `${CALL_RECORDS}.participant` } },
	getPstnCalls: { request: 'none', answer: { page: `${CALL_RECORDS}.pstnCallLogRow` } },
	getDirectRoutingCalls: { request: 'none', answer: { page: `${CALL_RECORDS}.directRoutingLogRow` } },
};

/**
 * Routes that are no Graph resource: a path the emulator does not know (answered 404 or 405), and a recording's
 * location (a WAV file behind its own token, not a Graph body).
 */
const NOT_A_ROUTE = new Set(['unknown', 'downloadRecording']);

function noContract(route: string): Violation[] | undefined {
	if (NOT_A_ROUTE.has(route)) return undefined;
	return [{ path: '$', rule: 'no-contract', message: `the route ${route} has no row in ROUTE_CONTRACTS (test/contract/routeContracts.ts): add its request and answer types` }];
}

export function checkRequestBody(route: string, body: unknown): Violation[] | undefined {
	const contract = ROUTE_CONTRACTS[route]?.request;
	if (contract === undefined) return noContract(route);
	if (contract === 'none') return body === undefined ? [] : [{ path: '$', rule: 'value-type', message: `${route} takes no request body` }];
	if ('action' in contract) return checkActionBody(contract.action, contract.boundTo, body);
	return checkValue(body, contract.type);
}

export function checkAnswerBody(route: string, body: unknown): Violation[] | undefined {
	const contract = ROUTE_CONTRACTS[route]?.answer;
	if (contract === undefined) return noContract(route);
	if (contract === 'empty') return body === undefined ? [] : [{ path: '$', rule: 'value-type', message: `${route} answers with no body` }];
	if (typeof contract === 'string') return checkValue(body, contract, '$', true);
	const page = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	const extra = Object.keys(page).filter((key) => key !== 'value' && !key.startsWith('@odata.'));
	return [
		...checkValue(page.value ?? null, `Collection(${contract.page})!`, '$.value', true),
		...extra.map((key): Violation => ({ path: `$.${key}`, rule: 'closed-type-property', message: `a collection page holds only value and @odata annotations` })),
	];
}
