import type { IDataObject } from 'n8n-workflow';

import { type ParticipantFields, participantsFromFields, participantsFromJson } from '../../../shared/actions/inviteBody';
import { REDIRECT_TARGETS } from '../../../shared/participantLists';
import { callIdOf, chosenJsonBody, optionsOf } from '../../../shared/actions/itemParameters';
import { requireWholeNumber } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { jsonBodyField, participantListField, specifyBodyField } from '../../../shared/descriptions/participants';
import { checkedCallbackUrl } from '../call/callSetup';
import { REDIRECT_CALL } from '../conversationHints';

const SEED_JSON_BODY = JSON.stringify(
	{
		targets: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: { '@odata.type': '#microsoft.graph.communicationsIdentitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12065550100' } },
			},
		],
		timeout: 30,
	},
	null,
	2,
);

/** POST /communications/calls/{call-id}/redirect: a call that rings the bot rings these targets instead (up to 25 at once). */
export const redirect: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['redirect']),
		specifyBodyField('redirect'),
		participantListField('redirect', REDIRECT_TARGETS, 'Up to 25 people, numbers or apps; several ring at once and the first to answer gets the call'),
		jsonBodyField('redirect', SEED_JSON_BODY, 'Graph\'s redirect body: targets (invitationParticipantInfo list), and optionally timeout and callbackUri'),
		optionsCollection('redirect', [
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 15, maxValue: 90, numberPrecision: 0 },
				default: 55,
				description: 'Seconds the targets ring before the redirect fails (15 to 90)',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/teams-call',
				description: 'Where Graph sends the outcome; left empty, the bot\'s calling webhook',
			},
		]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params, graph } = context;
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const json = chosenJsonBody(params, itemIndex, '{ "targets": [ … ] }');
		const targets = json
			? participantsFromJson(node, itemIndex, json, REDIRECT_TARGETS)
			: participantsFromFields(node, itemIndex, ((params.value('targets', itemIndex, {}) as IDataObject).target ?? []) as ParticipantFields[], REDIRECT_TARGETS);
		const options = optionsOf(params, itemIndex);
		const body: IDataObject = { ...json, targets };
		if (options.timeout !== undefined && options.timeout !== '') body.timeout = requireWholeNumber(node, itemIndex, 'Timeout', options.timeout, 15, 90);
		else if (json?.timeout !== undefined) body.timeout = requireWholeNumber(node, itemIndex, 'JSON Body › timeout', json.timeout, 15, 90);
		if (typeof options.callbackUrl === 'string' && options.callbackUrl.trim()) body.callbackUri = checkedCallbackUrl(context, itemIndex, options.callbackUrl);
		else if (json?.callbackUri !== undefined) body.callbackUri = checkedCallbackUrl(context, itemIndex, json.callbackUri, 'JSON Body › callbackUri');
		await graph.request({ action: REDIRECT_CALL, method: 'POST', path: ['communications', 'calls', callId, 'redirect'], body, itemIndex, idempotent: false });
		return { redirected: true, callId, targets: targets.length };
	},
};
