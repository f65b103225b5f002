/** The commsNotifications bodies Graph POSTs to a call's callbackUri. */
import { participantResource } from '../calls';
import type { EmulatedParticipant } from '../types';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface CommsNotification {
	'@odata.type': '#microsoft.graph.commsNotification';
	changeType: ChangeType;
	resourceUrl: string;
	resourceData: unknown;
}

export interface CommsNotifications {
	'@odata.type': '#microsoft.graph.commsNotifications';
	value: CommsNotification[];
}

export interface ResultInfo {
	code: number;
	subcode: number;
	message: string;
}

export function commsNotifications(...value: CommsNotification[]): CommsNotifications {
	return { '@odata.type': '#microsoft.graph.commsNotifications', value };
}

function notification(changeType: ChangeType, resourceUrl: string, resourceData: unknown): CommsNotification {
	return { '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, resourceData };
}

export const callUrl = (callId: string): string => `/communications/calls/${callId}`;

export function callStateNotification(
	callId: string,
	state: string,
	resultInfo?: ResultInfo,
	changeType: ChangeType = state === 'terminated' ? 'deleted' : 'updated',
): CommsNotification {
	return notification(changeType, callUrl(callId), {
		'@odata.type': '#microsoft.graph.call',
		state,
		...(resultInfo ? { resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo } } : {}),
	});
}

/** The roster as Graph sends it on a change: every participant in the call (joined or waiting in the lobby). */
export function rosterNotification(callId: string, participants: EmulatedParticipant[]): CommsNotification {
	return notification('updated', `${callUrl(callId)}/participants`, participants.map(participantResource));
}

/** Only what changed since the last roster update (Graph's deltaParticipants, used for large meetings). */
export function deltaNotification(callId: string, participants: EmulatedParticipant[], sequenceNumber: number): CommsNotification {
	return notification('updated', `${callUrl(callId)}/participants`, {
		'@odata.type': '#microsoft.graph.deltaParticipants',
		sequenceNumber,
		participants: participants.map(participantResource),
	});
}

/** Participants who left, with the reason Graph gives in removedState. */
export function leftNotification(callId: string, participants: EmulatedParticipant[], reason: string): CommsNotification {
	return notification(
		'deleted',
		`${callUrl(callId)}/participants`,
		participants.map((p) => ({ ...participantResource(p), removedState: { reason } })),
	);
}

export function operationNotification(callId: string, operation: Record<string, unknown>): CommsNotification {
	return notification('deleted', `${callUrl(callId)}/operations/${String(operation.id)}`, operation);
}

/** The old Skype format a first notification may come in (answered 204, then sent again in Graph's format). */
export function skypeFormatBody(callId: string): Record<string, unknown> {
	return { id: callId, callState: 'established', presentedModalityTypes: ['audio'], links: { call: callUrl(callId) } };
}
