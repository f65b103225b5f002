import type { IDataObject } from 'n8n-workflow';

import { flatIdentity, participantIdentity } from './identity';

/** A participant flattened for tables and later nodes: who it is and its state, without Graph's nesting. */
export function simplifyParticipant(participant: IDataObject): IDataObject {
	return {
		id: participant.id ?? null,
		...flatIdentity(participantIdentity(participant)),
		isMuted: participant.isMuted ?? null,
		isInLobby: participant.isInLobby ?? null,
	};
}
