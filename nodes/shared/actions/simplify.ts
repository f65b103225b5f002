import type { IDataObject } from 'n8n-workflow';

import { flatIdentity, identityOf } from './identity';

/** An identity set flattened: who it is, without Graph's nesting (the fields a flat participant starts with). */
export function simplifyIdentity(identitySet: unknown): IDataObject {
	return flatIdentity(identityOf(identitySet));
}

/** A participant flattened for tables and later nodes: who it is and its state, without Graph's nesting. */
export function simplifyParticipant(participant: IDataObject): IDataObject {
	return {
		id: participant.id ?? null,
		...simplifyIdentity((participant.info as IDataObject | undefined)?.identity),
		isMuted: participant.isMuted ?? null,
		isInLobby: participant.isInLobby ?? null,
	};
}
