/**
 * The emulator checks what it takes and gives against Graph's schema (routeContracts.ts, notificationContract.ts):
 * a mismatching request body, answer or notification is recorded with its path and rule, and fails the test it
 * happened in (failOnMismatch.ts; here the mismatches are claimed by the test itself to show them).
 */
import https from 'node:https';

import { startEmulator, type Emulator } from '../emulator';
import { mismatchError, takeMismatches } from './contractLog';

let emulator: Emulator;
let token: string;

function send(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const request = https.request(url, { method, ca: emulator.caCertificatePem, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		request.on('error', reject);
		if (body !== undefined) request.write(body);
		request.end();
	});
}

/** A Graph request as the nodes send it (bearer token, client-request-id). */
function graph(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
	const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'client-request-id': 'contract-test' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	return send(method, `${emulator.graphUrl}/v1.0/${path}`, body === undefined ? undefined : JSON.stringify(body), headers);
}

beforeAll(async () => {
	emulator = await startEmulator();
	const fields = { client_id: emulator.app.clientId, grant_type: 'client_credentials', scope: `${emulator.graphUrl}/.default`, client_secret: emulator.app.clientSecret };
	const reply = await send('POST', `${emulator.authorityHost}/${emulator.app.tenantId}/oauth2/v2.0/token`, new URLSearchParams(fields).toString(), {
		'content-type': 'application/x-www-form-urlencoded',
	});
	token = (JSON.parse(reply.text) as { access_token: string }).access_token;
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

it('records a request body that does not match its action, with the path and the rule', async () => {
	const call = emulator.addCall();
	const [participant] = [...call.participants.keys()];
	const reply = await graph('POST', `communications/calls/${call.id}/participants/${participant}/mute`, { clientContext: 'c', reason: 'noise' });
	expect(reply.status).toBe(200); // the emulator is lenient; the schema check is not
	expect(takeMismatches()).toEqual([expect.stringMatching(/^request mute \(POST .*\/mute\):\n {4}\$\.reason: \[unknown-parameter\] mute takes no parameter "reason"/)]);
});

it('records an answer that does not match the schema', async () => {
	const call = emulator.addCall({ participants: [{ isMuted: 'yes' as unknown as boolean }] });
	const [participant] = [...call.participants.keys()];
	expect((await graph('GET', `communications/calls/${call.id}/participants/${participant}`)).status).toBe(200);
	expect(takeMismatches()).toEqual([expect.stringContaining('answer getParticipant (GET')]);
	expect(takeMismatches()).toEqual([]);
});

it('records a notification that does not match the schema', async () => {
	const call = emulator.addCall({ participants: [{ isInLobby: 'no' as unknown as boolean }] });
	emulator.notifications.setCallback(call.id, 'https://127.0.0.1:9/unreachable');
	await emulator.notifications.rosterAgain(call.id);
	expect(takeMismatches()).toEqual([expect.stringContaining('$.value[0].resourceData[0].isInLobby: [value-type] must be a boolean')]);
});

it('makes the error a test fails with, each mismatch named', async () => {
	const call = emulator.addCall();
	await graph('POST', `communications/calls/${call.id}/playPrompt`, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://x.example/a.wav', volume: 3 } }] });
	expect(mismatchError('during this test', takeMismatches())?.message).toMatch(/^Graph schema mismatch during this test:\n {2}request playPrompt .*\n {4}\$\.prompts\[0\]\.mediaInfo\.volume: \[closed-type-property\]/);
});

it('leaves the nodes\' own well-formed bodies alone, and a test\'s raw requests (no client-request-id) unchecked', async () => {
	const call = emulator.addCall();
	await send('POST', `${emulator.graphUrl}/v1.0/communications/calls/${call.id}/keepAlive`, JSON.stringify({ anything: true }), {
		authorization: `Bearer ${token}`,
		'content-type': 'application/json',
	});
	await graph('POST', `communications/calls/${call.id}/keepAlive`);
	expect(takeMismatches()).toEqual([]);
});
