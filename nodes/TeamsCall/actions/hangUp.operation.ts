import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection } from '../../shared/descriptions/common';
import { callIdOf } from '../../shared/actions/itemParameters';
import { doneByEarlierAttempt } from '../../shared/actions/lostAnswer';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { callAction } from './hints';

/** DELETE /communications/calls/{call-id}: the app leaves (in a meeting or group call only its own leg ends). */
export const hangUp: Operation = {
	description: [callIdField(['hangUp']), optionsCollection('hangUp')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const failure = await graph
			.request({ action: callAction('hang up the call', 'call.hangUp'), method: 'DELETE', path: ['communications', 'calls', callId], itemIndex, idempotent: true })
			.then(
				() => undefined,
				(error: unknown) => error,
			);
		// An earlier attempt whose answer was lost hung up: the retry's "not found" proves it is done.
		if (failure && !doneByEarlierAttempt(failure)) throw failure;
		return { hungUp: true, callId };
	},
};
