import './capture';

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { sendHttp } from '../../nodes/shared/transport/httpClient';
import { generateCertificates } from '../emulator/certificates';
import type { FaultRule } from '../emulator';
import { addCall, ALL_OPERATIONS, compact, expectNoMismatch, faultSuite, leakCheck, OPERATIONS, type OperationSpec, participantItems, PHRASES, runSpec } from './support';

/**
 * Where the access token goes: only to the configured Graph origin. A Location header, an @odata.nextLink or a
 * redirect that points elsewhere is not requested (a second HTTPS server, trusted by the credential's CA bundle so
 * that a request WOULD succeed, records everything it receives: it must receive nothing), the error says why, and
 * http:// endpoints are refused in the credential before any request.
 */

const suite = faultSuite('Where tokens go', { inviteCompletionMs: 5_000 });
const CALL = 'call-o';

interface Received {
	method: string;
	url: string;
	bearer: boolean;
}

/** A server that answers 200 {} to everything and remembers what it got. */
function recorder<S extends http.Server>(server: S) {
	const received: Received[] = [];
	server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		received.push({ method: req.method ?? '', url: req.url ?? '', bearer: /^Bearer /i.test(req.headers.authorization ?? '') });
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[],"status":"completed"}');
	});
	return {
		received,
		start: async () => await new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(String((server.address() as AddressInfo).port)))),
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

let rogue: ReturnType<typeof recorder<https.Server>>;
let plain: ReturnType<typeof recorder<http.Server>>;
let rogueOrigin = '';
let plainOrigin = '';
/** The credential trusts the emulator's CA and the rogue server's CA. */
let credentials: Record<string, string> = {};

beforeAll(async () => {
	const certificates = await generateCertificates();
	rogue = recorder(https.createServer({ key: certificates.server.keyPem, cert: certificates.server.certPem }));
	plain = recorder(http.createServer());
	rogueOrigin = `https://127.0.0.1:${await rogue.start()}`;
	plainOrigin = `http://127.0.0.1:${await plain.start()}`;
	const { emulator } = suite;
	credentials = emulator.credentialData({ caCertificate: `${emulator.caCertificatePem}\n${certificates.ca.certPem}` });
});
afterAll(async () => {
	await rogue.stop();
	await plain.stop();
});
beforeEach(() => {
	rogue.received.length = 0;
	plain.received.length = 0;
});

const graphOrigin = () => suite.emulator.graphUrl;
const graphPort = () => new URL(graphOrigin()).port;

/** URLs on another origin than Graph's, and the origin the node must name. */
const ELSEWHERE: Array<[string, (path: string) => string, () => string]> = [
	['another https host (trusted certificate)', (path) => `${rogueOrigin}${path}`, () => rogueOrigin],
	['the Graph host over http://', (path) => `http://127.0.0.1:${graphPort()}${path}`, () => `http://127.0.0.1:${graphPort()}`],
	['user-info trick https://graph@other', (path) => `https://127.0.0.1:${graphPort()}@${rogueOrigin.slice(8)}${path}`, () => rogueOrigin],
	['protocol-relative //other', (path) => `//${rogueOrigin.slice(8)}${path}`, () => rogueOrigin],
	['the Graph server under another name (localhost)', (path) => `https://localhost:${graphPort()}${path}`, () => `https://localhost:${graphPort()}`],
];

const refused = (action: 'getOperation' | 'getAll', what: string, origin: string) =>
	`Could not ${PHRASES[action]}: the ${what} URL returned by Graph points at ${origin}, not at the configured Graph host ${graphOrigin()}; it was not requested, so that the access token stays with Graph`;

async function runWith(parameters: INodeParameters, items: IDataObject[]) {
	return await suite.run(parameters, { items, credentials });
}

describe('Control: the second server is reachable and trusted with this credential', () => {
	it('a plain request from the node\'s HTTP client reaches it (so "received nothing" below means "not sent")', async () => {
		const response = await sendHttp({ method: 'GET', url: `${rogueOrigin}/probe`, timeoutMs: 5_000, maxBytes: 10_000, caPem: credentials.caCertificate });
		expectNoMismatch(suite.report.check('control: second server trusted and reachable', { status: [200, response.status], received: [[{ method: 'GET', url: '/probe', bearer: false }], rogue.received] }));
	});
});

describe('A Location header on another origin (Invite, Wait for Completion)', () => {
	it.each(ELSEWHERE)('%s', async (name, url, origin) => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		const operation = { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: 'op-1', status: 'running', clientContext: 'ctx-p-0' };
		const fault: FaultRule = {
			route: 'invite',
			fault: { kind: 'status', status: 200, headers: { location: url(`/v1.0/communications/calls/${CALL}/operations/op-1`) }, body: operation },
			processFirst: true,
		};
		emulator.addFault(fault);
		const outcome = await runWith(OPERATIONS.invite.parameters(CALL, { options: { waitForCompletion: true, waitTimeout: 5 } }), participantItems(1));
		expectNoMismatch(
			suite.report.check(`Location → ${name}`, {
				message: [refused('getOperation', 'operation (Location header)', origin()), outcome.message],
				graphRequests: ['POST invite 200', compact(outcome.requests)],
				secondServerReceived: [[], [...rogue.received, ...plain.received]],
			}),
		);
	});
});

describe('An @odata.nextLink on another origin (Get Many, Return All)', () => {
	it.each(ELSEWHERE)('%s', async (name, url, origin) => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		const page = { value: [{ id: 'p-0' }], '@odata.nextLink': url(`/v1.0/communications/calls/${CALL}/participants?$skiptoken=cDE`) };
		emulator.addFault({ route: 'listParticipants', fault: { kind: 'status', status: 200, body: page } });
		const outcome = await runWith(OPERATIONS.getAll.parameters(CALL), participantItems(1));
		expectNoMismatch(
			suite.report.check(`nextLink → ${name}`, {
				message: [refused('getAll', 'next page (@odata.nextLink)', origin()), outcome.message],
				graphRequests: ['GET listParticipants 200', compact(outcome.requests)],
				secondServerReceived: [[], [...rogue.received, ...plain.received]],
			}),
		);
	});
});

describe('A redirect to another origin is not followed (every operation)', () => {
	it.each(ALL_OPERATIONS.map((spec): [string, OperationSpec] => [spec.op, spec]))('307 → other host · %s', async (_name, spec) => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		emulator.addFault({ route: spec.route, fault: { kind: 'status', status: 307, headers: { location: `${rogueOrigin}/v1.0/steal` }, body: '' } });
		const outcome = await runSpec(suite, spec, CALL, { items: participantItems(1), credentials });
		expectNoMismatch(
			suite.report.check(`redirect 307 → other host · ${spec.op}`, {
				message: [new RegExp(`^Microsoft Graph could not ${PHRASES[spec.op]} \\(HTTP 307\\)`), outcome.message],
				graphRequests: [`${spec.method} ${spec.route} 307`, compact(outcome.requests)],
				secondServerReceived: [[], rogue.received],
			}),
		);
	});
});

describe('http:// endpoints are refused in the credential, before any request', () => {
	const cases: Array<[string, string]> = [
		['graphBaseUrl', 'Graph Base URL'],
		['authorityHost', 'Authority Host'],
	];
	it.each(cases)('%s http://', async (field, label) => {
		const { emulator } = suite;
		addCall(emulator, CALL);
		const httpCredentials = { ...credentials, [field]: plainOrigin };
		const outcome = await suite.run(OPERATIONS.get.parameters(CALL), { items: participantItems(1), credentials: httpCredentials });
		const tested = await suite.testCredential(httpCredentials);
		const message = `Credential field "${label}" must use https:// (got http://): tokens are never sent over plain HTTP`;
		expectNoMismatch(
			suite.report.check(`${field} = http://…`, {
				message: [message, outcome.message],
				testButton: [`Error: ${message}`, `${tested.status}: ${tested.message}`],
				requests: [0, emulator.log.length + plain.received.length + rogue.received.length],
			}),
		);
	});
});

leakCheck(suite);
