import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { callIdOf, clientContextOf, optionsOf } from '../../../shared/actions/itemParameters';
import { requireWavUrl } from '../../../shared/actions/urls';
import { inputError, requireWholeNumber } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, clientContextField, optionsCollection } from '../../../shared/descriptions/common';
import { RECORD_RESPONSE } from '../conversationHints';
import { postMediaOperation } from './mediaOperation';
import { KEYS, stopKeysOf } from './tones';

const TIMERS: Array<{ name: string; displayName: string; description: string }> = [
	{ name: 'initialSilenceTimeoutInSeconds', displayName: 'Initial Silence Timeout', description: 'Seconds of silence, after the prompt, before the recording ends without an answer (1 to 120; Graph\'s default 5)' },
	{ name: 'maxSilenceTimeoutInSeconds', displayName: 'Max Silence Timeout', description: 'Seconds of silence, once the caller spoke, that end the recording (1 to 120; Graph\'s default 5)' },
	{ name: 'maxRecordDurationInSeconds', displayName: 'Max Record Duration', description: 'Longest recording in seconds (1 to 120; Graph\'s default 5)' },
];

const timerOptions: INodeProperties[] = TIMERS.map(({ name, displayName, description }) => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 120, numberPrecision: 0 },
	default: 5,
	description,
}));

const BOOLEANS: Array<{ name: string; label: string }> = [
	{ name: 'bargeInAllowed', label: 'Barge In Allowed' },
	{ name: 'playBeep', label: 'Play Beep' },
];

/**
 * POST /communications/calls/{call-id}/recordResponse: an optional prompt, then the caller's answer is recorded
 * (at most 2 minutes). The recording arrives with the operation's outcome (the trigger's operationCompleted:
 * recordingLocation and recordingAccessToken), for Download Recording. Sent once: the prompt would play twice.
 */
export const recordResponse: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['recordResponse']),
		{
			displayName: 'Prompt URL',
			name: 'promptUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/prompts/leave-a-message.wav',
			description: 'HTTPS URL of a WAV file (16-bit PCM, mono, 16 kHz) played before recording; left empty, no prompt',
			displayOptions: { show: { operation: ['recordResponse'] } },
		},
		clientContextField({ operation: ['recordResponse'] }),
		optionsCollection('recordResponse', [
			{
				displayName: 'Barge In Allowed',
				name: 'bargeInAllowed',
				type: 'boolean',
				default: false,
				description: 'Whether this recording may cut into a prompt or recording already playing or queued',
			},
			...timerOptions,
			{
				displayName: 'Play Beep',
				name: 'playBeep',
				type: 'boolean',
				default: true,
				description: 'Whether a beep sounds when the recording starts',
			},
			{
				displayName: 'Stop Tones',
				name: 'stopTones',
				type: 'string',
				default: '',
				placeholder: 'e.g. #',
				description: `Keys that end the recording when the caller presses one (${KEYS})`,
			},
		]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params } = context;
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const body: IDataObject = {};
		const promptUrl = params.value('promptUrl', itemIndex);
		if (typeof promptUrl !== 'string' || promptUrl.trim()) {
			const uri = requireWavUrl(node, itemIndex, 'Prompt URL', promptUrl);
			body.prompts = [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri } }];
		}
		const options = optionsOf(params, itemIndex);
		for (const { name, label } of BOOLEANS) {
			if (options[name] === undefined) continue;
			if (typeof options[name] !== 'boolean') throw inputError(node, itemIndex, label, 'must be true or false');
			body[name] = options[name];
		}
		for (const { name, displayName } of TIMERS) {
			if (options[name] !== undefined && options[name] !== '') body[name] = requireWholeNumber(node, itemIndex, displayName, options[name], 1, 120);
		}
		const stopTones = stopKeysOf(node, itemIndex, 'Stop Tones', options.stopTones);
		if (stopTones.length) body.stopTones = stopTones;
		body.clientContext = clientContextOf(params, itemIndex);
		return await postMediaOperation(context, itemIndex, { action: RECORD_RESPONSE, callId, segment: 'recordResponse', body, idempotent: false });
	},
};
