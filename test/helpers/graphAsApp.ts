/**
 * A test's own hands on the emulator over real HTTPS (trusting its CA): Graph requests as the emulated app (a token
 * from its Entra by client credentials), and the calling platform's control API (`/control/…`).
 */
import https from 'node:https';

import type { Emulator } from '../emulator/types';

export interface JsonReply {
	status: number;
	json: unknown;
}

function httpsJson(emulator: Emulator, method: string, url: string, headers: Record<string, string>, body?: string): Promise<JsonReply> {
	return new Promise((resolve, reject) => {
		const request = https.request(url, { method, ca: emulator.caCertificatePem, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: response.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : undefined });
			});
		});
		request.on('error', reject);
		request.end(body);
	});
}

async function appToken(emulator: Emulator): Promise<string> {
	const form = new URLSearchParams({
		client_id: emulator.app.clientId,
		client_secret: emulator.app.clientSecret,
		grant_type: 'client_credentials',
		scope: `${emulator.graphUrl}/.default`,
	});
	const reply = await httpsJson(emulator, 'POST', `${emulator.authorityHost}/${emulator.app.tenantId}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
	return (reply.json as { access_token: string }).access_token;
}

/** A JSON POST to the emulator's Graph (`path` under /v1.0/) as the emulated app. */
export async function graphPostAsApp(emulator: Emulator, path: string, body: unknown): Promise<JsonReply> {
	const headers = { authorization: `Bearer ${await appToken(emulator)}`, 'content-type': 'application/json' };
	return await httpsJson(emulator, 'POST', `${emulator.graphUrl}/v1.0/${path}`, headers, JSON.stringify(body));
}

/** A JSON POST to the emulated calling platform's control API (e.g. `/control/incomingCall`). */
export async function controlPost(emulator: Emulator, path: string, body: unknown): Promise<JsonReply> {
	return await httpsJson(emulator, 'POST', `${emulator.platformUrl}${path}`, { 'content-type': 'application/json' }, JSON.stringify(body));
}

/** A GET of the emulated calling platform's control API (e.g. `/control/recordings`). */
export async function controlGet(emulator: Emulator, path: string): Promise<JsonReply> {
	return await httpsJson(emulator, 'GET', `${emulator.platformUrl}${path}`, {});
}
