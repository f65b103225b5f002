/** Graph's error answers, turned into a message and a hint that a no-code user can act on. */

export type GraphAction = 'invite' | 'remove' | 'get' | 'getAll' | 'mute' | 'getOperation' | 'getCall';

const ACTION_PHRASES: Record<GraphAction, string> = {
	invite: 'invite the participants',
	remove: 'remove the participant',
	get: 'get the participant',
	getAll: 'list the participants',
	mute: 'mute the participant',
	getOperation: 'read the operation',
	getCall: 'read the call',
};

export interface GraphErrorDetails {
	status: number;
	code?: string;
	graphMessage?: string;
	requestId?: string;
	/** What the user should do; empty when nothing specific applies. */
	hint?: string;
}

const CALL_UNKNOWN_HINT =
	'The call is unknown or has already ended. Call IDs exist only for calls that this app itself created or answered as a calling bot; a meeting join link, chat ID or another app\'s call ID will not work.';

const HINTS_BY_CODE: Record<string, string> = {
	'8522': CALL_UNKNOWN_HINT,
	'7505':
		'Tenant mismatch: the call belongs to a different tenant than the credential\'s. Use a credential (Tenant ID) for the tenant the call is in.',
	'7504':
		'The app lacks the tenant permissions for this: grant its application permissions (Calls.*) with admin consent in Entra ID > App registrations > API permissions.',
	InvalidAuthenticationToken:
		'Graph refused the access token. Check that the credential\'s cloud matches the tenant, and that the app has admin-consented application permissions.',
};

function hintFor(action: GraphAction, status: number, code: string | undefined, appId: string): string | undefined {
	if (code === '7505') return HINTS_BY_CODE[code];
	if (status === 403 && action === 'invite') {
		return 'The app needs the application permission Calls.InitiateGroupCall.All with admin consent (Entra ID > App registrations > API permissions).';
	}
	if ((status === 403 || (status === 500 && code === '9999')) && action === 'remove') {
		return `The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) with admin consent, and a Teams administrator must allow it to remove participants: Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @{Add="${appId}"} (Teams PowerShell). Graph answers 500 code 9999 when that step is missing.`;
	}
	if (status === 403 && (action === 'mute' || action === 'get' || action === 'getAll')) {
		return 'The app needs the application permission Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All) with admin consent.';
	}
	if (code && HINTS_BY_CODE[code]) return HINTS_BY_CODE[code];
	if (status === 404) {
		if (code === 'itemNotFound' && (action === 'get' || action === 'remove' || action === 'mute')) {
			return 'No participant with this ID is in the call: they may have left or been removed already. Use Get Many to list the current participants.';
		}
		return CALL_UNKNOWN_HINT;
	}
	if (status === 400) return 'Graph did not accept the request: check the parameters named in Graph\'s message.';
	if (status === 429) return 'Microsoft Graph is throttling this app. Lower "Max Concurrent Requests" or spread the work over time.';
	if (status >= 500) return 'Microsoft Graph could not process the request right now. Try again later.';
	return undefined;
}

function parseErrorBody(text: string): { code?: string; message?: string; requestId?: string } {
	try {
		const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } };
		const error = parsed?.error;
		if (!error || typeof error !== 'object') return {};
		const requestId = error.innerError?.['request-id'];
		return {
			code: error.code === undefined ? undefined : String(error.code),
			message: typeof error.message === 'string' ? error.message : undefined,
			requestId: typeof requestId === 'string' ? requestId : undefined,
		};
	} catch {
		return {};
	}
}

export function graphErrorDetails(
	action: GraphAction,
	status: number,
	bodyText: string,
	headers: Record<string, string>,
	appId: string,
): GraphErrorDetails {
	const { code, message, requestId } = parseErrorBody(bodyText);
	const graphMessage = message ?? (bodyText && !/^\s*</.test(bodyText) ? bodyText.slice(0, 300) : undefined);
	return { status, code, graphMessage, requestId: requestId ?? headers['request-id'], hint: hintFor(action, status, code, appId) };
}

/** "Microsoft Graph could not remove the participant (HTTP 403, code 7504): …" */
export function graphErrorMessage(action: GraphAction, details: GraphErrorDetails): string {
	const code = details.code ? `, code ${details.code}` : '';
	const said = details.graphMessage ? `: ${details.graphMessage.trim().replace(/\.+$/, '')}` : '';
	return `Microsoft Graph could not ${ACTION_PHRASES[action]} (HTTP ${details.status}${code})${said}`;
}

export function actionPhrase(action: GraphAction): string {
	return ACTION_PHRASES[action];
}
