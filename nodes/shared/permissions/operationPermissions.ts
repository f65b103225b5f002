/**
 * The application permission each operation needs, from Microsoft Graph's reference (README, "Permissions"; sources in
 * the project's reference notes). One row per operation, keyed "<node>.<operation>": a new operation adds its row here,
 * and both the credential test ("Missing for: …") and a 403's explanation ("this app has not been granted …") follow.
 */
export interface OperationPermission {
	/** The operation as the editor names it, e.g. "Remove". */
	label: string;
	/** Any one of these is enough; least privileged first (that one is named when all are missing). */
	anyOf: readonly string[];
}

const JOIN_GROUP_CALL = ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'] as const;
const INITIATE = ['Calls.Initiate.All'] as const;
const ACCESS_MEDIA = ['Calls.AccessMedia.All'] as const;

export const OPERATION_PERMISSIONS = {
	'call.join': { label: 'Join Meeting', anyOf: JOIN_GROUP_CALL },
	'call.create': { label: 'Create Call', anyOf: ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All'] },
	'call.get': { label: 'Get Call', anyOf: [...JOIN_GROUP_CALL, 'Calls.Initiate.All', 'Calls.InitiateGroupCall.All'] },
	'call.hangUp': { label: 'Hang Up', anyOf: INITIATE },
	'call.keepAlive': { label: 'Keep Alive', anyOf: INITIATE },
	'call.playPrompt': { label: 'Play Prompt', anyOf: INITIATE },
	'call.redirect': { label: 'Redirect', anyOf: INITIATE },
	'call.transfer': { label: 'Transfer', anyOf: INITIATE },
	'call.sendDtmf': { label: 'Send DTMF', anyOf: INITIATE },
	'call.subscribeToTone': { label: 'Subscribe to Tones', anyOf: ACCESS_MEDIA },
	'call.recordResponse': { label: 'Record Response', anyOf: ACCESS_MEDIA },
	'participant.invite': { label: 'Invite', anyOf: ['Calls.InitiateGroupCall.All'] },
	'participant.remove': { label: 'Remove', anyOf: JOIN_GROUP_CALL },
	'participant.get': { label: 'Get Participant', anyOf: JOIN_GROUP_CALL },
	'participant.getAll': { label: 'Get Many Participants', anyOf: JOIN_GROUP_CALL },
	'participant.mute': { label: 'Mute', anyOf: JOIN_GROUP_CALL },
	'participant.holdMusic': { label: 'Hold Music', anyOf: JOIN_GROUP_CALL },
	'callRecord.get': { label: 'Call Records', anyOf: ['CallRecords.Read.All'] },
	'callRecord.pstnCalls': { label: 'PSTN Calls', anyOf: ['CallRecords.Read.All', 'CallRecord-PstnCalls.Read.All'] },
} satisfies Record<string, OperationPermission>;

export type OperationKey = keyof typeof OPERATION_PERMISSIONS;
