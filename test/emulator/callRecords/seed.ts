/**
 * The control API's way in (`POST /control/callRecords`, for the e2e and the demo): records and report rows in one go,
 * and updates of existing records (`updates: [{ id, sessions?, participants? }]`: Graph adds to a record later and
 * raises its version).
 */
import type { EmulatorState } from '../state';
import type { CallRecordSeed, DirectRoutingRowSeed, PersonSeed, PstnRowSeed, SessionSeed } from './types';

interface RecordUpdate {
	id: string;
	sessions?: SessionSeed[];
	participants?: PersonSeed[];
}

export function seedCallRecords(state: EmulatorState, input: Record<string, unknown>): { ids: string[]; versions: Record<string, number> } {
	const records = Array.isArray(input.records) ? (input.records as CallRecordSeed[]) : [];
	const ids = records.map((record) => state.callRecords.add(record));
	if (Array.isArray(input.pstnCalls)) state.callRecords.addPstnCalls(input.pstnCalls as PstnRowSeed[]);
	if (Array.isArray(input.directRoutingCalls)) state.callRecords.addDirectRoutingCalls(input.directRoutingCalls as DirectRoutingRowSeed[]);
	const updates = Array.isArray(input.updates) ? (input.updates as RecordUpdate[]) : [];
	const versions = Object.fromEntries(updates.map((update) => [update.id, state.callRecords.update(update.id, update)]));
	return { ids, versions };
}
