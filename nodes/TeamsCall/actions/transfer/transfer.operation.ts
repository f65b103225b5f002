import type { IDataObject } from 'n8n-workflow';

import { checkJsonParticipant, type ParticipantFields, participantInfo } from '../../../shared/actions/inviteBody';
import { callIdOf, chosenJsonBody, optionsOf } from '../../../shared/actions/itemParameters';
import { inputError, requireId } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callIdField, optionsCollection } from '../../../shared/descriptions/common';
import { jsonBodyField, participantField, specifyBodyField } from '../../../shared/descriptions/participants';
import { READ_CALL } from '../hints';
import { TRANSFER_CALL } from '../conversationHints';

const SEED_JSON_BODY = JSON.stringify(
	{
		transferTarget: {
			'@odata.type': '#microsoft.graph.invitationParticipantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: { '@odata.type': '#microsoft.graph.identity', id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' },
			},
		},
	},
	null,
	2,
);

/** The transfer target from the fields: exactly one person, number or app. */
function targetFromFields(context: OperationContext, itemIndex: number): IDataObject {
	const { params } = context;
	const entry = (params.value('transferTarget', itemIndex, {}) as IDataObject).target as ParticipantFields | undefined;
	if (!entry || typeof entry !== 'object') {
		throw inputError(params.node, itemIndex, 'Transfer Target', 'is empty; add the person, number or app to transfer the call to');
	}
	return participantInfo(params.node, itemIndex, entry, 'Transfer Target');
}

/**
 * Graph's transferee (needed from a group call): the participant's identity read from the call (GET, safe to repeat)
 * with its participant ID, as Graph's participantInfo requires an identity.
 */
async function transfereeOf({ params, graph }: OperationContext, itemIndex: number, callId: string, participantId: string): Promise<IDataObject> {
	const response = await graph.request({
		action: { ...READ_CALL, phrase: 'read the transferee (Transferee Participant ID) from the call' },
		method: 'GET',
		path: ['communications', 'calls', callId, 'participants', participantId],
		itemIndex,
		idempotent: true,
	});
	const identity = ((response.body?.info ?? {}) as IDataObject).identity;
	if (!identity || typeof identity !== 'object') {
		throw inputError(params.node, itemIndex, 'Transferee Participant ID', `Graph returned participant ${participantId} without an identity`);
	}
	return { '@odata.type': '#microsoft.graph.participantInfo', identity, participantId };
}

/**
 * POST /communications/calls/{call-id}/transfer: the caller is handed to someone else (blind transfer; with
 * Replaces Call ID, consultative). 202; the outcome comes as call states on the trigger (transferring,
 * transferAccepted, then terminated on success or established again on failure).
 */
export const transfer: Operation = {
	sendsOnce: true,
	description: [
		callIdField(['transfer']),
		specifyBodyField('transfer'),
		participantField('transfer', 'transferTarget', 'Transfer Target', 'The person, number or app to hand the call to'),
		jsonBodyField('transfer', SEED_JSON_BODY, 'Graph\'s transfer body: transferTarget (an invitationParticipantInfo), and transferee from a group call'),
		optionsCollection('transfer', [
			{
				displayName: 'Transferee Participant ID',
				name: 'transfereeParticipantId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37',
				description: 'Who is transferred, by participant ID in this call. Needed to transfer out of a group call; not for a one-to-one call.',
			},
		]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params, graph } = context;
		const { node } = params;
		const callId = callIdOf(params, itemIndex);
		const json = chosenJsonBody(params, itemIndex, '{ "transferTarget": { "identity": { … } } }');
		if (json) checkJsonParticipant(node, itemIndex, json.transferTarget, 'JSON Body › transferTarget');
		const body: IDataObject = json ? { ...json } : { transferTarget: targetFromFields(context, itemIndex) };
		const transferee = optionsOf(params, itemIndex).transfereeParticipantId;
		if (typeof transferee === 'string' && transferee.trim()) {
			const participantId = requireId(node, itemIndex, 'Transferee Participant ID', transferee);
			body.transferee = await transfereeOf(context, itemIndex, callId, participantId);
		}
		await graph.request({ action: TRANSFER_CALL, method: 'POST', path: ['communications', 'calls', callId, 'transfer'], body, itemIndex, idempotent: false });
		return { transferStarted: true, callId };
	},
};
