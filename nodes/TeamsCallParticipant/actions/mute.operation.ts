import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionsCollection, participantIdLocator } from '../../shared/descriptions/common';
import { callIdOf, participantIdOf } from '../../shared/actions/itemParameters';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { checkClientContext } from '../../shared/actions/validation';
import { oneParticipantHint } from './hints';

/** POST /communications/calls/{call-id}/participants/{participant-id}/mute (group calls only). */
export const mute: Operation = {
	description: [
		callIdField(['mute']),
		participantIdLocator(['mute']),
		{
			displayName: 'Client Context',
			name: 'clientContext',
			type: 'string',
			default: '',
			placeholder: 'e.g. mute-request-42',
			description: 'Text of up to 256 characters that Graph returns with the operation, to match it later',
			displayOptions: { show: { operation: ['mute'] } },
		},
		optionsCollection('mute'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const callId = callIdOf(params, itemIndex);
		const participantId = participantIdOf(params, itemIndex);
		const clientContext = checkClientContext(params.node, itemIndex, params.value('clientContext', itemIndex));
		const response = await graph.request({
			action: { phrase: 'mute the participant', permission: 'participant.mute', hint: oneParticipantHint },
			method: 'POST',
			path: ['communications', 'calls', callId, 'participants', participantId, 'mute'],
			body: clientContext ? { clientContext } : {},
			itemIndex,
			// Muting twice leaves the participant muted: safe to send again after a lost answer.
			idempotent: true,
		});
		return { ...(response.body ?? {}), callId, participantId };
	},
};
