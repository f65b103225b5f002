/** Stored call records as Graph's documents (CSDL `microsoft.graph.callRecords.*`). */
import type { ReportRow, StoredRecord, StoredSession } from './store';
import type { EndpointSeed, PersonSeed } from './types';

function identity(person: PersonSeed): Record<string, unknown> {
	const kind = person.kind ?? 'user';
	const who: Record<string, unknown> = {
		'@odata.type': kind === 'user' ? '#microsoft.graph.callRecords.userIdentity' : '#microsoft.graph.identity',
		id: person.id,
		displayName: person.displayName ?? null,
	};
	if (kind === 'user') {
		who.tenantId = person.tenantId ?? null;
		who.userPrincipalName = person.userPrincipalName ?? null;
	}
	return { [kind]: who };
}

/** identitySet (the legacy `organizer` / `participants` and the sessions' endpoints). */
export function identitySet(person: PersonSeed): Record<string, unknown> {
	return { '@odata.type': '#microsoft.graph.identitySet', application: null, device: null, user: null, ...identity(person) };
}

/** participant / organizer (participants_v2, organizer_v2): a communicationsIdentitySet. */
export function participantDocument(person: PersonSeed, type: 'participant' | 'organizer' = 'participant'): Record<string, unknown> {
	return {
		'@odata.type': `#microsoft.graph.callRecords.${type}`,
		id: person.id,
		identity: { '@odata.type': '#microsoft.graph.communicationsIdentitySet', ...identity(person) },
		administrativeUnitInfos: [],
	};
}

function endpoint(seed: EndpointSeed): Record<string, unknown> {
	if (seed === 'service') {
		return {
			'@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
			userAgent: {
				'@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
				headerValue: null,
				applicationVersion: null,
				role: 'skypeForBusinessAudioVideoMcu',
			},
		};
	}
	return {
		'@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
		name: seed.deviceName ?? null,
		identity: identitySet(seed),
		associatedIdentity: null,
		feedback: null,
		cpuCoresCount: null,
		cpuName: null,
		cpuProcessorSpeedInMhz: null,
		userAgent: {
			'@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
			headerValue: seed.platform ? `RTCC/7.0.0.0 (${seed.platform})` : null,
			applicationVersion: null,
			platform: seed.platform ?? 'unknown',
			productFamily: seed.productFamily ?? (seed.platform ? 'teams' : 'unknown'),
			azureADAppId: null,
			communicationServiceId: null,
		},
	};
}

function segments(session: StoredSession): Array<Record<string, unknown>> {
	const count = Math.max(1, session.segments ?? 1);
	const start = Date.parse(session.startDateTime);
	const step = (Date.parse(session.endDateTime) - start) / count;
	return Array.from({ length: count }, (_, index) => ({
		id: `${session.id}-${index}`,
		startDateTime: new Date(start + Math.round(step * index)).toISOString(),
		endDateTime: new Date(start + Math.round(step * (index + 1))).toISOString(),
		caller: endpoint(session.caller),
		callee: endpoint(session.callee ?? 'service'),
		failureInfo: null,
		media: [],
	}));
}

export function sessionDocument(session: StoredSession, withSegments: boolean): Record<string, unknown> {
	const document: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.callRecords.session',
		id: session.id,
		modalities: session.modalities ?? ['audio'],
		startDateTime: session.startDateTime,
		endDateTime: session.endDateTime,
		isTest: false,
		caller: endpoint(session.caller),
		callee: endpoint(session.callee ?? 'service'),
		failureInfo: session.failureInfo ? { stage: session.failureInfo.stage, reason: session.failureInfo.reason } : null,
	};
	if (withSegments) document.segments = segments(session);
	return document;
}

/** The record itself: no sessions or participants_v2 unless expanded; organizer_v2 is expanded by default. */
export function recordDocument(record: StoredRecord): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.callRecords.callRecord',
		id: record.id,
		version: record.version,
		type: record.type,
		modalities: record.modalities,
		lastModifiedDateTime: record.lastModifiedDateTime,
		startDateTime: record.startDateTime,
		endDateTime: record.endDateTime,
		joinWebUrl: record.joinWebUrl,
		organizer: record.organizer ? identitySet(record.organizer) : null,
		participants: record.participants.map(identitySet),
		organizer_v2: record.organizer ? participantDocument(record.organizer, 'organizer') : null,
	};
}

/** A report row without the store's own fields. */
export function reportRowDocument(row: ReportRow): Record<string, unknown> {
	const { startMs: _startMs, ...document } = row;
	return document;
}
