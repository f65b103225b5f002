/** Validation of the invite body against the Graph contract (participants/invite). */
import type { EmulatedCall } from './types';
import { isRecord } from './httpUtil';

export const IDENTITY_KINDS = ['user', 'phone', 'guest', 'application', 'applicationInstance', 'device'] as const;
const E164 = /^\+[1-9]\d{6,14}$/;
export const MAX_CLIENT_CONTEXT = 256;

export interface InviteBody {
	participants: Array<Record<string, unknown> & { identity: Record<string, unknown> }>;
	clientContext?: string;
}

/** The id of the (single) identity kind in an identitySet, or undefined. */
export function identityIdOf(identity: unknown): string | undefined {
	if (!isRecord(identity)) return undefined;
	for (const kind of IDENTITY_KINDS) {
		const value = identity[kind];
		if (isRecord(value) && typeof value.id === 'string') return value.id;
	}
	return undefined;
}

export function validateClientContext(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return 'clientContext must be a string.';
	if (value.length > MAX_CLIENT_CONTEXT) {
		return `clientContext must be at most ${MAX_CLIENT_CONTEXT} characters (got ${value.length}).`;
	}
	return undefined;
}

/** Returns an error message, or the typed body when valid. */
export function validateInvite(body: unknown, call: EmulatedCall): { error: string } | { body: InviteBody } {
	if (!isRecord(body)) return { error: 'The request body must be a JSON object.' };
	const contextError = validateClientContext(body.clientContext);
	const error = validateInvitees(body.participants, 'participants', call) ?? contextError;
	return error ? { error } : { body: body as unknown as InviteBody };
}

/** Checks a list of invitationParticipantInfo (invite's participants, a new call's targets); an error message or undefined. */
export function validateInvitees(participants: unknown, key: string, call?: EmulatedCall, max = 5): string | undefined {
	if (!Array.isArray(participants)) return `The '${key}' property is required and must be an array.`;
	if (participants.length < 1 || participants.length > max) {
		return `'${key}' must hold between 1 and ${max} items (got ${participants.length}).`;
	}
	const inCall = new Set<string>();
	const participantIds = new Set<string>();
	for (const p of call?.participants.values() ?? []) {
		const id = identityIdOf(p.info.identity);
		if (id !== undefined) inCall.add(id.toLowerCase());
		participantIds.add(p.id.toLowerCase());
	}
	const inBody = new Set<string>();
	for (let i = 0; i < participants.length; i++) {
		const p: unknown = participants[i];
		const where = `${key}[${i}]`;
		if (!isRecord(p)) return `${where} must be an object.`;
		const identity = p.identity;
		if (!isRecord(identity)) return `${where}.identity is required.`;
		const kinds = IDENTITY_KINDS.filter((kind) => identity[kind] !== undefined && identity[kind] !== null);
		if (kinds.length !== 1) {
			return `${where}.identity must hold exactly one of ${IDENTITY_KINDS.join(', ')} (got ${kinds.length === 0 ? 'none' : kinds.join(', ')}).`;
		}
		const kind = kinds[0];
		const value = identity[kind];
		if (!isRecord(value) || typeof value.id !== 'string' || value.id.trim() === '') {
			return `${where}.identity.${kind}.id is required and must be a non-empty string.`;
		}
		if (kind === 'phone' && !E164.test(value.id)) {
			return `${where}.identity.phone.id '${value.id}' is not a valid E.164 phone number.`;
		}
		const id = value.id.toLowerCase();
		if (inBody.has(id)) return `The identity '${value.id}' is invited more than once.`;
		if (inCall.has(id)) return `The identity '${value.id}' is already in the call.`;
		inBody.add(id);
		if (p.participantId !== undefined && p.participantId !== null) {
			if (typeof p.participantId !== 'string' || p.participantId === '') {
				return `${where}.participantId must be a non-empty string.`;
			}
			if (participantIds.has(p.participantId.toLowerCase())) {
				return `${where}.participantId '${p.participantId}' is already used in the call.`;
			}
			participantIds.add(p.participantId.toLowerCase());
		}
		if (p.replacesCallId !== undefined && p.replacesCallId !== null) {
			if (typeof p.replacesCallId !== 'string' || p.replacesCallId === '') {
				return `${where}.replacesCallId must be a non-empty string.`;
			}
			if (participants.length !== 1) {
				return 'replacesCallId may only be used when inviting exactly one participant.';
			}
		}
		for (const flag of ['hidden', 'removeFromDefaultAudioRoutingGroup']) {
			if (p[flag] !== undefined && p[flag] !== null && typeof p[flag] !== 'boolean') {
				return `${where}.${flag} must be a boolean.`;
			}
		}
	}
	return undefined;
}
