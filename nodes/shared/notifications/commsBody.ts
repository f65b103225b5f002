import type { IDataObject } from 'n8n-workflow';

/** One entry of a commsNotifications body, checked enough to be read safely. */
export interface CommsNotification {
	changeType: string;
	resourceUrl: string;
	resourceData: unknown;
}

export type NotificationBody =
	| { kind: 'comms'; notifications: CommsNotification[] }
	/** The legacy Skype calling format a first notification may use: answered 204, Graph then sends it again. */
	| { kind: 'skype' }
	| { kind: 'invalid' };

const SKYPE_FIELDS = ['callState', 'presentedModalityTypes', 'conversationResult', 'links'];

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNotification(value: unknown): CommsNotification | undefined {
	if (!isRecord(value) || typeof value.resourceUrl !== 'string' || typeof value.changeType !== 'string') return undefined;
	if (!callIdDecodes(value.resourceUrl)) return undefined;
	return {
		changeType: value.changeType,
		resourceUrl: value.resourceUrl,
		resourceData: value.resourceData ?? null,
	};
}

/** What a verified request's body is. Read only after its token was verified. */
export function classifyBody(body: unknown): NotificationBody {
	if (!isRecord(body)) return { kind: 'invalid' };
	const type = body['@odata.type'];
	if (Array.isArray(body.value) && (type === undefined || type === '#microsoft.graph.commsNotifications')) {
		const notifications = body.value.map(asNotification);
		if (notifications.length === 0 || notifications.some((entry) => entry === undefined)) return { kind: 'invalid' };
		return { kind: 'comms', notifications: notifications as CommsNotification[] };
	}
	if (type === undefined && SKYPE_FIELDS.some((field) => field in body)) return { kind: 'skype' };
	return { kind: 'invalid' };
}

const CALL_SEGMENT = /\/calls\/([^/?#]+)/;

/** Whether the resource URL's call ID (if any) is valid URL encoding: a malformed `%` escape makes the body invalid. */
function callIdDecodes(resourceUrl: string): boolean {
	const match = CALL_SEGMENT.exec(resourceUrl);
	if (!match) return true;
	try {
		decodeURIComponent(match[1]);
		return true;
	} catch {
		return false;
	}
}

/** The call a resource URL belongs to (`/communications/calls/{id}…`, or the older `/app/calls/{id}…`), of a body classifyBody accepted. */
export function callIdOf(resourceUrl: string): string | undefined {
	const match = CALL_SEGMENT.exec(resourceUrl);
	return match ? decodeURIComponent(match[1]) : undefined;
}
