import type { OperationKey } from '../../shared/permissions/operationPermissions';
import type { GraphAction, GraphErrorAnswer, NotResent } from '../../shared/transport/graphErrors';

/** Advice for Graph's refusals of the call operations (the permissions are in the README's table). */

const JOIN_PERMISSION =
	'The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) with admin consent.';
const INITIATE_PERMISSION =
	'The app needs the application permission Calls.Initiate.All (to call one person) or Calls.InitiateGroupCall.All (several people) with admin consent.';
const CALL_PERMISSION = 'The app needs the application permission Calls.Initiate.All with admin consent.';

export const BOT_SETUP =
	'The app must also be a calling bot: an Azure Bot resource for this app ID, with the Microsoft Teams channel and Calling enabled (README, "Set up the calling bot").';

const ANOTHER_APPS_CALL =
	'If it has that permission, the call may belong to another app: Graph lets an app manage only calls that it created or answered itself.';

const MEETING_NOT_FOUND =
	'Graph found no meeting for this link or ID, or the meeting has ended. Check the link (or meeting ID and passcode) in the meeting invitation.';

function refusedCall(status: number): string | undefined {
	if (status === 400) return `Graph did not accept the call. If its message says the app is not registered or configured for calling: ${BOT_SETUP}`;
	return undefined;
}

export const JOIN_MEETING: GraphAction = {
	phrase: 'join the meeting',
	permission: 'call.join',
	notResent: {
		risk: 'joining again could put the app into the meeting twice',
		avoid: 'joining twice',
		check: 'Check the meeting\'s participants in Teams before joining again.',
	},
	hint: ({ status }: GraphErrorAnswer) => {
		if (status === 403) return `${JOIN_PERMISSION} ${BOT_SETUP}`;
		if (status === 404) return MEETING_NOT_FOUND;
		return refusedCall(status);
	},
};

export const CREATE_CALL: GraphAction = {
	phrase: 'create the call',
	permission: 'call.create',
	notResent: { risk: 'calling again could ring the people twice', avoid: 'ringing twice', check: 'Check whether the call rang before calling again.' },
	hint: ({ status }: GraphErrorAnswer) => {
		if (status === 403) {
			return `${INITIATE_PERMISSION} To call a phone number, the app also needs an application instance (resource account) with a phone number, given as "Application Instance ID". ${BOT_SETUP}`;
		}
		return refusedCall(status);
	},
};

/** An operation on a call the app owns: 403 is the permission, or another app's call. */
export function callAction(phrase: string, key: OperationKey | undefined, permission = CALL_PERMISSION, notResent?: NotResent): GraphAction {
	return { phrase, permission: key, notResent, hint: ({ status }: GraphErrorAnswer) => (status === 403 ? `${permission} ${ANOTHER_APPS_CALL}` : undefined) };
}

export const PLAY_PROMPT = callAction('play the prompt', 'call.playPrompt', CALL_PERMISSION, {
	risk: 'playing it again could play the prompt twice',
	avoid: 'playing the prompt twice',
	check: '',
});

export const HANG_UP = callAction('hang up the call', 'call.hangUp');

export const READ_CALL = callAction(
	'read the call',
	'call.get',
	'The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All, or Calls.Initiate.All) with admin consent.',
);
