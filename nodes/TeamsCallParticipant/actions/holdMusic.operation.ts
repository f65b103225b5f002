import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { callIdField, clientContextField, optionsCollection, participantIdLocator } from '../../shared/descriptions/common';
import { callIdOf, participantIdOf } from '../../shared/actions/itemParameters';
import { requireWavUrl } from '../../shared/actions/urls';
import { checkClientContext } from '../../shared/actions/validation';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { oneParticipantHint } from './hints';

type HoldMusic = 'startHoldMusic' | 'stopHoldMusic';

/** POST …/participants/{participant-id}/startHoldMusic | stopHoldMusic: one participant at a time hears music on hold. */
function holdMusicOperation(name: HoldMusic, phrase: string): Operation {
	const show = { show: { operation: [name] } };
	const promptField = {
		displayName: 'Custom Prompt URL',
		name: 'customPromptUrl',
		type: 'string' as const,
		default: '',
		placeholder: 'e.g. https://example.com/music/hold.wav',
		description: 'HTTPS URL of a WAV file to play instead of Teams\' own hold music (left empty: Teams\' music)',
		displayOptions: show,
	};
	return {
		description: [
			callIdField([name]),
			participantIdLocator([name]),
			...(name === 'startHoldMusic' ? [promptField] : []),
			clientContextField({ operation: [name] }),
			optionsCollection(name),
		],

		async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
			const { node } = params;
			const callId = callIdOf(params, itemIndex);
			const participantId = participantIdOf(params, itemIndex);
			const body: IDataObject = {};
			const promptUrl = name === 'startHoldMusic' ? params.value('customPromptUrl', itemIndex) : '';
			if (typeof promptUrl !== 'string' || promptUrl.trim()) {
				const uri = requireWavUrl(node, itemIndex, 'Custom Prompt URL', promptUrl);
				body.customPrompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri } };
			}
			body.clientContext = checkClientContext(node, itemIndex, params.value('clientContext', itemIndex)) ?? randomUUID();
			const response = await graph.request({
				action: { phrase, permission: 'participant.holdMusic', hint: oneParticipantHint },
				method: 'POST',
				path: ['communications', 'calls', callId, 'participants', participantId, name],
				body,
				itemIndex,
				// Holding (or releasing) twice leaves the participant as asked: safe to send again after a lost answer.
				idempotent: true,
			});
			const operation: IDataObject = { ...(response.body ?? {}) };
			operation.clientContext ||= body.clientContext;
			return { ...operation, callId, participantId };
		},
	};
}

export const startHoldMusic = holdMusicOperation('startHoldMusic', 'start hold music for the participant');
export const stopHoldMusic = holdMusicOperation('stopHoldMusic', 'stop hold music for the participant');
