/**
 * Public surface of the local Entra + Graph emulator. Tests, the demo and the benchmarks use only this.
 * Two HTTPS servers on 127.0.0.1 (random free ports): one plays Entra (token endpoint), one plays Graph,
 * so that they are distinct origins, as in Microsoft's clouds.
 */

export interface EmulatorOptions {
	/** Delay added before every Graph answer (ms). Default 0. */
	graphLatencyMs?: number;
	/** Delay added before every token answer (ms). Default 0. */
	tokenLatencyMs?: number;
	/** After an invite, the operation stays `running` this long, then becomes `completed` (ms). Default 300. */
	inviteCompletionMs?: number;
	/** A new call (join or create) stays `establishing` this long, then becomes `established` or fails (ms). Default 200. */
	callEstablishMs?: number;
	/**
	 * After playPrompt, start/stopHoldMusic, sendDtmfTones or recordResponse, the operation stays `running` this long,
	 * then `completed` (ms); answer, redirect and transfer take as long to settle. Default 300.
	 */
	operationCompletionMs?: number;
	/** Lifetime of issued access tokens (s). Default 3600. */
	tokenLifetimeSeconds?: number;
	/** Graph requests allowed per second across all routes; past it, 429 with Retry-After (s). Default: unlimited. */
	rateLimitPerSecond?: number;
	/** Print one line per request to stderr (redacted). Default false. */
	verbose?: boolean;
	/** Participants per page of listParticipants (then `@odata.nextLink` with `$skiptoken`). Default 50. */
	participantsPageSize?: number;
	/** Fixed port for the Graph server (default 0 = random free port; `options.graphPort` holds the real one). */
	graphPort?: number;
	/** Fixed port for the Entra server (default 0 = random free port; `options.entraPort` holds the real one). */
	entraPort?: number;
	/**
	 * The application permissions granted to the app (admin-consented). Given, access tokens are JWTs carrying them as
	 * `roles` (as Entra's are) and Graph answers 403 code 7504 to a request they do not cover (test/emulator/permissions.ts).
	 * Default null: opaque tokens and no permission check.
	 */
	tokenRoles?: string[] | null;
}

/** What the last client assertion received by the token endpoint looked like. */
export interface AssertionInfo {
	/** JWT header `alg` (PS256 from msal-node 7 with a SHA-256 thumbprint, RS256 with SHA-1). */
	alg: string;
	/** Which thumbprint header was sent: 'x5t#S256', 'x5t' or 'none'. */
	thumbprintHeader: string;
	/** Whether the header carried `x5c`, and how many certificates it held. */
	hasX5c: boolean;
	x5cCount: number;
}

/** The app registered in the emulated tenant, and material to sign in as it. */
export interface EmulatedApp {
	tenantId: string; // a GUID
	tenantDomain: string; // e.g. contoso.onmicrosoft.com (also accepted as tenant)
	clientId: string; // a GUID
	clientSecret: string;
	/** Leaf certificate (PEM) registered for the app. */
	certificatePem: string;
	/** Leaf followed by its issuing CA (PEM), to exercise x5c with a chain. */
	certificateChainPem: string;
	privateKeyPkcs8Pem: string;
	privateKeyPkcs1Pem: string;
	/** The same key, PKCS#8 encrypted with `passphrase`. */
	privateKeyEncryptedPem: string;
	passphrase: string;
	thumbprintSha256Hex: string; // upper-case hex, no separators
	thumbprintSha1Hex: string;
	/** A second certificate + key that is NOT registered (for AADSTS700027). */
	unregisteredCertificatePem: string;
	unregisteredPrivateKeyPem: string;
}

export interface EmulatedParticipant {
	id: string;
	info: {
		identity: Record<string, unknown>; // identitySet: { user|phone|guest|application|applicationInstance: {id, displayName, ...} }
		languageId?: string;
		region?: string;
	};
	isMuted: boolean;
	isInLobby: boolean;
	mediaStreams: unknown[];
	metadata?: string;
	/** Internal: whether it joined (true) or is still an invitation (false). Not sent to clients. */
	joined?: boolean;
	/** Internal: whether it hears hold music. */
	onHold?: boolean;
}

/** Graph's callState values the emulator uses (incoming calls, transfers and redirects included). */
export type CallState = 'incoming' | 'establishing' | 'established' | 'transferring' | 'transferAccepted' | 'redirecting' | 'terminated';

export interface EmulatedCall {
	id: string;
	state: CallState;
	tenantId: string;
	participants: Map<string, EmulatedParticipant>;
	/** The app (client ID) that created the call; only it may manage the call. Default: the emulated app. */
	ownerAppId?: string;
	/** Where Graph would send this call's notifications (the request's callbackUri). */
	callbackUri?: string;
	/** The call's resource fields from the create/join request (meetingInfo, chatInfo, targets, source, …). */
	details?: Record<string, unknown>;
	/** Why the call ended (set when it terminates). */
	resultInfo?: { code: number; subcode: number; message: string };
	/** The participant id of the app itself in a call it created or joined. */
	myParticipantId?: string;
	/** The tenant the platform names in this call's notification tokens when not the app's: a meeting of another tenant. */
	notificationTenantId?: string;
	/** Whether the app subscribed to the caller's key presses (subscribeToTone): only then are tones notified. */
	toneSubscribed?: boolean;
	/** The sequenceId of the last keypress notified. */
	toneSequence?: number;
}

/** A Teams meeting the emulated tenant knows: apps join it by its classic link, its short link, or its ID and passcode. */
export interface EmulatedMeeting {
	joinMeetingId: string;
	/** Undefined: the meeting has no passcode. */
	passcode?: string;
	threadId: string;
	messageId: string;
	organizerId: string;
	tenantId: string;
	/** https://teams.microsoft.com/l/meetup-join/{threadId}/{messageId}?context={"Tid","Oid"} (URL-encoded). */
	joinUrl: string;
	/** https://teams.microsoft.com/meet/{joinMeetingId}?p={passcode} */
	shortUrl: string;
	/** People already in the meeting when the app joins. */
	attendees: Array<Partial<EmulatedParticipant> & { displayName?: string }>;
}

/** What the emulator tells listeners (e.g. a notifier that posts to each call's callbackUri). */
export interface EmulatorEventMap {
	/** A call's state changed (establishing → established → terminated). */
	callStateChanged: [{ call: EmulatedCall; previousState: CallState | undefined }];
	/** Participants joined, changed (muted, on hold) or left. */
	rosterChanged: [{ call: EmulatedCall; changeType: 'updated' | 'deleted'; participants: EmulatedParticipant[] }];
	/** An operation (invite, mute, playPrompt, hold music) completed or failed. */
	operationFinished: [{ call: EmulatedCall; operation: Record<string, unknown> }];
}

export interface RequestLogEntry {
	at: number; // Date.now()
	server: 'entra' | 'graph';
	method: string;
	/** Path and query as received (e.g. /v1.0/communications/calls/abc/participants). */
	path: string;
	/**
	 * Route name, e.g. token, createCall, getCall, deleteCall, keepAlive, playPrompt, listParticipants, getParticipant,
	 * deleteParticipant, invite, mute, startHoldMusic, stopHoldMusic, getOperation, listCallRecords, getCallRecord,
	 * listCallRecordSessions, listCallRecordParticipants, getPstnCalls, getDirectRoutingCalls, answer, reject, redirect,
	 * transfer, subscribeToTone, sendDtmfTones, recordResponse, cancelMediaProcessing, downloadRecording (GET
	 * recordingLocation), unknown.
	 */
	route: string;
	status: number;
	/** Request headers with `authorization` replaced by `Bearer <redacted:N>` (N = token serial number). */
	headers: Record<string, string>;
	/** Parsed JSON body (or raw text), with client_secret / client_assertion redacted. */
	body: unknown;
	/** Whether a bearer token was present. */
	authorized: boolean;
	/** The kind of fault this request got (FaultKind.kind), when one fired. */
	fault?: FaultKind['kind'];
}

export type FaultKind =
	| { kind: 'status'; status: number; retryAfter?: string; body?: unknown; headers?: Record<string, string> }
	| { kind: 'reset' } // destroy the socket before any answer
	| { kind: 'stall'; ms: number } // answer nothing for ms, then destroy
	| { kind: 'malformed' } // 200 with a broken JSON body
	| { kind: 'html'; status: number } // an HTML error page
	| { kind: 'expireToken' } // answer 401 InvalidAuthenticationToken and revoke the presented token
	| { kind: 'endCall' }; // Graph only: end the request's call (endCall), then answer as usual (404 / 8522)

export interface FaultRule {
	/** Route name as in RequestLogEntry.route ('*' for every Graph route, 'token' for the token endpoint). */
	route: string;
	fault: FaultKind;
	/** How many matching requests get the fault (default 1). Infinity for all. */
	times?: number;
	/** Skip this many matching requests first (default 0). */
	after?: number;
	/** Whether the request is still processed (state changed) before the fault is answered (default false). */
	processFirst?: boolean;
	/** Probability 0..1 that a matching request gets it (default 1). */
	probability?: number;
}

export interface EmulatorStats {
	tokenRequests: number;
	tokensIssued: number;
	graphRequests: number;
	graphRequestsByRoute: Record<string, number>;
	inFlight: number;
	maxInFlight: number;
	/** Invites that reached processing, by clientContext. */
	invitesByClientContext: Map<string, number>;
	/** 429s answered by the rate limiter. */
	throttled: number;
	/** Create/join requests (POST /communications/calls) that reached processing. */
	callsRequested: number;
}

export interface Emulator {
	graphUrl: string; // https://127.0.0.1:<port> (no /v1.0)
	authorityHost: string; // https://127.0.0.1:<other port>
	/** PEM of the CA that signed both servers' certificates. */
	caCertificatePem: string;
	/** https://127.0.0.1:<third port>: the calling platform (notification keys) and the control API (notifications/). */
	platformUrl: string;
	/** The OpenID configuration naming the keys that sign this emulator's call notifications. */
	notificationOpenIdConfigUrl: string;
	/** Sends signed (or forged) call notifications to callbackUris; see notifications/center.ts. */
	notifications: import('./notifications/center').NotificationCenter;
	/** People calling the bot and pressing keys; see notifications/callers.ts. */
	callers: import('./notifications/callers').Callers;
	app: EmulatedApp;
	options: Required<Omit<EmulatorOptions, 'rateLimitPerSecond'>> & { rateLimitPerSecond?: number };

	/** Credential data (field names of microsoftGraphAppApi) for the `custom` cloud pointing at this emulator. */
	credentialData(overrides?: Record<string, string>): Record<string, string>;

	/** Create a call (established) with the given participants (default: 3 joined users). Returns it. */
	addCall(init?: {
		id?: string;
		participants?: Array<Partial<EmulatedParticipant> & { displayName?: string }>;
		tenantId?: string;
		/** The app that owns it (default: the emulated app); another app's call answers 403 code 7504. */
		ownerAppId?: string;
	}): EmulatedCall;
	getCall(id: string): EmulatedCall | undefined;
	/** A call to the bot, ringing (state incoming) until answered, rejected or redirected; see incomingCall.ts. */
	addIncomingCall(init?: import('./incomingCall').IncomingCallInit): EmulatedCall;
	/** Recordings that recordResponse produced (the WAV the emulator serves at recordingLocation), by recording id. */
	recordings: ReadonlyMap<string, import('./recordings').Recording>;
	/** A recording of this call as recordResponse leaves one: its location and its access token (to test downloads). */
	addRecording(callId: string, fixed?: { id?: string; accessToken?: string }): { recordingLocation: string; recordingAccessToken: string };
	/** Add a meeting apps can join (default: a new thread, organizer, 13-digit ID and a passcode). Returns it with its links. */
	addMeeting(init?: Partial<Omit<EmulatedMeeting, 'joinUrl' | 'shortUrl'>>): EmulatedMeeting;
	/**
	 * The tenant's call records (sessions, participants, organizer) and PSTN / Direct Routing report rows: seed them,
	 * update a record (its version rises), set `recordDelayMs` (how long after a call its record appears), take a
	 * permission away (`granted`). Calls the emulator ends add their own record.
	 */
	callRecords: import('./callRecords/store').CallRecordStore;
	/** Calls, meeting roster and operations as they change; listeners survive reset(). */
	events: import('node:events').EventEmitter<EmulatorEventMap>;
	/** Mark a call terminated (later requests to it get 404 / code 8522). */
	endCall(id: string): void;
	/** Make the next invites whose identity id matches end `failed` with this resultInfo. */
	failInvitesFor(identityId: string, resultInfo: { code: number; subcode: number; message: string }): void;

	addFault(rule: FaultRule): void;
	clearFaults(): void;
	/**
	 * Seeds the draws of rules with a probability (default: Math.random). Which request a draw falls on still depends
	 * on the order requests arrive in, so a seed replays a concurrent run closely, not exactly.
	 */
	seedFaults(seed: number): void;
	/** Graph holds every answer (after any latency) until the returned function is called; then all go, and later ones too. */
	holdGraphAnswers(): () => void;
	/** Change options at run time (latency, rate limit, ...). */
	configure(options: EmulatorOptions): void;
	/** Rotate the app's secret (old one no longer works). Returns the new secret. */
	rotateSecret(): string;
	/** Make the current secret expired: it then answers 401 AADSTS7000222 (until rotateSecret()). */
	expireSecret(): void;
	/** The last client assertion seen by the token endpoint (undefined if none since start/reset). */
	lastAssertion(): AssertionInfo | undefined;
	/** Revoke every access token issued so far (Graph then answers 401 InvalidAuthenticationToken). */
	revokeTokens(): void;

	/** Every request received, in order, redacted. */
	log: RequestLogEntry[];
	/** All access tokens issued so far (for leak checks). */
	issuedTokens(): string[];
	stats(): EmulatorStats;
	/** Clear log, stats, faults, calls and meetings (keeps app, certificates and event listeners). */
	reset(): void;
	close(): Promise<void>;
}
