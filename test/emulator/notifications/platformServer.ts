/**
 * The third emulator server: plays the calling platform's OpenID configuration and keys
 * (`/v1/.well-known/OpenIdConfiguration`, `/v1/keys`) and offers a control API (`/control/…`, JSON) for tests and
 * the e2e to make things happen in a call. It is a local fake: the control API has no authentication.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { participantResource } from '../calls';
import { guardedHandler, isRecord, readBody, sendJson } from '../httpUtil';
import type { EmulatorState } from '../state';
import type { Callers, IncomingCallInit } from './callers';
import type { NotificationCenter, PersonInit } from './center';
import { FORGERY_KINDS, type ForgeryKind } from './tokens';
import { seedCallRecords } from '../callRecords/seed';

export const OPENID_PATH = '/v1/.well-known/OpenIdConfiguration';
const KEYS_PATH = '/v1/keys';

type ControlAction = (center: NotificationCenter, callId: string, body: Record<string, unknown>) => Promise<unknown>;

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function participantsOf(state: EmulatorState, callId: string, ids: string[]) {
	const call = state.calls.get(callId);
	return ids.map((id) => call?.participants.get(id)).filter((p) => p !== undefined);
}

function callActions(state: EmulatorState, callers: Callers): Record<string, ControlAction> {
	return {
		press: (_center, callId, body) => callers.press(callId, String(body.keys ?? '')),
		create: async (center, callId, body) => {
			state.addCall({ id: callId, participants: [] });
			if (typeof body.callbackUri === 'string') center.setCallback(callId, body.callbackUri);
			return { id: callId };
		},
		callback: async (center, callId, body) => {
			center.setCallback(callId, String(body.callbackUri));
			return { ok: true };
		},
		join: async (center, callId, body) => {
			const { participants, delivery } = await center.join(callId, (body.people ?? []) as PersonInit[], { lobby: body.lobby === true });
			return { participants: participants.map(participantResource), delivery };
		},
		joinAtOnce: async (center, callId, body) => {
			const { participants, deliveries } = await center.joinAtOnce(callId, (body.people ?? []) as PersonInit[]);
			return { participants: participants.map(participantResource), deliveries };
		},
		admit: (center, callId, body) => center.admit(callId, strings(body.participantIds)),
		leave: (center, callId, body) =>
			center.leave(callId, participantsOf(state, callId, strings(body.participantIds)), typeof body.reason === 'string' ? body.reason : undefined),
		rosterAgain: (center, callId) => center.rosterAgain(callId),
		state: (center, callId, body) => center.callState(callId, body.state as 'established', body.resultInfo as never),
		end: (center, callId) => center.end(callId),
		operation: (center, callId, body) => center.operation(callId, (body.operation ?? {}) as Record<string, unknown>),
		skype: (center, callId) => center.skypeFormat(callId),
		forge: (center, callId, body) => {
			const kind = String(body.kind) as ForgeryKind;
			if (!FORGERY_KINDS.includes(kind)) throw new Error(`unknown forgery ${kind}`);
			return center.forge(callId, kind);
		},
	};
}

function graphLog(state: EmulatorState, route: string | null) {
	return state.log
		.filter((entry) => entry.server === 'graph' && (!route || entry.route === route))
		.map(({ at, method, path, route: name, status, body }) => ({ at, method, path, route: name, status, body }));
}

/** The WAV files recordResponse left, as the recording locations serve them (base64), without their tokens. */
function recordingFiles(state: EmulatorState) {
	return [...state.recordings.values()].map(({ id, callId, wav }) => ({ id, callId, wav: wav.toString('base64') }));
}

export function createPlatformHandler(state: EmulatorState, center: NotificationCenter, callers: Callers, baseUrl: () => string) {
	const actions = callActions(state, callers);
	return guardedHandler(
		'platform',
		async (req: IncomingMessage, res: ServerResponse) => {
			const url = new URL(req.url ?? '/', 'https://platform.invalid');
			const method = req.method ?? 'GET';
			if (method === 'GET' && (url.pathname === OPENID_PATH || url.pathname === KEYS_PATH)) {
				center.keyRequests++;
				if (center.keysFailWith !== undefined) return sendJson(res, center.keysFailWith, { error: 'keys unavailable' });
			}
			if (method === 'GET' && url.pathname === OPENID_PATH) {
				sendJson(res, 200, { issuer: 'https://api.botframework.com', jwks_uri: `${baseUrl()}${KEYS_PATH}`, id_token_signing_alg_values_supported: ['RS256'] });
				return;
			}
			if (method === 'GET' && url.pathname === KEYS_PATH) return sendJson(res, 200, center.jwks());
			if (method === 'GET' && url.pathname === '/control/deliveries') return sendJson(res, 200, center.deliveries);
			if (method === 'GET' && url.pathname === '/control/forgeries') return sendJson(res, 200, FORGERY_KINDS);
			if (method === 'GET' && url.pathname === '/control/recordings') return sendJson(res, 200, recordingFiles(state));
			if (method === 'GET' && url.pathname === '/control/graphLog') return sendJson(res, 200, graphLog(state, url.searchParams.get('route')));
			const call = /^\/control\/calls\/([^/]+)(?:\/([A-Za-z]+))?$/.exec(url.pathname);
			if (method === 'GET' && call && !call[2]) {
				const found = state.calls.get(decodeURIComponent(call[1]));
				if (!found) return sendJson(res, 404, { error: 'no such call' });
				return sendJson(res, 200, { id: found.id, state: found.state, callbackUri: center.callbackFor(found.id) ?? null, participants: [...found.participants.values()].map(participantResource) });
			}
			if (method !== 'POST') return sendJson(res, 404, { error: 'not found' });
			const text = await readBody(req);
			const body = text ? (JSON.parse(text) as unknown) : {};
			const input = isRecord(body) ? body : {};
			if (url.pathname === '/control/callRecords') return sendJson(res, 200, seedCallRecords(state, input));
			if (url.pathname === '/control/keys/rotate') return sendJson(res, 200, { kid: center.rotateKey(input.keepPrevious === true) });
			if (url.pathname === '/control/callingWebhook') {
				callers.setCallingWebhook(String(input.url));
				return sendJson(res, 200, { ok: true });
			}
			if (url.pathname === '/control/incomingCall') {
				const { call, delivery } = await callers.place(input as unknown as IncomingCallInit);
				return sendJson(res, 200, { callId: call.id, delivery });
			}
			if (url.pathname === '/control/resend') {
				return sendJson(res, 200, await center.resend(typeof input.deliveryId === 'number' ? input.deliveryId : undefined));
			}
			const action = call?.[2] && Object.hasOwn(actions, call[2]) ? actions[call[2]] : undefined;
			if (!call || !action) return sendJson(res, 404, { error: 'not found' });
			sendJson(res, 200, await action(center, decodeURIComponent(call[1]), input));
		},
		{ error: 'platform emulator failure' },
	);
}
