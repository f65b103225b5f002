import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { callIdOf } from '../../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { READ_CALL } from '../hints';

/** GET /communications/calls/{call-id}: the call with its state (establishing, established, terminated, …). */
export const get: Operation = {
	description: [callIdField(['get']), optionsCollection('get')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const response = await graph.request({ action: READ_CALL, method: 'GET', path: ['communications', 'calls', callId], itemIndex, idempotent: true });
		return response.body ?? {};
	},
};
