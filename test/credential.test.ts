import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { TeamsCallParticipant } from '../nodes/TeamsCallParticipant/TeamsCallParticipant.node';
import { startEmulator, type Emulator } from './emulator';
import { credentialTestContext } from './helpers/engine';
import { closedPort } from './helpers/ports';
import { runNode } from './helpers/testbed';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());

/** What the credential's Test button answers for this credential data. */
async function testButton(data: IDataObject) {
	const node = new TeamsCallParticipant();
	return await node.methods.credentialTest.testGraphAppCredential.call(credentialTestContext(), {
		id: '1',
		name: 'Graph app',
		type: 'microsoftGraphAppApi',
		data: data as ICredentialDataDecryptedObject,
	});
}

function certificateCredential(fields: IDataObject): IDataObject {
	return emulator.credentialData({ authentication: 'certificate', clientSecret: '', ...fields });
}

describe('signing in with a client secret', () => {
	it('gets a token, with the tenant given as GUID or as domain', async () => {
		expect(await testButton(emulator.credentialData())).toEqual({ status: 'OK', message: expect.any(String) });
		expect(await testButton(emulator.credentialData({ tenantId: emulator.app.tenantDomain }))).toMatchObject({ status: 'OK' });
	});

	it.each([
		['a wrong secret', () => ({ clientSecret: 'not-the-secret' }), /client secret is wrong.*AADSTS7000215/],
		['an unknown app', () => ({ clientId: '11111111-2222-4333-8444-555555555555' }), /No application with this Client ID.*AADSTS700016/],
		['an unknown tenant', () => ({ tenantId: '99999999-2222-4333-8444-555555555555' }), /tenant was not found.*AADSTS90002/],
	])('explains %s, without echoing the secret it sent', async (_case, fields, message) => {
		const data = emulator.credentialData(fields());
		const before = emulator.stats().tokenRequests;
		const result = await testButton(data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		// The secret typed (right or wrong) went to Entra, and does not come back in the message.
		expect(emulator.stats().tokenRequests - before).toBe(1);
		expect(String(data.clientSecret).length).toBeGreaterThan(8);
		expect(result.message).not.toContain(String(data.clientSecret));
	});

	it('explains an expired secret', async () => {
		const expiring = await startEmulator();
		try {
			expiring.expireSecret();
			const result = await testButton(expiring.credentialData());
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/client secret has expired.*AADSTS7000222/) });
		} finally {
			await expiring.close();
		}
	});

	it('names the host when Entra cannot be reached, or its certificate is not trusted', async () => {
		const port = await closedPort();
		const unreachable = await testButton(emulator.credentialData({ authorityHost: `https://127.0.0.1:${port}` }));
		expect(unreachable.message).toBe(`Could not get a token from Microsoft Entra ID: 127.0.0.1:${port} refused the connection`);
		const untrusted = await testButton(emulator.credentialData({ caCertificate: '' }));
		const host = new URL(emulator.authorityHost).host;
		expect(untrusted.message).toMatch(new RegExp(`the TLS certificate of ${host} is not trusted`));
	});

	it.each([
		['an http:// authority host', { authorityHost: 'http://127.0.0.1:1' }, 'Credential field "Authority Host" must use https://'],
		['an http:// Graph URL', { graphBaseUrl: 'http://127.0.0.1:1' }, 'Credential field "Graph Base URL" must use https://'],
		['a client ID that is not a GUID', { clientId: 'my-app' }, 'Credential field "Client ID" must be the application (client) ID'],
		['a malformed tenant', { tenantId: 'not a tenant' }, 'Credential field "Tenant ID" must be a directory (tenant) ID'],
		['the China cloud', { cloud: 'china' }, 'does not offer the cloud communications (calls) API'],
	])('refuses %s before any request', async (_case, fields, message) => {
		const before = emulator.log.length;
		const result = await testButton(emulator.credentialData(fields));
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(message) });
		expect(emulator.log.length).toBe(before);
	});
});

describe('signing in with a certificate', () => {
	it.each([
		['the leaf certificate and a PKCS#8 key', () => ({ certificate: emulator.app.certificatePem, certificatePrivateKey: emulator.app.privateKeyPkcs8Pem }), { alg: 'PS256', thumbprintHeader: 'x5t#S256', x5cCount: 1 }],
		['the certificate with its chain', () => ({ certificate: emulator.app.certificateChainPem, certificatePrivateKey: emulator.app.privateKeyPkcs8Pem }), { alg: 'PS256', x5cCount: 2 }],
		['an encrypted key and its passphrase', () => ({ certificate: emulator.app.certificatePem, certificatePrivateKey: emulator.app.privateKeyEncryptedPem, certificatePassphrase: emulator.app.passphrase }), { alg: 'PS256', x5cCount: 1 }],
		['a PKCS#1 key', () => ({ certificate: emulator.app.certificatePem, certificatePrivateKey: emulator.app.privateKeyPkcs1Pem }), { alg: 'PS256' }],
		['only a SHA-256 thumbprint', () => ({ certificateThumbprint: emulator.app.thumbprintSha256Hex.replace(/(..)(?!$)/g, '$1:'), certificatePrivateKey: emulator.app.privateKeyPkcs8Pem }), { alg: 'PS256', hasX5c: false }],
		['a certificate and key pasted on one line (line breaks turned into spaces)', () => ({ certificate: emulator.app.certificatePem.replace(/\n/g, ' '), certificatePrivateKey: emulator.app.privateKeyPkcs8Pem.replace(/\n/g, ' ') }), { alg: 'PS256', x5cCount: 1 }],
		['only a SHA-1 thumbprint', () => ({ certificateThumbprint: emulator.app.thumbprintSha1Hex.toLowerCase(), certificatePrivateKey: emulator.app.privateKeyPkcs8Pem }), { alg: 'RS256', thumbprintHeader: 'x5t' }],
	])('gets a token with %s', async (_case, fields, assertion) => {
		expect(await testButton(certificateCredential(fields()))).toMatchObject({ status: 'OK' });
		expect(emulator.lastAssertion()).toMatchObject(assertion);
	});

	it('explains a certificate that is not registered for the app', async () => {
		const result = await testButton(
			certificateCredential({ certificate: emulator.app.unregisteredCertificatePem, certificatePrivateKey: emulator.app.unregisteredPrivateKeyPem }),
		);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/certificate is not registered.*AADSTS700027/) });
	});

	it.each([
		['a wrong passphrase', () => ({ certificatePrivateKey: emulator.app.privateKeyEncryptedPem, certificatePassphrase: 'wrong' }), 'Credential field "Private Key" could not be read'],
		['a key that does not match the certificate', () => ({ certificatePrivateKey: emulator.app.unregisteredPrivateKeyPem }), 'Credential field "Certificate" does not match the private key'],
		['a thumbprint that is not hex', () => ({ certificate: '', certificateThumbprint: 'xyz', certificatePrivateKey: emulator.app.privateKeyPkcs8Pem }), 'Credential field "Certificate Thumbprint" must be hex'],
	])('refuses %s, without echoing the key', async (_case, fields, message) => {
		const result = await testButton(certificateCredential({ certificate: emulator.app.certificatePem, ...fields() }));
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(message) });
		expect(result.message).not.toContain('PRIVATE KEY');
		expect(result.message).not.toContain(emulator.app.passphrase);
	});
});

describe('token reuse', () => {
	it('fetches one token for many items and runs, even when the first requests start together', async () => {
		const call = emulator.addCall({ participants: Array.from({ length: 20 }, (_, i) => ({ displayName: `P${i}` })) });
		const ids = [...call.participants.keys()];
		// A credential this process has not used yet: its MSAL application starts cold.
		const credentials = emulator.credentialData({ tenantId: emulator.app.tenantDomain.toUpperCase() });
		const before = emulator.stats().tokenRequests;
		for (let run = 0; run < 2; run++) {
			const result = await runNode(
				emulator,
				{ operation: 'get', callId: call.id, participantId: '={{ $json.who }}' },
				{ items: ids.map((who) => ({ who })), credentials },
			);
			expect(result.json).toHaveLength(20);
		}
		expect(emulator.stats().tokenRequests - before).toBe(1);
		expect(emulator.log.some((entry) => entry.path.includes('openid-configuration'))).toBe(false);
	});

	it('uses a new application when the secret changes', async () => {
		const rotating = await startEmulator();
		try {
			const call = rotating.addCall();
			const first = await runNode(rotating, { operation: 'getAll', callId: call.id, returnAll: true });
			expect(first.json).toHaveLength(3);
			const newSecret = rotating.rotateSecret();
			const second = await runNode(rotating, { operation: 'getAll', callId: call.id, returnAll: true }, { credentials: rotating.credentialData({ clientSecret: newSecret }) });
			expect(second.json).toHaveLength(3);
			expect(rotating.stats().tokenRequests).toBe(2);
		} finally {
			await rotating.close();
		}
	});
});
