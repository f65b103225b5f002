import type { IDataObject } from 'n8n-workflow';

import { simplifyIdentity } from '../actions/simplify';
import type { CommsNotification } from './commsBody';

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function identityOfInfo(info: unknown): IDataObject | null {
	return isRecord(info) && isRecord(info.identity) ? simplifyIdentity(info.identity) : null;
}

/** incomingContext (resources/incomingcontext.md) with its identity sets flattened, or null when Graph sent none. */
function incomingContextOf(value: unknown): IDataObject | null {
	if (!isRecord(value)) return null;
	return {
		sourceParticipantId: value.sourceParticipantId ?? null,
		observedParticipantId: value.observedParticipantId ?? null,
		onBehalfOf: isRecord(value.onBehalfOf) ? simplifyIdentity(value.onBehalfOf) : null,
		transferor: isRecord(value.transferor) ? simplifyIdentity(value.transferor) : null,
	};
}

/**
 * What a workflow needs to decide about an incoming call (a call resource in state `incoming`, resources/call.md): who
 * calls (`source`), whom (the first of `targets`: the bot's application or application instance), on whose behalf or
 * transferred by whom, and for an invitation to a group call or meeting its meetingInfo and chatInfo (null otherwise).
 */
export function incomingCallFields(call: IDataObject): IDataObject {
	const targets = Array.isArray(call.targets) ? call.targets : [];
	return {
		from: identityOfInfo(call.source),
		to: identityOfInfo(targets[0]),
		incomingContext: incomingContextOf(call.incomingContext),
		meetingInfo: isRecord(call.meetingInfo) ? call.meetingInfo : null,
		chatInfo: isRecord(call.chatInfo) ? call.chatInfo : null,
	};
}

/** A call resource itself (…/calls/{id}, not one of its participants or operations). */
const CALL_RESOURCE = /\/calls\/[^/?#]+\/?$/;

/** Whether a notification announces an incoming call: the call resource, in state `incoming`. */
export function announcesIncomingCall(notification: CommsNotification): boolean {
	const resource = notification.resourceData;
	return CALL_RESOURCE.test(notification.resourceUrl) && isRecord(resource) && resource.state === 'incoming';
}
