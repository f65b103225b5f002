import type { IDataObject } from 'n8n-workflow';

import { attendanceOf } from '../../shared/callRecords/attendance';
import { recordParticipants, recordSessions } from '../../shared/callRecords/requests';
import { optionsCollection } from '../../shared/descriptions/common';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { callRecordIdField, callRecordIdOf } from './fields';

/**
 * Attendance of any call or meeting in the tenant from its record: GET …/{id}/participants_v2 and …/{id}/sessions
 * (every page), one item per participant.
 */
export const getAttendance: Operation = {
	description: [callRecordIdField('getAttendance'), optionsCollection('getAttendance')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
		const recordId = callRecordIdOf(params, itemIndex);
		const participants = await recordParticipants(graph, recordId, itemIndex);
		const sessions = await recordSessions(graph, recordId, itemIndex);
		return attendanceOf(recordId, participants, sessions);
	},
};
