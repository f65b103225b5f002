import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { sleep } from 'n8n-workflow';

import { backoffMs, retryDelayMs } from './retryPolicy';
import { sendHttp, TransportError } from './httpClient';

const TOKEN_TIMEOUT_MS = 20_000;
const TOKEN_MAX_BYTES = 1_000_000;
const TOKEN_ATTEMPTS = 3;

/**
 * MSAL's network client, over our HTTP stack (proxy, extra CA, timeouts). A token request is safe to repeat,
 * so 429 and 5xx are retried here, honouring Retry-After, before MSAL sees them (MSAL would otherwise refuse
 * identical requests on this application for a minute).
 */
export class MsalNetworkClient implements INetworkModule {
	/** The transport failure of the latest request, so a token error can name the host and the reason. */
	lastTransportError?: TransportError;
	/** The HTTP status of the latest answer (429 and 5xx mean Entra, not the credential, is the problem). */
	lastStatus?: number;

	constructor(private readonly caPem: string | undefined) {}

	async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		return await this.send<T>('GET', url, options, timeout);
	}

	async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
		return await this.send<T>('POST', url, options);
	}

	private async send<T>(
		method: 'GET' | 'POST',
		url: string,
		options: NetworkRequestOptions | undefined,
		timeout?: number,
	): Promise<NetworkResponse<T>> {
		for (let attempt = 1; ; attempt++) {
			this.lastTransportError = undefined;
			this.lastStatus = undefined;
			const response = await sendHttp({
					method,
					url,
					headers: options?.headers,
					body: options?.body,
					timeoutMs: timeout ?? TOKEN_TIMEOUT_MS,
					maxBytes: TOKEN_MAX_BYTES,
					caPem: this.caPem,
				}).catch((error: unknown) => {
					if (error instanceof TransportError) this.lastTransportError = error;
					return undefined;
				});
			if (!response) {
				// A token request is safe to repeat: a dropped connection or a timeout gets another try.
				const failure = (this.lastTransportError as TransportError | undefined)?.failure;
				const transient = failure === 'reset' || failure === 'timeout' || failure === 'other';
				if (transient && attempt < TOKEN_ATTEMPTS) {
					await sleep(backoffMs(attempt));
					continue;
				}
				// MSAL turns this into network_error; the token provider names the cause from lastTransportError.
				throw new TokenTransportFailure();
			}
			this.lastStatus = response.status;
			const retryable = response.status === 429 || response.status >= 500;
			const delay = retryable && attempt < TOKEN_ATTEMPTS ? retryDelayMs(response.headers['retry-after'], attempt) : undefined;
			if (delay === undefined) {
				return { status: response.status, headers: response.headers, body: parseTokenBody(response.status, response.text, url) as T };
			}
			await sleep(delay);
		}
	}
}

/** Thrown to MSAL when no answer came; the details stay in lastTransportError (never the request). */
class TokenTransportFailure extends Error {
	constructor() {
		super('no answer from the token endpoint');
		this.name = 'TokenTransportFailure';
	}
}

function parseTokenBody(status: number, text: string, url: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return {
			error: 'invalid_response',
			error_description: `HTTP ${status} from ${new URL(url).host} with an answer that is not JSON`,
		};
	}
}
