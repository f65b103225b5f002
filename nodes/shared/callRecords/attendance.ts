import type { IDataObject } from 'n8n-workflow';

import { flatIdentity, identityOf } from '../actions/identity';

/**
 * Attendance from a call record: per participant, when they first joined, last left, how long they were connected
 * (overlapping sessions, e.g. a laptop and a phone at once, counted once), how many sessions, and from which
 * platforms and devices. An inference from the sessions' times, which is what a record holds.
 */

interface Interval {
	start: number;
	end: number;
}

interface Attendee {
	/** The participants_v2 entry's id, when the participant is listed there. */
	participantId?: unknown;
	identity: { kind?: string; who: IDataObject };
	intervals: Interval[];
	platforms: Set<string>;
	productFamilies: Set<string>;
	devices: Set<string>;
}

/** The people (not Teams' own service) at the ends of a session. */
function participantEndpoints(session: IDataObject): IDataObject[] {
	return [session.caller, session.callee].filter(
		(endpoint): endpoint is IDataObject =>
			!!endpoint && typeof endpoint === 'object' && !!(endpoint as IDataObject).identity && identityOf((endpoint as IDataObject).identity).kind !== undefined,
	);
}

/** Total length of intervals, overlaps counted once (ms). */
export function mergedDurationMs(intervals: Interval[]): number {
	const sorted = [...intervals].sort((a, b) => a.start - b.start);
	let total = 0;
	let current: Interval | undefined;
	for (const interval of sorted) {
		if (current && interval.start <= current.end) {
			current.end = Math.max(current.end, interval.end);
			continue;
		}
		if (current) total += current.end - current.start;
		current = { ...interval };
	}
	return current ? total + current.end - current.start : total;
}

function known(value: unknown): value is string {
	return typeof value === 'string' && value !== '' && value !== 'unknown' && value !== 'unknownFutureValue';
}

function note(attendee: Attendee, endpoint: IDataObject): void {
	const agent = (endpoint.userAgent ?? {}) as IDataObject;
	if (known(agent.platform)) attendee.platforms.add(agent.platform);
	if (known(agent.productFamily)) attendee.productFamilies.add(agent.productFamily);
	if (known(endpoint.name)) attendee.devices.add(endpoint.name);
}

/**
 * Attendance tallied page by page: participants first (participants_v2 order), then sessions; of each session only
 * its interval and its endpoints' platforms and devices are kept, so a meeting's pages are never all held at once.
 */
export class AttendanceTally {
	private readonly attendees = new Map<string, Attendee>();

	private static keyOf(identity: { kind?: string; who: IDataObject }): string {
		return `${identity.kind ?? ''}:${String(identity.who.id ?? '').toLowerCase()}`;
	}

	addParticipants(participants: IDataObject[]): void {
		for (const participant of participants) {
			const identity = identityOf(participant.identity);
			const key = identity.who.id ? AttendanceTally.keyOf(identity) : `participant:${String(participant.id)}`;
			if (!this.attendees.has(key)) this.attendees.set(key, newAttendee(identity, participant.id));
		}
	}

	addSessions(sessions: IDataObject[]): void {
		for (const session of sessions) {
			const start = Date.parse(String(session.startDateTime));
			const end = Date.parse(String(session.endDateTime));
			if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
			for (const endpoint of participantEndpoints(session)) {
				const identity = identityOf(endpoint.identity);
				const key = AttendanceTally.keyOf(identity);
				const attendee = this.attendees.get(key) ?? newAttendee(identity);
				this.attendees.set(key, attendee);
				attendee.intervals.push({ start, end: Math.max(start, end) });
				note(attendee, endpoint);
			}
		}
	}

	/** One row per participant (participants_v2 order, then anyone only the sessions name), for the record `recordId`. */
	rows(recordId: string): IDataObject[] {
		return [...this.attendees.values()].map((attendee) => {
			const first = attendee.intervals.reduce((min, interval) => Math.min(min, interval.start), Infinity);
			const last = attendee.intervals.reduce((max, interval) => Math.max(max, interval.end), -Infinity);
			const some = attendee.intervals.length > 0;
			return {
				callRecordId: recordId,
				participantId: attendee.participantId ?? attendee.identity.who.id ?? null,
				...flatIdentity(attendee.identity),
				firstJoinedDateTime: some ? new Date(first).toISOString() : null,
				lastLeftDateTime: some ? new Date(last).toISOString() : null,
				connectedSeconds: Math.round(mergedDurationMs(attendee.intervals) / 1000),
				sessionCount: attendee.intervals.length,
				platforms: [...attendee.platforms],
				productFamilies: [...attendee.productFamilies],
				devices: [...attendee.devices],
			};
		});
	}
}

function newAttendee(identity: Attendee['identity'], participantId?: unknown): Attendee {
	return { participantId, identity, intervals: [], platforms: new Set(), productFamilies: new Set(), devices: new Set() };
}
