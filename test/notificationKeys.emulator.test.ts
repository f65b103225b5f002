/**
 * The emulator's calling platform over real HTTPS: the package's key cache reads its OpenID configuration and JWKS
 * through the package's HTTP stack (trusting only the credential's CA), verifies what it signs, refuses what it forges,
 * and follows a key rotation without a restart.
 */
import { parseGraphAppCredentials } from '../nodes/shared/transport/appCredentials';
import { NotificationRefused } from '../nodes/shared/notifications/jwt';
import { verifyNotificationToken } from '../nodes/shared/notifications/notificationVerifier';
import { jsonFetcher } from '../nodes/shared/notifications/openIdKeys';
import { SigningKeyCache, UNKNOWN_KID_REFETCH_MS } from '../nodes/shared/notifications/signingKeys';
import { type Emulator, startEmulator } from './emulator';
import { authorizationFor, FORGERY_KINDS } from './emulator/notifications/tokens';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterAll(async () => {
	await emulator.close();
});

function credentialConfig() {
	return parseGraphAppCredentials(emulator.credentialData());
}

describe('notification keys from the emulated calling platform', () => {
	it('takes the OpenID configuration URL from the Custom credential, https only', () => {
		expect(credentialConfig().notificationOpenIdConfigUrl).toBe(emulator.notificationOpenIdConfigUrl);
		expect(() => parseGraphAppCredentials(emulator.credentialData({ notificationOpenIdConfigUrl: 'http://127.0.0.1:1/openid' }))).toThrow(
			'Credential field "Notification OpenID Configuration URL" must use https:// (got http://): tokens are never sent over plain HTTP',
		);
		expect(parseGraphAppCredentials({ ...emulator.credentialData(), cloud: 'global' }).notificationOpenIdConfigUrl).toBe(
			'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
		);
	});

	it('verifies tokens it signs, refuses every forgery, and picks up a rotated key', async () => {
		const config = credentialConfig();
		let now = Date.now();
		const keys = new SigningKeyCache(config.notificationOpenIdConfigUrl!, jsonFetcher(config.caCertificatePem), () => now);
		const signer = emulator.notifications.signer;
		const verify = (header: string | undefined) => verifyNotificationToken(header, config, keys, now);
		await expect(verify(authorizationFor('valid', signer, emulator.app))).resolves.toMatchObject({ aud: emulator.app.clientId });
		for (const kind of FORGERY_KINDS) {
			await expect(verify(authorizationFor(kind, signer, emulator.app))).rejects.toBeInstanceOf(NotificationRefused);
		}
		now += UNKNOWN_KID_REFETCH_MS;
		emulator.notifications.rotateKey();
		await expect(verify(authorizationFor('valid', signer, emulator.app))).resolves.toBeDefined();
	});

	it('does not trust the emulator without the credential CA', async () => {
		const keys = new SigningKeyCache(emulator.notificationOpenIdConfigUrl, jsonFetcher(undefined));
		await expect(verifyNotificationToken(authorizationFor('valid', emulator.notifications.signer, emulator.app), credentialConfig(), keys)).rejects.toMatchObject({
			reason: 'keysUnavailable',
		});
	});
});
