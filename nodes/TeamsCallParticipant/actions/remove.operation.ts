import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, participantIdLocator } from '../../shared/descriptions/common';
import { doneByEarlierAttempt } from '../../shared/actions/lostAnswer';
import { callIdOf, participantIdOf } from '../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { removeHint } from './hints';

/**
 * DELETE /communications/calls/{call-id}/participants/{participant-id}: an active participant is dropped at once,
 * an invited one has its pending invitation cancelled.
 */
export const remove: Operation = {
	description: [callIdField(['remove']), participantIdLocator(['remove']), optionsCollection('remove')],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const participantId = participantIdOf(params, itemIndex);
		const failure = await graph
			.request({
				action: { phrase: 'remove the participant', permission: 'participant.remove', hint: removeHint },
				method: 'DELETE',
				path: ['communications', 'calls', callId, 'participants', participantId],
				itemIndex,
				idempotent: true,
			})
			.then(
				() => undefined,
				(error: unknown) => error,
			);
		// An earlier attempt whose answer was lost removed them: the retry's "not found" proves it is done.
		if (failure && !doneByEarlierAttempt(failure, ['itemNotFound'])) throw failure;
		// alreadyGone: Graph answered "not found" to the retry; a mistyped ID would look the same.
		return failure ? { deleted: true, alreadyGone: true, callId, participantId } : { deleted: true, callId, participantId };
	},
};
