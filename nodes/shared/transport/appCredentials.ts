import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';

import { CALLING_PLATFORM_OPENID_CONFIG, type CloudName, NAMED_CLOUDS } from './clouds';
import { normalisePem } from './pem';

/** The credential as n8n hands it over (field names are public API, see MicrosoftGraphAppApi.credentials.ts). */
export interface GraphAppCredentialData {
	cloud?: string;
	tenantId?: string;
	clientId?: string;
	authentication?: string;
	clientSecret?: string;
	certificate?: string;
	certificatePrivateKey?: string;
	certificatePassphrase?: string;
	certificateThumbprint?: string;
	authorityHost?: string;
	graphBaseUrl?: string;
	caCertificate?: string;
	notificationOpenIdConfigUrl?: string;
}

export type ClientProof =
	| { kind: 'secret'; clientSecret: string }
	| {
			kind: 'certificate';
			/** Unencrypted PKCS#8 PEM: MSAL signs with it as is. */
			privateKeyPem: string;
			thumbprintSha256?: string;
			thumbprintSha1?: string;
			/** The public certificate (and chain) to send as x5c, when one was given. */
			x5cPem?: string;
	  };

/** A validated, normalised credential: everything the token provider and the transport need. */
export interface GraphAppConfig {
	cloud: CloudName;
	tenantId: string;
	clientId: string;
	graphBaseUrl: string;
	graphOrigin: string;
	authorityHost: string;
	callsApi: boolean;
	proof: ClientProof;
	caCertificatePem?: string;
	/** The OpenID configuration naming the keys that sign call notifications; undefined for a Custom cloud without one. */
	notificationOpenIdConfigUrl?: string;
	/** A hash of everything above, never the secret in clear: one MSAL application per distinct key. */
	key: string;
}

export class CredentialConfigError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const CLOUDS: readonly CloudName[] = ['global', 'usGov', 'usGovDod', 'china', 'custom'];

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function fail(field: string, label: string, problem: string): never {
	throw new CredentialConfigError(field, `Credential field "${label}" ${problem}`);
}

function httpsBaseUrl(value: unknown, field: string, label: string): string {
	const raw = text(value);
	if (!raw) fail(field, label, 'is required for the Custom cloud');
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		fail(field, label, `is not a valid URL: "${raw}"`);
	}
	if (url.protocol !== 'https:') {
		fail(field, label, `must use https:// (got ${url.protocol}//): tokens are never sent over plain HTTP`);
	}
	if (url.username || url.password || url.search || url.hash) {
		fail(field, label, 'must be a plain https://host[:port][/path] URL without credentials, query or fragment');
	}
	return url.toString().replace(/\/+$/, '');
}

function normaliseThumbprint(value: string): string {
	return value.replace(/[\s:]/g, '').toUpperCase();
}

function certificateProof(data: GraphAppCredentialData): ClientProof {
	const keyText = normalisePem(text(data.certificatePrivateKey));
	if (!keyText) fail('certificatePrivateKey', 'Private Key', 'is required for certificate authentication');
	let privateKeyPem: string;
	try {
		const passphrase = data.certificatePassphrase ? data.certificatePassphrase : undefined;
		privateKeyPem = createPrivateKey({ key: keyText, format: 'pem', passphrase })
			.export({ format: 'pem', type: 'pkcs8' })
			.toString();
	} catch {
		fail(
			'certificatePrivateKey',
			'Private Key',
			'could not be read: give a PEM private key (PKCS#8 or PKCS#1) and, if it is encrypted, its passphrase',
		);
	}
	const certificateText = normalisePem(text(data.certificate));
	let thumbprintSha256: string | undefined;
	let x5cPem: string | undefined;
	if (certificateText) {
		let leaf: X509Certificate;
		try {
			leaf = new X509Certificate(certificateText);
		} catch {
			fail('certificate', 'Certificate', 'is not a PEM certificate (-----BEGIN CERTIFICATE----- …)');
		}
		if (!leaf.checkPrivateKey(createPrivateKey(privateKeyPem))) {
			fail('certificate', 'Certificate', 'does not match the private key');
		}
		thumbprintSha256 = createHash('sha256').update(leaf.raw).digest('hex').toUpperCase();
		x5cPem = certificateText;
	}
	const thumbprint = normaliseThumbprint(text(data.certificateThumbprint));
	if (thumbprint && !/^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(thumbprint)) {
		fail('certificateThumbprint', 'Certificate Thumbprint', 'must be hex SHA-256 (64 characters) or SHA-1 (40 characters)');
	}
	if (thumbprint.length === 64 && thumbprintSha256 && thumbprint !== thumbprintSha256) {
		fail('certificateThumbprint', 'Certificate Thumbprint', 'does not match the certificate');
	}
	if (!thumbprintSha256 && thumbprint.length === 64) thumbprintSha256 = thumbprint;
	const thumbprintSha1 = !thumbprintSha256 && thumbprint.length === 40 ? thumbprint : undefined;
	if (!thumbprintSha256 && !thumbprintSha1) {
		fail('certificate', 'Certificate', 'or "Certificate Thumbprint" is required for certificate authentication');
	}
	return { kind: 'certificate', privateKeyPem, thumbprintSha256, thumbprintSha1, x5cPem };
}

function clientProof(data: GraphAppCredentialData): ClientProof {
	const authentication = text(data.authentication) || 'clientSecret';
	if (authentication === 'certificate') return certificateProof(data);
	if (authentication !== 'clientSecret') {
		fail('authentication', 'Authentication', `must be "clientSecret" or "certificate" (got "${authentication}")`);
	}
	// A secret is used exactly as typed: Entra secrets may legitimately end in characters that look like padding.
	const clientSecret = typeof data.clientSecret === 'string' ? data.clientSecret : '';
	if (!clientSecret.trim()) fail('clientSecret', 'Client Secret', 'is required');
	return { kind: 'secret', clientSecret };
}

function endpoints(cloud: CloudName, data: GraphAppCredentialData) {
	if (cloud !== 'custom') return NAMED_CLOUDS[cloud];
	return {
		graphBaseUrl: httpsBaseUrl(data.graphBaseUrl, 'graphBaseUrl', 'Graph Base URL'),
		authorityHost: httpsBaseUrl(data.authorityHost, 'authorityHost', 'Authority Host'),
		callsApi: true,
	};
}

/** Validates the credential and turns it into what the transport uses. Throws CredentialConfigError naming the field. */
export function parseGraphAppCredentials(data: GraphAppCredentialData): GraphAppConfig {
	const cloud = (text(data.cloud) || 'global') as CloudName;
	if (!CLOUDS.includes(cloud)) fail('cloud', 'Cloud', `must be one of ${CLOUDS.join(', ')} (got "${cloud}")`);
	const tenantId = text(data.tenantId);
	if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) {
		fail('tenantId', 'Tenant ID', 'must be a directory (tenant) ID such as 00000000-0000-0000-0000-000000000000 or a domain such as contoso.onmicrosoft.com');
	}
	const clientId = text(data.clientId);
	if (!GUID.test(clientId)) {
		fail('clientId', 'Client ID', 'must be the application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000');
	}
	const { graphBaseUrl, authorityHost, callsApi } = endpoints(cloud, data);
	const proof = clientProof(data);
	const caCertificatePem = cloud === 'custom' ? normalisePem(text(data.caCertificate)) || undefined : undefined;
	if (caCertificatePem) {
		try {
			new X509Certificate(caCertificatePem);
		} catch {
			fail('caCertificate', 'CA Certificate', 'is not a PEM certificate');
		}
	}
	const notificationOpenIdConfigUrl =
		cloud !== 'custom'
			? CALLING_PLATFORM_OPENID_CONFIG
			: text(data.notificationOpenIdConfigUrl)
				? httpsBaseUrl(data.notificationOpenIdConfigUrl, 'notificationOpenIdConfigUrl', 'Notification OpenID Configuration URL')
				: undefined;
	const key = createHash('sha256')
		.update(JSON.stringify([cloud, tenantId, clientId, graphBaseUrl, authorityHost, proof, caCertificatePem ?? '']))
		.digest('hex');
	return {
		cloud,
		tenantId,
		clientId,
		graphBaseUrl,
		graphOrigin: new URL(graphBaseUrl).origin,
		authorityHost,
		callsApi,
		proof,
		caCertificatePem,
		notificationOpenIdConfigUrl,
		key,
	};
}
