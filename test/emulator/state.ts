/** Shared mutable state of the emulator: options, app, calls, operations, tokens, stats and the log. */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type {
	AssertionInfo,
	CallState,
	Emulator,
	EmulatedApp,
	EmulatedCall,
	EmulatedMeeting,
	EmulatedParticipant,
	EmulatorEventMap,
	EmulatorOptions,
	EmulatorStats,
	RequestLogEntry,
} from './types';
import { FaultEngine, RateLimiter } from './faults';
import { flattenHeaders, newGuid } from './httpUtil';
import { CallRecordStore } from './callRecords/store';
import type { Recording } from './recordings';
import { accessTokenJwt } from './permissions';

export type ResolvedOptions = Emulator['options'];

export interface TokenRecord {
	tenantId: string;
	clientId: string;
	expiresAt: number;
	serial: number;
	revoked: boolean;
	/** The roles the token carries (undefined: an opaque token, not checked). */
	roles?: readonly string[];
}

export interface ResultInfo {
	code: number;
	subcode: number;
	message: string;
}

export const SUCCESS: ResultInfo = { code: 200, subcode: 0, message: 'Success' };

export interface OperationRecord {
	callId: string;
	/** The operation resource as Graph returns it. */
	resource: Record<string, unknown>;
	/** Participant ids this invite added (empty for mute). */
	participantIds: string[];
	timer?: NodeJS.Timeout;
}

export function defaultOptions(options: EmulatorOptions = {}): ResolvedOptions {
	return {
		graphLatencyMs: options.graphLatencyMs ?? 0,
		tokenLatencyMs: options.tokenLatencyMs ?? 0,
		inviteCompletionMs: options.inviteCompletionMs ?? 300,
		callEstablishMs: options.callEstablishMs ?? 200,
		operationCompletionMs: options.operationCompletionMs ?? 300,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		rateLimitPerSecond: options.rateLimitPerSecond,
		verbose: options.verbose ?? false,
		participantsPageSize: options.participantsPageSize ?? 50,
		graphPort: options.graphPort ?? 0,
		entraPort: options.entraPort ?? 0,
		tokenRoles: options.tokenRoles ?? null,
	};
}

/** Secrets never belong in a URL, but if a client puts them there they must not reach the log. */
function redactQuery(url: string): string {
	if (!url.includes('client_secret') && !url.includes('client_assertion')) return url;
	return url.replace(/((?:^|[?&])client_(?:secret|assertion)=)[^&]*/g, '$1<redacted>');
}

// Adele Vance and Megan Bowen are left to the examples and the demo, which invite them.
const FIRST_NAMES = ['Alex Wilber', 'Diego Siciliani', 'Grady Archie', 'Isaiah Langer', 'Johanna Lorenz', 'Lidia Holloway'];

export class EmulatorState {
	readonly calls = new Map<string, EmulatedCall>();
	/** Meetings by joinMeetingId. */
	readonly meetings = new Map<string, EmulatedMeeting>();
	/** Listeners (a notifier) survive reset(). */
	readonly events = new EventEmitter<EmulatorEventMap>();
	readonly operations = new Map<string, OperationRecord>();
	readonly tokens = new Map<string, TokenRecord>();
	readonly failInvites = new Map<string, ResultInfo>();
	/** What recordResponse recorded, by recording id (served at recordingLocation). */
	readonly recordings = new Map<string, Recording>();
	readonly faults = new FaultEngine();
	/** The tenant's call records and PSTN / Direct Routing report rows. */
	readonly callRecords = new CallRecordStore();
	readonly rateLimiter: RateLimiter;
	readonly log: RequestLogEntry[] = [];
	/** Timers (stalls, latency) to clear on close. */
	readonly timers = new Set<NodeJS.Timeout>();

	secretExpired = false;
	lastAssertion: AssertionInfo | undefined;
	tokenSerial = 0;

	tokenRequests = 0;
	tokensIssued = 0;
	graphRequests = 0;
	graphRequestsByRoute: Record<string, number> = {};
	inFlight = 0;
	maxInFlight = 0;
	invitesByClientContext = new Map<string, number>();
	throttled = 0;
	callsRequested = 0;

	constructor(
		readonly options: ResolvedOptions,
		readonly app: EmulatedApp,
	) {
		this.rateLimiter = new RateLimiter(options.rateLimitPerSecond);
	}

	/** Runs fn after ms (unref'd timer, cleared by close/reset). */
	schedule(ms: number, fn: () => void): NodeJS.Timeout {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		timer.unref();
		this.timers.add(timer);
		return timer;
	}

	private graphHold?: Promise<void>;

	/** Holds Graph's answers until the returned function is called. */
	holdGraphAnswers(): () => void {
		let release = (): void => undefined;
		const hold = new Promise<void>((resolve) => {
			release = resolve;
		});
		this.graphHold = hold;
		return () => {
			if (this.graphHold === hold) this.graphHold = undefined;
			release();
		};
	}

	/** Resolves at once, or when the hold in force is released. */
	async graphAnswersReleased(): Promise<void> {
		if (this.graphHold) await this.graphHold;
	}

	delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			this.schedule(ms, resolve);
		});
	}

	/** Changes options live (ports cannot change; rateLimitPerSecond: undefined removes the limit). */
	configure(options: EmulatorOptions): void {
		for (const [key, value] of Object.entries(options)) {
			if (key === 'graphPort' || key === 'entraPort') continue;
			if (value === undefined && key !== 'rateLimitPerSecond') continue;
			(this.options as Record<string, unknown>)[key] = value;
		}
		this.rateLimiter.setLimit(this.options.rateLimitPerSecond);
	}

	/** Tenant GUID for a tenant path segment (GUID or domain), or undefined when unknown. */
	resolveTenant(tenant: string): string | undefined {
		const lower = tenant.toLowerCase();
		if (lower === this.app.tenantId.toLowerCase() || lower === this.app.tenantDomain.toLowerCase()) {
			return this.app.tenantId;
		}
		return undefined;
	}

	issueToken(tenantId: string, clientId: string): { token: string; record: TokenRecord } {
		const expiresAt = Date.now() + this.options.tokenLifetimeSeconds * 1000;
		const roles = this.options.tokenRoles ?? undefined;
		const token = roles
			? accessTokenJwt({ tenantId, clientId, roles, expiresAt })
			: 'emu.' + randomBytes(32).toString('base64url');
		const record: TokenRecord = { tenantId, clientId, expiresAt, serial: ++this.tokenSerial, revoked: false, roles };
		this.tokens.set(token, record);
		this.tokensIssued++;
		return { token, record };
	}

	redactAuthorization(value: string): string {
		const match = /^Bearer\s+(.+)$/i.exec(value);
		if (!match) return '<redacted>';
		const record = this.tokens.get(match[1].trim());
		return `Bearer <redacted:${record ? record.serial : '?'}>`;
	}

	/** Creates and appends the log entry of a request (status filled in when answered). */
	beginLog(server: 'entra' | 'graph', req: IncomingMessage, route: string): RequestLogEntry {
		const headers = flattenHeaders(req);
		const authorization = headers.authorization;
		if (authorization !== undefined) headers.authorization = this.redactAuthorization(authorization);
		const entry: RequestLogEntry = {
			at: Date.now(),
			server,
			method: req.method ?? 'GET',
			path: redactQuery(req.url ?? '/'),
			route,
			status: 0,
			headers,
			body: undefined,
			authorized: authorization !== undefined && /^Bearer\s+\S/i.test(authorization),
		};
		this.log.push(entry);
		return entry;
	}

	finishLog(entry: RequestLogEntry, status: number): void {
		entry.status = status;
		if (this.options.verbose) {
			process.stderr.write(
				`[emulator] ${entry.server} ${entry.method} ${entry.path} ${entry.route} -> ${status || 'dropped'} ` +
					`(${Date.now() - entry.at} ms)\n`,
			);
		}
	}

	newParticipant(init: Partial<EmulatedParticipant> & { displayName?: string }, index: number): EmulatedParticipant {
		const identity =
			init.info?.identity ??
			({
				user: {
					'@odata.type': '#microsoft.graph.identity',
					id: newGuid(),
					displayName: init.displayName ?? FIRST_NAMES[index % FIRST_NAMES.length],
					tenantId: this.app.tenantId,
					identityProvider: 'AAD',
				},
			} as Record<string, unknown>);
		return {
			id: init.id ?? newGuid(),
			info: { ...(init.info ?? {}), identity },
			isMuted: init.isMuted ?? false,
			isInLobby: init.isInLobby ?? false,
			mediaStreams: init.mediaStreams ?? [],
			metadata: init.metadata,
			joined: init.joined ?? true,
		};
	}

	addCall(init: {
		id?: string;
		participants?: Array<Partial<EmulatedParticipant> & { displayName?: string }>;
		tenantId?: string;
		ownerAppId?: string;
	} = {}): EmulatedCall {
		const inits = init.participants ?? [{}, {}, {}];
		const call: EmulatedCall = {
			id: init.id ?? newGuid(),
			state: 'established',
			tenantId: init.tenantId ?? this.app.tenantId,
			participants: new Map(),
			ownerAppId: init.ownerAppId,
		};
		inits.forEach((p, index) => {
			const participant = this.newParticipant(p, index);
			call.participants.set(participant.id, participant);
		});
		this.calls.set(call.id, call);
		return call;
	}

	/** Moves a call to a new state (with why it ended) and tells the listeners. */
	setCallState(call: EmulatedCall, state: CallState, resultInfo?: ResultInfo): void {
		const previousState = call.state;
		call.state = state;
		if (resultInfo) call.resultInfo = { ...resultInfo };
		if (previousState !== state) this.events.emit('callStateChanged', { call, previousState });
	}

	rosterChanged(call: EmulatedCall, changeType: 'updated' | 'deleted', participants: EmulatedParticipant[]): void {
		if (participants.length) this.events.emit('rosterChanged', { call, changeType, participants });
	}

	/** Ends a running operation (completed, or failed with resultInfo) and tells the listeners. */
	finishOperation(op: OperationRecord, failure?: ResultInfo): void {
		op.timer = undefined;
		if (op.resource.status !== 'running') return;
		op.resource.status = failure ? 'failed' : 'completed';
		op.resource.resultInfo = { ...(failure ?? SUCCESS) };
		const call = this.calls.get(op.callId);
		if (call) this.events.emit('operationFinished', { call, operation: op.resource });
	}

	addMeeting(init: Partial<Omit<EmulatedMeeting, 'joinUrl' | 'shortUrl'>> = {}): EmulatedMeeting {
		const threadId = init.threadId ?? `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`;
		const messageId = init.messageId ?? '0';
		const tenantId = init.tenantId ?? this.app.tenantId;
		const organizerId = init.organizerId ?? newGuid();
		const joinMeetingId = init.joinMeetingId ?? String(1_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999));
		const passcode = 'passcode' in init ? init.passcode : randomBytes(4).toString('base64url').replace(/[-_]/g, 'x');
		const context = encodeURIComponent(JSON.stringify({ Tid: tenantId, Oid: organizerId }));
		const meeting: EmulatedMeeting = {
			joinMeetingId,
			passcode,
			threadId,
			messageId,
			organizerId,
			tenantId,
			attendees: init.attendees ?? [{ displayName: 'Meeting organizer' }],
			joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/${messageId}?context=${context}`,
			shortUrl: `https://teams.microsoft.com/meet/${joinMeetingId}${passcode ? `?p=${passcode}` : ''}`,
		};
		this.meetings.set(joinMeetingId, meeting);
		return meeting;
	}

	endCall(id: string): void {
		const call = this.calls.get(id);
		if (!call) return;
		this.setCallState(call, 'terminated');
		for (const op of this.operations.values()) {
			if (op.callId === id && op.timer) {
				clearTimeout(op.timer);
				op.timer = undefined;
			}
		}
	}

	stats(): EmulatorStats {
		return {
			tokenRequests: this.tokenRequests,
			tokensIssued: this.tokensIssued,
			graphRequests: this.graphRequests,
			graphRequestsByRoute: { ...this.graphRequestsByRoute },
			inFlight: this.inFlight,
			maxInFlight: this.maxInFlight,
			invitesByClientContext: new Map(this.invitesByClientContext),
			throttled: this.throttled,
			callsRequested: this.callsRequested,
		};
	}

	clearTimers(): void {
		for (const op of this.operations.values()) {
			if (op.timer) clearTimeout(op.timer);
			op.timer = undefined;
		}
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	/** Clears log, stats, faults, calls, meetings and call records; keeps the app, certificates, issued tokens and event listeners. */
	reset(): void {
		this.clearTimers();
		this.calls.clear();
		this.meetings.clear();
		this.callRecords.clear();
		this.operations.clear();
		this.failInvites.clear();
		this.recordings.clear();
		this.faults.clear();
		this.rateLimiter.reset();
		this.log.length = 0;
		this.lastAssertion = undefined;
		this.tokenRequests = 0;
		this.tokensIssued = 0;
		this.graphRequests = 0;
		this.graphRequestsByRoute = {};
		this.maxInFlight = this.inFlight;
		this.invitesByClientContext = new Map();
		this.throttled = 0;
		this.callsRequested = 0;
	}
}
