import type { IDataObject } from 'n8n-workflow';

/** The kinds of identity an identitySet / communicationsIdentitySet can hold, as Graph names them. */
export const IDENTITY_SET_KEYS = ['user', 'phone', 'guest', 'application', 'applicationInstance', 'device'];

/**
 * Kinds only Graph sends, never the app: a caller's identity stays `encrypted` unless the app holds a calling permission
 * (call-answer.md), and communicationsIdentitySet also names these (CSDL).
 */
const RECEIVED_ONLY_KEYS = ['encrypted', 'onPremises', 'azureCommunicationServicesUser', 'assertedIdentity'];

/** Which identity an identity set holds (the first kind present), and that identity's fields. */
export function identityOf(identitySet: unknown): { kind?: string; who: IDataObject } {
	const identity = (typeof identitySet === 'object' && identitySet !== null ? identitySet : {}) as IDataObject;
	const kind = [...IDENTITY_SET_KEYS, ...RECEIVED_ONLY_KEYS].find((key) => identity[key]);
	return { kind, who: (kind ? identity[kind] : {}) as IDataObject };
}

/** The package's flat identity shape: who someone is, without Graph's nesting. */
export function flatIdentity(identity: { kind?: string; who: IDataObject }): IDataObject {
	return {
		displayName: identity.who.displayName ?? null,
		identityType: identity.kind ?? null,
		identityId: identity.who.id ?? null,
		tenantId: identity.who.tenantId ?? null,
	};
}

/** Which identity a participant is (the first kind its identity set holds), and that identity's fields. */
export function participantIdentity(participant: IDataObject): { kind?: string; who: IDataObject } {
	return identityOf((participant.info as IDataObject | undefined)?.identity);
}
