import type { OperationKey } from '../../shared/permissions/operationPermissions';
import type { GraphAction, GraphErrorAnswer, NotResent } from '../../shared/transport/graphErrors';
import { BOT_SETUP, callAction } from './hints';

/**
 * Advice for Graph's refusals of the conversation operations: incoming calls, transfer, tones and recordings.
 * The permissions are the least-privileged application permissions the reference names (README, "Conversations").
 */

export const PERMISSIONS = {
	answer:
		'Graph\'s pages disagree on answering: its permission table names Calls.JoinGroupCall.All, its calling guide says a bot needs no extra permission to answer a call from a user.',
	reject: 'Graph documents no permission for rejecting.',
	initiate: 'The app needs the application permission Calls.Initiate.All with admin consent.',
	accessMedia: 'The app needs the application permission Calls.AccessMedia.All with admin consent.',
} as const;

const RINGING =
	'An incoming call must be answered, rejected or redirected within 15 seconds of ringing, and only once: after that Graph no longer knows it, or it is no longer incoming.';

const SERVICE_HOSTED = 'Tones and recordings work only on calls with service-hosted media (the calls this node joins, creates or answers).';

function notResent(verb: string, twice: string, check = ''): NotResent {
	return { risk: `${verb} again could ${twice}`, avoid: `${verb} twice`, check };
}

/** answer / reject / redirect: 404 or 400 usually mean the call stopped ringing. */
function ringingAction(phrase: string, key: OperationKey | undefined, permission: string, resent: NotResent): GraphAction {
	const base = callAction(phrase, key, permission, resent);
	return {
		...base,
		hint: (answer: GraphErrorAnswer) => {
			if (answer.status === 403) return `${base.hint?.(answer) ?? ''} ${BOT_SETUP}`.trim();
			if (answer.status === 404 || answer.status === 400) return RINGING;
			return undefined;
		},
	};
}

// Answer and reject have no row in the permission table: Graph's pages name no clear permission for them.
export const ANSWER_CALL = ringingAction(
	'answer the call',
	undefined,
	`${PERMISSIONS.answer} If Graph refuses with 403, grant Calls.JoinGroupCall.All with admin consent.`,
	notResent('answering', 'fail or answer it twice', 'Check the call with Get before answering again.'),
);
export const REJECT_CALL = ringingAction('reject the call', undefined, PERMISSIONS.reject, notResent('rejecting', 'fail on a call already ended'));
export const REDIRECT_CALL = ringingAction(
	'redirect the call',
	'call.redirect',
	`${PERMISSIONS.initiate} Redirecting to a phone number also needs the call to have come to the bot's application instance (resource account) with a phone number.`,
	notResent('redirecting', 'ring the targets twice', 'Check with the targets whether their phones rang.'),
);

export const TRANSFER_CALL = callAction(
	'transfer the call',
	'call.transfer',
	`${PERMISSIONS.initiate} The transferee and the target must be Teams users of the same tenant; a phone target needs an application instance with a phone number.`,
	notResent('transferring', 'ring the target twice', 'Check the call with Get: transferring, or already ended, means the first request arrived.'),
);

function mediaAction(phrase: string, key: OperationKey | undefined, permission: string, resent?: NotResent): GraphAction {
	const base = callAction(phrase, key, permission, resent);
	return { ...base, hint: (answer) => base.hint?.(answer) ?? (answer.status === 400 ? SERVICE_HOSTED : undefined) };
}

export const SUBSCRIBE_TO_TONE = mediaAction('subscribe to the caller\'s keys', 'call.subscribeToTone', PERMISSIONS.accessMedia);
export const SEND_DTMF = mediaAction(
	'send the keys',
	'call.sendDtmf',
	`${PERMISSIONS.initiate} (Graph checks the permissions when the call is created.)`,
	notResent('sending them', 'press the keys twice'),
);
export const RECORD_RESPONSE = mediaAction('record the answer', 'call.recordResponse', PERMISSIONS.accessMedia, notResent('recording', 'play the prompt and record twice'));
export const CANCEL_MEDIA = mediaAction('cancel the media operations', undefined, `${PERMISSIONS.initiate} (Graph checks the permissions when the call is created.)`);
