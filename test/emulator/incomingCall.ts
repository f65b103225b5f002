/**
 * A call to the bot that rings: state `incoming`, direction `incoming`, as the resourceData of Graph's incoming-call
 * notification (`changeType: created` on /communications/calls/{id}) describes it: `source` (the caller),
 * `targets` (the bot's application identity), `requestedModalities`, `incomingContext`, `callChainId`, `tenantId`,
 * `myParticipantId`, and `meetingInfo`/`chatInfo` for an invitation to a meeting. Until the app answers, rejects or
 * redirects it, notifications go to the bot's calling webhook (`callbackUri` here).
 * This only puts the call in the emulator's state; sending the notification is the caller's business.
 */
import { randomUUID } from 'node:crypto';

import type { EmulatorState } from './state';
import type { EmulatedCall } from './types';
import { newGuid } from './httpUtil';

export interface IncomingCallInit {
	id?: string;
	/** The caller (default: a user of the app's tenant, "Adele Vance"). */
	from?: { displayName?: string; identityId?: string; identityType?: 'user' | 'phone' | 'guest'; tenantId?: string };
	/** The bot's calling webhook: where notifications go until answer/reject/redirect name another callbackUri. */
	callbackUri?: string;
	requestedModalities?: string[];
	/** For an invitation to a group call or meeting. */
	meetingInfo?: Record<string, unknown>;
	chatInfo?: Record<string, unknown>;
}

export function addIncomingCall(state: EmulatorState, init: IncomingCallInit = {}): EmulatedCall {
	const type = init.from?.identityType ?? 'user';
	const caller: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.identity',
		id: init.from?.identityId ?? (type === 'phone' ? '+12065550100' : randomUUID()),
		displayName: init.from?.displayName ?? (type === 'phone' ? null : 'Adele Vance'),
		...(type === 'phone' ? {} : { tenantId: init.from?.tenantId ?? state.app.tenantId }),
	};
	const callerParticipantId = newGuid();
	const bot = state.newParticipant(
		{ info: { identity: { application: { '@odata.type': '#microsoft.graph.identity', id: state.app.clientId, displayName: 'Teams Call bot' } } }, joined: false },
		0,
	);
	const source = {
		'@odata.type': '#microsoft.graph.participantInfo',
		participantId: callerParticipantId,
		identity: { '@odata.type': '#microsoft.graph.identitySet', [type]: caller },
		region: 'amer',
		languageId: 'en-US',
	};
	const call: EmulatedCall = {
		id: init.id ?? newGuid(),
		state: 'incoming',
		tenantId: state.app.tenantId,
		participants: new Map([[bot.id, bot]]),
		callbackUri: init.callbackUri,
		myParticipantId: bot.id,
		details: {
			direction: 'incoming',
			source,
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: bot.info.identity }],
			requestedModalities: init.requestedModalities ?? ['audio'],
			incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: callerParticipantId, observedParticipantId: callerParticipantId },
			callChainId: newGuid(),
			...(init.meetingInfo ? { meetingInfo: init.meetingInfo } : {}),
			...(init.chatInfo ? { chatInfo: init.chatInfo } : {}),
		},
	};
	state.calls.set(call.id, call);
	return call;
}

/** The caller of an incoming call, as a participant once the bot answers. */
export function callerIdentity(call: EmulatedCall): Record<string, unknown> | undefined {
	const source = call.details?.source as { identity?: Record<string, unknown> } | undefined;
	return source?.identity;
}
