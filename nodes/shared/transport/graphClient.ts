import { randomUUID } from 'node:crypto';

import { type IDataObject, type INode, type JsonObject, NodeApiError, type NodeOperationError } from 'n8n-workflow';

import type { GraphAppConfig } from './appCredentials';
import { type GraphAction, graphErrorDetails, graphErrorMessage, INVITATION_NOT_RESENT } from './graphErrors';
import { graphUrl, type ODataFunctionCall, sameOriginUrl, UnsafeUrlError } from './graphUrl';
import { type HttpResponse, sendHttp, TransportError } from './httpClient';
import { backoffMs, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelayMs } from './retryPolicy';
import { type AppThrottle, appThrottleFor } from './appThrottle';
import { apiError, operationError } from './nodeErrors';
import { pause } from './pause';
import { type GraphTokenProvider, TokenError } from './tokenProvider';

export interface GraphRequest {
	action: GraphAction;
	method: 'GET' | 'POST' | 'DELETE';
	/** Path segments after /v1.0 (each percent-encoded), or an absolute URL that Graph handed back. */
	path: ReadonlyArray<string | ODataFunctionCall> | { url: string; what: string };
	/** Query parameters for a path (e.g. `$filter`); a URL Graph handed back is requested as it is. */
	query?: Record<string, string>;
	body?: IDataObject;
	itemIndex: number;
	/**
	 * Whether sending it twice does no harm. A request that is not (invite, join, play a prompt …) is re-sent only when
	 * Graph's answer proves the first was not processed: 429 (throttled), or 401 InvalidAuthenticationToken (a fresh
	 * token). Never after a 503 (Retry-After or not: only 429 is promised unprocessed), a timeout, a reset or a 504.
	 */
	idempotent: boolean;
}

export interface GraphResponse {
	status: number;
	headers: Record<string, string>;
	body: IDataObject | undefined;
	/** Whether an earlier attempt of this request may have reached Graph without its answer arriving. */
	earlierAttemptMayHaveArrived: boolean;
}

export interface GraphClientOptions {
	timeoutMs?: number;
	maxBytes?: number;
	/** Attempts for failures other than throttling (first try included). */
	maxAttempts?: number;
	/** Attempts allowed while Graph answers 429. */
	maxThrottledAttempts?: number;
	/** The run's cancel signal (n8n's Stop): no request starts after it aborts, waits end and requests under way are aborted. */
	signal?: AbortSignal;
}

/** The state of one logical request across its attempts. */
interface Attempts {
	failures: number;
	throttled: number;
	tokenRefreshes: number;
	mayHaveArrived: boolean;
}

type Verdict = { done: GraphResponse } | { retryAfterMs: number; throttled: boolean } | { refreshToken: true } | { fail: NodeApiError };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** A token Graph refuses is renewed (once for all requests that saw it refused); twice per request at most. */
const MAX_TOKEN_REFRESHES = 2;

/**
 * The only way the node talks to Graph: one per run, shared by all items. Its throttle is the app's, shared with
 * every other run in this process that uses the same app and tenant.
 */
export class GraphClient {
	readonly throttle: AppThrottle;
	/** How long one request may wait for its answer (ms). */
	readonly timeoutMs: number;
	private readonly maxBytes: number;
	private readonly maxAttempts: number;
	private readonly maxThrottledAttempts: number;
	/** Aborts when the run is stopped. */
	readonly signal?: AbortSignal;

	constructor(
		private readonly node: INode,
		readonly config: GraphAppConfig,
		private readonly tokens: GraphTokenProvider,
		options: GraphClientOptions = {},
	) {
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.maxBytes = options.maxBytes ?? 5_000_000;
		this.maxAttempts = options.maxAttempts ?? 4;
		this.maxThrottledAttempts = options.maxThrottledAttempts ?? 10;
		this.throttle = appThrottleFor(config);
		this.signal = options.signal;
	}

	/**
	 * A client for one last request after the run was stopped (hanging up a call the run placed): the run's signal does
	 * not cut it short, and it is tried `maxAttempts` times at most, throttled or not.
	 */
	afterStop(maxAttempts: number, timeoutMs: number): GraphClient {
		const options = { timeoutMs, maxBytes: this.maxBytes, maxAttempts, maxThrottledAttempts: maxAttempts };
		return new GraphClient(this.node, this.config, this.tokens, options);
	}

	/** Whether the run was stopped (n8n's Stop). */
	get stopped(): boolean {
		return this.signal?.aborted === true;
	}

	/** Waits `ms` (e.g. between polls), ending early when the run is stopped. */
	async pause(ms: number): Promise<void> {
		await pause(ms, this.signal);
	}

	/** The error of an item whose work the Stop interrupted. */
	stoppedError(itemIndex: number): NodeOperationError {
		return operationError(this.node, `The run was stopped before item ${itemIndex} finished`, { itemIndex });
	}

	/** The node the errors are about. */
	get nodeRef(): INode {
		return this.node;
	}

	async request(request: GraphRequest): Promise<GraphResponse> {
		const url = this.resolveUrl(request);
		const clientRequestId = randomUUID();
		const state: Attempts = { failures: 0, throttled: 0, tokenRefreshes: 0, mayHaveArrived: false };
		for (;;) {
			await this.throttle.acquire(async (ms) => await this.pause(ms), this.signal);
			if (this.stopped) throw this.stoppedError(request.itemIndex);
			const token = await this.token(request, async () => await this.tokens.getToken());
			const verdict = await this.attempt(request, url, token, clientRequestId, state);
			if ('done' in verdict) return verdict.done;
			if ('fail' in verdict) throw verdict.fail;
			if ('refreshToken' in verdict) {
				await this.token(request, async () => await this.tokens.refreshAfterRejection(token));
			} else if (!verdict.throttled) {
				await this.pause(verdict.retryAfterMs);
			} // throttled: the app's throttle holds this request (and every other) until the wait is over
		}
	}

	/** Sends once and decides: done, retry (after how long), refresh the token, or fail. */
	private async attempt(request: GraphRequest, url: string, token: string, clientRequestId: string, state: Attempts): Promise<Verdict> {
		const sentAt = Date.now();
		const sent = await sendHttp({
			method: request.method,
			url,
			headers: {
				authorization: `Bearer ${token}`,
				accept: 'application/json',
				'client-request-id': clientRequestId,
				...(request.body ? { 'content-type': 'application/json' } : {}),
			},
			body: request.body ? JSON.stringify(request.body) : undefined,
			timeoutMs: this.timeoutMs,
			maxBytes: this.maxBytes,
			caPem: this.config.caCertificatePem,
			signal: this.signal,
		}).then(
			(response) => ({ response }),
			(error: unknown) => ({
				failure: error instanceof TransportError ? error : new TransportError('other', new URL(url).host, 'unexpected failure', true),
			}),
		);
		if ('failure' in sent) return this.afterTransportFailure(request, sent.failure, state);
		const { response } = sent;
		const { status } = response;
		if (status !== 429) this.throttle.acceptedAt(sentAt);
		if (status === 401 && state.tokenRefreshes < MAX_TOKEN_REFRESHES && /InvalidAuthenticationToken/.test(response.text)) {
			state.tokenRefreshes++; // Graph did not process it: a fresh token and the same request again
			return { refreshToken: true };
		}
		if (RETRYABLE_STATUS.has(status)) {
			const retry = this.retryForStatus(request, response, state, sentAt);
			if (retry) return retry;
		}
		if (status < 200 || status >= 300) return { fail: this.graphError(request, response, state.mayHaveArrived, token) };
		const body = response.text.trim() ? parseJson(response.text) : undefined;
		if (body !== null) return { done: { status, headers: response.headers, body, earlierAttemptMayHaveArrived: state.mayHaveArrived } };
		state.failures++;
		state.mayHaveArrived = true; // a 2xx, however garbled, means Graph did the work
		if (request.idempotent && state.failures < this.maxAttempts) return { retryAfterMs: backoffMs(state.failures), throttled: false };
		return { fail: this.unreadableAnswer(request, response) };
	}

	private afterTransportFailure(request: GraphRequest, failure: TransportError, state: Attempts): Verdict {
		state.failures++;
		state.mayHaveArrived ||= failure.mayHaveArrived;
		if (request.idempotent && failure.failure !== 'tls' && failure.failure !== 'stopped' && state.failures < this.maxAttempts) {
			return { retryAfterMs: backoffMs(state.failures), throttled: false };
		}
		return { fail: this.transportError(request, failure) };
	}

	/** 429/502/503/504: a wait before the next attempt, or undefined when it may not (or need not) be sent again. */
	private retryForStatus(request: GraphRequest, response: HttpResponse, state: Attempts, sentAt: number): Verdict | undefined {
		const { status } = response;
		const retryAfter = response.headers['retry-after'];
		const throttled = status === 429;
		if (throttled) state.throttled++;
		else state.failures++;
		if (status === 504 || status === 502) state.mayHaveArrived = true;
		// Graph promises that a throttled request was not processed; a 503, even with Retry-After, promises nothing.
		const provenUnprocessed = throttled;
		const attemptsLeft = throttled ? state.throttled < this.maxThrottledAttempts : state.failures < this.maxAttempts;
		const wait = retryDelayMs(retryAfter, throttled ? state.throttled : state.failures);
		if (throttled && wait !== undefined) this.throttle.throttled(sentAt, wait);
		if (!(request.idempotent || provenUnprocessed) || !attemptsLeft || wait === undefined) return undefined;
		return { retryAfterMs: wait, throttled };
	}

	/** The URL for a path or a Graph-supplied URL; a Graph-supplied URL on another origin is refused before any request. */
	private resolveUrl(request: GraphRequest): string {
		const { path } = request;
		const resolved =
			'url' in path
				? checkUrl(() => sameOriginUrl(path.url, this.config.graphBaseUrl, path.what))
				: checkUrl(() => graphUrl(this.config.graphBaseUrl, path, request.query));
		if ('url' in resolved) return resolved.url;
		throw apiError(this.node, { message: resolved.problem } as JsonObject, {
			message: `Could not ${request.action.phrase}: ${resolved.problem}`,
			itemIndex: request.itemIndex,
		});
	}

	private async token(request: GraphRequest, get: () => Promise<string>): Promise<string> {
		const outcome = await get().then(
			(token) => ({ token }),
			(error: unknown) => ({ problem: error instanceof TokenError ? error.message : 'unexpected error', network: error instanceof TokenError && error.reason === 'network' }),
		);
		if ('token' in outcome) return outcome.token;
		throw apiError(this.node, { message: outcome.problem } as JsonObject, {
			// A network problem already reads "Could not get a token from Microsoft Entra ID: …".
			message: outcome.network ? outcome.problem : `Could not sign in to Microsoft Entra ID: ${outcome.problem}`,
			description: 'Check the Microsoft Graph App API credential; its Test button tries the same sign-in.',
			itemIndex: request.itemIndex,
		});
	}

	private unreadableAnswer(request: GraphRequest, response: HttpResponse): NodeApiError {
		const accepted = request.idempotent ? '' : ' Graph accepted the request; it was not sent again.';
		return apiError(this.node, { message: 'not JSON' } as JsonObject, {
			message: `Microsoft Graph answered HTTP ${response.status} to ${request.action.phrase}, but its answer is not valid JSON.${accepted}`,
			httpCode: String(response.status),
			itemIndex: request.itemIndex,
		});
	}

	private graphError(request: GraphRequest, response: HttpResponse, mayHaveArrived: boolean, token: string): NodeApiError {
		const details = graphErrorDetails(request.action, response.status, response.text, response.headers, this.config.clientId, token);
		let message = graphErrorMessage(request.action, details);
		const retryAfter = parseRetryAfter(response.headers['retry-after']);
		if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) {
			message += `. Graph asked to wait ${Math.ceil(retryAfter / 1000)} seconds before trying again, longer than the node waits (${MAX_RETRY_AFTER_MS / 1000} seconds)`;
		} else if (!request.idempotent && (mayHaveArrived || (RETRYABLE_STATUS.has(response.status) && response.status !== 429))) {
			message += `. It was not sent again: the request may have reached Graph, and ${(request.action.notResent ?? INVITATION_NOT_RESENT).risk}`;
		}
		const error = apiError(
			this.node,
			{ code: details.code ?? null, message: details.graphMessage ?? null, 'request-id': details.requestId ?? null } as JsonObject,
			{ message, description: details.hint, httpCode: String(response.status), itemIndex: request.itemIndex },
		);
		Object.assign(error, { graphStatus: response.status, graphCode: details.code, earlierAttemptMayHaveArrived: mayHaveArrived });
		return error;
	}

	private transportError(request: GraphRequest, error: TransportError): NodeApiError {
		const unsure =
			!request.idempotent && error.mayHaveArrived
				? notResentSentence(request.action)
				: '';
		return apiError(this.node, { message: error.message } as JsonObject, {
			message: `Could not ${request.action.phrase}: ${error.message}.${unsure}`,
			itemIndex: request.itemIndex,
		});
	}
}

/** " The request may have reached Graph: it was not sent again, to avoid …. Check … first." */
function notResentSentence(action: GraphAction): string {
	const { avoid, check } = action.notResent ?? INVITATION_NOT_RESENT;
	return ` The request may have reached Graph: it was not sent again, to avoid ${avoid}.${check ? ` ${check}` : ''}`;
}

/** A URL, or why it may not be requested. */
function checkUrl(build: () => string): { url: string } | { problem: string } {
	try {
		return { url: build() };
	} catch (error) {
		return { problem: error instanceof UnsafeUrlError ? error.message : 'the URL could not be built' };
	}
}

/** The parsed JSON object, or null when the text is not a JSON object. */
function parseJson(text: string): IDataObject | null {
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : null;
	} catch {
		return null;
	}
}

/** Reads what GraphClient attached to its errors (status, code, whether an earlier attempt may have arrived). */
export function graphFailure(error: unknown): { status?: number; code?: string; earlierAttemptMayHaveArrived?: boolean } {
	if (!(error instanceof NodeApiError)) return {};
	const { graphStatus, graphCode, earlierAttemptMayHaveArrived } = error as NodeApiError & {
		graphStatus?: number;
		graphCode?: string;
		earlierAttemptMayHaveArrived?: boolean;
	};
	return { status: graphStatus, code: graphCode, earlierAttemptMayHaveArrived };
}
