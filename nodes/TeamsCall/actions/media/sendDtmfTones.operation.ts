import type { IDataObject } from 'n8n-workflow';

import { callIdOf, clientContextOf, optionsOf } from '../../../shared/actions/itemParameters';
import { requireWholeNumber } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, clientContextField, optionsCollection } from '../../../shared/descriptions/common';
import { SEND_DTMF } from '../conversationHints';
import { postMediaOperation } from './mediaOperation';
import { KEYS, tonesOf } from './tones';

/** POST /communications/calls/{call-id}/sendDtmfTones: the bot presses keys in the call (e.g. to pass an auto attendant's menu). */
export const sendDtmfTones: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['sendDtmfTones']),
		{
			displayName: 'Tones',
			name: 'tones',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 123#',
			description: `The keys to press, in order (${KEYS})`,
			displayOptions: { show: { operation: ['sendDtmfTones'] } },
		},
		clientContextField({ operation: ['sendDtmfTones'] }),
		optionsCollection('sendDtmfTones', [
			{
				displayName: 'Delay Between Tones (Ms)',
				name: 'delayBetweenTonesMs',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10000, numberPrecision: 0 },
				default: 500,
				description: 'Milliseconds between two keys',
			},
		]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params } = context;
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const body: IDataObject = { tones: tonesOf(node, itemIndex, 'Tones', params.value('tones', itemIndex)) };
		const { delayBetweenTonesMs } = optionsOf(params, itemIndex);
		if (delayBetweenTonesMs !== undefined && delayBetweenTonesMs !== '') {
			body.delayBetweenTonesMs = requireWholeNumber(node, itemIndex, 'Delay Between Tones (Ms)', delayBetweenTonesMs, 0, 10000);
		}
		body.clientContext = clientContextOf(params, itemIndex);
		// Sent again after a lost answer, the keys could be pressed twice.
		return await postMediaOperation(context, itemIndex, { action: SEND_DTMF, callId, segment: 'sendDtmfTones', body, idempotent: false });
	},
};
