import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { callIdOf, optionsOf } from '../../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callbackUrlField, checkedCallbackUrl, modalitiesOf, modalitiesOption, SERVICE_HOSTED_MEDIA, WAIT_OPTIONS, waitSecondsOf } from '../call/callSetup';
import { waitUntilEstablished } from '../call/waitForCall';
import { ANSWER_CALL } from '../conversationHints';

/**
 * POST /communications/calls/{call-id}/answer: the bot takes a call made to it (the trigger's callIncoming item),
 * with service-hosted media; Graph answers 202 and the call becomes established. Sent once: answering twice fails.
 */
export const answer: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['answer']),
		callbackUrlField('answer'),
		optionsCollection('answer', [modalitiesOption('acceptedModalities', 'Accepted Modalities'), ...WAIT_OPTIONS]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params, graph } = context;
		const callId = callIdOf(params, itemIndex);
		const options = optionsOf(params, itemIndex);
		const body: IDataObject = {
			callbackUri: checkedCallbackUrl(context, itemIndex, params.value('callbackUrl', itemIndex)),
			acceptedModalities: modalitiesOf(context, itemIndex, options, 'acceptedModalities', 'Accepted Modalities'),
			mediaConfig: { ...SERVICE_HOSTED_MEDIA },
		};
		const waitSeconds = waitSecondsOf(context, itemIndex, options);
		await graph.request({ action: ANSWER_CALL, method: 'POST', path: ['communications', 'calls', callId, 'answer'], body, itemIndex, idempotent: false });
		if (waitSeconds === undefined) return { answered: true, callId };
		return await waitUntilEstablished(graph, context.n8n.logger, itemIndex, { id: callId, state: 'establishing' }, waitSeconds);
	},
};
