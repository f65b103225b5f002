/**
 * Application permissions as Graph checks them: the `roles` of a JWT access token (the emulator's, with
 * `tokenRoles` set) against what each route accepts (Graph's reference, least privileged first). A route not listed
 * here is not checked.
 */
import { randomBytes } from 'node:crypto';

const JOIN = ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'];
const INITIATE = ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All'];
const CALL_RECORDS = 'CallRecords.Read.All';

const ROLES_BY_ROUTE: Record<string, readonly string[]> = {
	getCall: [...JOIN, ...INITIATE],
	getOperation: [...JOIN, ...INITIATE],
	deleteCall: ['Calls.Initiate.All'],
	keepAlive: ['Calls.Initiate.All'],
	playPrompt: ['Calls.Initiate.All'],
	invite: ['Calls.InitiateGroupCall.All'],
	listParticipants: JOIN,
	getParticipant: JOIN,
	deleteParticipant: JOIN,
	mute: JOIN,
	startHoldMusic: JOIN,
	stopHoldMusic: JOIN,
	redirect: ['Calls.Initiate.All'],
	transfer: ['Calls.Initiate.All'],
	sendDtmfTones: ['Calls.Initiate.All'],
	subscribeToTone: ['Calls.AccessMedia.All'],
	recordResponse: ['Calls.AccessMedia.All'],
	listCallRecords: [CALL_RECORDS],
	getCallRecord: [CALL_RECORDS],
	listCallRecordSessions: [CALL_RECORDS],
	listCallRecordParticipants: [CALL_RECORDS],
	getPstnCalls: [CALL_RECORDS, 'CallRecord-PstnCalls.Read.All'],
	getDirectRoutingCalls: [CALL_RECORDS, 'CallRecord-PstnCalls.Read.All'],
};

/** The roles a request needs (any one of them); createCall depends on whether it joins a meeting. */
function acceptedRoles(route: string, body: unknown): readonly string[] | undefined {
	if (route === 'createCall') {
		const joinsMeeting = typeof body === 'object' && body !== null && 'meetingInfo' in body;
		return joinsMeeting ? JOIN : INITIATE;
	}
	return ROLES_BY_ROUTE[route];
}

/** Whether a token with these roles (undefined: an opaque token, not checked) may make this request. */
export function rolesAllow(roles: readonly string[] | undefined, route: string, body: unknown): boolean {
	const accepted = acceptedRoles(route, body);
	return !roles || !accepted || accepted.some((role) => roles.includes(role));
}

/** Graph's Entra-issued access token, shaped as one: a JWT whose payload names the app, tenant and roles. Not signed. */
export function accessTokenJwt(claims: { tenantId: string; clientId: string; roles: readonly string[]; expiresAt: number }): string {
	const segment = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const payload = {
		aud: 'https://graph.microsoft.com',
		iss: `https://sts.windows.net/${claims.tenantId}/`,
		iat: now,
		nbf: now,
		exp: Math.floor(claims.expiresAt / 1000),
		appid: claims.clientId,
		idtyp: 'app',
		oid: claims.clientId,
		roles: claims.roles,
		tid: claims.tenantId,
		uti: randomBytes(16).toString('base64url'),
		ver: '1.0',
	};
	return `${segment({ typ: 'JWT', alg: 'RS256', kid: 'emulator' })}.${segment(payload)}.${randomBytes(64).toString('base64url')}`;
}
