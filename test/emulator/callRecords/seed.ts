/** The control API's way in (`POST /control/callRecords`, for the e2e and the demo): records and report rows in one go. */
import type { EmulatorState } from '../state';
import type { CallRecordSeed, DirectRoutingRowSeed, PstnRowSeed } from './types';

export function seedCallRecords(state: EmulatorState, input: Record<string, unknown>): { ids: string[] } {
	const records = Array.isArray(input.records) ? (input.records as CallRecordSeed[]) : [];
	const ids = records.map((record) => state.callRecords.add(record));
	if (Array.isArray(input.pstnCalls)) state.callRecords.addPstnCalls(input.pstnCalls as PstnRowSeed[]);
	if (Array.isArray(input.directRoutingCalls)) state.callRecords.addDirectRoutingCalls(input.directRoutingCalls as DirectRoutingRowSeed[]);
	return { ids };
}
