import type { GraphAction, GraphErrorAnswer } from '../../shared/transport/graphErrors';

/** The permission that reading or changing a participant needs. */
export const JOIN_GROUP_CALL_PERMISSION =
	'The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) with admin consent.';

const PARTICIPANT_GONE =
	'No participant with this ID is in the call: they may have left or been removed already. Use Get Many to list the current participants.';

/** Advice for an operation on one participant (get, mute, hold music): permission on 403, "gone" on itemNotFound. */
export function oneParticipantHint({ status, code }: GraphErrorAnswer): string | undefined {
	if (status === 403) return JOIN_GROUP_CALL_PERMISSION;
	if (status === 404 && code === 'itemNotFound') return PARTICIPANT_GONE;
	return undefined;
}

/** Remove's advice: besides the permission, a Teams administrator must allow the app to remove people. */
export function removeHint(answer: GraphErrorAnswer): string | undefined {
	const { status, code, appId } = answer;
	if (status === 403 || (status === 500 && code === '9999')) {
		return `The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) with admin consent, and a Teams administrator must allow it to remove participants: Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @{Add="${appId}"} (Teams PowerShell). Graph answers 500 code 9999 when that step is missing.`;
	}
	return oneParticipantHint(answer);
}

/** Listing the participants (Get Many and the list search). */
export const LIST_PARTICIPANTS: GraphAction = {
	phrase: 'list the participants',
	permission: 'participant.getAll',
	hint: ({ status }) => (status === 403 ? JOIN_GROUP_CALL_PERMISSION : undefined),
};
