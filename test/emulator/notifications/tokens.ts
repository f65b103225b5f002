/** Valid and forged notification tokens, one kind of forgery per verification rule. */
import { randomUUID } from 'node:crypto';

import { type NotificationSigner, newSigningKey, signHs256WithPublicKey, signRs256, unsignedToken } from './signer';

export const FORGERY_KINDS = [
	'missingHeader',
	'algNone',
	'hs256WithPublicKey',
	'unknownKid',
	'badSignature',
	'tamperedPayload',
	'expired',
	'notYetValid',
	'wrongAudience',
	'wrongIssuer',
	'wrongTenant',
	'otherApp',
] as const;

export type ForgeryKind = (typeof FORGERY_KINDS)[number];

export interface TokenAudience {
	clientId: string;
	tenantId: string;
}

/** The claims the calling platform puts in a notification token for this app. */
export function validClaims(app: TokenAudience, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
	return {
		iss: 'https://api.botframework.com',
		aud: app.clientId,
		tid: app.tenantId,
		serviceurl: 'https://pma.plat.skype.com:6448/',
		iat: nowSeconds,
		nbf: nowSeconds - 5,
		exp: nowSeconds + 3600,
	};
}

function flipLastSignatureByte(token: string): string {
	const [header, payload, signature] = token.split('.');
	const bytes = Buffer.from(signature, 'base64url');
	bytes[bytes.length - 1] ^= 0x01;
	return `${header}.${payload}.${bytes.toString('base64url')}`;
}

function withPayload(token: string, payload: Record<string, unknown>): string {
	const [header, , signature] = token.split('.');
	return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

/** The Authorization header value for a valid token, or for one forgery (undefined: no header at all). */
export function authorizationFor(
	kind: ForgeryKind | 'valid',
	signer: NotificationSigner,
	app: TokenAudience,
	nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
	const claims = validClaims(app, nowSeconds);
	const bearer = (token: string) => `Bearer ${token}`;
	switch (kind) {
		case 'valid':
			return bearer(signer.sign(claims));
		case 'missingHeader':
			return undefined;
		case 'algNone':
			return bearer(unsignedToken(claims, signer.current.kid));
		case 'hs256WithPublicKey':
			return bearer(signHs256WithPublicKey(claims, signer.current));
		case 'unknownKid':
			return bearer(signRs256(claims, newSigningKey('attacker')));
		case 'badSignature':
			return bearer(flipLastSignatureByte(signer.sign(claims)));
		case 'tamperedPayload':
			return bearer(withPayload(signer.sign(claims), { ...claims, exp: nowSeconds + 30 * 24 * 3600 }));
		case 'expired':
			return bearer(signer.sign({ ...claims, iat: nowSeconds - 7200, nbf: nowSeconds - 7200, exp: nowSeconds - 3600 }));
		case 'notYetValid':
			return bearer(signer.sign({ ...claims, nbf: nowSeconds + 3600, exp: nowSeconds + 7200 }));
		case 'wrongAudience':
			return bearer(signer.sign({ ...claims, aud: 'https://graph.microsoft.com' }));
		case 'wrongIssuer':
			return bearer(signer.sign({ ...claims, iss: 'https://sts.windows.net/attacker/' }));
		case 'wrongTenant':
			return bearer(signer.sign({ ...claims, tid: randomUUID() }));
		case 'otherApp':
			return bearer(signer.sign({ ...claims, aud: randomUUID() }));
	}
}
