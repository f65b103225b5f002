import { type IDataObject, NodeOperationError, sleep } from 'n8n-workflow';

import { POLL_INTERVALS_MS } from '../../../shared/actions/inviteOutcome';
import { requireId } from '../../../shared/actions/validation';
import { graphFailure, type GraphClient } from '../../../shared/transport/graphClient';
import { READ_CALL } from '../hints';

/** Reading a new call until it is established, and explaining why it ended when it did not get there. */

const ENDED_MEANINGS: Record<string, string> = {
	'400': 'Graph found the request invalid',
	'403': 'the meeting refused the app (a wrong passcode, or the app may not join this meeting)',
	'404': 'the meeting was not found or has ended',
	'408': 'nobody answered or admitted the app from the lobby in time',
	'410': 'the meeting has ended',
	'480': 'the person called is unavailable',
	'486': 'the person called is busy',
	'487': 'the call was cancelled',
	'500': 'Graph failed to place the call',
	'503': 'the service was unavailable',
	'603': 'the person called declined',
};

function stateOf(call: IDataObject): string {
	return typeof call.state === 'string' ? call.state : 'unknown';
}

/** "The call ended before it was established: …" with Graph's resultInfo explained; the call is kept in the error. */
function endedError(graph: GraphClient, itemIndex: number, call: IDataObject): NodeOperationError {
	const resultInfo = (call.resultInfo ?? {}) as IDataObject;
	const code = resultInfo.code === undefined || resultInfo.code === null ? undefined : String(resultInfo.code);
	const meaning = code ? ENDED_MEANINGS[code] : undefined;
	const codes = code ? ` (resultInfo code ${code}, subcode ${String(resultInfo.subcode ?? 'none')})` : '';
	const graphSays = typeof resultInfo.message === 'string' && resultInfo.message ? `Graph says: ${resultInfo.message.trim().replace(/\.+$/, '')}. ` : '';
	const error = new NodeOperationError(graph.nodeRef, `The call ended before it was established${meaning ? `: ${meaning}` : ''}${codes}`, {
		itemIndex,
		description: `${graphSays}Call ID ${String(call.id ?? '')}.`,
	});
	error.context.call = call;
	return error;
}

async function readCall(graph: GraphClient, itemIndex: number, callId: string, last: IDataObject): Promise<IDataObject> {
	const read = await graph
		.request({ action: READ_CALL, method: 'GET', path: ['communications', 'calls', callId], itemIndex, idempotent: true })
		.then(
			(response) => response.body ?? {},
			(error: unknown) => error,
		);
	if (!(read instanceof Error)) return read as IDataObject;
	// Graph forgets a call soon after it ends: a 404 here means it ended before we saw it established.
	if (graphFailure(read).status === 404) throw endedError(graph, itemIndex, { ...last, state: 'terminated' });
	throw read;
}

/** Reads the call (GET) until it is established; terminated first or time up → an error naming the call. */
export async function waitUntilEstablished(graph: GraphClient, itemIndex: number, first: IDataObject, timeoutSeconds: number): Promise<IDataObject> {
	const callId = requireId(graph.nodeRef, itemIndex, 'Call ID (from Graph\'s answer)', first.id);
	const deadline = Date.now() + timeoutSeconds * 1000;
	let call = first;
	for (let poll = 0; stateOf(call) !== 'established'; poll++) {
		if (stateOf(call) === 'terminated') throw endedError(graph, itemIndex, call);
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(
				graph.nodeRef,
				`The call ${callId} was not established within ${timeoutSeconds} seconds (last state: ${stateOf(call)})`,
				{
					itemIndex,
					description:
						'It may still be waiting in the meeting\'s lobby. Raise "Wait Timeout", read it later with Get, or end it with Hang Up.',
				},
			);
		}
		await sleep(Math.min(remaining, POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)]));
		call = await readCall(graph, itemIndex, callId, call);
	}
	return call;
}
