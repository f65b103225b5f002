import type { IDataObject } from 'n8n-workflow';

/** The kinds of identity an identitySet / communicationsIdentitySet can hold, as Graph names them. */
export const IDENTITY_SET_KEYS = ['user', 'phone', 'guest', 'application', 'applicationInstance', 'device'];

/** Which identity a participant is (the first kind its identity set holds), and that identity's fields. */
export function participantIdentity(participant: IDataObject): { kind?: string; who: IDataObject } {
	const identity = ((participant.info as IDataObject | undefined)?.identity ?? {}) as IDataObject;
	const kind = IDENTITY_SET_KEYS.find((key) => identity[key]);
	return { kind, who: (kind ? identity[kind] : {}) as IDataObject };
}
