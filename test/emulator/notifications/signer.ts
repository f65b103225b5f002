/** The emulated Teams calling platform's signing keys: RS256 keys published as a JWKS, rotated on demand. */
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface SigningKey {
	kid: string;
	privateKey: KeyObject;
	publicKey: KeyObject;
}

function base64urlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function newSigningKey(kidPrefix = 'emu-key'): SigningKey {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { kid: `${kidPrefix}-${randomBytes(6).toString('hex')}`, privateKey, publicKey };
}

/** A compact JWS signed RS256 with `key` (header fields may be overridden to forge). */
export function signRs256(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
	const input = `${base64urlJson({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${base64urlJson(payload)}`;
	return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** The classic confusion attack: HS256 with the verifier's public key (PEM text) as the shared secret. */
export function signHs256WithPublicKey(payload: Record<string, unknown>, key: SigningKey): string {
	const secret = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
	const input = `${base64urlJson({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${base64urlJson(payload)}`;
	return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** An unsigned token (`alg: none`). */
export function unsignedToken(payload: Record<string, unknown>, kid: string): string {
	return `${base64urlJson({ alg: 'none', typ: 'JWT', kid })}.${base64urlJson(payload)}.`;
}

export class NotificationSigner {
	/** Published keys, newest first; the first one signs. */
	private keys: SigningKey[] = [newSigningKey()];

	get current(): SigningKey {
		return this.keys[0];
	}

	/** A new key signs from now on; the old one stays published when `keepPrevious` (as platforms do during a roll-over). */
	rotate(keepPrevious = false): string {
		this.keys = [newSigningKey(), ...(keepPrevious ? this.keys : [])];
		return this.current.kid;
	}

	jwks(): { keys: Array<Record<string, unknown>> } {
		return {
			keys: this.keys.map((key) => ({
				...(key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
				kid: key.kid,
				use: 'sig',
				alg: 'RS256',
			})),
		};
	}

	sign(payload: Record<string, unknown>): string {
		return signRs256(payload, this.current);
	}
}
