import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, participantIdLocator } from '../descriptions/common';
import { callIdOf, participantIdOf } from './itemParameters';
import type { Operation, OperationContext } from './types';

/** GET /communications/calls/{call-id}/participants/{participant-id} */
export const get: Operation = {
	description: [callIdField(['get']), participantIdLocator(['get']), optionsCollection('get')],

	async execute({ n8n, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(n8n, itemIndex);
		const participantId = participantIdOf(n8n, itemIndex);
		const response = await graph.request({
			action: 'get',
			method: 'GET',
			path: ['communications', 'calls', callId, 'participants', participantId],
			itemIndex,
			idempotent: true,
		});
		return response.body ?? {};
	},
};
