import './capture';


import type { IDataObject } from 'n8n-workflow';

import type { Emulator, FaultRule } from '../emulator';
import { closedPort as unusedPort } from '../helpers/ports';
import { type Aspects } from './report';
import { addCall, compact, expectNoMismatch, faultSuite, leakCheck, OPERATIONS, participantItems, type Suite } from './support';

/**
 * Faults of the token endpoint (route 'token') and sign-in problems, through a node run and through the
 * credential's Test button: each gives one sentence the user can act on, names the host when the network is
 * the problem, sends nothing to Graph, and a later run works once the fault is gone (MSAL's own throttling
 * cache must not block the credential for a minute).
 */

const suite = faultSuite('Token endpoint faults');
const CALL = 'call-t';
const SIGN_IN = 'Could not sign in to Microsoft Entra ID: ';
const AUTH_HINT = "Check the Microsoft Graph App API credential; its Test button tries the same sign-in.";
/** Entra answered 429 or 5xx to every attempt: Entra is the problem, not the credential. */
const entraDown = (status: number) => (emu: Emulator) =>
	`Microsoft Entra ID (${entraHost(emu)}) ${status === 429 ? 'is throttling token requests' : 'is unavailable'} (HTTP ${status}, after retries). Try again later.`;

let closedPort = 0;
beforeAll(async () => {
	closedPort = await unusedPort();
});

const entraHost = (emulator: Emulator) => new URL(emulator.authorityHost).host;
const tokenFault = (fault: FaultRule['fault'], times = 1): FaultRule => ({ route: 'token', fault, times });

interface TokenCase {
	name: string;
	/** Faults and state for one sign-in attempt (called before the node run and again before the Test button). */
	arrange?: (emulator: Emulator) => void;
	/** Credential fields that differ from the emulator's working credential. */
	credential?: (emulator: Emulator) => Record<string, string>;
	/** Token requests the emulator receives per sign-in. */
	tokenRequests: number;
	/** The problem, as the Test button shows it and the node's message ends with; undefined when the sign-in works. */
	problem?: string | ((emulator: Emulator) => string | RegExp);
	/** Whether a later run with the same credential must work once the fault is cleared. */
	laterRunWorks?: boolean;
}

const CASES: TokenCase[] = [
	{ name: 'token endpoint 500 once (retried)', arrange: (emu) => emu.addFault(tokenFault({ kind: 'status', status: 500 })), tokenRequests: 2 },
	{
		name: 'token endpoint 429 once, Retry-After: 0 (retried)',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'status', status: 429, retryAfter: '0' })),
		tokenRequests: 2,
	},
	{
		name: 'token endpoint 500 on every attempt',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'status', status: 500 }, Infinity)),
		tokenRequests: 3,
		problem: entraDown(500),
		laterRunWorks: true,
	},
	{
		name: 'token endpoint 429 on every attempt, Retry-After: 0',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'status', status: 429, retryAfter: '0' }, Infinity)),
		tokenRequests: 3,
		problem: entraDown(429),
		laterRunWorks: true,
	},
	{
		name: 'token endpoint 429 on every attempt, no Retry-After',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'status', status: 429 }, Infinity)),
		tokenRequests: 3,
		problem: entraDown(429),
		laterRunWorks: true,
	},
	{
		name: 'token endpoint HTML page (502) on every attempt',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'html', status: 502 }, Infinity)),
		tokenRequests: 3,
		problem: entraDown(502),
		laterRunWorks: true,
	},
	{ name: 'token endpoint resets the connection once (retried)', arrange: (emu) => emu.addFault(tokenFault({ kind: 'reset' })), tokenRequests: 2 },
	{
		name: 'token endpoint resets the connection on every attempt',
		arrange: (emu) => emu.addFault(tokenFault({ kind: 'reset' }, Infinity)),
		tokenRequests: 3,
		problem: (emu) => `Could not get a token from Microsoft Entra ID: the connection to ${entraHost(emu)} was closed before an answer`,
		laterRunWorks: true,
	},
	{
		name: 'wrong client secret',
		credential: () => ({ clientSecret: 'Wr0ng8Q~not-the-secret-of-this-app-at-all' }),
		tokenRequests: 1,
		problem:
			"The client secret is wrong. In Entra ID > App registrations > your app > Certificates & secrets, copy the secret's Value (not its Secret ID) into the credential. (AADSTS7000215)",
	},
	{
		name: 'expired client secret',
		arrange: (emu) => emu.expireSecret(),
		tokenRequests: 1,
		problem:
			"The client secret has expired. Create a new secret for the app in Entra ID (Certificates & secrets) and put its Value in the credential. (AADSTS7000222)",
	},
	{
		name: 'unknown client id (a GUID not registered)',
		credential: () => ({ clientId: '00000000-0000-4000-8000-00000000c1d0' }),
		tokenRequests: 1,
		problem:
			'No application with this Client ID exists in the tenant. Check the Application (client) ID and the Tenant ID, and that the app has been consented to in this tenant. (AADSTS700016)',
	},
	{
		name: 'unknown tenant (a GUID)',
		credential: () => ({ tenantId: '00000000-0000-4000-8000-0000000e0a47' }),
		tokenRequests: 1,
		problem: "The tenant was not found. Check the Directory (tenant) ID or domain, and that the credential's cloud matches the tenant's cloud. (AADSTS90002)",
	},
	{
		name: 'certificate not registered for the app',
		credential: (emu) => ({ authentication: 'certificate', certificate: emu.app.unregisteredCertificatePem, certificatePrivateKey: emu.app.unregisteredPrivateKeyPem }),
		tokenRequests: 1,
		problem:
			'The certificate is not registered for this app, or the signature did not verify. Upload the certificate under Certificates & secrets in the app registration, and check the private key matches it. (AADSTS700027)',
	},
	{
		name: 'certificate with an encrypted key and its passphrase',
		credential: (emu) => ({
			authentication: 'certificate',
			certificate: emu.app.certificatePem,
			certificatePrivateKey: emu.app.privateKeyEncryptedPem,
			certificatePassphrase: emu.app.passphrase,
		}),
		tokenRequests: 1,
	},
	{
		name: 'authority host unreachable (closed port)',
		credential: () => ({ authorityHost: `https://127.0.0.1:${closedPort}` }),
		tokenRequests: 0,
		problem: () => `Could not get a token from Microsoft Entra ID: 127.0.0.1:${closedPort} refused the connection`,
	},
	{
		name: 'TLS certificate not trusted (no CA in the credential)',
		credential: () => ({ caCertificate: '' }),
		tokenRequests: 0,
		problem: (emu) =>
			new RegExp(
				`^Could not get a token from Microsoft Entra ID: the TLS certificate of ${entraHost(emu).replace(/\./g, '\\.')} is not trusted \\([A-Z_]+\\); for a proxy or emulator with its own CA, add that CA to the credential$`,
			),
	},
];

function problemOf(testCase: TokenCase, emulator: Emulator): string | RegExp {
	const { problem } = testCase;
	return typeof problem === 'function' ? problem(emulator) : (problem ?? '');
}

/** A network problem reads "Could not get a token from Microsoft Entra ID: …" on its own: the node adds no prefix. */
const isSentence = (problem: string | RegExp): boolean => (typeof problem === 'string' ? problem : problem.source.replace(/^\^/, '')).startsWith('Could not get a token');
const withPrefix = (problem: string | RegExp, prefix: string): string | RegExp =>
	problem === '' ? '' : typeof problem === 'string' ? `${prefix}${problem}` : new RegExp(`^${escape(prefix)}${problem.source.replace(/^\^/, '')}`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A node run (Get, one participant) with this credential; returns the aspects that describe it. */
async function signInRun(s: Suite, credential: IDataObject): Promise<{ aspects: Record<string, unknown>; message: string }> {
	const outcome = await s.run(OPERATIONS.get.parameters(CALL), { items: participantItems(1), credentials: credential });
	return {
		message: outcome.message,
		aspects: {
			tokenRequests: outcome.tokenRequests,
			graphRequests: compact(outcome.requests),
			result: outcome.message ? 'failed' : outcome.items.join(),
			message: outcome.message,
			description: outcome.run.errorDescription ?? '',
		},
	};
}

describe('Token endpoint faults and sign-in problems', () => {
	it.each(CASES.map((testCase): [string, TokenCase] => [testCase.name, testCase]))('%s', async (name, testCase) => {
		const { emulator } = suite;
		suite.rotateSecret(); // a credential this process has not signed in with yet: no cached token, a fresh MSAL application
		addCall(emulator, CALL);
		const credential = emulator.credentialData(testCase.credential?.(emulator) ?? {});
		const problem = problemOf(testCase, emulator);
		const fails = problem !== '';

		testCase.arrange?.(emulator);
		const node = await signInRun(suite, credential);
		const aspects: Aspects = {
			tokenRequests: [testCase.tokenRequests, node.aspects.tokenRequests],
			graphRequests: [fails ? 'none' : 'GET getParticipant 200', node.aspects.graphRequests],
			result: [fails ? 'failed' : 'ok', node.aspects.result],
			// A network problem is a sentence of its own ("Could not get a token from Microsoft Entra ID: …").
			message: [isSentence(problem) ? problem : withPrefix(problem, SIGN_IN), node.aspects.message],
			description: [fails ? AUTH_HINT : '', node.aspects.description],
		};

		emulator.clearFaults();
		testCase.arrange?.(emulator);
		const tested = await suite.testCredential(credential);
		aspects.testButton = [fails ? withPrefix(problem, 'Error: ') : 'OK', tested.status === 'OK' ? 'OK' : `Error: ${tested.message}`];

		if (testCase.laterRunWorks) {
			emulator.clearFaults();
			const later = await signInRun(suite, credential);
			aspects.laterRun = ['ok after 1 token request', `${String(later.aspects.result)} after ${String(later.aspects.tokenRequests)} token request`];
		}
		expectNoMismatch(suite.report.check(name, aspects));
	});

	it('a secret changed between two runs: the new one works; the old one fails with AADSTS7000215 once its token is gone', async () => {
		const { emulator } = suite;
		addCall(emulator, CALL, 3);
		const old = emulator.credentialData();
		const before = await signInRun(suite, old);
		suite.rotateSecret();
		const renewed = emulator.credentialData();
		const [oldTest, newTest] = [await suite.testCredential(old), await suite.testCredential(renewed)];
		const withNew = await signInRun(suite, renewed);
		// Entra does not revoke issued tokens when a secret is removed: the old credential's cached token still works …
		const oldCached = await signInRun(suite, old);
		// … until it expires (revoked here): then the old secret is refused, with the reason.
		emulator.revokeTokens();
		const from = emulator.log.length;
		const oldExpired = await signInRun(suite, old);
		const wrong =
			"The client secret is wrong. In Entra ID > App registrations > your app > Certificates & secrets, copy the secret's Value (not its Secret ID) into the credential. (AADSTS7000215)";
		expectNoMismatch(
			suite.report.check('secret rotated between two runs', {
				firstRun: ['ok', before.aspects.result],
				testButtonOld: [`Error: ${wrong}`, `${oldTest.status}: ${oldTest.message}`],
				testButtonNew: ['OK', newTest.status],
				runWithNewSecret: ['ok, 1 token request', `${String(withNew.aspects.result)}, ${String(withNew.aspects.tokenRequests)} token request`],
				runWithOldSecretCachedToken: ['ok, 0 token requests', `${String(oldCached.aspects.result)}, ${String(oldCached.aspects.tokenRequests)} token requests`],
				runWithOldSecretAfterExpiry: [`${SIGN_IN}${wrong}`, oldExpired.message],
				requestsAfterExpiry: [
					'GET getParticipant 401 → POST token 401',
					compact(emulator.log.slice(from).map((entry) => `${entry.method} ${entry.route} ${entry.status}`)),
				],
			}),
		);
	});
});

leakCheck(suite);
