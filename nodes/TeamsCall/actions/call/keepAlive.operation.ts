import { type IDataObject, NodeOperationError } from 'n8n-workflow';

import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { callIdOf } from '../../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { graphFailure } from '../../../shared/transport/graphClient';
import { callAction } from '../hints';

/** POST /communications/calls/{call-id}/keepAlive: Graph ends a call that hears nothing for 45 minutes. */
export const keepAlive: Operation = {
	description: [callIdField(['keepAlive']), optionsCollection('keepAlive')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const failure = await graph
			.request({ action: callAction('keep the call alive', 'call.keepAlive'), method: 'POST', path: ['communications', 'calls', callId, 'keepAlive'], itemIndex, idempotent: true })
			.then(
				() => undefined,
				(error: unknown) => error,
			);
		if (failure && graphFailure(failure).status === 404) {
			const { code } = graphFailure(failure);
			throw new NodeOperationError(graph.nodeRef, `The call ${callId} has ended: Graph no longer knows it (HTTP 404${code ? `, code ${code}` : ''})`, {
				itemIndex,
				description: 'Keep Alive keeps a running call going; an ended call cannot be brought back. Join the meeting or create the call again.',
			});
		}
		if (failure) throw failure;
		return { alive: true, callId };
	},
};
