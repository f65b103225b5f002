/**
 * Calls that end in the emulator leave a call record, as in Teams: each participant seen in the call gets a session
 * from when the emulator first saw them until they left (or the call ended). The record appears after the store's
 * `recordDelayMs`; its id is the call's callChainId.
 */
import type { EmulatorState } from '../state';
import type { EmulatedCall, EmulatedParticipant } from '../types';
import type { PersonSeed, SessionSeed } from './types';

const KINDS = ['user', 'guest', 'phone', 'application', 'applicationInstance'] as const;

interface Attendance {
	person: PersonSeed;
	start: number;
	end?: number;
}

function personOf(participant: EmulatedParticipant): PersonSeed | undefined {
	const identity = participant.info.identity as Record<string, Record<string, unknown> | undefined>;
	const kind = KINDS.find((name) => identity[name]);
	const who = kind ? identity[kind] : undefined;
	if (!kind || !who || typeof who.id !== 'string') return undefined;
	return { id: who.id, displayName: typeof who.displayName === 'string' ? who.displayName : undefined, kind, tenantId: typeof who.tenantId === 'string' ? who.tenantId : undefined };
}

function joinWebUrlOf(call: EmulatedCall): string | null {
	const info = call.details?.meetingInfo as Record<string, unknown> | undefined;
	return typeof info?.joinUrl === 'string' ? info.joinUrl : null;
}

export function recordEndedCalls(state: EmulatorState): void {
	const seen = new WeakMap<EmulatedCall, Map<string, Attendance[]>>();

	/** Opens a session for whoever is in the call now and was not, closes it for whoever is gone. */
	const observe = (call: EmulatedCall, now: number): Map<string, Attendance[]> => {
		const sessions = seen.get(call) ?? new Map<string, Attendance[]>();
		seen.set(call, sessions);
		const present = [...call.participants.values()].filter((participant) => participant.joined !== false);
		for (const participant of present) {
			const person = personOf(participant);
			if (!person) continue;
			const list = sessions.get(participant.id) ?? [];
			if (!list.some((attendance) => attendance.end === undefined)) list.push({ person, start: now });
			sessions.set(participant.id, list);
		}
		for (const [participantId, list] of sessions) {
			if (present.some((participant) => participant.id === participantId)) continue;
			for (const attendance of list) attendance.end ??= now;
		}
		return sessions;
	};

	state.events.on('rosterChanged', ({ call }) => {
		if (call.state !== 'terminated') observe(call, Date.now());
	});
	state.events.on('callStateChanged', ({ call }) => {
		if (call.state === 'established') observe(call, Date.now());
		if (call.state !== 'terminated') return;
		const now = Date.now();
		const sessions = [...observe(call, now).values()].flat();
		seen.delete(call);
		if (sessions.length === 0) return;
		const seeds: SessionSeed[] = sessions.map((attendance) => ({
			caller: attendance.person,
			startDateTime: new Date(attendance.start).toISOString(),
			endDateTime: new Date(attendance.end ?? now).toISOString(),
			modalities: ['audio'],
		}));
		const joinWebUrl = joinWebUrlOf(call);
		const chainId = call.details?.callChainId;
		state.callRecords.add({
			id: typeof chainId === 'string' ? chainId : call.id,
			joinWebUrl,
			type: joinWebUrl || sessions.length > 2 ? 'groupCall' : 'peerToPeer',
			sessions: seeds,
		});
	});
}
