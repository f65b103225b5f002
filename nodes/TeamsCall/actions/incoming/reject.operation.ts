import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { callIdOf } from '../../../shared/actions/itemParameters';
import { inputError } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { REJECT_CALL } from '../conversationHints';

const REASONS = ['none', 'busy', 'forbidden'];

/** POST /communications/calls/{call-id}/reject: the bot declines a call made to it; Graph then deletes the call. */
export const reject: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['reject']),
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Decline without a reason' },
				{ name: 'Busy', value: 'busy', description: 'The caller hears that the bot is busy' },
				{ name: 'Forbidden', value: 'forbidden', description: 'The caller may not call the bot' },
			],
			default: 'none',
			description: 'Why the bot declines the call, as Graph tells the caller',
			displayOptions: { show: { operation: ['reject'] } },
		},
		optionsCollection('reject'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const reason = String(params.value('reason', itemIndex, 'none') || 'none');
		if (!REASONS.includes(reason)) throw inputError(params.node, itemIndex, 'Reason', `"${reason.slice(0, 40)}" is not one of ${REASONS.join(', ')}`);
		await graph.request({ action: REJECT_CALL, method: 'POST', path: ['communications', 'calls', callId, 'reject'], body: { reason }, itemIndex, idempotent: false });
		return { rejected: true, callId, reason };
	},
};
