import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/descriptions/common';
import { optionsOf } from '../../../shared/actions/itemParameters';
import { requireCallbackUrl } from '../../../shared/actions/urls';
import { inputError } from '../../../shared/actions/validation';
import type { OperationContext } from '../../../shared/actions/types';
import type { GraphAction } from '../../../shared/transport/graphErrors';
import { waitUntilEstablished } from './waitForCall';

/** What Join Meeting and Create Call share: the callback URL, the options, the common body and placing the call. */

export function callbackUrlField(operation: string): INodeProperties {
	return {
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/teams-call',
		description:
			'HTTPS URL where Graph sends this call\'s events for its whole life: the production URL of a Teams Call Trigger node',
		hint: 'Use the Production URL of a Teams Call Trigger node (activate its workflow); Graph cannot reach a test URL.',
		displayOptions: { show: { operation: [operation] } },
	};
}

const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing'];

export function callOptions(operation: string, extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection(operation, [
		...extra,
		{
			displayName: 'Requested Modalities',
			name: 'requestedModalities',
			type: 'multiOptions',
			options: [
				{ name: 'Audio', value: 'audio' },
				{ name: 'Video', value: 'video' },
				{ name: 'Video-Based Screen Sharing', value: 'videoBasedScreenSharing' },
			],
			default: ['audio'],
			description: 'What the app takes part in. A bot with service-hosted media uses audio.',
		},
		{
			displayName: 'Wait Until Established',
			name: 'waitUntilEstablished',
			type: 'boolean',
			default: true,
			description: 'Whether to read the call until it is established (or fails) before returning it, instead of returning it as Graph first answers (establishing)',
		},
		{
			displayName: 'Wait Timeout',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 60,
			description: 'How many seconds to wait for the call to be established, with Wait Until Established on',
		},
	]);
}

function modalities(context: OperationContext, itemIndex: number, options: IDataObject): string[] {
	const chosen = options.requestedModalities ?? ['audio'];
	const list = Array.isArray(chosen) ? chosen.map(String) : [String(chosen)];
	const unknown = list.find((modality) => !MODALITIES.includes(modality));
	if (unknown !== undefined) {
		throw inputError(context.params.node, itemIndex, 'Requested Modalities', `"${unknown}" is not one of ${MODALITIES.join(', ')}`);
	}
	if (!list.length) throw inputError(context.params.node, itemIndex, 'Requested Modalities', 'is empty; choose at least audio');
	return list;
}

function waitTimeoutOf(context: OperationContext, itemIndex: number, options: IDataObject): number {
	const seconds = Number(options.waitTimeout ?? 60);
	if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
		throw inputError(context.params.node, itemIndex, 'Wait Timeout', `must be a number of seconds from 1 to 600 (got ${String(options.waitTimeout)})`);
	}
	return seconds;
}

/** The checked parts every new call's body has, and whether (how long) to wait for it. */
export function newCall(context: OperationContext, itemIndex: number): { body: IDataObject; options: IDataObject; waitSeconds?: number } {
	const { params, graph } = context;
	const options = optionsOf(params, itemIndex);
	const callbackUri = requireCallbackUrl(params.node, itemIndex, 'Callback URL', params.value('callbackUrl', itemIndex), graph.config.cloud === 'custom');
	const body: IDataObject = {
		'@odata.type': '#microsoft.graph.call',
		callbackUri,
		requestedModalities: modalities(context, itemIndex, options),
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
	};
	const waitSeconds = options.waitUntilEstablished === false ? undefined : waitTimeoutOf(context, itemIndex, options);
	return { body, options, waitSeconds };
}

/** POST /communications/calls, sent once only (it may join or ring twice); then, when asked, waits until established. */
export async function placeCall(
	{ graph }: OperationContext,
	itemIndex: number,
	body: IDataObject,
	action: GraphAction,
	waitSeconds: number | undefined,
): Promise<IDataObject> {
	const response = await graph.request({ action, method: 'POST', path: ['communications', 'calls'], body, itemIndex, idempotent: false });
	const call = response.body ?? {};
	return waitSeconds === undefined ? call : await waitUntilEstablished(graph, itemIndex, call, waitSeconds);
}
