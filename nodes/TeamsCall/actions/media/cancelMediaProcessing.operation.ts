import type { IDataObject } from 'n8n-workflow';

import { callIdOf, clientContextOf } from '../../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, clientContextField, optionsCollection } from '../../../shared/descriptions/common';
import { CANCEL_MEDIA } from '../conversationHints';
import { postMediaOperation } from './mediaOperation';

/** POST /communications/calls/{call-id}/cancelMediaProcessing: stops the prompts and recordings playing or queued (not the tone subscription). */
export const cancelMediaProcessing: Operation = {
	description: [
		callIdField(['cancelMediaProcessing']),
		clientContextField({ operation: ['cancelMediaProcessing'] }),
		optionsCollection('cancelMediaProcessing'),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params } = context;
		const callId = callIdOf(params, itemIndex);
		const body = { clientContext: clientContextOf(params, itemIndex) };
		// Cancelling twice cancels nothing more: safe to send again.
		return await postMediaOperation(context, itemIndex, { action: CANCEL_MEDIA, callId, segment: 'cancelMediaProcessing', body, idempotent: true });
	},
};
