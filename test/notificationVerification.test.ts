/**
 * Verification of call notification tokens with real RSA keys: every forgery is refused with its reason, a valid
 * token passes, and a rotated key is picked up without a restart (but not fetched again and again).
 */
import { randomUUID } from 'node:crypto';

import { NotificationRefused } from '../nodes/shared/notifications/jwt';
import { rememberCallTenant } from '../nodes/shared/placedCallTenants';
import { verifyNotificationToken } from '../nodes/shared/notifications/notificationVerifier';
import { KEY_REFRESH_BACKOFF_MAX_MS, MAX_KEY_AGE_MS, SigningKeyCache, UNKNOWN_KID_REFETCH_MS } from '../nodes/shared/notifications/signingKeys';
import { NotificationSigner } from './emulator/notifications/signer';
import { authorizationFor, type ForgeryKind } from './emulator/notifications/tokens';

const OPENID_URL = 'https://keys.example.test/v1/.well-known/OpenIdConfiguration';
const JWKS_URL = 'https://keys.example.test/v1/keys';
const app = { clientId: randomUUID(), tenantId: randomUUID() };

function setup() {
	const signer = new NotificationSigner();
	let now = Date.UTC(2026, 10, 30, 12, 0, 0);
	const fetched: string[] = [];
	let down = false;
	const fetchJson = async (url: string): Promise<unknown> => {
		fetched.push(url);
		if (down) throw new Error('ECONNREFUSED');
		if (url === OPENID_URL) return { issuer: 'https://api.botframework.com', jwks_uri: JWKS_URL };
		if (url === JWKS_URL) return signer.jwks();
		throw new Error(`unexpected ${url}`);
	};
	const keys = new SigningKeyCache(OPENID_URL, fetchJson, () => now);
	return {
		signer,
		keys,
		fetched,
		advance: (ms: number) => {
			now += ms;
		},
		setDown: (value: boolean) => {
			down = value;
		},
		verify: (authorization: string | undefined) => verifyNotificationToken(authorization, app, keys, now),
		header: (kind: ForgeryKind | 'valid') => authorizationFor(kind, signer, app, Math.floor(now / 1000)),
	};
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
		return 'accepted';
	} catch (error) {
		if (error instanceof NotificationRefused) return error.reason;
		throw error;
	}
}

describe('notification token verification', () => {
	it('accepts a token of the platform for this app and tenant, and returns its claims', async () => {
		const t = setup();
		const claims = await t.verify(t.header('valid'));
		expect(claims.aud).toBe(app.clientId);
		expect(claims.tid).toBe(app.tenantId);
		expect(claims.iss).toBe('https://api.botframework.com');
	});

	it.each<[ForgeryKind, string]>([
		['missingHeader', 'missingToken'],
		['algNone', 'algorithmNotAllowed'],
		['hs256WithPublicKey', 'algorithmNotAllowed'],
		['unknownKid', 'unknownKey'],
		['badSignature', 'badSignature'],
		['tamperedPayload', 'badSignature'],
		['expired', 'expired'],
		['notYetValid', 'notYetValid'],
		['wrongAudience', 'wrongAudience'],
		['wrongIssuer', 'wrongIssuer'],
		['wrongTenant', 'wrongTenant'],
		['otherApp', 'wrongAudience'],
	])('refuses %s (%s)', async (kind, reason) => {
		const t = setup();
		expect(await reasonOf(t.verify(t.header(kind)))).toBe(reason);
	});

	it('refuses headers that are not a bearer JWT', async () => {
		const t = setup();
		expect(await reasonOf(t.verify('Basic dXNlcjpwYXNz'))).toBe('missingToken');
		expect(await reasonOf(t.verify('Bearer not-a-jwt'))).toBe('malformedToken');
		expect(await reasonOf(t.verify('Bearer a.b.c'))).toBe('malformedToken');
	});

	it('accepts the other issuer and the long tenant claim, and allows 5 minutes of clock skew', async () => {
		const t = setup();
		const now = Math.floor(Date.UTC(2026, 10, 30, 12, 0, 0) / 1000);
		const base = { aud: app.clientId, iat: now, nbf: now + 290, exp: now - 290 + 600 };
		const token = t.signer.sign({
			...base,
			iss: 'https://graph.microsoft.com',
			'http://schemas.microsoft.com/identity/claims/tenantid': app.tenantId.toUpperCase(),
		});
		await expect(t.verify(`Bearer ${token}`)).resolves.toMatchObject({ iss: 'https://graph.microsoft.com' });
		t.advance(611_000);
		expect(await reasonOf(t.verify(`Bearer ${token}`))).toBe('expired');
	});

	it('always requires a tenant claim: the credential\'s tenant, or one this app placed a call in (also when the credential names its tenant by domain)', async () => {
		const t = setup();
		const byDomain = { clientId: app.clientId, tenantId: 'contoso.onmicrosoft.com' };
		const now = Date.UTC(2026, 10, 30, 12);
		const exp = Math.floor(now / 1000) + 600;
		const tokenFor = (claims: Record<string, unknown>) => `Bearer ${t.signer.sign({ iss: 'https://api.botframework.com', aud: app.clientId, exp, ...claims })}`;
		expect(await reasonOf(verifyNotificationToken(t.header('wrongTenant'), byDomain, t.keys, now))).toBe('wrongTenant');
		expect(await reasonOf(verifyNotificationToken(tokenFor({}), byDomain, t.keys, now))).toBe('wrongTenant');
		expect(await reasonOf(t.verify(tokenFor({})))).toBe('wrongTenant');

		const meetingTenant = randomUUID();
		expect(await reasonOf(t.verify(tokenFor({ tid: meetingTenant })))).toBe('wrongTenant');
		rememberCallTenant(app.clientId, meetingTenant.toUpperCase());
		await expect(t.verify(tokenFor({ tid: meetingTenant }))).resolves.toBeDefined();
		await expect(verifyNotificationToken(tokenFor({ tid: meetingTenant }), byDomain, t.keys, now)).resolves.toBeDefined();
		// Calls another app (another credential) placed do not count for this one.
		const otherApp = { clientId: randomUUID(), tenantId: app.tenantId };
		expect(await reasonOf(verifyNotificationToken(tokenFor({ tid: meetingTenant, aud: otherApp.clientId }), otherApp, t.keys, now))).toBe('wrongTenant');
	});

	it('picks up a rotated key without a restart, and fetches again on unknown kids at most once a minute', async () => {
		const t = setup();
		await t.verify(t.header('valid'));
		expect(t.fetched).toEqual([OPENID_URL, JWKS_URL]);

		t.advance(UNKNOWN_KID_REFETCH_MS);
		t.signer.rotate();
		await expect(t.verify(t.header('valid'))).resolves.toBeDefined();
		expect(t.fetched).toHaveLength(4);

		// Forged kids right after: no new fetch within the minute, each refused.
		expect(await reasonOf(t.verify(t.header('unknownKid')))).toBe('unknownKey');
		expect(await reasonOf(t.verify(t.header('unknownKid')))).toBe('unknownKey');
		expect(t.fetched).toHaveLength(4);

		// A second rotation inside the minute is seen once the minute has passed.
		t.signer.rotate();
		expect(await reasonOf(t.verify(t.header('valid')))).toBe('unknownKey');
		t.advance(UNKNOWN_KID_REFETCH_MS);
		await expect(t.verify(t.header('valid'))).resolves.toBeDefined();
		expect(t.fetched).toHaveLength(6);
	});

	it('fetches the keys again when they are 24 hours old, even for a known kid', async () => {
		const t = setup();
		await t.verify(t.header('valid'));
		t.advance(MAX_KEY_AGE_MS - 1000);
		await t.verify(t.header('valid'));
		expect(t.fetched).toHaveLength(2);
		t.advance(1000);
		await t.verify(t.header('valid'));
		expect(t.fetched).toHaveLength(4);
	});

	it('shares one fetch between concurrent first requests', async () => {
		const t = setup();
		await Promise.all(Array.from({ length: 10 }, () => t.verify(t.header('valid'))));
		expect(t.fetched).toEqual([OPENID_URL, JWKS_URL]);
	});

	it('refuses everything, as keysUnavailable, while the key endpoint cannot be reached, fetching less and less often', async () => {
		const signer = new NotificationSigner();
		let now = Date.UTC(2026, 10, 30, 12);
		let fetches = 0;
		const keys = new SigningKeyCache(
			OPENID_URL,
			() => {
				fetches++;
				return Promise.reject(new Error('ECONNREFUSED'));
			},
			() => now,
		);
		const verify = () => reasonOf(verifyNotificationToken(authorizationFor('valid', signer, app, Math.floor(now / 1000)), app, keys, now));
		const reasons = [];
		for (let request = 0; request < 50; request++) reasons.push(await verify());
		expect(reasons).toEqual(Array(50).fill('keysUnavailable'));
		expect(fetches).toBe(1);
		// Each failure doubles the wait before the next attempt: over 10 minutes of requests every second, a few fetches.
		for (let second = 0; second < 600; second++) {
			now += 1000;
			await verify();
		}
		expect(fetches).toBeGreaterThan(2);
		expect(fetches).toBeLessThanOrEqual(10);
	});

	it('keys 24 hours old are kept while the endpoint fails, and fetched again after a backoff, not for every request', async () => {
		const t = setup();
		await t.verify(t.header('valid'));
		expect(t.fetched).toHaveLength(2);
		t.setDown(true);
		t.advance(MAX_KEY_AGE_MS);
		for (let request = 0; request < 50; request++) await expect(t.verify(t.header('valid'))).resolves.toBeDefined();
		expect(t.fetched).toHaveLength(3); // one attempt (the OpenID configuration), failed
		t.setDown(false);
		t.advance(KEY_REFRESH_BACKOFF_MAX_MS);
		await t.verify(t.header('valid'));
		expect(t.fetched).toHaveLength(5);
		await t.verify(t.header('valid'));
		expect(t.fetched).toHaveLength(5);
	});
});
