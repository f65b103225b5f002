import { AuthError, ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';

import type { GraphAppConfig } from './appCredentials';
import { MICROSOFT_AUTHORITY_HOSTS } from './clouds';
import { explainEntraError } from './entraErrors';
import { ProcessCache } from '../processCache';
import { MsalNetworkClient } from './msalNetworkClient';

/** A token could not be had. The message is for the user: it never holds a secret. */
export class TokenError extends Error {
	constructor(
		message: string,
		readonly reason: 'entra' | 'network' | 'throttled',
	) {
		super(message);
		this.name = 'TokenError';
	}
}

/** Renew a little before MSAL's own 5-minute margin, so that our shortcut never hands out a token MSAL would renew. */
const RENEW_BEFORE_EXPIRY_MS = 6 * 60_000;

function authorityMetadata(config: GraphAppConfig): string {
	const base = `${config.authorityHost}/${config.tenantId}`;
	return JSON.stringify({
		token_endpoint: `${base}/oauth2/v2.0/token`,
		authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
		end_session_endpoint: `${base}/oauth2/v2.0/logout`,
		issuer: `${base}/v2.0`,
		jwks_uri: `${base}/discovery/v2.0/keys`,
		token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
		response_types_supported: ['code', 'id_token', 'token'],
		response_modes_supported: ['query', 'fragment', 'form_post'],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		http_logout_supported: true,
		frontchannel_logout_supported: true,
	});
}

function msalConfiguration(config: GraphAppConfig, networkClient: MsalNetworkClient): Configuration {
	const host = new URL(config.authorityHost).host;
	const { proof } = config;
	return {
		auth: {
			clientId: config.clientId,
			authority: `${config.authorityHost}/${config.tenantId}`,
			authorityMetadata: authorityMetadata(config),
			...(MICROSOFT_AUTHORITY_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
			...(proof.kind === 'secret'
				? { clientSecret: proof.clientSecret }
				: {
						clientCertificate: {
							privateKey: proof.privateKeyPem,
							...(proof.thumbprintSha256 ? { thumbprintSha256: proof.thumbprintSha256 } : { thumbprint: proof.thumbprintSha1 }),
							...(proof.x5cPem ? { x5c: proof.x5cPem } : {}),
						},
					}),
		},
		system: {
			networkClient,
			// MSAL's logs may hold request details: keep them off.
			loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
		},
	};
}

/**
 * One MSAL application per distinct credential, kept for the process: a token is fetched once and reused across
 * items and executions until it nears expiry. Concurrent callers share one token request.
 */
export class GraphTokenProvider {
	private readonly networkClient: MsalNetworkClient;
	private readonly app: ConfidentialClientApplication;
	private readonly scope: string;
	private token?: { value: string; renewAt: number };
	private inFlight?: Promise<string>;

	constructor(private readonly config: GraphAppConfig) {
		this.networkClient = new MsalNetworkClient(config.caCertificatePem);
		this.app = new ConfidentialClientApplication(msalConfiguration(config, this.networkClient));
		this.scope = `${config.graphBaseUrl}/.default`;
	}

	/** A valid access token, from memory when possible. */
	async getToken(): Promise<string> {
		if (this.token && Date.now() < this.token.renewAt) return this.token.value;
		return await this.acquire(false);
	}

	/** After Graph refused `rejected` as invalid: a fresh token, fetched once however many callers saw it rejected. */
	async refreshAfterRejection(rejected: string): Promise<string> {
		if (this.token && this.token.value !== rejected && Date.now() < this.token.renewAt) return this.token.value;
		if (this.inFlight) return await this.inFlight;
		this.token = undefined;
		return await this.acquire(true);
	}

	private async acquire(skipCache: boolean): Promise<string> {
		if (!this.inFlight) {
			this.inFlight = this.requestToken(skipCache).finally(() => {
				this.inFlight = undefined;
			});
		}
		return await this.inFlight;
	}

	private async requestToken(skipCache: boolean): Promise<string> {
		try {
			const result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache });
			if (!result?.accessToken) throw new TokenError('Microsoft Entra ID returned no access token', 'entra');
			const expiresAt = result.expiresOn ? result.expiresOn.getTime() : Date.now() + 5 * 60_000;
			this.token = { value: result.accessToken, renewAt: Math.max(Date.now(), expiresAt - RENEW_BEFORE_EXPIRY_MS) };
			return result.accessToken;
		} catch (error) {
			throw this.explain(error);
		}
	}

	private explain(error: unknown): TokenError {
		if (error instanceof TokenError) return error;
		const { lastTransportError, lastStatus } = this.networkClient;
		if (lastTransportError) {
			return new TokenError(`Could not get a token from Microsoft Entra ID: ${lastTransportError.message}`, 'network');
		}
		if (lastStatus === 429 || (lastStatus !== undefined && lastStatus >= 500)) {
			// MSAL would refuse this exact request on this application for a while: the next run starts clean.
			forgetProvider(this.config.key);
			const host = new URL(this.config.authorityHost).host;
			const what = lastStatus === 429 ? 'is throttling token requests' : 'is unavailable';
			return new TokenError(`Microsoft Entra ID (${host}) ${what} (HTTP ${lastStatus}, after retries). Try again later.`, 'throttled');
		}
		if (error instanceof AuthError) return new TokenError(explainEntraError(error.errorCode, error.errorMessage), 'entra');
		return new TokenError('Could not get a token from Microsoft Entra ID (unexpected error)', 'entra');
	}
}

/** Distinct credential versions whose MSAL application (and token) this process keeps. */
export const MAX_CACHED_CREDENTIALS = 100;
const providers = new ProcessCache<GraphTokenProvider>(MAX_CACHED_CREDENTIALS);

/** The process-wide provider for this credential (keyed by a hash of its fields, never the secret itself). */
export function tokenProviderFor(config: GraphAppConfig): GraphTokenProvider {
	return providers.getOrCreate(config.key, () => new GraphTokenProvider(config));
}

export function forgetProvider(key: string): void {
	providers.delete(key);
}
