import type { IDataObject } from 'n8n-workflow';

import { simplifyParticipant } from '../actions/simplify';
import { type CallMemory, newCallMemory, rememberGone, rememberOperation, type TriggerMemory } from './callMemory';
import { callIdOf, type CommsNotification } from './commsBody';

export const CALL_EVENTS = [
	'callEstablished',
	'callTerminated',
	'participantJoined',
	'participantLeft',
	'participantsUpdated',
	'operationCompleted',
] as const;

export type CallEvent = (typeof CALL_EVENTS)[number];

export interface EventContext {
	/** ISO time the notification was received. */
	receivedAt: string;
	now: number;
	/** Whether someone waiting in the lobby counts as joined. */
	includeLobby: boolean;
}

type Item = IDataObject & { event: CallEvent };

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fingerprint(participant: IDataObject): string {
	return `${participant.isInLobby === true ? 'lobby' : 'in'}/${participant.isMuted === true ? 'muted' : 'open'}`;
}

function baseItem(event: CallEvent, callId: string, notification: CommsNotification, context: EventContext): Item {
	return { event, callId, changeType: notification.changeType, resourceUrl: notification.resourceUrl, receivedAt: context.receivedAt };
}

/**
 * The participants a roster notification lists, and whether it is the whole roster (an array: Graph's usual form) or
 * only what changed since the last one (a deltaParticipants object, sent for large meetings).
 */
function rosterOf(resourceData: unknown): { listed: IDataObject[]; complete: boolean } {
	if (Array.isArray(resourceData)) return { listed: resourceData.filter(isRecord), complete: true };
	const participants = isRecord(resourceData) ? resourceData.participants : undefined;
	return { listed: (Array.isArray(participants) ? participants : []).filter(isRecord), complete: false };
}

/**
 * Joined and left from a roster: the first appearance joins; `deleted`, `removedState` or absence from a whole roster
 * leaves. Someone who left never joins again under the same participant id (Graph gives a new id on return), so a
 * late or repeated roster cannot bring them back.
 */
function rosterEvents(call: CallMemory, callId: string, notification: CommsNotification, context: EventContext): Item[] {
	const { listed, complete } = rosterOf(notification.resourceData);
	const leavingAll = notification.changeType === 'deleted';
	const gone = new Set(call.gone ?? []);
	const present = new Map<string, IDataObject>();
	const removed = new Map<string, IDataObject>();
	for (const participant of listed) {
		const id = String(participant.id ?? '');
		if (!id) continue;
		(leavingAll || isRecord(participant.removedState) ? removed : present).set(id, participant);
	}
	const items: Item[] = [];
	const left = (id: string, reason: unknown, flat: IDataObject) => {
		delete call.joined[id];
		rememberGone(call, id);
		gone.add(id);
		items.push({ ...baseItem('participantLeft', callId, notification, context), participant: flat, removedReason: reason ?? null });
	};
	for (const [id, participant] of removed) {
		const reason = isRecord(participant.removedState) ? participant.removedState.reason : undefined;
		if (call.joined[id]) left(id, reason, simplifyParticipant(participant));
		else if (!gone.has(id)) rememberGone(call, id);
	}
	if (complete && !leavingAll) {
		for (const id of Object.keys(call.joined)) {
			if (!present.has(id) && !removed.has(id)) left(id, null, call.joined[id].participant);
		}
	}
	for (const [id, participant] of present) {
		if (gone.has(id)) continue;
		const flat = simplifyParticipant(participant);
		const counts = context.includeLobby || participant.isInLobby !== true;
		const known = call.joined[id] !== undefined;
		if (known || counts) call.joined[id] = { participant: flat, fingerprint: fingerprint(participant) };
		if (!known && counts) items.push({ ...baseItem('participantJoined', callId, notification, context), participant: flat });
	}
	const roster: Record<string, string> = complete && !leavingAll ? {} : { ...call.roster };
	for (const id of removed.keys()) delete roster[id];
	for (const [id, participant] of present) if (!gone.has(id)) roster[id] = fingerprint(participant);
	if (JSON.stringify(Object.entries(call.roster).sort()) !== JSON.stringify(Object.entries(roster).sort())) {
		call.roster = roster;
		items.push({ ...baseItem('participantsUpdated', callId, notification, context), participants: listed.map(simplifyParticipant) });
	}
	return items;
}

function callStateEvents(memory: TriggerMemory, callId: string, notification: CommsNotification, context: EventContext): Item[] {
	const call = isRecord(notification.resourceData) ? notification.resourceData : {};
	const state = typeof call.state === 'string' ? call.state : undefined;
	const summary = { state: state ?? null, resultInfo: call.resultInfo ?? null };
	if (state === 'terminated' || notification.changeType === 'deleted') {
		delete memory.calls[callId];
		memory.ended[callId] = context.now;
		return [{ ...baseItem('callTerminated', callId, notification, context), call: summary }];
	}
	const remembered = (memory.calls[callId] ??= newCallMemory(context.now));
	remembered.updatedAt = context.now;
	if (state !== 'established' || remembered.established) return [];
	remembered.established = true;
	return [{ ...baseItem('callEstablished', callId, notification, context), call: summary }];
}

function operationEvents(call: CallMemory, callId: string, notification: CommsNotification, context: EventContext): Item[] {
	const operation = isRecord(notification.resourceData) ? notification.resourceData : {};
	const id = String(operation.id ?? /\/operations\/([^/?#]+)/.exec(notification.resourceUrl)?.[1] ?? '');
	// Graph's schema spells the status "Completed" / "Failed", its pages and notifications "completed" / "failed".
	const status = typeof operation.status === 'string' ? operation.status.toLowerCase() : '';
	if (!id || (status !== 'completed' && status !== 'failed') || call.operations.includes(id)) return [];
	rememberOperation(call, id);
	const type = typeof operation['@odata.type'] === 'string' ? operation['@odata.type'].replace('#microsoft.graph.', '') : null;
	return [
		{
			...baseItem('operationCompleted', callId, notification, context),
			operation: { id, type, status, clientContext: operation.clientContext ?? null, resultInfo: operation.resultInfo ?? null },
		},
	];
}

/**
 * The events one notification means, given what was remembered of its call (updated in place). A call that ended is
 * forgotten: later notifications for it mean nothing, so a repeated termination fires nothing.
 */
export function eventsOf(notification: CommsNotification, memory: TriggerMemory, context: EventContext): Item[] {
	const callId = callIdOf(notification.resourceUrl);
	if (!callId || memory.ended[callId] !== undefined) return [];
	const path = notification.resourceUrl.slice(notification.resourceUrl.indexOf(`/calls/`));
	const rest = path.split('/').slice(3);
	if (rest.length === 0) return callStateEvents(memory, callId, notification, context);
	const call = (memory.calls[callId] ??= newCallMemory(context.now));
	call.updatedAt = context.now;
	if (rest[0] === 'participants' && rest.length === 1) return rosterEvents(call, callId, notification, context);
	if (rest[0] === 'operations' && rest.length === 2) return operationEvents(call, callId, notification, context);
	return [];
}
