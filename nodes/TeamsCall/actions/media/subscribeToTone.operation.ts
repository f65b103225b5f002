import type { IDataObject } from 'n8n-workflow';

import { callIdOf, clientContextOf } from '../../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, clientContextField, optionsCollection } from '../../../shared/descriptions/common';
import { SUBSCRIBE_TO_TONE } from '../conversationHints';
import { postMediaOperation } from './mediaOperation';

/** POST /communications/calls/{call-id}/subscribeToTone: from now on, each key the caller presses reaches the trigger (toneReceived). */
export const subscribeToTone: Operation = {
	description: [callIdField(['subscribeToTone']), clientContextField({ operation: ['subscribeToTone'] }), optionsCollection('subscribeToTone')],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params } = context;
		const callId = callIdOf(params, itemIndex);
		const body = { clientContext: clientContextOf(params, itemIndex) };
		// Subscribing twice changes nothing: safe to send again.
		return await postMediaOperation(context, itemIndex, { action: SUBSCRIBE_TO_TONE, callId, segment: 'subscribeToTone', body, idempotent: true });
	},
};
