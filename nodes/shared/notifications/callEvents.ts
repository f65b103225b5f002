import type { IDataObject } from 'n8n-workflow';

import { simplifyParticipant } from '../actions/simplify';
import { type CallMemory, newCallMemory, rememberGone, rememberOperation, rememberTone, type TriggerMemory } from './callMemory';
import { callKey } from './callKey';
import { callIdOf, type CommsNotification } from './commsBody';
import { incomingCallFields } from './incomingCall';
import { keyOfTone } from './tones';

export const CALL_EVENTS = [
	'callIncoming',
	'callEstablished',
	'callStateChanged',
	'callTerminated',
	'toneReceived',
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

/** The state a call was last reported in (memory written before states were kept knows only "established"). */
function lastState(call: CallMemory): string | undefined {
	return call.state ?? (call.established ? 'established' : undefined);
}

/**
 * The one event a call's new state means: `incoming` once (the incoming-call notification), the first `established`,
 * then any other change of state (hold, transferring, transferAccepted, back to established when a transfer failed …)
 * with its resultInfo. `establishing` is no event: it may even arrive after `established`.
 */
function stateEvent(remembered: CallMemory, resource: IDataObject, state: string | undefined): { event: CallEvent; extra: IDataObject } | undefined {
	const summary = { state: state ?? null, resultInfo: resource.resultInfo ?? null };
	if (state === 'incoming') {
		if (remembered.incoming) return undefined;
		remembered.incoming = true;
		remembered.state ??= state;
		return { event: 'callIncoming', extra: incomingCallFields(resource) };
	}
	if (state === undefined || state === 'establishing') return undefined;
	if (state === 'established' && !remembered.established) {
		remembered.established = true;
		remembered.state = state;
		return { event: 'callEstablished', extra: { call: summary } };
	}
	const previousState = lastState(remembered);
	if (state === previousState) return undefined;
	remembered.state = state;
	return { event: 'callStateChanged', extra: { call: summary, previousState: previousState ?? null } };
}

/** A keypress (`toneInfo` on a call notification, after subscribeToTone): once per sequenceId. */
function toneEvent(remembered: CallMemory, resource: IDataObject): IDataObject | undefined {
	const toneInfo = isRecord(resource.toneInfo) ? resource.toneInfo : undefined;
	if (!toneInfo || typeof toneInfo.tone !== 'string' || (typeof toneInfo.sequenceId !== 'number' && typeof toneInfo.sequenceId !== 'string')) return undefined;
	const sequenceId = String(toneInfo.sequenceId);
	if ((remembered.tones ?? []).includes(sequenceId)) return undefined;
	rememberTone(remembered, sequenceId);
	return { tone: keyOfTone(toneInfo.tone), sequenceId: toneInfo.sequenceId };
}

function callStateEvents(memory: TriggerMemory, callId: string, key: string, notification: CommsNotification, context: EventContext): Item[] {
	const resource = isRecord(notification.resourceData) ? notification.resourceData : {};
	const state = typeof resource.state === 'string' ? resource.state : undefined;
	if (state === 'terminated' || notification.changeType === 'deleted') {
		delete memory.calls[key];
		memory.ended[key] = context.now;
		return [{ ...baseItem('callTerminated', callId, notification, context), call: { state: state ?? null, resultInfo: resource.resultInfo ?? null } }];
	}
	const remembered = (memory.calls[key] ??= newCallMemory(context.now));
	remembered.updatedAt = context.now;
	const items: Item[] = [];
	const changed = stateEvent(remembered, resource, state);
	if (changed) items.push({ ...baseItem(changed.event, callId, notification, context), ...changed.extra });
	const tone = toneEvent(remembered, resource);
	if (tone) items.push({ ...baseItem('toneReceived', callId, notification, context), ...tone });
	return items;
}

/** Fields an operation type adds to the item (open types: Graph may send more than the CSDL declares). */
const OPERATION_DETAILS: Record<string, string[]> = {
	// recordResponse's outcome (api/call-record.md); completionReason is documented for recordOperation in beta only.
	recordOperation: ['recordingLocation', 'recordingAccessToken', 'completionReason'],
	sendDtmfTonesOperation: ['completionReason'],
};

/** An operation's outcome, once: status compared case-insensitively (CSDL `Completed`, docs `completed`). */
function operationEvents(call: CallMemory, callId: string, notification: CommsNotification, context: EventContext): Item[] {
	const operation = isRecord(notification.resourceData) ? notification.resourceData : {};
	const id = String(operation.id ?? /\/operations\/([^/?#]+)/.exec(notification.resourceUrl)?.[1] ?? '');
	// Graph's schema spells the status "Completed" / "Failed", its pages and notifications "completed" / "failed".
	const status = typeof operation.status === 'string' ? operation.status.toLowerCase() : '';
	if (!id || (status !== 'completed' && status !== 'failed') || call.operations.includes(callKey(id))) return [];
	rememberOperation(call, callKey(id));
	const type = typeof operation['@odata.type'] === 'string' ? operation['@odata.type'].replace(/^#?microsoft\.graph\./i, '') : null;
	const details = Object.fromEntries((OPERATION_DETAILS[type ?? ''] ?? []).map((field) => [field, operation[field] ?? null]));
	return [
		{
			...baseItem('operationCompleted', callId, notification, context),
			operation: { id, type, status, clientContext: operation.clientContext ?? null, resultInfo: operation.resultInfo ?? null, ...details },
		},
	];
}

/**
 * The events one notification means, given what was remembered of its call (updated in place). A call is remembered
 * under callKey (its GUID with or without dashes, in any case, is one call); items carry the ID as the notification
 * wrote it, the form Graph then accepts. A call that ended is forgotten: later notifications for it mean nothing, so a
 * repeated termination fires nothing.
 */
export function eventsOf(notification: CommsNotification, memory: TriggerMemory, context: EventContext): Item[] {
	const callId = callIdOf(notification.resourceUrl);
	if (!callId) return [];
	const key = callKey(callId);
	if (memory.ended[key] !== undefined) return [];
	const path = notification.resourceUrl.slice(notification.resourceUrl.indexOf(`/calls/`));
	const rest = path.split('/').slice(3);
	if (rest.length === 0) return callStateEvents(memory, callId, key, notification, context);
	const call = (memory.calls[key] ??= newCallMemory(context.now));
	call.updatedAt = context.now;
	if (rest[0] === 'participants' && rest.length === 1) return rosterEvents(call, callId, notification, context);
	if (rest[0] === 'operations' && rest.length === 2) return operationEvents(call, callId, notification, context);
	return [];
}
