import type { IDataObject } from 'n8n-workflow';

import type { GraphClient } from '../transport/graphClient';
import type { GraphAction } from '../transport/graphErrors';

/**
 * GET /communications/calls/{call-id}/participants (call-list-participants.md), following @odata.nextLink (same origin
 * only) until `limit` participants are read or no page is left.
 */
export async function listParticipants(graph: GraphClient, itemIndex: number, callId: string, action: GraphAction, limit = Infinity): Promise<IDataObject[]> {
	const participants: IDataObject[] = [];
	let next: string | undefined;
	do {
		const response = await graph.request({
			action,
			method: 'GET',
			path: next ? { url: next, what: 'next page (@odata.nextLink)' } : ['communications', 'calls', callId, 'participants'],
			itemIndex,
			idempotent: true,
		});
		const page = Array.isArray(response.body?.value) ? (response.body.value as IDataObject[]) : [];
		participants.push(...page);
		const link = response.body?.['@odata.nextLink'];
		next = typeof link === 'string' && link ? link : undefined;
	} while (next && participants.length < limit);
	return participants.slice(0, limit);
}
