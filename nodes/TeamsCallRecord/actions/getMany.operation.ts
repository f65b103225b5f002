import type { IDataObject } from 'n8n-workflow';

import { requireRange, utcIso } from '../../shared/callRecords/dateTimes';
import { callRecordsRequest, RECORD_RETENTION_MS } from '../../shared/callRecords/requests';
import { simplifyCallRecord } from '../../shared/callRecords/simplifyRecord';
import { allItems } from '../../shared/transport/pager';
import { optionsCollection, returnAllFields } from '../../shared/descriptions/common';
import { optionsOf } from '../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { inputError, requireId, requireWholeNumber } from '../../shared/actions/validation';
import { dateTimeField, simplifyField, simplifyOf } from './fields';

/**
 * GET /communications/callRecords?$filter=startDateTime ge … and startDateTime lt …, every page followed; simplified
 * (the default), each page's records flattened as it comes.
 */
export const getMany: Operation = {
	description: [
		dateTimeField('getMany', 'startFrom', 'Start From', 'Records of calls that started at or after this time (Graph keeps records for 30 days)'),
		dateTimeField('getMany', 'startTo', 'Start To', 'Records of calls that started before this time'),
		...returnAllFields('getMany'),
		simplifyField(
			'getMany',
			"Whether to return a flat summary of each record (ID, type, modalities, start, end, duration in seconds, organizer, version) instead of the record as Graph lists it. Graph's list carries no participants: Get gives their count.",
		),
		optionsCollection('getMany', [
			{
				displayName: 'Participant ID',
				name: 'participantId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 821809f5-0000-0000-0000-3b5136c0e777',
				description: 'Only records with this participant (their Microsoft Entra user ID)',
			},
		]),
	],

	async execute({ n8n, params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
		const { node } = params;
		const timeZone = n8n.getTimezone();
		const { fromMs, toMs } = requireRange(
			node,
			itemIndex,
			['Start From', params.value('startFrom', itemIndex)],
			['Start To', params.value('startTo', itemIndex)],
			timeZone,
		);
		const oldest = Date.now() - RECORD_RETENTION_MS;
		if (toMs <= oldest) {
			throw inputError(
				node,
				itemIndex,
				'Start To',
				`(${utcIso(toMs)}) is more than 30 days ago: Graph keeps call records for 30 days, so no record can match`,
				'Choose a range within the last 30 days. To keep records longer, store them as they come (e.g. with the Teams Call Record Trigger).',
			);
		}
		const participant = optionsOf(params, itemIndex).participantId;
		const participantId = participant === undefined || participant === '' ? undefined : requireId(node, itemIndex, 'Participant ID', participant);
		const returnAll = params.value('returnAll', itemIndex, false) === true;
		const limit = returnAll ? Infinity : requireWholeNumber(node, itemIndex, 'Limit', params.value('limit', itemIndex, 50), 1);
		const request = callRecordsRequest({ fromMs, toMs, participantId }, itemIndex);
		if (!simplifyOf(params, itemIndex)) return await allItems(graph, request, limit);
		return await allItems(graph, request, limit, (record) => simplifyCallRecord(record));
	},
};
