import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import https from 'node:https';
import { startEmulator, type Emulator } from './emulator';

interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let emu: Emulator;
let agent: https.Agent;

function request(
	method: string,
	url: string,
	options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method, agent, headers: options.headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = text === '' ? undefined : JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		if (options.body !== undefined) req.write(options.body);
		req.end();
	});
}

function tokenRequest(fields: Record<string, string>, tenant = emu.app.tenantId): Promise<Reply> {
	return request('POST', `${emu.authorityHost}/${tenant}/oauth2/v2.0/token`, {
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});
}

function secretFields(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		client_id: emu.app.clientId,
		grant_type: 'client_credentials',
		scope: `${emu.graphUrl}/.default`,
		client_secret: emu.app.clientSecret,
		...overrides,
	};
}

async function getToken(): Promise<string> {
	const reply = await tokenRequest(secretFields());
	expect(reply.status).toBe(200);
	return reply.json.access_token as string;
}

function pemBlocks(pem: string): string[] {
	return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
		m[1].replace(/\s+/g, ''),
	);
}

function signAssertion(opts: {
	alg: 'PS256' | 'RS256';
	key: string | KeyObject;
	thumbprintHex: string;
	x5cPem?: string;
	aud?: string;
	exp?: number;
}): string {
	const now = Math.floor(Date.now() / 1000);
	const header: Record<string, unknown> = { alg: opts.alg, typ: 'JWT' };
	header[opts.alg === 'PS256' ? 'x5t#S256' : 'x5t'] = Buffer.from(opts.thumbprintHex, 'hex').toString('base64url');
	if (opts.x5cPem) header.x5c = pemBlocks(opts.x5cPem);
	const payload = {
		aud: opts.aud ?? `${emu.authorityHost}/${emu.app.tenantId}/oauth2/v2.0/token`,
		iss: emu.app.clientId,
		sub: emu.app.clientId,
		exp: opts.exp ?? now + 600,
		nbf: now,
		jti: 'test-jti',
	};
	const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
	const key = typeof opts.key === 'string' ? createPrivateKey(opts.key) : opts.key;
	const signature =
		opts.alg === 'PS256'
			? sign('sha256', Buffer.from(input), {
					key,
					padding: constants.RSA_PKCS1_PSS_PADDING,
					saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
				})
			: sign('sha256', Buffer.from(input), key);
	return `${input}.${signature.toString('base64url')}`;
}

function assertionFields(assertion: string): Record<string, string> {
	return {
		client_id: emu.app.clientId,
		grant_type: 'client_credentials',
		scope: `${emu.graphUrl}/.default`,
		client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		client_assertion: assertion,
	};
}

function callUrl(callId: string, suffix = ''): string {
	return `${emu.graphUrl}/v1.0/communications/calls/${encodeURIComponent(callId)}${suffix}`;
}

function graph(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
	return request(method, url, {
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	emu = await startEmulator({ inviteCompletionMs: 150 });
	agent = new https.Agent({ ca: emu.caCertificatePem, keepAlive: true, maxSockets: 20 });
});

afterAll(async () => {
	agent.destroy();
	await emu.close();
});

beforeEach(() => {
	emu.reset();
	emu.configure({ graphLatencyMs: 0, rateLimitPerSecond: undefined, participantsPageSize: 50 });
});

describe('Entra token endpoint', () => {
	test('client secret: ok with the tenant id and the tenant domain', async () => {
		const reply = await tokenRequest(secretFields());
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
		expect(reply.json.access_token).toMatch(/^emu\.[A-Za-z0-9_-]{43}$/);
		const byDomain = await tokenRequest(secretFields(), emu.app.tenantDomain);
		expect(byDomain.status).toBe(200);
		expect(emu.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 2 });
	});

	test('Entra-shaped errors: wrong secret, unknown tenant, unknown app, bad scope, grant', async () => {
		const wrong = await tokenRequest(secretFields({ client_secret: 'nope' }));
		expect(wrong.status).toBe(401);
		expect(wrong.json.error).toBe('invalid_client');
		expect(wrong.json.error_codes).toEqual([7000215]);
		expect(wrong.json.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\..*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /s);
		expect(wrong.json).toHaveProperty('trace_id');
		expect(wrong.json).toHaveProperty('correlation_id');

		const tenant = await tokenRequest(secretFields(), 'other.onmicrosoft.com');
		expect(tenant.status).toBe(400);
		expect(tenant.json).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
		expect(tenant.json.error_description).toContain("Tenant 'other.onmicrosoft.com' not found");

		const app = await tokenRequest(secretFields({ client_id: '00000000-0000-0000-0000-000000000001' }));
		expect(app.status).toBe(400);
		expect(app.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });

		const scope = await tokenRequest(secretFields({ scope: 'https://graph.microsoft.com/.default' }));
		expect(scope.status).toBe(400);
		expect(scope.json.error).toBe('invalid_scope');

		const grant = await tokenRequest(secretFields({ grant_type: 'password' }));
		expect(grant.json.error).toBe('unsupported_grant_type');
	});

	test('expired and rotated secrets', async () => {
		const old = emu.app.clientSecret;
		emu.expireSecret();
		const expired = await tokenRequest(secretFields());
		expect(expired.status).toBe(401);
		expect(expired.json.error_codes).toEqual([7000222]);
		const next = emu.rotateSecret();
		expect(next).not.toBe(old);
		expect((await tokenRequest(secretFields({ client_secret: old }))).json.error_codes).toEqual([7000215]);
		expect((await tokenRequest(secretFields({ client_secret: next }))).status).toBe(200);
	});

	test('client assertion: PS256 with x5t#S256 (+ x5c), RS256 with x5t, encrypted/PKCS#1 keys', async () => {
		const ps = signAssertion({
			alg: 'PS256',
			key: emu.app.privateKeyPkcs8Pem,
			thumbprintHex: emu.app.thumbprintSha256Hex,
			x5cPem: emu.app.certificateChainPem,
		});
		const ok = await tokenRequest(assertionFields(ps));
		expect(ok.status).toBe(200);
		expect(emu.lastAssertion()).toEqual({ alg: 'PS256', thumbprintHeader: 'x5t#S256', hasX5c: true, x5cCount: 2 });

		const encrypted = createPrivateKey({ key: emu.app.privateKeyEncryptedPem, passphrase: emu.app.passphrase });
		const rs = signAssertion({ alg: 'RS256', key: encrypted, thumbprintHex: emu.app.thumbprintSha1Hex });
		expect((await tokenRequest(assertionFields(rs))).status).toBe(200);
		expect(emu.lastAssertion()).toMatchObject({ alg: 'RS256', thumbprintHeader: 'x5t', hasX5c: false });

		const pkcs1 = signAssertion({ alg: 'PS256', key: emu.app.privateKeyPkcs1Pem, thumbprintHex: emu.app.thumbprintSha256Hex });
		expect((await tokenRequest(assertionFields(pkcs1))).status).toBe(200);
	});

	test('client assertion failures: unregistered certificate, bad signature, audience, expiry', async () => {
		const { X509Certificate, createHash } = await import('node:crypto');
		const otherThumb = createHash('sha256')
			.update(new X509Certificate(emu.app.unregisteredCertificatePem).raw)
			.digest('hex');
		const unregistered = await tokenRequest(
			assertionFields(signAssertion({ alg: 'PS256', key: emu.app.unregisteredPrivateKeyPem, thumbprintHex: otherThumb })),
		);
		expect(unregistered.status).toBe(401);
		expect(unregistered.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });

		const forged = await tokenRequest(
			assertionFields(
				signAssertion({ alg: 'PS256', key: emu.app.unregisteredPrivateKeyPem, thumbprintHex: emu.app.thumbprintSha256Hex }),
			),
		);
		expect(forged.status).toBe(401);
		expect(forged.json.error_codes).toEqual([700027]);

		const badAud = await tokenRequest(
			assertionFields(
				signAssertion({ alg: 'PS256', key: emu.app.privateKeyPkcs8Pem, thumbprintHex: emu.app.thumbprintSha256Hex, aud: 'https://example.com/token' }),
			),
		);
		expect(badAud.status).toBe(401);
		const expired = await tokenRequest(
			assertionFields(
				signAssertion({
					alg: 'PS256',
					key: emu.app.privateKeyPkcs8Pem,
					thumbprintHex: emu.app.thumbprintSha256Hex,
					exp: Math.floor(Date.now() / 1000) - 10,
				}),
			),
		);
		expect(expired.json.error_codes).toEqual([700024]);
	});

	test('OpenID configuration is served and logged', async () => {
		const reply = await request('GET', `${emu.authorityHost}/${emu.app.tenantId}/v2.0/.well-known/openid-configuration`);
		expect(reply.status).toBe(200);
		expect(reply.json.token_endpoint).toBe(`${emu.authorityHost}/${emu.app.tenantId}/oauth2/v2.0/token`);
		expect(emu.log.map((e) => e.route)).toEqual(['openidConfiguration']);
	});
});

describe('Graph', () => {
	let token: string;
	beforeEach(async () => {
		token = await getToken();
	});

	test('401 without a token or with a foreign or revoked token', async () => {
		const call = emu.addCall();
		const none = await request('GET', callUrl(call.id, '/participants'), { headers: { 'client-request-id': 'abc-123' } });
		expect(none.status).toBe(401);
		expect(none.json.error.code).toBe('InvalidAuthenticationToken');
		expect(none.json.error.innerError['client-request-id']).toBe('abc-123');
		expect(none.headers['client-request-id']).toBe('abc-123');
		expect(none.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect((await graph('GET', callUrl(call.id), 'emu.forged')).status).toBe(401);
		emu.revokeTokens();
		expect((await graph('GET', callUrl(call.id), token)).status).toBe(401);
	});

	test('getCall, list (paged), get, delete participants; ids with any character', async () => {
		const call = emu.addCall({ id: 'call/with ?odd#chars%', participants: [{}, {}, {}, { id: 'p/1 ü', displayName: 'Odd' }] });
		const got = await graph('GET', callUrl(call.id), token);
		expect(got.status).toBe(200);
		expect(got.json).toMatchObject({ '@odata.type': '#microsoft.graph.call', id: call.id, state: 'established', tenantId: emu.app.tenantId });

		emu.configure({ participantsPageSize: 3 });
		const page1 = await graph('GET', callUrl(call.id, '/participants'), token);
		expect(page1.status).toBe(200);
		expect(page1.json.value).toHaveLength(3);
		expect(page1.json['@odata.context']).toContain('/participants');
		const next = page1.json['@odata.nextLink'] as string;
		expect(next.startsWith(`${emu.graphUrl}/v1.0/communications/calls/`)).toBe(true);
		expect(next).toContain('$skiptoken=');
		const page2 = await graph('GET', next, token);
		expect(page2.json.value.map((p: { id: string }) => p.id)).toEqual(['p/1 ü']);
		expect(page2.json['@odata.nextLink']).toBeUndefined();
		expect(page2.json.value[0].info.identity.user.displayName).toBe('Odd');
		expect(page2.json.value[0]).not.toHaveProperty('joined');

		const one = await graph('GET', callUrl(call.id, `/participants/${encodeURIComponent('p/1 ü')}`), token);
		expect(one.status).toBe(200);
		expect(one.json.id).toBe('p/1 ü');

		const del = await graph('DELETE', callUrl(call.id, `/participants/${encodeURIComponent('p/1 ü')}`), token);
		expect(del.status).toBe(204);
		expect(del.text).toBe('');
		const again = await graph('DELETE', callUrl(call.id, `/participants/${encodeURIComponent('p/1 ü')}`), token);
		expect(again.status).toBe(404);
		expect(again.json.error.code).toBe('itemNotFound');
		expect(emu.stats().graphRequestsByRoute).toMatchObject({ getCall: 1, listParticipants: 2, getParticipant: 1, deleteParticipant: 2 });
	});

	test('invite: 200 + Location + running, then completed and joined; mute; getOperation', async () => {
		const call = emu.addCall();
		const body = {
			participants: [
				{
					'@odata.type': '#microsoft.graph.invitationParticipantInfo',
					identity: {
						'@odata.type': '#microsoft.graph.identitySet',
						user: { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064', identityProvider: 'AAD' },
					},
					participantId: 'a7ebfb2d-871e-419c-87af-27290b22e8db',
				},
			],
			clientContext: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f',
		};
		const reply = await graph('POST', callUrl(call.id, '/participants/invite'), token, body);
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({
			'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
			status: 'running',
			clientContext: body.clientContext,
			resultInfo: null,
		});
		expect(reply.json.participants[0].id).toBeNull();
		expect(reply.json.participants[0].identity.user.id).toBe('278405a3-f568-4b3e-b684-009193463064');
		expect(reply.headers.location).toBe(callUrl(call.id, `/operations/${reply.json.id}`));
		expect(call.participants.get('a7ebfb2d-871e-419c-87af-27290b22e8db')?.joined).toBe(false);

		const running = await graph('GET', reply.headers.location as string, token);
		expect(running.json.status).toBe('running');
		await sleep(250);
		const done = await graph('GET', reply.headers.location as string, token);
		expect(done.json).toMatchObject({ status: 'completed', resultInfo: { code: 200, subcode: 0, message: 'Success' } });
		expect(call.participants.get('a7ebfb2d-871e-419c-87af-27290b22e8db')?.joined).toBe(true);
		expect(emu.stats().invitesByClientContext.get(body.clientContext)).toBe(1);

		const dup = await graph('POST', callUrl(call.id, '/participants/invite'), token, body);
		expect(dup.status).toBe(400);
		expect(dup.json.error.code).toBe('BadRequest');

		const muted = await graph('POST', callUrl(call.id, '/participants/a7ebfb2d-871e-419c-87af-27290b22e8db/mute'), token, { clientContext: 'm1' });
		expect(muted.status).toBe(200);
		expect(muted.json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed', clientContext: 'm1' });
		expect(call.participants.get('a7ebfb2d-871e-419c-87af-27290b22e8db')?.isMuted).toBe(true);
		const op = await graph('GET', callUrl(call.id, `/operations/${muted.json.id}`), token);
		expect(op.json.id).toBe(muted.json.id);
		expect((await graph('GET', callUrl(call.id, '/operations/nope'), token)).json.error.code).toBe('itemNotFound');
	});

	test('invite validation', async () => {
		const call = emu.addCall();
		const user = (id: string) => ({ identity: { user: { id } } });
		const bad = [
			{},
			{ participants: [] },
			{ participants: [1, 2, 3, 4, 5, 6].map((i) => user(`u${i}`)) },
			{ participants: [{ identity: {} }] },
			{ participants: [{ identity: { user: { id: 'a' }, phone: { id: '+12345678901' } } }] },
			{ participants: [{ identity: { phone: { id: '12345' } } }] },
			{ participants: [{ identity: { user: { id: '' } } }] },
			{ participants: [user('x'), user('x')] },
			{ participants: [{ ...user('y'), replacesCallId: 'c1' }, user('z')] },
			{ participants: [user('w')], clientContext: 'c'.repeat(257) },
		];
		for (const body of bad) {
			const reply = await graph('POST', callUrl(call.id, '/participants/invite'), token, body);
			expect([reply.status, reply.json.error.code]).toEqual([400, 'BadRequest']);
		}
		const notJson = await request('POST', callUrl(call.id, '/participants/invite'), {
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{nope',
		});
		expect(notJson.status).toBe(400);
		const phone = await graph('POST', callUrl(call.id, '/participants/invite'), token, {
			participants: [{ identity: { phone: { id: '+12345678901' } } }],
		});
		expect(phone.status).toBe(200);
		expect(call.participants.size).toBe(4);
	});

	test('cancelling a pending invite, and failInvitesFor', async () => {
		const call = emu.addCall();
		const invited = await graph('POST', callUrl(call.id, '/participants/invite'), token, {
			participants: [{ identity: { user: { id: 'u-pending' } }, participantId: 'p-pending' }],
		});
		expect((await graph('DELETE', callUrl(call.id, '/participants/p-pending'), token)).status).toBe(204);
		const cancelled = await graph('GET', invited.headers.location as string, token);
		expect(cancelled.json).toMatchObject({ status: 'failed', resultInfo: { code: 487, message: 'Invitation cancelled' } });

		emu.failInvitesFor('u-busy', { code: 486, subcode: 0, message: 'Busy here' });
		const busy = await graph('POST', callUrl(call.id, '/participants/invite'), token, {
			participants: [{ identity: { user: { id: 'u-busy' } }, participantId: 'p-busy' }],
		});
		expect(call.participants.has('p-busy')).toBe(true);
		await sleep(250);
		const failed = await graph('GET', busy.headers.location as string, token);
		expect(failed.json).toMatchObject({ status: 'failed', resultInfo: { code: 486, subcode: 0, message: 'Busy here' } });
		expect(call.participants.has('p-busy')).toBe(false);
	});

	test('ended call → 404 8522; unknown call; tenant mismatch → 403 7505', async () => {
		const call = emu.addCall();
		emu.endCall(call.id);
		const ended = await graph('GET', callUrl(call.id, '/participants'), token);
		expect(ended.status).toBe(404);
		expect(ended.json.error.code).toBe('8522');
		expect(ended.json.error.innerError).toHaveProperty('request-id');
		expect((await graph('GET', callUrl('nope'), token)).json.error.code).toBe('8522');
		const foreign = emu.addCall({ tenantId: '11111111-1111-1111-1111-111111111111' });
		const mismatch = await graph('GET', callUrl(foreign.id, '/participants'), token);
		expect([mismatch.status, mismatch.json.error.code]).toEqual([403, '7505']);
		expect((await graph('PATCH', callUrl(foreign.id), token)).status).toBe(405);
		expect((await graph('GET', `${emu.graphUrl}/v1.0/me`, token)).status).toBe(404);
	});

	test('faults: 429 with Retry-After then success; processFirst; reset; malformed; expireToken', async () => {
		const call = emu.addCall();
		emu.addFault({ route: 'listParticipants', fault: { kind: 'status', status: 429, retryAfter: '2' } });
		const throttled = await graph('GET', callUrl(call.id, '/participants'), token);
		expect(throttled.status).toBe(429);
		expect(throttled.headers['retry-after']).toBe('2');
		expect(throttled.json.error.code).toBe('TooManyRequests');
		expect((await graph('GET', callUrl(call.id, '/participants'), token)).status).toBe(200);

		emu.addFault({ route: 'invite', processFirst: true, fault: { kind: 'status', status: 504 } });
		const lost = await graph('POST', callUrl(call.id, '/participants/invite'), token, {
			participants: [{ identity: { user: { id: 'u-lost' } }, participantId: 'p-lost' }],
			clientContext: 'ctx-lost',
		});
		expect(lost.status).toBe(504);
		expect(call.participants.has('p-lost')).toBe(true);
		expect(emu.stats().invitesByClientContext.get('ctx-lost')).toBe(1);

		emu.addFault({ route: '*', after: 1, fault: { kind: 'reset' } });
		expect((await graph('GET', callUrl(call.id), token)).status).toBe(200);
		await expect(graph('GET', callUrl(call.id), token)).rejects.toThrow();

		emu.addFault({ route: 'getCall', fault: { kind: 'malformed' } });
		const malformed = await graph('GET', callUrl(call.id), token);
		expect([malformed.status, malformed.text]).toEqual([200, '{"value": [']);

		emu.addFault({ route: 'token', fault: { kind: 'html', status: 503 } });
		const html = await tokenRequest(secretFields());
		expect(html.status).toBe(503);
		expect(html.headers['content-type']).toContain('text/html');

		emu.addFault({ route: 'getCall', fault: { kind: 'expireToken' } });
		expect((await graph('GET', callUrl(call.id), token)).status).toBe(401);
		expect((await graph('GET', callUrl(call.id), token)).status).toBe(401);
	});

	test('rate limit: sliding window answers 429 with Retry-After and does not process', async () => {
		const call = emu.addCall();
		emu.configure({ rateLimitPerSecond: 5, graphLatencyMs: 20 });
		const replies = await Promise.all(
			Array.from({ length: 12 }, () => graph('GET', callUrl(call.id, '/participants'), token)),
		);
		const statuses = replies.map((r) => r.status);
		expect(statuses.filter((s) => s === 200)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(7);
		const limited = replies.find((r) => r.status === 429);
		expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
		const stats = emu.stats();
		expect(stats.throttled).toBe(7);
		expect(stats.maxInFlight).toBeGreaterThan(1);
		expect(stats.inFlight).toBe(0);
		emu.configure({ rateLimitPerSecond: undefined });
		expect((await graph('GET', callUrl(call.id), token)).status).toBe(200);
	});

	test('the log is redacted', async () => {
		const call = emu.addCall();
		await graph('GET', callUrl(call.id), token);
		await tokenRequest(secretFields());
		const assertion = signAssertion({ alg: 'PS256', key: emu.app.privateKeyPkcs8Pem, thumbprintHex: emu.app.thumbprintSha256Hex });
		await tokenRequest(assertionFields(assertion));
		const text = JSON.stringify(emu.log);
		for (const secret of [emu.app.clientSecret, assertion, emu.app.passphrase, ...emu.issuedTokens()]) {
			expect(text).not.toContain(secret);
		}
		expect(text).not.toContain('PRIVATE KEY');
		const graphEntry = emu.log.find((e) => e.server === 'graph');
		expect(graphEntry?.headers.authorization).toMatch(/^Bearer <redacted:\d+>$/);
		expect(graphEntry).toMatchObject({ route: 'getCall', status: 200, authorized: true });
		const tokenEntry = emu.log.find((e) => e.route === 'token');
		expect(tokenEntry?.body).toMatchObject({ client_secret: '<redacted>', client_id: emu.app.clientId });
	});
});

describe('Graph: calls the app creates or joins', () => {
	let token: string;
	beforeEach(async () => {
		emu.reset();
		token = await getToken();
	});
	const calls = () => `${emu.graphUrl}/v1.0/communications/calls`;
	const base = {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: 'https://bot.example.com/calls',
		requestedModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
	};

	test.each([
		['no callbackUri', { ...base, callbackUri: undefined }, 'callbackUri is required and must be an absolute URL.'],
		['http callbackUri to another host', { ...base, callbackUri: 'http://bot.example.com/calls' }, 'callbackUri must be an https URL.'],
		['app-hosted media', { ...base, mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig' } }, 'mediaConfig must be a serviceHostedMediaConfig (the emulator does not host media).'],
		['no modality', { ...base, requestedModalities: [] }, 'requestedModalities must be a non-empty list of audio, video, videoBasedScreenSharing, data.'],
		['no tenant', { ...base, targets: [{ identity: { user: { id: 'u' } } }] }, 'tenantId is required.'],
		['neither meeting nor targets', { ...base, tenantId: 't' }, 'Give either meetingInfo (join a meeting) or targets (call people), not both or neither.'],
		['six targets', { ...base, tenantId: 't', targets: Array.from({ length: 6 }, (_, i) => ({ identity: { user: { id: `u${i}` } } })) }, "'targets' must hold between 1 and 5 items (got 6)."],
		['a meetingInfo of an unknown type', { ...base, tenantId: 't', meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo' } }, "meetingInfo of type '#microsoft.graph.tokenMeetingInfo' is not supported."],
	])('400 for %s, and no call is created', async (_name, body, message) => {
		const reply = await graph('POST', calls(), token, body);
		expect([reply.status, reply.json.error.code, reply.json.error.message]).toEqual([400, 'BadRequest', message]);
		expect(emu.stats().callsRequested).toBe(1);
	});

	test('join by ID: 201 establishing at once, established later; the call remembers its callbackUri; GET, keepAlive, DELETE', async () => {
		const meeting = emu.addMeeting({ joinMeetingId: '123456789012', passcode: 'pw1' });
		const meetingInfo = { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: meeting.joinMeetingId, passcode: 'pw1' };
		const created = await graph('POST', calls(), token, { ...base, tenantId: emu.app.tenantId, meetingInfo });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ state: 'establishing', callbackUri: 'https://bot.example.com/calls', meetingInfo });
		expect(created.headers.location).toBe(`${calls()}/${created.json.id}`);
		expect(emu.getCall(created.json.id)?.callbackUri).toBe('https://bot.example.com/calls');
		await sleep(250);
		expect((await graph('GET', callUrl(created.json.id), token)).json.state).toBe('established');
		expect((await graph('POST', callUrl(created.json.id, '/keepAlive'), token)).status).toBe(200);
		expect((await graph('DELETE', callUrl(created.json.id), token)).status).toBe(204);
		const ended = await graph('GET', callUrl(created.json.id), token);
		expect(ended.json).toMatchObject({ state: 'terminated', resultInfo: { code: 200 } });
		const late = await graph('POST', callUrl(created.json.id, '/keepAlive'), token);
		expect([late.status, late.json.error.code]).toEqual([404, '8522']);
	});

	test('a call of another app: 403 7504 on every route', async () => {
		const call = emu.addCall({ ownerAppId: '99999999-9999-4999-8999-999999999999' });
		for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/keepAlive'], ['GET', '/participants']]) {
			const reply = await graph(method, callUrl(call.id, suffix), token, method === 'POST' ? {} : undefined);
			expect([method, suffix, reply.status, reply.json.error.code]).toEqual([method, suffix, 403, '7504']);
		}
	});

	test('playPrompt needs https .wav prompts; hold music one participant at a time', async () => {
		const call = emu.addCall({ participants: [{ id: 'p-1' }, { id: 'p-2' }] });
		const prompt = (uri: string) => ({ prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri } }] });
		expect((await graph('POST', callUrl(call.id, '/playPrompt'), token, prompt('http://x.example/a.wav'))).json.error.message).toBe('prompts[0].mediaInfo.uri must be an https URL.');
		expect((await graph('POST', callUrl(call.id, '/playPrompt'), token, prompt('https://x.example/a.mp3'))).json.error.message).toBe('prompts[0].mediaInfo.uri must name a .wav file.');
		expect((await graph('POST', callUrl(call.id, '/playPrompt'), token, { prompts: [] })).status).toBe(400);
		const played = await graph('POST', callUrl(call.id, '/playPrompt'), token, prompt('https://x.example/a.wav'));
		expect([played.status, played.json.status]).toEqual([200, 'running']);
		expect((await graph('POST', callUrl(call.id, '/participants/p-1/startHoldMusic'), token, {})).status).toBe(202);
		const second = await graph('POST', callUrl(call.id, '/participants/p-2/startHoldMusic'), token, {});
		expect([second.status, second.json.error.message]).toEqual([400, "Participant 'p-1' is already on hold; only one participant can be on hold at a time."]);
		expect((await graph('POST', callUrl(call.id, '/participants/p-1/stopHoldMusic'), token, {})).status).toBe(202);
		expect((await graph('POST', callUrl(call.id, '/participants/p-2/startHoldMusic'), token, {})).status).toBe(202);
	});
});
