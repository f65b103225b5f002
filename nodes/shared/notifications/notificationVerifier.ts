import { type ExpectedClaims, checkClaims } from './claims';
import { bearerToken, checkHeader, checkSignature, decodeJwt } from './jwt';
import type { SigningKeyCache } from './signingKeys';

/**
 * Verifies the `Authorization` header of a call notification: a bearer JWT signed RS256 by a key of the calling
 * platform, for this app and tenant, valid now. Returns its claims; throws NotificationRefused otherwise.
 * Nothing of the request's body is read here: it must not be looked at before this passes.
 */
export async function verifyNotificationToken(
	authorization: string | string[] | undefined,
	expected: ExpectedClaims,
	keys: SigningKeyCache,
	nowMs: number = Date.now(),
): Promise<Record<string, unknown>> {
	const jwt = decodeJwt(bearerToken(authorization));
	const kid = checkHeader(jwt.header);
	checkSignature(jwt, await keys.keyFor(kid));
	checkClaims(jwt.payload, expected, Math.floor(nowMs / 1000));
	return jwt.payload;
}
