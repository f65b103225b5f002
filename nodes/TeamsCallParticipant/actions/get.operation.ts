import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, participantIdLocator, simplifyField } from '../../shared/descriptions/common';
import { callIdOf, participantIdOf } from '../../shared/actions/itemParameters';
import { simplifyParticipant } from '../../shared/actions/simplify';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { oneParticipantHint } from './hints';

/** GET /communications/calls/{call-id}/participants/{participant-id} */
export const get: Operation = {
	description: [callIdField(['get']), participantIdLocator(['get']), simplifyField(['get']), optionsCollection('get')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const participantId = participantIdOf(params, itemIndex);
		const response = await graph.request({
			action: { phrase: 'get the participant', permission: 'participant.get', hint: oneParticipantHint },
			method: 'GET',
			path: ['communications', 'calls', callId, 'participants', participantId],
			itemIndex,
			idempotent: true,
		});
		const participant = response.body ?? {};
		return params.value('simplify', itemIndex, false) === true ? simplifyParticipant(participant) : participant;
	},
};
