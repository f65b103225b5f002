import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CredentialConfigError, type GraphAppCredentialData, parseGraphAppCredentials } from '../transport/appCredentials';
import { type CallEvent, eventsOf } from './callEvents';
import { callIdOf, classifyBody } from './commsBody';
import { NotificationRefused } from './jwt';
import { verifyNotificationToken } from './notificationVerifier';
import { signingKeysFor } from './openIdKeys';
import { recallMemory, storeMemory } from './processMemory';

export type TriggerEventChoice = CallEvent | 'all';

/** Answers the notification's sender directly (n8n then sends nothing itself). */
function answer(this: IWebhookFunctions, status: number): void {
	const res = this.getResponseObject();
	res.writeHead(status, { 'content-length': 0 });
	res.end();
}

function refuse(this: IWebhookFunctions, why: string): IWebhookResponseData {
	// Only the reason: never the token, never the body.
	this.logger.warn(`Teams Call Trigger refused a notification (401): ${why}`);
	answer.call(this, 401);
	return { noWebhookResponse: true };
}

function parseCallIds(value: unknown): Set<string> {
	return new Set(String(value ?? '').split(/[\s,]+/).map((id) => id.trim()).filter(Boolean));
}

/**
 * The Teams Call Trigger's webhook: verify the token (401, nothing started, when it fails), only then read the body
 * (400 when it is not commsNotifications, 204 for the legacy Skype format), derive the events from what is
 * remembered of each call, answer 202 and hand the items to n8n, which runs the workflow after the answer.
 */
export async function handleNotification(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const enteredAt = Date.now();
	let config;
	try {
		config = parseGraphAppCredentials((await this.getCredentials('microsoftGraphAppApi')) as GraphAppCredentialData);
	} catch (error) {
		return refuse.call(this, error instanceof CredentialConfigError ? error.message : 'the credential could not be read');
	}
	if (!config.notificationOpenIdConfigUrl) {
		return refuse.call(this, 'the Custom cloud credential has no Notification OpenID Configuration URL, so no token can be verified');
	}
	const credentialAt = Date.now();
	try {
		const keys = signingKeysFor(config.notificationOpenIdConfigUrl, config.caCertificatePem);
		await verifyNotificationToken(this.getHeaderData().authorization, config, keys);
	} catch (error) {
		return refuse.call(this, error instanceof NotificationRefused ? error.reason : 'verification failed');
	}

	const body = classifyBody(this.getBodyData());
	if (body.kind === 'skype') {
		answer.call(this, 204);
		return { noWebhookResponse: true };
	}
	if (body.kind === 'invalid') {
		answer.call(this, 400);
		return { noWebhookResponse: true };
	}

	const events = new Set(this.getNodeParameter('events', []) as TriggerEventChoice[]);
	const options = this.getNodeParameter('options', {}) as { callIds?: string; includeLobby?: boolean };
	const callIds = parseCallIds(options.callIds);
	const now = Date.now();
	const context = { receivedAt: new Date(now).toISOString(), now, includeLobby: options.includeLobby === true };
	const staticData = this.getWorkflowStaticData('node');
	const key = `${this.getWorkflow().id ?? ''}/${this.getNode().id ?? this.getNode().name}`;
	const memory = recallMemory(key, staticData, now);
	const items: IDataObject[] = [];
	for (const notification of body.notifications) {
		const callId = callIdOf(notification.resourceUrl);
		if (callIds.size > 0 && (!callId || !callIds.has(callId))) continue;
		if (events.has('all')) {
			items.push({ event: 'notification', callId: callId ?? null, ...notification, receivedAt: context.receivedAt } as IDataObject);
		}
		for (const item of eventsOf(notification, memory, context)) {
			if (events.has(item.event)) items.push(item);
		}
	}
	storeMemory(key, staticData, memory);

	answer.call(this, 202);
	// Where a notification's time goes, for `npm run test:queue` (debug level: numbers only).
	this.logger.debug(
		`Teams Call Trigger answered 202 at ${Date.now()}: webhook() entered at ${enteredAt}, credential ${credentialAt - enteredAt} ms, ` +
			`verification and events ${Date.now() - credentialAt} ms`,
	);
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
}
