import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, returnAllFields, simplifyField } from '../../shared/descriptions/common';
import { callIdOf } from '../../shared/actions/itemParameters';
import { listParticipants } from '../../shared/actions/listParticipants';
import { simplifyParticipant } from '../../shared/actions/simplify';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { requireWholeNumber } from '../../shared/actions/validation';
import { LIST_PARTICIPANTS } from './hints';

/** GET /communications/calls/{call-id}/participants, page by page (participantList.ts). */
export const getAll: Operation = {
	description: [
		callIdField(['getAll']),
		...returnAllFields('getAll'),
		simplifyField(['getAll']),
		optionsCollection('getAll'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
		const callId = callIdOf(params, itemIndex);
		const returnAll = params.value('returnAll', itemIndex, false) === true;
		const limit = returnAll ? Infinity : requireWholeNumber(params.node, itemIndex, 'Limit', params.value('limit', itemIndex, 50), 1);
		const page = await listParticipants(graph, itemIndex, callId, LIST_PARTICIPANTS, limit);
		return params.value('simplify', itemIndex, false) === true ? page.map(simplifyParticipant) : page;
	},
};
