import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ParsedCredential } from '../transport/parsedCredentials';
import { type CallEvent, eventsOf } from './callEvents';
import { callKey } from './callKey';
import { callIdOf, classifyBody } from './commsBody';
import { announcesIncomingCall } from './incomingCall';
import { NotificationRefused } from './jwt';
import { verifyNotificationToken } from './notificationVerifier';
import { signingKeysFor } from './openIdKeys';
import { recallMemory, storeMemory } from './processMemory';
import { refusalLogLine } from './refusalLog';
import { triggerCredential } from './triggerCredential';

export type TriggerEventChoice = CallEvent | 'all';

/** Answers the notification's sender directly (n8n then sends nothing itself). */
function answer(this: IWebhookFunctions, status: number): void {
	const res = this.getResponseObject();
	res.writeHead(status, { 'content-length': 0 });
	res.end();
}

/** This trigger node, across n8n processes and requests: its workflow and node. */
function triggerKey(this: IWebhookFunctions): string {
	return `${this.getWorkflow().id ?? ''}/${this.getNode().id ?? this.getNode().name}`;
}

function refuse(this: IWebhookFunctions, why: string): IWebhookResponseData {
	const line = refusalLogLine(triggerKey.call(this), why, Date.now());
	if (line) this.logger.warn(line);
	answer.call(this, 401);
	return { noWebhookResponse: true };
}

function parseCallIds(value: unknown): Set<string> {
	return new Set(String(value ?? '').split(/[\s,]+/).map((id) => callKey(id.trim())).filter(Boolean));
}

/**
 * The Teams Call Trigger's webhook: verify the token (401, nothing started, when it fails), only then read the body
 * (400 when it is not commsNotifications, 204 for the legacy Skype format), derive the events from what is
 * remembered of each call, answer 202 and hand the items to n8n, which runs the workflow after the answer.
 */
export async function handleNotification(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const enteredAt = Date.now();
	const credential = await triggerCredential.call(this, enteredAt);
	try {
		return await answerNotification.call(this, credential.parsed, enteredAt);
	} finally {
		credential.rereadIfDue();
	}
}

/** Everything after reading the credential: verification, the body, the events, the answer. */
async function answerNotification(this: IWebhookFunctions, parsed: ParsedCredential, enteredAt: number): Promise<IWebhookResponseData> {
	if ('problem' in parsed) return refuse.call(this, parsed.problem);
	const { config } = parsed;
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
	const key = triggerKey.call(this);
	const memory = recallMemory(key, staticData, now);
	const items: IDataObject[] = [];
	for (const notification of body.notifications) {
		const callId = callIdOf(notification.resourceUrl);
		if (callIds.size > 0 && (!callId || !callIds.has(callKey(callId)))) continue;
		if (events.has('all')) {
			items.push({ event: 'notification', callId: callId ?? null, ...notification, receivedAt: context.receivedAt } as IDataObject);
		}
		for (const item of eventsOf(notification, memory, context)) {
			if (events.has(item.event)) items.push(item);
		}
	}
	// An incoming call must be answered within seconds: the notification that announces it does not wait for n8n's
	// database write of the trigger's memory. Its call is remembered in this process; the call's next notification
	// (establishing, a second later) writes it with its own change.
	storeMemory(key, staticData, memory, !body.notifications.every(announcesIncomingCall));

	answer.call(this, 202);
	// Where a notification's time goes, for `npm run test:queue` (debug level: numbers only).
	this.logger.debug(
		`Teams Call Trigger answered 202 at ${Date.now()}: webhook() entered at ${enteredAt}, credential ${credentialAt - enteredAt} ms, ` +
			`verification and events ${Date.now() - credentialAt} ms`,
	);
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
}
