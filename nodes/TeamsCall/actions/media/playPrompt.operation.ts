import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { callIdField, clientContextField, optionsCollection } from '../../../shared/descriptions/common';
import { callIdOf } from '../../../shared/actions/itemParameters';
import { requireWavUrl } from '../../../shared/actions/urls';
import { checkClientContext } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { PLAY_PROMPT } from '../hints';

/** POST /communications/calls/{call-id}/playPrompt: everyone in the call hears a WAV file; the outcome comes by notification. */
export const playPrompt: Operation = {
	// Sent twice, the prompt plays twice: never re-sent, and n8n's Retry On Fail is refused.
	sendsOnce: true,
	description: [
		callIdField(['playPrompt']),
		{
			displayName: 'Prompt URL',
			name: 'promptUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://example.com/prompts/welcome.wav',
			description: 'HTTPS URL of a WAV file (16-bit PCM, mono, 16 kHz) that Graph can download',
			displayOptions: { show: { operation: ['playPrompt'] } },
		},
		clientContextField({ operation: ['playPrompt'] }),
		optionsCollection('playPrompt'),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const uri = requireWavUrl(node, itemIndex, 'Prompt URL', params.value('promptUrl', itemIndex));
		const clientContext = checkClientContext(node, itemIndex, params.value('clientContext', itemIndex)) ?? randomUUID();
		const response = await graph.request({
			action: PLAY_PROMPT,
			method: 'POST',
			path: ['communications', 'calls', callId, 'playPrompt'],
			body: {
				prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri } }],
				clientContext,
			},
			itemIndex,
			// Sent again after a lost answer, the prompt could play twice.
			idempotent: false,
		});
		const operation: IDataObject = { ...(response.body ?? {}) };
		operation.clientContext ||= clientContext;
		return { ...operation, callId };
	},
};
