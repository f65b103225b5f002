import type { IDataObject } from 'n8n-workflow';

import { recordWithParticipants, recordWithSessions, recordParticipants } from '../../shared/callRecords/requests';
import { simplifyCallRecord } from '../../shared/callRecords/simplifyRecord';
import { optionsCollection } from '../../shared/descriptions/common';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { callRecordIdField, callRecordIdOf } from './fields';

/**
 * GET /communications/callRecords/{id}: simplified, the record with `$expand=participants_v2` (to count them);
 * otherwise with `$expand=sessions($expand=segments)` and then its participants_v2, every page of each.
 */
export const get: Operation = {
	description: [
		callRecordIdField('get'),
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description:
				'Whether to return a flat summary (ID, type, modalities, start, end, duration in seconds, organizer, participant count, version) instead of the full record with its sessions, segments and participants',
			displayOptions: { show: { operation: ['get'] } },
		},
		optionsCollection('get'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const recordId = callRecordIdOf(params, itemIndex);
		if (params.value('simplify', itemIndex, true) !== false) {
			const record = await recordWithParticipants(graph, recordId, itemIndex);
			return simplifyCallRecord(record, (record.participants_v2 as IDataObject[]).length);
		}
		const record = await recordWithSessions(graph, recordId, itemIndex);
		return { ...record, participants_v2: await recordParticipants(graph, recordId, itemIndex) };
	},
};
