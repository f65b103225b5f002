import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, simplifyField } from '../../shared/descriptions/common';
import { callIdOf } from '../../shared/actions/itemParameters';
import { simplifyParticipant } from '../../shared/actions/simplify';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { requireWholeNumber } from '../../shared/actions/validation';
import { LIST_PARTICIPANTS } from './hints';

const show = { show: { operation: ['getAll'] } };

/** GET /communications/calls/{call-id}/participants, following @odata.nextLink (same origin only). */
export const getAll: Operation = {
	description: [
		callIdField(['getAll']),
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { operation: ['getAll'], returnAll: [false] } },
		},
		simplifyField(['getAll']),
		optionsCollection('getAll'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
		const callId = callIdOf(params, itemIndex);
		const returnAll = params.value('returnAll', itemIndex, false) === true;
		const limit = returnAll ? Infinity : requireWholeNumber(params.node, itemIndex, 'Limit', params.value('limit', itemIndex, 50), 1);
		const participants: IDataObject[] = [];
		let next: string | undefined;
		do {
			const response = await graph.request({
				action: LIST_PARTICIPANTS,
				method: 'GET',
				path: next ? { url: next, what: 'next page (@odata.nextLink)' } : ['communications', 'calls', callId, 'participants'],
				itemIndex,
				idempotent: true,
			});
			const page = Array.isArray(response.body?.value) ? (response.body.value as IDataObject[]) : [];
			participants.push(...page);
			const link = response.body?.['@odata.nextLink'];
			next = typeof link === 'string' && link ? link : undefined;
		} while (next && participants.length < limit);
		const page = participants.slice(0, limit);
		return params.value('simplify', itemIndex, false) === true ? page.map(simplifyParticipant) : page;
	},
};
