import type { IDataObject } from 'n8n-workflow';

import { recordParticipants, recordWithParticipantCount, recordWithSessions } from '../../shared/callRecords/requests';
import { simplifyCallRecord } from '../../shared/callRecords/simplifyRecord';
import { optionsCollection } from '../../shared/descriptions/common';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { callRecordIdField, callRecordIdOf, simplifyField, simplifyOf } from './fields';

/**
 * GET /communications/callRecords/{id}: simplified, the record with `$expand=participants_v2` (counted, not kept);
 * otherwise with `$expand=sessions($expand=segments)` and then its participants_v2, every page of each.
 */
export const get: Operation = {
	description: [
		callRecordIdField('get'),
		simplifyField(
			'get',
			'Whether to return a flat summary (ID, type, modalities, start, end, duration in seconds, organizer, participant count, version) instead of the full record with its sessions, segments and participants',
		),
		optionsCollection('get'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const recordId = callRecordIdOf(params, itemIndex);
		if (simplifyOf(params, itemIndex)) {
			const { record, participantCount } = await recordWithParticipantCount(graph, recordId, itemIndex);
			return simplifyCallRecord(record, participantCount);
		}
		const record = await recordWithSessions(graph, recordId, itemIndex);
		return { ...record, participants_v2: await recordParticipants(graph, recordId, itemIndex) };
	},
};
