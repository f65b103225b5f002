import type { IDataObject } from 'n8n-workflow';

import { type ParticipantFields, participantsFromFields, participantsFromJson } from '../../../shared/actions/inviteBody';
import { chosenJsonBody } from '../../../shared/actions/itemParameters';
import { requireId } from '../../../shared/actions/validation';
import { CALL_TARGETS } from '../../../shared/participantLists';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { jsonBodyField, participantListField, specifyBodyField } from '../../../shared/descriptions/participants';
import { callbackUrlField, callOptions, newCall, placeCall } from './callSetup';
import { CREATE_CALL } from '../hints';

const SEED_JSON_BODY = JSON.stringify(
	{
		targets: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Adele Vance' },
				},
			},
		],
	},
	null,
	2,
);

/** Graph's `source` naming the application instance (resource account) whose number the call comes from. */
function sourceOf(applicationInstanceId: string): IDataObject {
	return {
		'@odata.type': '#microsoft.graph.participantInfo',
		identity: {
			'@odata.type': '#microsoft.graph.identitySet',
			applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: applicationInstanceId },
		},
	};
}

/** POST /communications/calls with targets: the app calls people, phone numbers or apps (a peer-to-peer or group call). */
export const create: Operation = {
	sendsOnce: true,
	description: [
		specifyBodyField('create'),
		participantListField('create', CALL_TARGETS, 'Up to 5 people, numbers or apps to call'),
		jsonBodyField(
			'create',
			SEED_JSON_BODY,
			'Graph\'s targets (invitationParticipantInfo list), and optionally other call properties such as source. Callback URL, modalities and tenant come from the parameters.',
		),
		callbackUrlField('create'),
		{
			displayName: 'Application Instance ID',
			name: 'applicationInstanceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 0d7c6e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
			description:
				'Object ID of the resource account (application instance) with a phone number that the call comes from. Needed to call phone numbers.',
			displayOptions: { show: { operation: ['create'] } },
		},
		callOptions('create'),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params, graph } = context;
		const { node } = params;
		const json = chosenJsonBody(params, itemIndex, '{ "targets": [ … ] }');
		const targets = json
			? participantsFromJson(node, itemIndex, json, CALL_TARGETS)
			: participantsFromFields(
					node,
					itemIndex,
					((params.value('targets', itemIndex, {}) as IDataObject).target ?? []) as ParticipantFields[],
					CALL_TARGETS,
				);
		const instance = params.value('applicationInstanceId', itemIndex);
		const source = typeof instance === 'string' && instance.trim() ? sourceOf(requireId(node, itemIndex, 'Application Instance ID', instance)) : undefined;
		const { body, waitSeconds } = newCall(context, itemIndex);
		const callBody: IDataObject = { ...json, ...body, targets, tenantId: graph.config.tenantId };
		if (source) callBody.source = source;
		return await placeCall(context, itemIndex, callBody, CREATE_CALL, waitSeconds);
	},
};
