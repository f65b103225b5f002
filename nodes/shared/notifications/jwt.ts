import { type KeyObject, verify } from 'node:crypto';

/** Why an inbound token was refused. Words only: never the token, never a claim value sent by the caller. */
export type RefusalReason =
	| 'missingToken'
	| 'malformedToken'
	| 'algorithmNotAllowed'
	| 'unknownKey'
	| 'badSignature'
	| 'expired'
	| 'notYetValid'
	| 'wrongAudience'
	| 'wrongIssuer'
	| 'wrongTenant'
	| 'keysUnavailable';

export class NotificationRefused extends Error {
	constructor(readonly reason: RefusalReason) {
		super(`notification refused: ${reason}`);
		this.name = 'NotificationRefused';
	}
}

export interface DecodedJwt {
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
	/** `base64url(header).base64url(payload)`: the bytes the signature covers. */
	signingInput: string;
	signature: Buffer;
}

/** Largest token accepted: Microsoft's are about 1.5 KB. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonSegment(segment: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
	} catch {
		value = undefined;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NotificationRefused('malformedToken');
	return value as Record<string, unknown>;
}

/** The bearer token of an Authorization header, or a refusal when there is none. */
export function bearerToken(authorization: string | string[] | undefined): string {
	const value = Array.isArray(authorization) ? undefined : authorization;
	const match = value === undefined ? null : /^Bearer ([^\s]+)$/i.exec(value.trim());
	if (!match) throw new NotificationRefused('missingToken');
	if (match[1].length > MAX_TOKEN_LENGTH) throw new NotificationRefused('malformedToken');
	return match[1];
}

/** Splits and decodes a compact JWS without trusting anything in it yet. */
export function decodeJwt(token: string): DecodedJwt {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => !BASE64URL.test(part)) || !parts[0] || !parts[1]) {
		throw new NotificationRefused('malformedToken');
	}
	return {
		header: decodeJsonSegment(parts[0]),
		payload: decodeJsonSegment(parts[1]),
		signingInput: `${parts[0]}.${parts[1]}`,
		signature: Buffer.from(parts[2], 'base64url'),
	};
}

/**
 * The header rules, checked before any key is looked up: RS256 only (so `none` and every HMAC algorithm, which would
 * let a public key act as a shared secret, are refused), a `kid`, and no critical extensions we do not understand.
 */
export function checkHeader(header: Record<string, unknown>): string {
	if (header.alg !== 'RS256') throw new NotificationRefused('algorithmNotAllowed');
	if (header.crit !== undefined) throw new NotificationRefused('malformedToken');
	if (typeof header.kid !== 'string' || header.kid === '') throw new NotificationRefused('unknownKey');
	return header.kid;
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the signing input, with an RSA key of at least 2048 bits. */
export function checkSignature(jwt: DecodedJwt, key: KeyObject): void {
	const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
	if (key.asymmetricKeyType !== 'rsa' || bits < 2048) throw new NotificationRefused('unknownKey');
	const valid = verify('RSA-SHA256', Buffer.from(jwt.signingInput, 'ascii'), key, jwt.signature);
	if (!valid) throw new NotificationRefused('badSignature');
}
