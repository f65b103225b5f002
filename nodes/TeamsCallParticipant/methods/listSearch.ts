import {
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	NodeOperationError,
} from 'n8n-workflow';

import { participantIdentity } from '../../shared/actions/identity';
import { requireId } from '../../shared/actions/validation';
import { graphClientFor } from '../../shared/transport/graphSession';
import { LIST_PARTICIPANTS } from '../actions/hints';

/** A participant's name for the list: its display name, and what kind of identity it is. */
function labelOf(participant: IDataObject): string {
	const { kind, who } = participantIdentity(participant);
	if (!kind) return String(participant.id);
	const name = typeof who.displayName === 'string' && who.displayName ? who.displayName : String(who.id ?? 'unknown');
	return `${name} (${kind})`;
}

/** The call's participants for the Participant picker, filtered by name or ID, page by page. */
export async function searchParticipants(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const callIdValue = this.getCurrentNodeParameter('callId');
	if (typeof callIdValue !== 'string' || !callIdValue.trim() || callIdValue.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'Set a fixed Call ID first to list its participants, or choose "By ID"');
	}
	const callId = requireId(this.getNode(), 0, 'Call ID', callIdValue);
	const graph = await graphClientFor(this);
	const response = await graph.request({
		action: LIST_PARTICIPANTS,
		method: 'GET',
		path: paginationToken ? { url: paginationToken, what: 'next page (@odata.nextLink)' } : ['communications', 'calls', callId, 'participants'],
		itemIndex: 0,
		idempotent: true,
	});
	const page = Array.isArray(response.body?.value) ? (response.body.value as IDataObject[]) : [];
	const needle = filter?.trim().toLowerCase();
	const results = page
		.map((participant) => ({ name: labelOf(participant), value: String(participant.id) }))
		.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.value.toLowerCase().includes(needle));
	const next = response.body?.['@odata.nextLink'];
	return { results, paginationToken: typeof next === 'string' && next ? next : undefined };
}
