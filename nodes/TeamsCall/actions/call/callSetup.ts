import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/descriptions/common';
import { optionsOf } from '../../../shared/actions/itemParameters';
import { requireCallbackUrl } from '../../../shared/actions/urls';
import { inputError } from '../../../shared/actions/validation';
import type { OperationContext } from '../../../shared/actions/types';
import type { GraphAction } from '../../../shared/transport/graphErrors';
import { rememberCallTenant } from '../../../shared/placedCallTenants';
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

/** Requested Modalities (a new call) or Accepted Modalities (answer): what the app takes part in. */
export function modalitiesOption(name: 'requestedModalities' | 'acceptedModalities', displayName: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'multiOptions',
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Video', value: 'video' },
			{ name: 'Video-Based Screen Sharing', value: 'videoBasedScreenSharing' },
		],
		default: ['audio'],
		description: 'What the app takes part in. A bot with service-hosted media uses audio.',
	};
}

/** Wait Until Established and Wait Timeout: a new or answered call is read until it is established. */
export const WAIT_OPTIONS: INodeProperties[] = [
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
];

export function callOptions(operation: string, extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection(operation, [...extra, modalitiesOption('requestedModalities', 'Requested Modalities'), ...WAIT_OPTIONS]);
}

/** The checked modality list of the options (`name`: requestedModalities or acceptedModalities, shown as `label`). */
export function modalitiesOf(context: OperationContext, itemIndex: number, options: IDataObject, name: string, label: string): string[] {
	const chosen = options[name] ?? ['audio'];
	const list = Array.isArray(chosen) ? chosen.map(String) : [String(chosen)];
	const unknown = list.find((modality) => !MODALITIES.includes(modality));
	if (unknown !== undefined) {
		throw inputError(context.params.node, itemIndex, label, `"${unknown}" is not one of ${MODALITIES.join(', ')}`);
	}
	if (!list.length) throw inputError(context.params.node, itemIndex, label, 'is empty; choose at least audio');
	return list;
}

/** How long to wait for the call to be established (undefined: Wait Until Established is off). */
export function waitSecondsOf(context: OperationContext, itemIndex: number, options: IDataObject): number | undefined {
	if (options.waitUntilEstablished === false) return undefined;
	const seconds = Number(options.waitTimeout ?? 60);
	if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
		throw inputError(context.params.node, itemIndex, 'Wait Timeout', `must be a number of seconds from 1 to 600 (got ${String(options.waitTimeout)})`);
	}
	return seconds;
}

/** A callback URL the user gave (`label` names the parameter): https, or http:// to loopback for the emulator's Custom cloud. */
export function checkedCallbackUrl(context: OperationContext, itemIndex: number, value: unknown, label = 'Callback URL'): string {
	return requireCallbackUrl(context.params.node, itemIndex, label, value, context.graph.config.cloud === 'custom');
}

/** Service-hosted media: Graph plays prompts, records and hears tones; the app handles no audio itself. */
export const SERVICE_HOSTED_MEDIA: IDataObject = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

/** The checked parts every new call's body has, and whether (how long) to wait for it. */
export function newCall(context: OperationContext, itemIndex: number): { body: IDataObject; options: IDataObject; waitSeconds?: number } {
	const { params } = context;
	const options = optionsOf(params, itemIndex);
	const callbackUri = checkedCallbackUrl(context, itemIndex, params.value('callbackUrl', itemIndex));
	const body: IDataObject = {
		'@odata.type': '#microsoft.graph.call',
		callbackUri,
		requestedModalities: modalitiesOf(context, itemIndex, options, 'requestedModalities', 'Requested Modalities'),
		mediaConfig: { ...SERVICE_HOSTED_MEDIA },
	};
	return { body, options, waitSeconds: waitSecondsOf(context, itemIndex, options) };
}

/** POST /communications/calls, sent once only (it may join or ring twice); then, when asked, waits until established (hung up at Stop). */
export async function placeCall(
	{ graph, n8n }: OperationContext,
	itemIndex: number,
	body: IDataObject,
	action: GraphAction,
	waitSeconds: number | undefined,
): Promise<IDataObject> {
	const response = await graph.request({ action, method: 'POST', path: ['communications', 'calls'], body, itemIndex, idempotent: false });
	const call = response.body ?? {};
	// Its notifications may name the call's tenant (a meeting of another tenant): the trigger accepts it.
	rememberCallTenant(graph.config.clientId, body.tenantId);
	rememberCallTenant(graph.config.clientId, call.tenantId);
	return waitSeconds === undefined ? call : await waitUntilEstablished(graph, n8n.logger, itemIndex, call, waitSeconds);
}
