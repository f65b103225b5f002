/**
 * POST /communications/calls: the app joins a meeting the emulator knows, or calls people. Graph answers 201 with the
 * call `establishing` at once; after `callEstablishMs` the call is `established`, or `terminated` with a resultInfo
 * (unknown meeting, wrong passcode, a target set to fail by failInvitesFor) — as Graph reports a failed join.
 */
import type { EmulatedCall, EmulatedMeeting, EmulatedParticipant } from './types';
import type { EmulatorState, ResultInfo } from './state';
import { type GraphAnswer, graphError } from './calls';
import { callResource } from './callResource';
import { isRecord, newGuid } from './httpUtil';
import { identityIdOf, validateInvitees } from './inviteValidation';

export interface NewCallContext {
	state: EmulatorState;
	graphUrl: string;
	body: unknown;
	/** The signed-in app. */
	clientId: string;
	tenantId: string;
}

const MODALITIES = new Set(['audio', 'video', 'videoBasedScreenSharing', 'data']);
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
export const MEETING_NOT_FOUND: ResultInfo = { code: 404, subcode: 0, message: 'The meeting was not found or has ended.' };
export const WRONG_PASSCODE: ResultInfo = { code: 403, subcode: 0, message: 'The passcode of the meeting is incorrect.' };

type Request = Record<string, unknown>;

/** An error message for a body Graph would refuse with 400, or undefined. */
function invalid(body: Request): string | undefined {
	const callbackUri = body.callbackUri;
	if (typeof callbackUri !== 'string' || !URL.canParse(callbackUri)) return 'callbackUri is required and must be an absolute URL.';
	const callback = new URL(callbackUri);
	// Graph calls back over HTTPS only; the emulator also takes http:// to loopback (a local trigger under test).
	if (callback.protocol !== 'https:' && !(callback.protocol === 'http:' && LOOPBACK.has(callback.hostname))) {
		return 'callbackUri must be an https URL.';
	}
	const media = body.mediaConfig;
	if (!isRecord(media) || media['@odata.type'] !== '#microsoft.graph.serviceHostedMediaConfig') {
		return 'mediaConfig must be a serviceHostedMediaConfig (the emulator does not host media).';
	}
	const modalities = body.requestedModalities;
	if (!Array.isArray(modalities) || modalities.length === 0 || !modalities.every((m) => typeof m === 'string' && MODALITIES.has(m))) {
		return 'requestedModalities must be a non-empty list of audio, video, videoBasedScreenSharing, data.';
	}
	if (typeof body.tenantId !== 'string' || body.tenantId === '') return 'tenantId is required.';
	if ((body.meetingInfo === undefined) === (body.targets === undefined)) {
		return 'Give either meetingInfo (join a meeting) or targets (call people), not both or neither.';
	}
	return undefined;
}

/** The meeting a join request names, the way it names it; an error message when the body is malformed. */
function meetingFor(state: EmulatorState, body: Request): { meeting?: EmulatedMeeting; failure?: ResultInfo } | { error: string } {
	const info = body.meetingInfo;
	if (!isRecord(info)) return { error: 'meetingInfo must be an object.' };
	if (info['@odata.type'] === '#microsoft.graph.joinMeetingIdMeetingInfo') {
		if (typeof info.joinMeetingId !== 'string' || !info.joinMeetingId) return { error: 'meetingInfo.joinMeetingId is required.' };
		const meeting = state.meetings.get(info.joinMeetingId);
		if (!meeting) return { failure: MEETING_NOT_FOUND };
		const passcode = typeof info.passcode === 'string' && info.passcode ? info.passcode : undefined;
		return passcode === meeting.passcode ? { meeting } : { failure: WRONG_PASSCODE };
	}
	if (info['@odata.type'] === '#microsoft.graph.organizerMeetingInfo') {
		const chat = body.chatInfo;
		if (!isRecord(chat) || typeof chat.threadId !== 'string') return { error: 'chatInfo.threadId is required with organizerMeetingInfo.' };
		const organizer = isRecord(info.organizer) && isRecord(info.organizer.user) ? info.organizer.user : undefined;
		if (typeof organizer?.id !== 'string') return { error: 'meetingInfo.organizer.user.id is required.' };
		const meeting = [...state.meetings.values()].find((m) => m.threadId === chat.threadId);
		if (!meeting || meeting.organizerId.toLowerCase() !== organizer.id.toLowerCase() || String(chat.messageId ?? '0') !== meeting.messageId) {
			return { failure: MEETING_NOT_FOUND };
		}
		return { meeting };
	}
	return { error: `meetingInfo of type '${String(info['@odata.type'])}' is not supported.` };
}

/** Phone targets need the app's application instance (a resource account with a number) as source. */
function sourceProblem(body: Request): string | undefined {
	const targets = body.targets as Array<{ identity: Record<string, unknown> }>;
	if (!targets.some((target) => target.identity.phone !== undefined)) return undefined;
	const identity = isRecord(body.source) && isRecord(body.source.identity) ? body.source.identity : undefined;
	const instance = identity && isRecord(identity.applicationInstance) ? identity.applicationInstance : undefined;
	return typeof instance?.id === 'string' && instance.id ? undefined : 'Calling a phone number needs source.identity.applicationInstance (a resource account with a phone number).';
}

export function botParticipant(state: EmulatorState, clientId: string): EmulatedParticipant {
	return state.newParticipant(
		{ info: { identity: { application: { '@odata.type': '#microsoft.graph.identity', id: clientId, displayName: 'Teams Call bot' } } } },
		0,
	);
}

/** After the establishing delay: established with the meeting's attendees (or the targets), or terminated. */
function settle(state: EmulatorState, call: EmulatedCall, outcome: { meeting?: EmulatedMeeting; failure?: ResultInfo; targets?: Request[] }): void {
	if (call.state !== 'establishing') return;
	let failure = outcome.failure;
	for (const target of outcome.targets ?? []) {
		const id = identityIdOf(target.identity);
		failure ??= id === undefined ? undefined : state.failInvites.get(id.toLowerCase());
	}
	if (failure) {
		state.setCallState(call, 'terminated', failure);
		return;
	}
	const joined = (outcome.meeting?.attendees ?? []).map((init, index) => state.newParticipant(init, index));
	for (const target of outcome.targets ?? []) {
		joined.push(state.newParticipant({ info: { identity: target.identity as Record<string, unknown> } }, 0));
	}
	for (const participant of joined) call.participants.set(participant.id, participant);
	state.setCallState(call, 'established');
	state.rosterChanged(call, 'updated', [...call.participants.values()]);
}

export function createCall(ctx: NewCallContext): GraphAnswer {
	const { state, body } = ctx;
	state.callsRequested++;
	if (!isRecord(body)) return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
	const problem =
		invalid(body) ?? (body.targets !== undefined ? (validateInvitees(body.targets, 'targets') ?? sourceProblem(body)) : undefined);
	if (problem) return graphError(400, 'BadRequest', problem);
	const meeting = body.meetingInfo !== undefined ? meetingFor(state, body) : {};
	if ('error' in meeting) return graphError(400, 'BadRequest', meeting.error);

	const bot = botParticipant(state, ctx.clientId);
	const { callbackUri, ...details } = body;
	const call: EmulatedCall = {
		id: newGuid(),
		state: 'establishing',
		tenantId: ctx.tenantId,
		participants: new Map([[bot.id, bot]]),
		ownerAppId: ctx.clientId,
		callbackUri: callbackUri as string,
		details: { ...details, callChainId: newGuid() },
		myParticipantId: bot.id,
	};
	state.calls.set(call.id, call);
	state.events.emit('callStateChanged', { call, previousState: undefined });
	const targets = body.targets as Request[] | undefined;
	state.schedule(state.options.callEstablishMs, () => settle(state, call, { ...meeting, targets }));
	return {
		status: 201,
		body: callResource(call),
		headers: { location: `${ctx.graphUrl}/v1.0/communications/calls/${call.id}` },
	};
}
