import axios, { type AxiosInstance, isAxiosError, isCancel } from 'axios';

import { ProcessCache } from '../processCache';
import { graphHttpsAgent } from './httpAgent';

export interface HttpRequest {
	method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
	url: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** Largest response body accepted, in bytes. */
	maxBytes: number;
	caPem?: string;
	/** Aborts the request (the run was stopped). */
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string>;
	text: string;
}

/** What went wrong before any HTTP answer arrived. `mayHaveArrived` is false only when the server surely never saw it. */
export type TransportFailure = 'timeout' | 'reset' | 'tls' | 'dns' | 'refused' | 'tooLarge' | 'stopped' | 'other';

export class TransportError extends Error {
	constructor(
		readonly failure: TransportFailure,
		readonly host: string,
		message: string,
		readonly mayHaveArrived: boolean,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

const TLS_CODES = new Set([
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
	'CERT_NOT_YET_VALID',
]);

function describeFailure(code: string | undefined, message: string, host: string): TransportError {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return new TransportError('timeout', host, `${host} did not answer in time`, true);
	}
	if (code && TLS_CODES.has(code)) {
		return new TransportError(
			'tls',
			host,
			`the TLS certificate of ${host} is not trusted (${code}); for a proxy or emulator with its own CA, add that CA to the credential`,
			false,
		);
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new TransportError('dns', host, `the host ${host} could not be found (${code})`, false);
	}
	if (code === 'ECONNREFUSED') {
		return new TransportError('refused', host, `${host} refused the connection`, false);
	}
	if (code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED' || /maxContentLength/i.test(message)) {
		return new TransportError('tooLarge', host, `the answer from ${host} was larger than allowed`, true);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
		return new TransportError('reset', host, `the connection to ${host} was closed before an answer`, true);
	}
	return new TransportError('other', host, `the request to ${host} failed (${code ?? message})`, true);
}

function stoppedBeforeAnswer(host: string): TransportError {
	return new TransportError('stopped', host, `the run was stopped before ${host} answered`, true);
}

/** Distinct extra CAs whose axios instance and agent this process keeps (a dropped agent's idle sockets close on their own timeout). */
export const MAX_CACHED_CAS = 32;
/** One axios instance per extra CA, with its keep-alive agent: connections are reused across items and executions. */
const instances = new ProcessCache<AxiosInstance>(MAX_CACHED_CAS);

function instanceFor(caPem?: string): AxiosInstance {
	return instances.getOrCreate(caPem ?? '', () =>
		axios.create({
			httpsAgent: graphHttpsAgent(caPem),
			proxy: false, // our agent tunnels through HTTPS_PROXY itself; axios' own proxying would not use CONNECT
			maxRedirects: 0, // a bearer token never follows a redirect
			responseType: 'text',
			transformResponse: [(data: unknown) => data],
			validateStatus: () => true,
		}),
	);
}

/** The agent this process uses for this extra CA (the one inside its cached axios instance). */
export function httpsAgentFor(caPem?: string): unknown {
	return instanceFor(caPem).defaults.httpsAgent;
}

function flatHeaders(headers: Record<string, unknown>): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return flat;
}

/** Sends the request with axios, returning any status as data; everything else becomes a TransportError without request details. */
async function send(request: HttpRequest, responseType: 'text' | 'arraybuffer'): Promise<{ status: number; headers: Record<string, string>; data: unknown }> {
	const host = new URL(request.url).host;
	if (!request.url.startsWith('https://')) {
		throw new TransportError('other', host, `refusing to send a request over plain HTTP to ${host}`, false);
	}
	// axios would still send a request whose signal aborted before it was created.
	if (request.signal?.aborted) throw new TransportError('stopped', host, `the run was stopped before the request to ${host} was sent`, false);
	try {
		const response = await instanceFor(request.caPem).request<unknown>({
			method: request.method,
			url: request.url,
			headers: request.headers,
			data: request.body,
			timeout: request.timeoutMs,
			maxContentLength: request.maxBytes,
			maxBodyLength: request.maxBytes,
			signal: request.signal,
			responseType,
		});
		return { status: response.status, headers: flatHeaders(response.headers as Record<string, unknown>), data: response.data };
	} catch (error) {
		// Never rethrow axios' error: it carries the request config, headers included.
		if (isCancel(error) || request.signal?.aborted) throw stoppedBeforeAnswer(host);
		if (isAxiosError(error)) throw describeFailure(error.code, error.message, host);
		const cause = error as { code?: string; message?: string };
		throw describeFailure(cause.code, String(cause.message ?? 'unknown error'), host);
	}
}

/** The one place that sends HTTP: returns any status as data, turns everything else into a TransportError without request details. */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
	const { status, headers, data } = await send(request, 'text');
	return { status, headers, text: typeof data === 'string' ? data : '' };
}

/** As sendHttp, for a file: the answer's bytes as they came (a recording). */
export async function sendHttpForBytes(request: HttpRequest): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }> {
	const { status, headers, data } = await send(request, 'arraybuffer');
	return { status, headers, bytes: Buffer.isBuffer(data) ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.alloc(0) };
}
