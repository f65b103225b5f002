#!/usr/bin/env node
/**
 * The contender "a plain script with Microsoft's Graph client": what a developer would write without this node.
 * msal-node's ConfidentialClientApplication (client secret) as the auth provider of `@microsoft/microsoft-graph-client`
 * (`Client.initWithMiddleware`, default middleware: retry on 429 honouring Retry-After), awaiting each call in turn.
 *
 * Run by bench/run.mjs with NODE_EXTRA_CA_CERTS set to the emulator's CA (so fetch and msal trust it):
 *   node bench/sdkLoop.mjs <items.json>
 * Environment: GRAPH_URL, AUTHORITY_HOST, TENANT_ID, CLIENT_ID, CLIENT_SECRET (the emulator's values).
 * items.json: {"operation": "remove" | "invite", "items": [{callId, participantId} | {callId, userId}]}
 * Prints one JSON line: {wallMs, items, failed, firstError, maxRssKb}. wallMs runs from before the first token
 * request to after the last answer (module loading excluded, as n8n's start-up is excluded for the n8n contenders).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';

const { GRAPH_URL, AUTHORITY_HOST, TENANT_ID, CLIENT_ID, CLIENT_SECRET } = process.env;
for (const [name, value] of Object.entries({ GRAPH_URL, AUTHORITY_HOST, TENANT_ID, CLIENT_ID, CLIENT_SECRET })) {
	if (!value) throw new Error(`${name} is not set`);
}
const { operation, items } = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// The emulator is not one of Microsoft's authority hosts: tell MSAL it is known and give it the metadata
// (what a developer pointing MSAL at a sovereign or private authority does).
const authority = `${AUTHORITY_HOST}/${TENANT_ID}`;
const msal = new ConfidentialClientApplication({
	auth: {
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		authority,
		knownAuthorities: [new URL(AUTHORITY_HOST).host],
		authorityMetadata: JSON.stringify({
			token_endpoint: `${authority}/oauth2/v2.0/token`,
			authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
			end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
			issuer: `${authority}/v2.0`,
			jwks_uri: `${authority}/discovery/v2.0/keys`,
		}),
	},
	system: { loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined } },
});

const authProvider = {
	async getAccessToken() {
		// MSAL caches the token in memory: one request, then cache hits.
		const result = await msal.acquireTokenByClientCredential({ scopes: [`${GRAPH_URL}/.default`] });
		return result.accessToken;
	},
};
// customHosts: the client sends the token only to Graph's own hosts unless told about another one.
const client = Client.initWithMiddleware({
	authProvider,
	baseUrl: GRAPH_URL, // the client appends the version
	defaultVersion: 'v1.0',
	customHosts: new Set([new URL(GRAPH_URL).hostname]),
});

let failed = 0;
let firstError;
const start = performance.now();
for (const item of items) {
	try {
		const path = `/communications/calls/${encodeURIComponent(item.callId)}/participants`;
		if (operation === 'remove') {
			await client.api(`${path}/${encodeURIComponent(item.participantId)}`).delete();
		} else {
			await client.api(`${path}/invite`).post({
				participants: [
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: { user: { '@odata.type': '#microsoft.graph.identity', id: item.userId, identityProvider: 'AAD' } },
					},
				],
				clientContext: item.clientContext,
			});
		}
	} catch (error) {
		failed++;
		firstError ??= `${error?.statusCode ?? ''} ${error?.code ?? ''} ${error?.message ?? String(error)}`.trim();
	}
}
const wallMs = performance.now() - start;
process.stdout.write(
	`${JSON.stringify({ wallMs, items: items.length, failed, firstError, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
