/** The Graph server: routing, bearer-token check, rate limit, latency, faults and the answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state';
import { answerFault } from './faults';
import { graphDate, guardedHandler, headerValue, newGuid, readBody, sendEmpty, sendJson } from './httpUtil';
import { answer as answerCall, redirect, reject } from './incomingRoutes';
import { cancelMediaProcessing, recordResponse, sendDtmfTones, subscribeToTone } from './mediaRoutes';
import { RECORDINGS_PATH, serveRecording } from './recordings';
import { transfer } from './transfer';
import * as routes from './calls';
import type { GraphAnswer, RouteContext } from './calls';
import { deleteCall, holdMusic, keepAlive, playPrompt } from './callControl';
import { createCall } from './newCall';
import { recordCheck } from '../contract/contractLog';
import { checkAnswerBody, checkRequestBody } from '../contract/routeContracts';
import { answerCallRecords, CALL_RECORDS_PREFIX, callRecordRoute } from './callRecords/routes';
import { rolesAllow } from './permissions';

const CALLS_PREFIX = ['v1.0', 'communications', 'calls'];

interface MatchedRoute {
	route: string;
	callId?: string;
	participantId?: string;
	operationId?: string;
	/** A recording's id (GET recordingLocation). */
	recordingId?: string;
	/** The path is known but not with this method. */
	methodNotAllowed?: boolean;
	badPath?: boolean;
	/** Path segments after /v1.0/communications/callRecords (a callRecords route). */
	callRecordsPath?: string[];
}

const HANDLERS: Record<string, (ctx: RouteContext) => GraphAnswer> = {
	getCall: routes.getCall,
	listParticipants: routes.listParticipants,
	getParticipant: routes.getParticipant,
	deleteParticipant: routes.deleteParticipant,
	invite: routes.invite,
	mute: routes.mute,
	getOperation: routes.getOperation,
	deleteCall,
	keepAlive,
	playPrompt,
	startHoldMusic: holdMusic(true),
	stopHoldMusic: holdMusic(false),
	answer: answerCall,
	reject,
	redirect,
	transfer,
	subscribeToTone,
	sendDtmfTones,
	recordResponse,
	cancelMediaProcessing,
};

/** POST /communications/calls/{id}/<action> routes. */
const CALL_ACTIONS = new Set([
	'keepAlive',
	'playPrompt',
	'answer',
	'reject',
	'redirect',
	'transfer',
	'subscribeToTone',
	'sendDtmfTones',
	'recordResponse',
	'cancelMediaProcessing',
]);

/** Routes a terminated call still answers (Graph keeps reporting an ended call's state and resultInfo for a while). */
const ANSWERED_AFTER_END = new Set(['getCall']);

export function matchRoute(method: string, rawPath: string): MatchedRoute {
	let segments: string[];
	try {
		segments = rawPath.split('/').slice(1).map(decodeURIComponent);
	} catch {
		return { route: 'unknown', badPath: true };
	}
	if (CALL_RECORDS_PREFIX.every((segment, i) => segments[i] === segment)) {
		const path = segments.slice(CALL_RECORDS_PREFIX.length);
		return { route: callRecordRoute(method, path), callRecordsPath: path };
	}
	if (rawPath.startsWith(RECORDINGS_PATH) && segments.length === 3 && segments[2] !== '') {
		return method === 'GET' ? { route: 'downloadRecording', recordingId: segments[2] } : { route: 'unknown', methodNotAllowed: true };
	}
	for (let i = 0; i < CALLS_PREFIX.length; i++) {
		if (segments[i] !== CALLS_PREFIX[i]) return { route: 'unknown' };
	}
	const rest = segments.slice(CALLS_PREFIX.length);
	if (rest.length === 0) return method === 'POST' ? { route: 'createCall' } : { route: 'unknown', methodNotAllowed: true };
	if (rest[0] === '') return { route: 'unknown' };
	const callId = rest[0];
	const want = (expected: string, route: string, extra: Partial<MatchedRoute> = {}): MatchedRoute =>
		method === expected ? { route, callId, ...extra } : { route: 'unknown', callId, methodNotAllowed: true };
	if (rest.length === 1) return method === 'DELETE' ? { route: 'deleteCall', callId } : want('GET', 'getCall');
	if (rest.length === 2 && CALL_ACTIONS.has(rest[1])) return want('POST', rest[1]);
	if (rest[1] === 'participants') {
		if (rest.length === 2) return want('GET', 'listParticipants');
		if (rest.length === 3 && rest[2] === 'invite' && method === 'POST') return { route: 'invite', callId };
		if (rest.length === 3 && rest[2] !== '') {
			if (method === 'GET') return { route: 'getParticipant', callId, participantId: rest[2] };
			if (method === 'DELETE') return { route: 'deleteParticipant', callId, participantId: rest[2] };
			return { route: 'unknown', callId, methodNotAllowed: true };
		}
		if (rest.length === 4 && ['mute', 'startHoldMusic', 'stopHoldMusic'].includes(rest[3]) && rest[2] !== '') {
			return want('POST', rest[3], { participantId: rest[2] });
		}
	}
	if (rest[1] === 'operations' && rest.length === 3 && rest[2] !== '') {
		return want('GET', 'getOperation', { operationId: rest[2] });
	}
	return { route: 'unknown', callId };
}

export function createGraphHandler(
	state: EmulatorState,
	urls: { graphUrl: string },
): (req: IncomingMessage, res: ServerResponse) => void {
	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const arrival = Date.now();
		const url = req.url ?? '/';
		const queryAt = url.indexOf('?');
		const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
		const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
		const method = req.method ?? 'GET';
		const matched = matchRoute(method, rawPath);
		const route = matched.route;

		state.graphRequests++;
		state.graphRequestsByRoute[route] = (state.graphRequestsByRoute[route] ?? 0) + 1;
		state.inFlight++;
		if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight;
		let counted = true;
		const done = (): void => {
			if (counted) {
				counted = false;
				state.inFlight--;
			}
		};
		// Decremented when the emulator ends the answer (synchronously, so a client that has its answer
		// sees the count already down), or when the connection closes first (reset, stall, client abort).
		res.once('close', done);

		const entry = state.beginLog('graph', req, route);
		const requestId = newGuid();
		const clientRequestId = headerValue(req, 'client-request-id');
		const baseHeaders: Record<string, string> = { 'request-id': requestId };
		if (clientRequestId !== undefined) baseHeaders['client-request-id'] = clientRequestId;

		const errorBody = (code: string, message: string): unknown => ({
			error: {
				code,
				message,
				innerError: {
					date: graphDate(),
					'request-id': requestId,
					'client-request-id': clientRequestId ?? requestId,
				},
			},
		});
		const send = (answer: GraphAnswer): void => {
			const headers = answer.headers ? { ...baseHeaders, ...answer.headers } : baseHeaders;
			if (answer.raw) {
				if (!res.writableEnded && !res.destroyed) {
					res.writeHead(answer.status, { ...headers, 'content-type': answer.raw.contentType, 'content-length': answer.raw.data.length });
					res.end(answer.raw.data);
				}
			} else if (answer.error) {
				sendJson(res, answer.status, errorBody(answer.error.code, answer.error.message), headers);
			} else if (answer.body === undefined) {
				sendEmpty(res, answer.status, headers);
			} else {
				sendJson(res, answer.status, answer.body, headers);
			}
			done();
			state.finishLog(entry, answer.status);
			if (!answer.error && answer.status < 300) recordCheck(`answer ${route}`, checkAnswerBody(route, answer.body), `${method} ${rawPath}`);
		};

		let text = '';
		try {
			text = await readBody(req);
		} catch {
			send(routes.graphError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
			return;
		}

		let body: unknown;
		let bodyInvalid = false;
		if (text !== '') {
			try {
				body = JSON.parse(text);
			} catch {
				bodyInvalid = true;
				body = text;
			}
		}
		entry.body = body;
		// The nodes' bodies (they always send a client-request-id); a test's own raw requests may be malformed on purpose.
		if (clientRequestId !== undefined && !bodyInvalid) recordCheck(`request ${route}`, checkRequestBody(route, body), `${method} ${rawPath}`);

		const retryAfter = state.rateLimiter.check(arrival);
		if (retryAfter !== undefined) {
			state.throttled++;
			await state.delay(state.options.graphLatencyMs);
			send({
				...routes.graphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.'),
				headers: { 'retry-after': String(retryAfter) },
			});
			return;
		}

		let fault = state.faults.match(route);
		if (fault) entry.fault = fault.fault.kind;
		if (fault?.fault.kind === 'endCall') {
			if (matched.callId !== undefined) state.endCall(matched.callId);
			fault = undefined; // the call has ended: the request is answered as Graph would now (404 / 8522)
		}
		await state.delay(state.options.graphLatencyMs);
		await state.graphAnswersReleased();

		const presented = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(req, 'authorization') ?? '')?.[1];
		const unauthorized = (message: string): GraphAnswer => ({
			...routes.graphError(401, 'InvalidAuthenticationToken', message),
			headers: { 'www-authenticate': 'Bearer realm="", error="invalid_token"' },
		});
		const faultAnswer = (): void => {
			if (!fault) return;
			const status = answerFault(res, fault.fault, {
				baseHeaders,
				errorBody: (status) => errorBody(defaultCode(status), defaultMessage(status)),
				expireToken: () => {
					const record = presented === undefined ? undefined : state.tokens.get(presented);
					if (record) record.revoked = true;
					const answer = unauthorized('Access token has expired or is not yet valid.');
					send(answer);
					return answer.status;
				},
				schedule: (ms, fn) => state.schedule(ms, fn),
			});
			if (fault.fault.kind !== 'expireToken') {
				if (fault.fault.kind !== 'stall') done();
				state.finishLog(entry, status);
			}
		};
		if (fault && !fault.processFirst) {
			faultAnswer();
			return;
		}

		const answer = ((): GraphAnswer => {
			// The recording's own token, not Graph's, opens a recording.
			if (route === 'downloadRecording') return serveRecording(state.recordings, matched.recordingId ?? '', presented);
			if (presented === undefined) return unauthorized('Access token is empty.');
			const token = state.tokens.get(presented);
			if (!token) return unauthorized('Access token validation failure. Invalid audience.');
			if (token.revoked || token.expiresAt <= Date.now()) {
				return unauthorized('Access token has expired or is not yet valid.');
			}
			if (matched.badPath) return routes.graphError(400, 'BadRequest', 'The request path is not valid.');
			if (matched.callRecordsPath) {
				return answerCallRecords(state.callRecords, { graphUrl: urls.graphUrl, method, path: matched.callRecordsPath, query });
			}
			if (matched.methodNotAllowed) {
				return routes.graphError(405, 'UnknownError', `The method ${method} is not allowed on this resource.`);
			}
			if (!rolesAllow(token.roles, route, body)) {
				return routes.graphError(403, '7504', 'Insufficient enterprise tenant permissions, you cannot access this API.');
			}
			if (route === 'createCall') {
				if (bodyInvalid) return routes.graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
				return createCall({ state, graphUrl: urls.graphUrl, body, clientId: token.clientId, tenantId: token.tenantId });
			}
			const handler = HANDLERS[route];
			if (!handler || matched.callId === undefined) {
				return routes.graphError(404, 'UnknownError', `No resource for ${method} ${rawPath}.`);
			}
			if (bodyInvalid) {
				return routes.graphError(
					400,
					'BadRequest',
					'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
				);
			}
			const call = state.calls.get(matched.callId);
			if (!call || (call.state === 'terminated' && !ANSWERED_AFTER_END.has(route))) {
				return routes.graphError(404, '8522', `Call not found or has ended. Call id: '${matched.callId}'.`);
			}
			if (call.tenantId !== token.tenantId) {
				return routes.graphError(403, '7505', 'Request authorization tenant mismatch.');
			}
			if ((call.ownerAppId ?? state.app.clientId) !== token.clientId) {
				return routes.graphError(403, '7504', 'The application is not allowed to access this call: another application created it.');
			}
			return handler({
				state,
				graphUrl: urls.graphUrl,
				call,
				participantId: matched.participantId,
				operationId: matched.operationId,
				query,
				body,
			});
		})();
		if (fault) {
			faultAnswer();
			return;
		}
		send(answer);
	};

	return guardedHandler('graph', handle, { error: { code: '9999', message: 'Unknown internal error.' } });
}

function defaultCode(status: number): string {
	switch (status) {
		case 400:
			return 'BadRequest';
		case 401:
			return 'InvalidAuthenticationToken';
		case 403:
			return '7504';
		case 404:
			return '8522';
		case 429:
			return 'TooManyRequests';
		case 503:
			return 'ServiceUnavailable';
		case 504:
			return 'GatewayTimeout';
		default:
			return status >= 500 ? '9999' : 'UnknownError';
	}
}

function defaultMessage(status: number): string {
	switch (status) {
		case 403:
			return 'Insufficient enterprise tenant permissions, cannot access this API.';
		case 404:
			return 'Call not found or has ended.';
		case 429:
			return 'Too many requests.';
		case 503:
			return 'The service is temporarily unavailable.';
		default:
			return status >= 500 ? 'Unknown internal error.' : `Request failed with status ${status}.`;
	}
}
