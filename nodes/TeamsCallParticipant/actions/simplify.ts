import type { IDataObject } from 'n8n-workflow';

const IDENTITY_KINDS = ['user', 'phone', 'guest', 'application', 'applicationInstance', 'device'];

/** A participant flattened for tables and later nodes: who it is and its state, without Graph's nesting. */
export function simplifyParticipant(participant: IDataObject): IDataObject {
	const identity = ((participant.info as IDataObject | undefined)?.identity ?? {}) as IDataObject;
	const kind = IDENTITY_KINDS.find((key) => identity[key]);
	const who = (kind ? identity[kind] : {}) as IDataObject;
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
