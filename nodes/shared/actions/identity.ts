import type { IDataObject } from 'n8n-workflow';

/** The kinds of identity an identitySet / communicationsIdentitySet can hold, as Graph names them. */
export const IDENTITY_SET_KEYS = ['user', 'phone', 'guest', 'application', 'applicationInstance', 'device'];

/** Which identity an identity set holds (the first kind it has), and that identity's fields. */
export function identityIn(identitySet: unknown): { kind?: string; who: IDataObject } {
	const set = (identitySet && typeof identitySet === 'object' ? identitySet : {}) as IDataObject;
	const kind = IDENTITY_SET_KEYS.find((key) => set[key]);
	return { kind, who: (kind ? set[kind] : {}) as IDataObject };
}

/** Which identity a participant is (the first kind its identity set holds), and that identity's fields. */
export function participantIdentity(participant: IDataObject): { kind?: string; who: IDataObject } {
	return identityIn((participant.info as IDataObject | undefined)?.identity);
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
