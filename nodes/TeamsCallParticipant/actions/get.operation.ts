import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, participantIdLocator, simplifyField } from '../descriptions/common';
import { callIdOf, participantIdOf } from './itemParameters';
import { simplifyParticipant } from './simplify';
import type { Operation, OperationContext } from './types';

/** GET /communications/calls/{call-id}/participants/{participant-id} */
export const get: Operation = {
	description: [callIdField(['get']), participantIdLocator(['get']), simplifyField(['get']), optionsCollection('get')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const participantId = participantIdOf(params, itemIndex);
		const response = await graph.request({
			action: 'get',
			method: 'GET',
			path: ['communications', 'calls', callId, 'participants', participantId],
			itemIndex,
			idempotent: true,
		});
		const participant = response.body ?? {};
		return params.value('simplify', itemIndex, false) === true ? simplifyParticipant(participant) : participant;
	},
};
