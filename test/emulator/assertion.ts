/** Verification of client assertions (RFC 7523 JWTs signed with the app's certificate), as Entra does. */
import { constants, createHash, KeyObject, verify, X509Certificate } from 'node:crypto';
import type { AssertionInfo } from './types';
import { isRecord } from './httpUtil';

export interface RegisteredCertificate {
	thumbprintSha256Hex: string;
	thumbprintSha1Hex: string;
	publicKey: KeyObject;
}

export interface AssertionFailure {
	status: number;
	error: string;
	code: number;
	text: string;
}

export interface AssertionCheck {
	clientId: string;
	certificates: RegisteredCertificate[];
	/** Accepted `aud` values, lower-case, without query. */
	audiences: Set<string>;
	nowSeconds: number;
}

export function registeredCertificate(pem: string): RegisteredCertificate {
	const cert = new X509Certificate(pem);
	return {
		thumbprintSha256Hex: createHash('sha256').update(cert.raw).digest('hex').toUpperCase(),
		thumbprintSha1Hex: createHash('sha1').update(cert.raw).digest('hex').toUpperCase(),
		publicKey: cert.publicKey,
	};
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

const MALFORMED: AssertionFailure = {
	status: 400,
	error: 'invalid_request',
	code: 50027,
	text: 'JWT token is invalid or malformed.',
};

function signatureFailure(reason: string): AssertionFailure {
	return {
		status: 401,
		error: 'invalid_client',
		code: 700027,
		text: `Client assertion failed signature validation. [Reason - ${reason}]`,
	};
}

/** Returns undefined when the assertion is valid, else the Entra error to answer. Fills `info`. */
export function verifyAssertion(
	assertion: string,
	check: AssertionCheck,
	onInfo: (info: AssertionInfo) => void,
): AssertionFailure | undefined {
	const parts = assertion.split('.');
	if (parts.length !== 3) return MALFORMED;
	const header = decodeJsonPart(parts[0]);
	const payload = decodeJsonPart(parts[1]);
	if (!header || !payload) return MALFORMED;

	const alg = typeof header.alg === 'string' ? header.alg : '';
	const x5c = Array.isArray(header.x5c) ? header.x5c : undefined;
	let thumbprintHeader = 'none';
	let thumbprintHex: string | undefined;
	let useSha256 = true;
	if (typeof header['x5t#S256'] === 'string') {
		thumbprintHeader = 'x5t#S256';
		thumbprintHex = Buffer.from(header['x5t#S256'], 'base64url').toString('hex').toUpperCase();
	} else if (typeof header.x5t === 'string') {
		thumbprintHeader = 'x5t';
		thumbprintHex = Buffer.from(header.x5t, 'base64url').toString('hex').toUpperCase();
		useSha256 = false;
	} else if (x5c && typeof x5c[0] === 'string') {
		thumbprintHex = createHash('sha256').update(Buffer.from(x5c[0], 'base64')).digest('hex').toUpperCase();
	}
	onInfo({ alg, thumbprintHeader, hasX5c: x5c !== undefined, x5cCount: x5c?.length ?? 0 });

	if (thumbprintHex === undefined) {
		return signatureFailure('The key was not found. No thumbprint (x5t#S256 or x5t) in the header.');
	}
	const registered = check.certificates.find((c) =>
		useSha256 ? c.thumbprintSha256Hex === thumbprintHex : c.thumbprintSha1Hex === thumbprintHex,
	);
	if (!registered) {
		return signatureFailure(
			`The key was not found. The certificate with thumbprint '${thumbprintHex}' used to sign the client assertion ` +
				`is not registered on application '${check.clientId}'.`,
		);
	}

	const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`, 'utf8');
	const signature = Buffer.from(parts[2], 'base64url');
	let valid = false;
	try {
		if (alg === 'PS256') {
			valid = verify(
				'sha256',
				signingInput,
				{
					key: registered.publicKey,
					padding: constants.RSA_PKCS1_PSS_PADDING,
					saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
				},
				signature,
			);
		} else if (alg === 'RS256') {
			valid = verify('sha256', signingInput, registered.publicKey, signature);
		} else {
			return signatureFailure(`The signing algorithm '${alg}' is not supported.`);
		}
	} catch {
		valid = false;
	}
	if (!valid) return signatureFailure('The provided signature value did not match the expected signature value.');

	if (payload.iss !== check.clientId || payload.sub !== check.clientId) {
		return {
			status: 401,
			error: 'invalid_client',
			code: 700021,
			text: `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`,
		};
	}
	const aud = typeof payload.aud === 'string' ? payload.aud.split('?')[0].toLowerCase() : '';
	if (!check.audiences.has(aud)) {
		return {
			status: 401,
			error: 'invalid_client',
			code: 700023,
			text: `Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`,
		};
	}
	const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
	const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined;
	if (exp === undefined || exp <= check.nowSeconds || (nbf !== undefined && nbf > check.nowSeconds + 300)) {
		return {
			status: 401,
			error: 'invalid_client',
			code: 700024,
			text:
				`Client assertion is not within its valid time range. Current time: ${new Date(check.nowSeconds * 1000).toISOString()}, ` +
				`assertion valid from ${nbf === undefined ? 'unknown' : new Date(nbf * 1000).toISOString()}, ` +
				`expiry time of assertion ${exp === undefined ? 'unknown' : new Date(exp * 1000).toISOString()}.`,
		};
	}
	return undefined;
}
