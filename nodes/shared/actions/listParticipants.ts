import type { IDataObject } from 'n8n-workflow';

import type { GraphClient } from '../transport/graphClient';
import type { GraphAction } from '../transport/graphErrors';
import { allItems } from '../transport/pager';

/**
 * GET /communications/calls/{call-id}/participants (call-list-participants.md), following @odata.nextLink (same origin
 * only) until `limit` participants are read or no page is left.
 */
export async function listParticipants(graph: GraphClient, itemIndex: number, callId: string, action: GraphAction, limit = Infinity): Promise<IDataObject[]> {
	return await allItems(graph, { action, path: ['communications', 'calls', callId, 'participants'], itemIndex }, limit);
}
