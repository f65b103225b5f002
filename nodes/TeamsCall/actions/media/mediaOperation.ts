import type { IDataObject } from 'n8n-workflow';

import type { OperationContext } from '../../../shared/actions/types';
import type { GraphAction } from '../../../shared/transport/graphErrors';

/** What the media operations share: POST …/calls/{id}/<action> with a client context, and Graph's operation as output. */
export async function postMediaOperation(
	{ graph }: OperationContext,
	itemIndex: number,
	request: { action: GraphAction; callId: string; segment: string; body: IDataObject; idempotent: boolean },
): Promise<IDataObject> {
	const response = await graph.request({
		action: request.action,
		method: 'POST',
		path: ['communications', 'calls', request.callId, request.segment],
		body: request.body,
		itemIndex,
		idempotent: request.idempotent,
	});
	const operation: IDataObject = { ...(response.body ?? {}) };
	operation.clientContext ||= request.body.clientContext;
	return { ...operation, callId: request.callId };
}
