import type { IDataObject } from 'n8n-workflow';

/** What the trigger remembers of one participant: its flat shape (for a later participantLeft) and whether it counts as joined. */
export interface RememberedParticipant {
	participant: IDataObject;
	/** Lobby and mute, to tell a changed roster from a repeated one. */
	fingerprint: string;
}

/** What the trigger remembers of one call, to turn rosters into joined/left and to fire each call event once. */
export interface CallMemory {
	/** Participants that count as joined, by participant id. */
	joined: Record<string, RememberedParticipant>;
	/** Fingerprints of everyone in the last roster (joined or in the lobby), by participant id. */
	roster: Record<string, string>;
	established: boolean;
	/** Whether its incoming-call notification was reported. */
	incoming?: boolean;
	/** The last state reported (absent in memory written before states were kept). */
	state?: string;
	/** sequenceIds of the keypresses already reported. */
	tones?: string[];
	/** Operation ids whose outcome was already reported. */
	operations: string[];
	/** Participant ids that left: Graph gives a new id to someone who joins again, so these never join again. */
	gone: string[];
	/** Date.now() of the last change, for last-writer-wins across processes and for pruning. */
	updatedAt: number;
}

export interface TriggerMemory {
	calls: Record<string, CallMemory>;
	/** Calls that terminated (their state is dropped), by id: when, to ignore late notifications and repeats. */
	ended: Record<string, number>;
}

/** A call not heard of for a day, and an ended call's marker after a day, are forgotten. */
export const FORGET_AFTER_MS = 24 * 60 * 60_000;
/** Operation ids, departed participant ids and keypresses kept per call (the oldest are forgotten first). */
const MAX_REMEMBERED = 1000;

export function emptyMemory(): TriggerMemory {
	return { calls: {}, ended: {} };
}

export function newCallMemory(now: number): CallMemory {
	return { joined: {}, roster: {}, established: false, operations: [], gone: [], updatedAt: now };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads memory as stored in workflow static data, as a plain copy; anything unreadable counts as empty. */
export function readMemory(stored: unknown): TriggerMemory {
	if (!isRecord(stored) || !isRecord(stored.calls) || !isRecord(stored.ended)) return emptyMemory();
	return JSON.parse(JSON.stringify({ calls: stored.calls, ended: stored.ended })) as TriggerMemory;
}

/**
 * Joins two views of the memory (this process's and the one stored in the database by any process): per call the
 * most recently updated wins; an ended marker in either wins over the call's state.
 */
export function mergeMemory(a: TriggerMemory, b: TriggerMemory, now: number): TriggerMemory {
	const merged = emptyMemory();
	for (const source of [a, b]) {
		for (const [callId, at] of Object.entries(source.ended)) {
			if (now - at < FORGET_AFTER_MS) merged.ended[callId] = Math.max(merged.ended[callId] ?? 0, at);
		}
	}
	for (const source of [a, b]) {
		for (const [callId, call] of Object.entries(source.calls)) {
			if (merged.ended[callId] !== undefined || now - call.updatedAt >= FORGET_AFTER_MS) continue;
			const current = merged.calls[callId];
			if (!current || call.updatedAt > current.updatedAt) merged.calls[callId] = call;
		}
	}
	return merged;
}

function remember(list: string[], id: string): void {
	list.push(id);
	if (list.length > MAX_REMEMBERED) list.splice(0, list.length - MAX_REMEMBERED);
}

export function rememberOperation(call: CallMemory, operationId: string): void {
	remember(call.operations, operationId);
}

export function rememberTone(call: CallMemory, sequenceId: string): void {
	remember((call.tones ??= []), sequenceId);
}

export function rememberGone(call: CallMemory, participantId: string): void {
	remember((call.gone ??= []), participantId);
}
