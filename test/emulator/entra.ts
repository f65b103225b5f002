/** The Entra (login) server: POST /{tenant}/oauth2/v2.0/token (client credentials) and the OpenID metadata. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state';
import { answerFault } from './faults';
import { guardedHandler, headerValue, newGuid, readBody, sendJson } from './httpUtil';
import { registeredCertificate, verifyAssertion, type RegisteredCertificate } from './assertion';

export interface EntraUrls {
	authorityHost: string;
	graphUrl: string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface Answer {
	status: number;
	body: unknown;
}

/** Entra's timestamp format: "2024-05-01 12:34:56Z". */
function entraTimestamp(now = new Date()): string {
	return now.toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

export function createEntraHandler(
	state: EmulatorState,
	urls: EntraUrls,
): (req: IncomingMessage, res: ServerResponse) => void {
	let certificates: RegisteredCertificate[] | undefined;
	const registered = (): RegisteredCertificate[] =>
		(certificates ??= [registeredCertificate(state.app.certificatePem)]);

	const entraError = (
		status: number,
		error: string,
		code: number,
		text: string,
		traceId: string,
		correlationId: string,
	): Answer => {
		const timestamp = entraTimestamp();
		return {
			status,
			body: {
				error,
				error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
				error_codes: [code],
				timestamp,
				trace_id: traceId,
				correlation_id: correlationId,
				error_uri: `${urls.authorityHost}/error?code=${code}`,
			},
		};
	};

	const defaultFaultBody = (status: number, traceId: string, correlationId: string): unknown => {
		if (status === 401) {
			return entraError(status, 'invalid_client', 7000215, 'Invalid client secret provided.', traceId, correlationId).body;
		}
		if (status === 429 || status >= 500) {
			return entraError(
				status,
				'temporarily_unavailable',
				90033,
				'A transient error has occurred. Please try again.',
				traceId,
				correlationId,
			).body;
		}
		return entraError(status, 'invalid_request', 90014, 'The request is invalid.', traceId, correlationId).body;
	};

	const audiences = (): Set<string> => {
		const set = new Set<string>();
		const hosts = [urls.authorityHost, urls.authorityHost.replace('127.0.0.1', 'localhost')];
		for (const host of hosts) {
			for (const tenant of [state.app.tenantId, state.app.tenantDomain]) {
				const base = `${host}/${tenant}`.toLowerCase();
				for (const suffix of ['', '/', '/v2.0', '/oauth2/v2.0/token', '/oauth2/token']) set.add(base + suffix);
			}
		}
		return set;
	};

	const processToken = (
		tenant: string,
		form: URLSearchParams,
		traceId: string,
		correlationId: string,
	): Answer => {
		const app = state.app;
		const fail = (status: number, error: string, code: number, text: string): Answer =>
			entraError(status, error, code, text, traceId, correlationId);
		const tenantId = state.resolveTenant(tenant);
		if (!tenantId) {
			return fail(
				400,
				'invalid_request',
				90002,
				`Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
					'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.',
			);
		}
		const clientId = form.get('client_id') ?? '';
		if (clientId.toLowerCase() !== app.clientId.toLowerCase()) {
			return fail(
				400,
				'unauthorized_client',
				700016,
				`Application with identifier '${clientId}' was not found in the directory '${tenant}'. ` +
					'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
					'You may have sent your authentication request to the wrong tenant.',
			);
		}
		const grantType = form.get('grant_type') ?? '';
		if (grantType !== 'client_credentials') {
			return fail(
				400,
				'unsupported_grant_type',
				70003,
				`The app requested an unsupported grant type '${grantType}'.`,
			);
		}
		const scope = form.get('scope') ?? '';
		if (scope !== `${urls.graphUrl}/.default`) {
			return fail(
				400,
				'invalid_scope',
				1002012,
				`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
			);
		}
		const secret = form.get('client_secret');
		const assertion = form.get('client_assertion');
		if (secret !== null) {
			if (secret !== app.clientSecret) {
				return fail(
					401,
					'invalid_client',
					7000215,
					'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ' +
						`not the client secret ID, for a secret added to app '${app.clientId}'.`,
				);
			}
			if (state.secretExpired) {
				return fail(
					401,
					'invalid_client',
					7000222,
					`The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: ` +
						'https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.',
				);
			}
		} else if (assertion !== null) {
			if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
				return fail(
					400,
					'invalid_request',
					90014,
					"The request body must contain the following parameter: 'client_assertion_type'.",
				);
			}
			const failure = verifyAssertion(
				assertion,
				{
					clientId: app.clientId,
					certificates: registered(),
					audiences: audiences(),
					nowSeconds: Math.floor(Date.now() / 1000),
				},
				(info) => {
					state.lastAssertion = info;
				},
			);
			if (failure) return fail(failure.status, failure.error, failure.code, failure.text);
		} else {
			return fail(
				401,
				'invalid_client',
				7000218,
				"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
			);
		}
		const { token } = state.issueToken(tenantId, app.clientId);
		const lifetime = state.options.tokenLifetimeSeconds;
		return {
			status: 200,
			body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token },
		};
	};

	const openIdConfiguration = (tenant: string): unknown => {
		const base = `${urls.authorityHost}/${tenant}`;
		return {
			token_endpoint: `${base}/oauth2/v2.0/token`,
			token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
			jwks_uri: `${urls.authorityHost}/${tenant}/discovery/v2.0/keys`,
			response_modes_supported: ['query', 'fragment', 'form_post'],
			subject_types_supported: ['pairwise'],
			id_token_signing_alg_values_supported: ['RS256'],
			response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
			scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
			issuer: `${urls.authorityHost}/${state.app.tenantId}/v2.0`,
			authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
			tenant_region_scope: 'EU',
		};
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = req.url ?? '/';
		const segments = url.split('?')[0].split('/').slice(1).map(decodeSegment);
		const method = req.method ?? 'GET';
		let route = 'unknown';
		if (method === 'POST' && segments.length === 4 && segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token') {
			route = 'token';
		} else if (
			method === 'GET' &&
			segments.length === 4 &&
			segments[1] === 'v2.0' &&
			segments[2] === '.well-known' &&
			segments[3] === 'openid-configuration'
		) {
			route = 'openidConfiguration';
		}
		const entry = state.beginLog('entra', req, route);
		const traceId = newGuid();
		const clientRequestId = headerValue(req, 'client-request-id');
		const correlationId = clientRequestId ?? newGuid();
		const baseHeaders: Record<string, string> = {
			'x-ms-request-id': traceId,
			'cache-control': 'no-store, no-cache',
		};
		if (clientRequestId !== undefined) baseHeaders['client-request-id'] = clientRequestId;
		const send = (answer: Answer): void => {
			sendJson(res, answer.status, answer.body, baseHeaders);
			state.finishLog(entry, answer.status);
		};

		let text: string;
		try {
			text = await readBody(req);
		} catch {
			send({ status: 413, body: { error: 'invalid_request', error_description: 'Request body too large.' } });
			return;
		}
		if (route !== 'token') {
			entry.body = text === '' ? undefined : text;
			if (route === 'openidConfiguration') {
				if (!state.resolveTenant(segments[0])) {
					send(
						entraError(
							400,
							'invalid_tenant',
							90002,
							`Tenant '${segments[0]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
							traceId,
							correlationId,
						),
					);
					return;
				}
				send({ status: 200, body: openIdConfiguration(segments[0]) });
				return;
			}
			send({ status: 404, body: { error: 'not_found', error_description: `No route for ${method} ${url.split('?')[0]}` } });
			return;
		}

		state.tokenRequests++;
		const form = new URLSearchParams(text);
		const logged: Record<string, string> = {};
		for (const [key, value] of form) {
			logged[key] = key === 'client_secret' || key === 'client_assertion' ? '<redacted>' : value;
		}
		entry.body = logged;

		const fault = state.faults.match('token');
		if (fault) entry.fault = fault.fault.kind;
		await state.delay(state.options.tokenLatencyMs);
		const faultAnswer = (): void => {
			if (!fault) return;
			const status = answerFault(res, fault.fault, {
				baseHeaders,
				errorBody: (status) => defaultFaultBody(status, traceId, correlationId),
				expireToken: () => {
					const answer = entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.', traceId, correlationId);
					sendJson(res, answer.status, answer.body, baseHeaders);
					return answer.status;
				},
				schedule: (ms, fn) => state.schedule(ms, fn),
			});
			state.finishLog(entry, status);
		};
		if (fault && !fault.processFirst) {
			faultAnswer();
			return;
		}
		const answer = processToken(segments[0], form, traceId, correlationId);
		if (fault) {
			faultAnswer();
			return;
		}
		send(answer);
	};

	return guardedHandler('entra', handle, { error: 'server_error' });
}
