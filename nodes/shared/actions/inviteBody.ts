import { randomUUID } from 'node:crypto';

import type { IDataObject, INode } from 'n8n-workflow';

import { INVITE_PARTICIPANTS, type ParticipantList } from '../participantLists';
import { IDENTITY_SET_KEYS } from './identity';
import { checkClientContext, inputError, MAX_INVITEES, requireId, requirePhoneNumber } from './validation';

/**
 * Builds and checks a list of Graph invitationParticipantInfo: Invite's participants (POST …/participants/invite)
 * and Create Call's targets (POST /communications/calls) share the fields, the checks and the JSON mode.
 */

export const IDENTITY_TYPES = ['user', 'phone', 'guest', 'application', 'applicationInstance'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** What an entry of the Participants (or Targets) parameter holds. */
export interface ParticipantFields {
	type?: string;
	id?: string;
	displayName?: string;
	tenantId?: string;
	identityProvider?: string;
	participantId?: string;
	replacesCallId?: string;
	hidden?: boolean;
	removeFromDefaultAudioRoutingGroup?: boolean;
}

/** identitySet holds user/application/device; phone, guest and applicationInstance need communicationsIdentitySet. */
const COMMUNICATIONS_IDENTITY_TYPES = new Set<string>(['phone', 'guest', 'applicationInstance']);

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function identityOf(node: INode, itemIndex: number, label: string, entry: ParticipantFields): IDataObject {
	const type = text(entry.type) || 'user';
	if (!(IDENTITY_TYPES as readonly string[]).includes(type)) {
		throw inputError(node, itemIndex, `${label} › Type`, `"${type}" is not one of ${IDENTITY_TYPES.join(', ')}`);
	}
	const id =
		type === 'phone'
			? requirePhoneNumber(node, itemIndex, `${label} › ID`, text(entry.id))
			: requireId(node, itemIndex, `${label} › ID`, entry.id);
	const identity: IDataObject = { '@odata.type': '#microsoft.graph.identity', id };
	const displayName = text(entry.displayName);
	if (displayName) identity.displayName = displayName;
	if (type === 'user') {
		const tenantId = text(entry.tenantId);
		if (tenantId) identity.tenantId = requireId(node, itemIndex, `${label} › Tenant ID`, tenantId);
		const identityProvider = text(entry.identityProvider);
		if (identityProvider) identity.identityProvider = identityProvider;
	}
	const setType = COMMUNICATIONS_IDENTITY_TYPES.has(type) ? 'communicationsIdentitySet' : 'identitySet';
	return { '@odata.type': `#microsoft.graph.${setType}`, [type]: identity };
}

/** One entry as Graph's invitationParticipantInfo (Transfer's target; each entry of a list); `label` names it in errors. */
export function participantInfo(node: INode, itemIndex: number, entry: ParticipantFields, label: string): IDataObject {
	const info: IDataObject = {
		'@odata.type': '#microsoft.graph.invitationParticipantInfo',
		identity: identityOf(node, itemIndex, label, entry),
	};
	if (text(entry.participantId)) info.participantId = requireId(node, itemIndex, `${label} › Participant ID`, entry.participantId);
	if (text(entry.replacesCallId)) info.replacesCallId = requireId(node, itemIndex, `${label} › Replaces Call ID`, entry.replacesCallId);
	if (entry.hidden === true) info.hidden = true;
	if (entry.removeFromDefaultAudioRoutingGroup === true) info.removeFromDefaultAudioRoutingGroup = true;
	return info;
}

function checkCount(node: INode, itemIndex: number, parameter: string, participants: IDataObject[], list: ParticipantList): void {
	if (participants.length === 0) throw inputError(node, itemIndex, parameter, `no ${list.entry.toLowerCase()} given; add at least one`);
	const max = list.max ?? MAX_INVITEES;
	if (participants.length > max) {
		throw inputError(
			node,
			itemIndex,
			parameter,
			`${participants.length} ${list.label.toLowerCase()} given; Graph ${list.verb} at most ${max} at once`,
			'Split them over several items.',
		);
	}
	if (participants.length > 1 && participants.some((participant) => participant.replacesCallId)) {
		throw inputError(
			node,
			itemIndex,
			parameter,
			`"Replaces Call ID" moves one ${list.entry.toLowerCase()} from another call, so it needs exactly one ${list.entry.toLowerCase()}`,
		);
	}
}

/** Fields mode: maps the entries one to one onto Graph's invitationParticipantInfo; empty text and false booleans are left out. */
export function participantsFromFields(node: INode, itemIndex: number, entries: ParticipantFields[], list: ParticipantList): IDataObject[] {
	const participants = entries.map((entry, position) =>
		participantInfo(node, itemIndex, entry, `${list.label} › ${list.entry} ${position + 1}`),
	);
	checkCount(node, itemIndex, list.label, participants, list);
	return participants;
}

/** Fields mode of Invite: the participants and a client context (empty: a new UUID). */
export function bodyFromFields(node: INode, itemIndex: number, entries: ParticipantFields[], clientContext: unknown): IDataObject {
	const participants = participantsFromFields(node, itemIndex, entries, INVITE_PARTICIPANTS);
	return { participants, clientContext: checkClientContext(node, itemIndex, clientContext) ?? randomUUID() };
}

/** One invitationParticipantInfo of a JSON body: an object with exactly one identity, whose ID is checked. */
export function checkJsonParticipant(node: INode, itemIndex: number, participant: unknown, label: string): void {
	if (!participant || typeof participant !== 'object' || Array.isArray(participant)) {
		throw inputError(node, itemIndex, label, 'must be an object (an invitationParticipantInfo)');
	}
	const identity = (participant as IDataObject).identity;
	if (!identity || typeof identity !== 'object' || Array.isArray(identity)) {
		throw inputError(node, itemIndex, `${label}.identity`, 'is missing: give an identity such as { "user": { "id": "…" } }');
	}
	const kinds = IDENTITY_SET_KEYS.filter((key) => (identity as IDataObject)[key] !== undefined && (identity as IDataObject)[key] !== null);
	if (kinds.length !== 1) {
		throw inputError(node, itemIndex, `${label}.identity`, `must hold exactly one of ${IDENTITY_SET_KEYS.join(', ')}`);
	}
	const who = (identity as IDataObject)[kinds[0]] as IDataObject;
	const idLabel = `${label}.identity.${kinds[0]}.id`;
	if (kinds[0] === 'phone') requirePhoneNumber(node, itemIndex, idLabel, text(who?.id));
	else requireId(node, itemIndex, idLabel, who?.id);
}

/** The JSON Body parameter as an object; `example` completes "must be a JSON object such as …". */
export function jsonBodyObject(node: INode, itemIndex: number, jsonBody: unknown, example: string): IDataObject {
	let body: unknown = jsonBody;
	if (typeof jsonBody === 'string') {
		try {
			body = JSON.parse(jsonBody);
		} catch (error) {
			throw inputError(node, itemIndex, 'JSON Body', `is not valid JSON (${(error as Error).message})`);
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw inputError(node, itemIndex, 'JSON Body', `must be a JSON object such as ${example}`);
	}
	return body as IDataObject;
}

/** JSON mode: the body's list (participants or targets), checked entry by entry. */
export function participantsFromJson(node: INode, itemIndex: number, body: IDataObject, list: ParticipantList): IDataObject[] {
	const participants = body[list.jsonKey];
	if (!Array.isArray(participants)) {
		throw inputError(node, itemIndex, 'JSON Body', `has no "${list.jsonKey}" list`);
	}
	participants.forEach((participant, position) =>
		checkJsonParticipant(node, itemIndex, participant, `JSON Body › ${list.jsonKey}[${position}]`),
	);
	checkCount(node, itemIndex, `JSON Body › ${list.jsonKey}`, participants as IDataObject[], list);
	return participants as IDataObject[];
}

/** The shape of Invite's JSON Body, shown when it is not an object. */
export const INVITE_JSON_EXAMPLE = '{ "participants": [ … ], "clientContext": "…" }';

/** JSON mode of Invite: the whole Graph body (the JSON Body as an object), sent as given once it is checked. */
export function bodyFromJson(node: INode, itemIndex: number, body: IDataObject): IDataObject {
	participantsFromJson(node, itemIndex, body, INVITE_PARTICIPANTS);
	const clientContext = checkClientContext(node, itemIndex, body.clientContext);
	return { ...body, clientContext: clientContext ?? randomUUID() };
}
