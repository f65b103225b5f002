import type { IDataObject } from 'n8n-workflow';

import { AttendanceTally } from '../../shared/callRecords/attendance';
import { recordParticipantPages, recordSessionPages } from '../../shared/callRecords/requests';
import { optionsCollection } from '../../shared/descriptions/common';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { callRecordIdField, callRecordIdOf } from './fields';

/**
 * Attendance of any call or meeting in the tenant from its record: GET …/{id}/participants_v2 and …/{id}/sessions
 * (every page, tallied as it comes), one item per participant.
 */
export const getAttendance: Operation = {
	description: [callRecordIdField('getAttendance'), optionsCollection('getAttendance')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
		const recordId = callRecordIdOf(params, itemIndex);
		const tally = new AttendanceTally();
		for await (const page of recordParticipantPages(graph, recordId, itemIndex)) tally.addParticipants(page);
		for await (const page of recordSessionPages(graph, recordId, itemIndex)) tally.addSessions(page);
		return tally.rows(recordId);
	},
};
