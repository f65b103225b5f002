import { placedCallIn } from '../placedCallTenants';
import { NotificationRefused } from './jwt';

/** Issuers of the Teams calling platform's notification tokens (Microsoft's sample accepts both). */
export const NOTIFICATION_ISSUERS = ['https://api.botframework.com', 'https://graph.microsoft.com'];

export const TENANT_CLAIMS = ['tid', 'http://schemas.microsoft.com/identity/claims/tenantid'];

/** How far the sender's clock may be from ours, for `exp` and `nbf`. */
export const CLOCK_SKEW_SECONDS = 5 * 60;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ExpectedClaims {
	/** The app's client ID: the only audience accepted. */
	clientId: string;
	/** The credential's tenant: accepted in the token's tenant claim when it is a GUID (a domain cannot be compared). */
	tenantId: string;
}

/**
 * The token's tenant claim is required, and must be the credential's tenant or a tenant this app placed a call in
 * (Join Meeting in another tenant's meeting): anything else, or no tenant claim at all, is refused.
 */
function tenantAccepted(payload: Record<string, unknown>, expected: ExpectedClaims): boolean {
	const claimed = TENANT_CLAIMS.map((name) => payload[name]).find((value) => value !== undefined);
	if (typeof claimed !== 'string' || !GUID.test(claimed)) return false;
	return claimed.toLowerCase() === expected.tenantId.toLowerCase() || placedCallIn(expected.clientId, claimed);
}

function audienceMatches(aud: unknown, clientId: string): boolean {
	const wanted = clientId.toLowerCase();
	if (typeof aud === 'string') return aud.toLowerCase() === wanted;
	return Array.isArray(aud) && aud.length > 0 && aud.every((entry) => typeof entry === 'string' && entry.toLowerCase() === wanted);
}

/** Checks the payload of a token whose signature is already verified. `nowSeconds` is Unix time. */
export function checkClaims(payload: Record<string, unknown>, expected: ExpectedClaims, nowSeconds: number): void {
	if (typeof payload.exp !== 'number') throw new NotificationRefused('expired');
	if (nowSeconds > payload.exp + CLOCK_SKEW_SECONDS) throw new NotificationRefused('expired');
	if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || nowSeconds < payload.nbf - CLOCK_SKEW_SECONDS)) {
		throw new NotificationRefused('notYetValid');
	}
	if (!audienceMatches(payload.aud, expected.clientId)) throw new NotificationRefused('wrongAudience');
	if (typeof payload.iss !== 'string' || !NOTIFICATION_ISSUERS.includes(payload.iss)) {
		throw new NotificationRefused('wrongIssuer');
	}
	if (!tenantAccepted(payload, expected)) throw new NotificationRefused('wrongTenant');
}
