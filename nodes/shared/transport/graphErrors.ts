/** Graph's error answers, turned into a message and a hint that a no-code user can act on. */

import { notGrantedHint } from '../permissions/grantedRoles';
import type { OperationKey } from '../permissions/operationPermissions';

/**
 * What a request does, in the words of its errors: each operation declares its own (phrase and hints); the transport
 * only adds the hints that hold for every request.
 */
export interface GraphAction {
	/** Completes "Microsoft Graph could not …", e.g. "remove the participant". */
	phrase: string;
	/** The operation's own advice for an error answer (permissions, set-up); undefined falls back to the generic hints. */
	hint?: (answer: GraphErrorAnswer) => string | undefined;
	/** The operation's row in the permission table: a 403 then says which permission the token lacks, when it shows it. */
	permission?: OperationKey;
	/** For a request that is not sent twice: why not, in its own words (default: an invitation's). */
	notResent?: NotResent;
}

/** Why a request that may have reached Graph was not sent again, and what to check before trying again. */
export interface NotResent {
	/** Completes "… and <risk>", e.g. "inviting again could invite twice". */
	risk: string;
	/** Completes "to avoid <avoid>", e.g. "inviting twice". */
	avoid: string;
	/** What to check first, a sentence. */
	check: string;
}

export const INVITATION_NOT_RESENT: NotResent = {
	risk: 'inviting again could invite twice',
	avoid: 'inviting twice',
	check: 'Check the call\'s participants (Get Many) before trying again.',
};

/** What an operation's hint may look at. */
export interface GraphErrorAnswer {
	status: number;
	code?: string;
	/** The credential's client ID, for set-up commands that name the app. */
	appId: string;
	/** The access token the request carried: only its role names are read from it. */
	token?: string;
}

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

function hintFor(action: GraphAction, answer: GraphErrorAnswer): string | undefined {
	const { status, code, token } = answer;
	if (code === '7505') return HINTS_BY_CODE[code];
	const notGranted = status === 403 && action.permission && token ? notGrantedHint(action.permission, token) : undefined;
	if (notGranted) return notGranted;
	const own = action.hint?.(answer);
	if (own) return own;
	if (code && HINTS_BY_CODE[code]) return HINTS_BY_CODE[code];
	if (status === 404) return CALL_UNKNOWN_HINT;
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
	token?: string,
): GraphErrorDetails {
	const { code, message, requestId } = parseErrorBody(bodyText);
	const graphMessage = message ?? (bodyText && !/^\s*</.test(bodyText) ? bodyText.slice(0, 300) : undefined);
	return { status, code, graphMessage, requestId: requestId ?? headers['request-id'], hint: hintFor(action, { status, code, appId, token }) };
}

/** "Microsoft Graph could not remove the participant (HTTP 403, code 7504): …" */
export function graphErrorMessage(action: GraphAction, details: GraphErrorDetails): string {
	const code = details.code ? `, code ${details.code}` : '';
	const said = details.graphMessage ? `: ${details.graphMessage.trim().replace(/\.+$/, '')}` : '';
	return `Microsoft Graph could not ${action.phrase} (HTTP ${details.status}${code})${said}`;
}
