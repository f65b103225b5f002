import type { IDataObject } from 'n8n-workflow';

import { callIdField, clientContextField, optionsCollection } from '../../shared/descriptions/common';
import type { GraphClient } from '../../shared/transport/graphClient';
import { graphUrl } from '../../shared/transport/graphUrl';
import { callIdOf, chosenJsonBody, optionsOf } from '../../shared/actions/itemParameters';
import { bodyFromFields, bodyFromJson, INVITE_JSON_EXAMPLE, type ParticipantFields } from '../../shared/actions/inviteBody';
import { INVITE_PARTICIPANTS } from '../../shared/participantLists';
import { jsonBodyField, participantListField, specifyBodyField } from '../../shared/descriptions/participants';
import { failedInvitationError, operationStatus, waitForOperation } from '../../shared/actions/inviteOutcome';
import { inviteesOf } from '../../shared/actions/inviteRoster';
import type { Operation, OperationContext } from '../../shared/actions/types';
import type { GraphAction } from '../../shared/transport/graphErrors';
import { operationError } from '../../shared/transport/nodeErrors';
import { requireWholeNumber } from '../../shared/actions/validation';
import { LIST_PARTICIPANTS } from './hints';

const SEED_JSON_BODY = JSON.stringify(
	{
		participants: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: {
						'@odata.type': '#microsoft.graph.identity',
						id: '278405a3-f568-4b3e-b684-009193463064',
						identityProvider: 'AAD',
					},
				},
				participantId: 'a7ebfb2d-871e-419c-87af-27290b22e8db',
			},
		],
		clientContext: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f',
	},
	null,
	2,
);

/** Where to read the operation: Graph's Location header, else its id; undefined when Graph gave neither. */
function operationUrl(graph: GraphClient, callId: string, location: string | undefined, operation: IDataObject): string | undefined {
	if (location) return location;
	if (typeof operation.id !== 'string' || !operation.id) return undefined;
	return graphUrl(graph.config.graphBaseUrl, ['communications', 'calls', callId, 'operations', operation.id]);
}

/** POST /communications/calls/{call-id}/participants/invite; never sent twice when the first may have reached Graph. */
const INVITE: GraphAction = {
	phrase: 'invite the participants',
	permission: 'participant.invite',
	hint: ({ status }) =>
		status === 403
			? 'The app needs the application permission Calls.InitiateGroupCall.All with admin consent (Entra ID > App registrations > API permissions).'
			: undefined,
};

export const invite: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['invite']),
		specifyBodyField('invite'),
		participantListField('invite', INVITE_PARTICIPANTS, 'Up to 5 people, numbers or apps to invite into the call'),
		clientContextField({ operation: ['invite'], specifyBody: ['fields'] }),
		jsonBodyField('invite', SEED_JSON_BODY, 'The whole Graph request body: participants (invitationParticipantInfo list) and clientContext'),
		optionsCollection('invite', [
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description: 'Whether to wait until the invitation is answered or fails, instead of returning as soon as Graph accepts it',
			},
			{
				displayName: 'Wait Timeout',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 90,
				description: 'How many seconds to wait for the invitation to finish, with Wait for Completion on',
			},
		]),
	],

	async execute({ params, graph }: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const json = chosenJsonBody(params, itemIndex, INVITE_JSON_EXAMPLE);
		const body =
			json !== undefined
				? bodyFromJson(node, itemIndex, json)
				: bodyFromFields(
						node,
						itemIndex,
						((params.value('participants', itemIndex, {}) as IDataObject).participant ?? []) as ParticipantFields[],
						params.value('clientContext', itemIndex),
					);
		const options = optionsOf(params, itemIndex);
		const waitTimeout = options.waitForCompletion === true ? requireWholeNumber(node, itemIndex, 'Wait Timeout', options.waitTimeout ?? 90, 1, 600) : 0;
		const response = await graph.request({
			action: INVITE,
			method: 'POST',
			path: ['communications', 'calls', callId, 'participants', 'invite'],
			body,
			itemIndex,
			idempotent: false,
		});
		let operation: IDataObject = { ...(response.body ?? {}) };
		operation.clientContext ||= body.clientContext;
		if (options.waitForCompletion === true && operationStatus(operation) !== 'failed') {
			const location = operationUrl(graph, callId, response.headers.location, operation);
			if (!location) {
				throw operationError(node, 'Graph accepted the invitation but gave no way to follow it (no Location header, no operation id), so it cannot be waited for', {
					itemIndex,
					description: 'The invitation was sent and was not sent again. Turn "Wait for Completion" off, or check the call\'s participants with Get Many.',
				});
			}
			operation = await waitForOperation(graph, itemIndex, location, operation, waitTimeout, {
				callId,
				invitees: inviteesOf(body.participants),
				listAction: LIST_PARTICIPANTS,
			});
		}
		if (operationStatus(operation) === 'failed') throw failedInvitationError(graph, itemIndex, operation);
		return { ...operation, callId };
	},
};
