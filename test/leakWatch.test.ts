import { parseGraphAppCredentials } from '../nodes/shared/transport/appCredentials';
import { tokenProviderFor } from '../nodes/shared/transport/tokenProvider';
import { startEmulator, type Emulator } from './emulator';
import { LeakWatch } from './faults/leaks';
import { emulatorGraphGet } from './helpers/testbed';

/**
 * The fault suites end with a leak scan. These show that the scan finds what it looks for, in each place it looks,
 * so that its empty result there means something.
 */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());

async function graphGet(path: string, headers: Record<string, string>): Promise<number> {
	return (await emulatorGraphGet(emulator, path, headers)).status;
}

describe('the leak scan of the fault suites', () => {
	it('finds a wrong secret typed into a credential, when a message echoes it', () => {
		const watch = new LeakWatch();
		watch.addCredentialSecrets({ clientSecret: 'Wr0ng8Q~typed-by-the-user' });
		watch.add('node error', 'Could not get a token with the secret Wr0ng8Q~typed-by-the-user');
		watch.add('node run', { json: { ok: true } });
		expect(watch.hits(emulator).places).toEqual(['typed client secret in node error']);
	});

	it("finds the app's secret and a private key line written to the console", () => {
		const watch = new LeakWatch();
		watch.start();
		try {
			console.log(`debug: ${emulator.app.clientSecret}`);
			console.warn(emulator.app.privateKeyPkcs8Pem);
		} finally {
			watch.stop();
		}
		expect(watch.hits(emulator).places).toEqual(['client secret in console.log', 'PKCS#8 key in console.warn']);
	});

	it('finds a token sent to Graph outside the Authorization header (the emulator redacts only that header)', async () => {
		const token = await tokenProviderFor(parseGraphAppCredentials(emulator.credentialData())).getToken();
		const watch = new LeakWatch();
		const start = emulator.log.length;
		expect(await graphGet('communications/calls/none', { authorization: `Bearer ${token}` })).toBe(404);
		watch.addEmulatorLog({ ...emulator, log: emulator.log.slice(start) } as Emulator);
		expect(watch.hits(emulator).places).toEqual([]);
		expect(await graphGet(`communications/calls/none?access_token=${token}`, { authorization: `Bearer ${token}` })).toBe(404);
		watch.addEmulatorLog(emulator);
		expect(watch.hits(emulator).places).toEqual(['access token in emulator.log']);
	});
});
