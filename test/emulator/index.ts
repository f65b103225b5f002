/** Local Entra + Graph emulator: two HTTPS servers on 127.0.0.1 sharing one state. See types.ts. */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EmulatedApp, Emulator, EmulatorOptions } from './types';
import { generateCertificates } from './certificates';
import { createEntraHandler } from './entra';
import { createGraphHandler } from './graph';
import { defaultOptions, EmulatorState } from './state';
import { newGuid } from './httpUtil';
import { addIncomingCall } from './incomingCall';
import { addRecording, recordingLocation } from './recordings';
import { Callers } from './notifications/callers';
import { NotificationCenter } from './notifications/center';
import { notifyOnChanges } from './notifications/notifier';
import { recordEndedCalls } from './callRecords/fromCalls';
import { createPlatformHandler, OPENID_PATH } from './notifications/platformServer';

export * from './types';

/** A secret shaped like Entra's (40 characters, with the `8Q~` marker and URL-unsafe characters). */
function newSecret(): string {
	return randomBytes(3).toString('base64url').slice(0, 3) + '8Q~' + randomBytes(26).toString('base64url').slice(0, 34);
}

function createServer(
	keyPem: string,
	certPem: string,
	handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): https.Server {
	const server = https.createServer({ key: keyPem, cert: certPem, keepAlive: true, noDelay: true }, handler);
	server.keepAliveTimeout = 30_000;
	server.headersTimeout = 35_000;
	server.maxRequestsPerSocket = 0;
	server.on('clientError', (_error, socket) => {
		socket.destroy();
	});
	return server;
}

function listen(server: https.Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

function closeServer(server: https.Server): Promise<void> {
	return new Promise((resolve) => {
		server.closeAllConnections();
		if (!server.listening) {
			resolve();
			return;
		}
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const certs = await generateCertificates();
	const app: EmulatedApp = {
		tenantId: newGuid(),
		tenantDomain: 'contoso-emulator.onmicrosoft.com',
		clientId: newGuid(),
		clientSecret: newSecret(),
		certificatePem: certs.client.certPem,
		certificateChainPem: certs.client.chainPem,
		privateKeyPkcs8Pem: certs.client.keyPkcs8Pem,
		privateKeyPkcs1Pem: certs.client.keyPkcs1Pem,
		privateKeyEncryptedPem: certs.client.keyEncryptedPem,
		passphrase: certs.client.passphrase,
		thumbprintSha256Hex: certs.client.thumbprintSha256Hex,
		thumbprintSha1Hex: certs.client.thumbprintSha1Hex,
		unregisteredCertificatePem: certs.unregistered.certPem,
		unregisteredPrivateKeyPem: certs.unregistered.keyPem,
	};
	const state = new EmulatorState(defaultOptions(options), app);
	const urls = { graphUrl: '', authorityHost: '', platformUrl: '' };
	const notifications = new NotificationCenter(state);
	notifyOnChanges(state, notifications);
	recordEndedCalls(state);
	const callers = new Callers(state, notifications);
	const entraServer = createServer(certs.server.keyPem, certs.server.certPem, createEntraHandler(state, urls));
	const graphServer = createServer(certs.server.keyPem, certs.server.certPem, createGraphHandler(state, urls));
	const platformServer = createServer(certs.server.keyPem, certs.server.certPem, createPlatformHandler(state, notifications, callers, () => urls.platformUrl));
	const servers = [entraServer, graphServer, platformServer];
	try {
		state.options.entraPort = await listen(entraServer, state.options.entraPort);
		state.options.graphPort = await listen(graphServer, state.options.graphPort);
		urls.platformUrl = `https://127.0.0.1:${await listen(platformServer, 0)}`;
	} catch (error) {
		await Promise.all(servers.map(closeServer));
		throw error;
	}
	urls.authorityHost = `https://127.0.0.1:${state.options.entraPort}`;
	urls.graphUrl = `https://127.0.0.1:${state.options.graphPort}`;

	let closed: Promise<void> | undefined;
	const emulator: Emulator = {
		graphUrl: urls.graphUrl,
		authorityHost: urls.authorityHost,
		caCertificatePem: certs.ca.certPem,
		platformUrl: urls.platformUrl,
		notificationOpenIdConfigUrl: urls.platformUrl + OPENID_PATH,
		notifications,
		callers,
		app,
		options: state.options,
		credentialData: (overrides = {}) => ({
			cloud: 'custom',
			tenantId: app.tenantId,
			clientId: app.clientId,
			authentication: 'clientSecret',
			clientSecret: app.clientSecret,
			authorityHost: urls.authorityHost,
			graphBaseUrl: urls.graphUrl,
			caCertificate: certs.ca.certPem,
			notificationOpenIdConfigUrl: urls.platformUrl + OPENID_PATH,
			...overrides,
		}),
		addCall: (init) => state.addCall(init),
		getCall: (id) => state.calls.get(id),
		addIncomingCall: (init) => addIncomingCall(state, init),
		recordings: state.recordings,
		addRecording: (callId, fixed) => {
			const recording = Object.assign(addRecording(state.recordings, callId), fixed);
			state.recordings.set(recording.id, recording);
			return { recordingLocation: recordingLocation(urls.graphUrl, recording), recordingAccessToken: recording.accessToken };
		},
		addMeeting: (init) => state.addMeeting(init),
		callRecords: state.callRecords,
		events: state.events,
		endCall: (id) => state.endCall(id),
		failInvitesFor: (identityId, resultInfo) => {
			state.failInvites.set(identityId.toLowerCase(), { ...resultInfo });
		},
		addFault: (rule) => state.faults.add(rule),
		clearFaults: () => state.faults.clear(),
		seedFaults: (seed) => state.faults.seed(seed),
		holdGraphAnswers: () => state.holdGraphAnswers(),
		configure: (next) => state.configure(next),
		rotateSecret: () => {
			app.clientSecret = newSecret();
			state.secretExpired = false;
			return app.clientSecret;
		},
		expireSecret: () => {
			state.secretExpired = true;
		},
		lastAssertion: () => (state.lastAssertion ? { ...state.lastAssertion } : undefined),
		revokeTokens: () => {
			for (const record of state.tokens.values()) record.revoked = true;
		},
		log: state.log,
		issuedTokens: () => [...state.tokens.keys()],
		stats: () => state.stats(),
		reset: () => state.reset(),
		close: () => {
			closed ??= (async () => {
				state.clearTimers();
				state.events.removeAllListeners();
				await Promise.all(servers.map(closeServer));
			})();
			return closed;
		},
	};
	return emulator;
}
