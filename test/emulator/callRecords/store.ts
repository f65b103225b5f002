/**
 * The emulated tenant's call records (Graph's callRecords API): records that appear some time after their call ends,
 * grow a higher `version` when updated, and are kept 30 days; and the PSTN and Direct Routing report rows.
 */
import { newGuid } from '../httpUtil';
import {
	CALL_RECORDS_PERMISSION,
	type CallRecordSeed,
	type DirectRoutingRowSeed,
	type EndpointSeed,
	type PersonSeed,
	PSTN_CALLS_PERMISSION,
	type PstnRowSeed,
	type SessionSeed,
} from './types';

/** Graph keeps call records this long (`concepts/callrecords-api-faq.md`). */
export const RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface StoredSession extends SessionSeed {
	id: string;
}

export interface StoredRecord {
	id: string;
	type: 'groupCall' | 'peerToPeer' | 'unknown';
	modalities: string[];
	joinWebUrl: string | null;
	organizer?: PersonSeed;
	participants: PersonSeed[];
	sessions: StoredSession[];
	startDateTime: string;
	endDateTime: string;
	startMs: number;
	version: number;
	lastModifiedDateTime: string;
	availableAt: number;
}

export type ReportRow = Record<string, unknown> & { id: string; startDateTime: string; startMs: number };

/** Graph's page sizes (`api/callrecords-callrecord-get.md`, the list and report pages). */
export interface CallRecordPageSizes {
	records: number;
	sessions: number;
	participants: number;
	reports: number;
}

function personOf(endpoint: EndpointSeed | undefined): PersonSeed | undefined {
	return endpoint === undefined || endpoint === 'service' ? undefined : endpoint;
}

/** Everyone the sessions name, organizer first, each once. */
function peopleOf(seed: CallRecordSeed): PersonSeed[] {
	const people = new Map<string, PersonSeed>();
	const add = (person: PersonSeed | undefined): void => {
		if (person && !people.has(person.id)) people.set(person.id, { id: person.id, displayName: person.displayName, kind: person.kind, tenantId: person.tenantId, userPrincipalName: person.userPrincipalName });
	};
	add(seed.organizer);
	for (const session of seed.sessions) {
		add(personOf(session.caller));
		add(personOf(session.callee));
	}
	return [...people.values()];
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

export class CallRecordStore {
	readonly pageSizes: CallRecordPageSizes = { records: 60, sessions: 60, participants: 130, reports: 1000 };
	/** How long after its call ends a record appears (ms); Graph: 15 to 150 minutes. Default 0. */
	recordDelayMs = 0;
	/** The application permissions the app holds (admin-consented); remove one to see Graph's 403. */
	readonly granted = new Set([CALL_RECORDS_PERMISSION, PSTN_CALLS_PERMISSION]);
	private readonly records = new Map<string, StoredRecord>();
	private readonly pstnRows: ReportRow[] = [];
	private readonly directRoutingRows: ReportRow[] = [];

	/** Adds a record; returns its id. */
	add(seed: CallRecordSeed): string {
		const sessions = seed.sessions.map((session) => ({ ...session, id: session.id ?? newGuid() }));
		const starts = sessions.map((session) => Date.parse(session.startDateTime));
		const ends = sessions.map((session) => Date.parse(session.endDateTime));
		const startMs = seed.startDateTime ? Date.parse(seed.startDateTime) : Math.min(...starts);
		const endMs = seed.endDateTime ? Date.parse(seed.endDateTime) : Math.max(...ends);
		if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new Error('a call record needs sessions or start and end times');
		const people = seed.participants ?? peopleOf(seed);
		const id = seed.id ?? newGuid();
		const modalities = seed.modalities ?? [...new Set(sessions.flatMap((session) => session.modalities ?? ['audio']))];
		this.records.set(id, {
			id,
			type: seed.type ?? (seed.joinWebUrl || people.length > 2 ? 'groupCall' : 'peerToPeer'),
			modalities,
			joinWebUrl: seed.joinWebUrl ?? null,
			organizer: seed.organizer ?? people[0],
			participants: people,
			sessions,
			startDateTime: iso(startMs),
			endDateTime: iso(endMs),
			startMs,
			version: seed.version ?? 1,
			lastModifiedDateTime: iso(Date.now()),
			availableAt: seed.availableAt ?? Math.max(Date.now(), endMs + this.recordDelayMs),
		});
		return id;
	}

	/** Graph adds data to a record later: sessions and participants join, its version rises. Returns the new version. */
	update(id: string, change: { sessions?: SessionSeed[]; participants?: PersonSeed[] } = {}): number {
		const record = this.records.get(id);
		if (!record) throw new Error(`no call record ${id}`);
		record.sessions.push(...(change.sessions ?? []).map((session) => ({ ...session, id: session.id ?? newGuid() })));
		for (const person of [...(change.participants ?? []), ...peopleOf({ sessions: change.sessions ?? [] })]) {
			if (!record.participants.some((known) => known.id === person.id)) record.participants.push(person);
		}
		const endMs = Math.max(Date.parse(record.endDateTime), ...record.sessions.map((session) => Date.parse(session.endDateTime)));
		record.endDateTime = iso(endMs);
		record.version++;
		record.lastModifiedDateTime = iso(Date.now());
		return record.version;
	}

	/** A record as Graph would answer for it now: undefined before it appears and after the 30 days. */
	visible(id: string, now = Date.now()): StoredRecord | undefined {
		const record = this.records.get(id);
		return record && this.isVisible(record, now) ? record : undefined;
	}

	/** Every visible record, by start time (then id). */
	visibleRecords(now = Date.now()): StoredRecord[] {
		return [...this.records.values()]
			.filter((record) => this.isVisible(record, now))
			.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
	}

	addPstnCalls(rows: PstnRowSeed[]): void {
		for (const row of rows) this.pstnRows.push(pstnRow(row));
		this.pstnRows.sort(byStart);
	}

	addDirectRoutingCalls(rows: DirectRoutingRowSeed[]): void {
		for (const row of rows) this.directRoutingRows.push(directRoutingRow(row));
		this.directRoutingRows.sort(byStart);
	}

	/** PSTN rows whose start lies in [fromMs, toMs] (both bounds inclusive). */
	pstnCallsBetween(fromMs: number, toMs: number): ReportRow[] {
		return this.pstnRows.filter((row) => row.startMs >= fromMs && row.startMs <= toMs);
	}

	/** Direct Routing rows whose start lies in [fromMs, toMs) (toDateTime exclusive). */
	directRoutingCallsBetween(fromMs: number, toMs: number): ReportRow[] {
		return this.directRoutingRows.filter((row) => row.startMs >= fromMs && row.startMs < toMs);
	}

	clear(): void {
		this.records.clear();
		this.pstnRows.length = 0;
		this.directRoutingRows.length = 0;
		this.recordDelayMs = 0;
		this.granted.clear();
		this.granted.add(CALL_RECORDS_PERMISSION).add(PSTN_CALLS_PERMISSION);
		Object.assign(this.pageSizes, { records: 60, sessions: 60, participants: 130, reports: 1000 });
	}

	private isVisible(record: StoredRecord, now: number): boolean {
		return record.availableAt <= now && record.startMs >= now - RETENTION_MS;
	}
}

function byStart(a: ReportRow, b: ReportRow): number {
	return a.startMs - b.startMs || a.id.localeCompare(b.id);
}

/** What both reports' rows share: the row's and the user's ids, the numbers, start, end and duration; then the seed. */
function reportRow(seed: PstnRowSeed | DirectRoutingRowSeed, own: (startMs: number) => Record<string, unknown>): ReportRow {
	const startMs = Date.parse(seed.startDateTime);
	const duration = typeof seed.duration === 'number' ? seed.duration : 60;
	return {
		id: newGuid(),
		userId: newGuid(),
		userPrincipalName: 'adelev@contoso-emulator.onmicrosoft.com',
		userDisplayName: 'Adele Vance',
		callerNumber: '+1425555****',
		calleeNumber: '+1206555****',
		endDateTime: iso(startMs + duration * 1000),
		duration,
		...own(startMs),
		...seed,
		startDateTime: iso(startMs),
		startMs,
	};
}

function pstnRow(seed: PstnRowSeed): ReportRow {
	return reportRow(seed, () => ({
		callId: newGuid(),
		charge: 0.05,
		callType: 'user_out',
		currency: 'USD',
		usageCountryCode: 'US',
		tenantCountryCode: 'US',
		connectionCharge: 0,
		destinationContext: null,
		destinationName: 'United States',
		conferenceId: null,
		licenseCapability: 'MCOPSTNU',
		inventoryType: 'Subscriber',
		operator: 'Microsoft',
		callDurationSource: 'microsoft',
	}));
}

function directRoutingRow(seed: DirectRoutingRowSeed): ReportRow {
	return reportRow(seed, (startMs) => ({
		correlationId: newGuid(),
		inviteDateTime: iso(startMs - 2000),
		failureDateTime: null,
		callType: 'ByotIn',
		successfulCall: true,
		mediaPathLocation: 'USWE',
		signalingLocation: 'USWE',
		finalSipCode: 0,
		callEndSubReason: 540000,
		finalSipCodePhrase: 'BYE',
		trunkFullyQualifiedDomainName: 'sbc.contoso-emulator.example',
		mediaBypassEnabled: false,
	}));
}
