import type { IDataObject } from 'n8n-workflow';

import { participantIdentity } from './identity';

/** A participant flattened for tables and later nodes: who it is and its state, without Graph's nesting. */
export function simplifyParticipant(participant: IDataObject): IDataObject {
	const { kind, who } = participantIdentity(participant);
	return {
		id: participant.id ?? null,
		displayName: who.displayName ?? null,
		identityType: kind ?? null,
		identityId: who.id ?? null,
		tenantId: who.tenantId ?? null,
		isMuted: participant.isMuted ?? null,
		isInLobby: participant.isInLobby ?? null,
	};
}
