import { type IDataObject, type Logger, NodeOperationError } from 'n8n-workflow';

import { POLL_INTERVALS_MS } from '../../../shared/actions/inviteOutcome';
import { requireId } from '../../../shared/actions/validation';
import { graphFailure, type GraphClient } from '../../../shared/transport/graphClient';
import { HANG_UP, READ_CALL } from '../hints';

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

/** The one hang-up after Stop: a single attempt, bounded, whatever the run's signal says. */
const HANG_UP_AFTER_STOP_TIMEOUT_MS = 10_000;

/**
 * The run was stopped while a call it placed was still being established: that call is hung up (one DELETE, best
 * effort) so that the app does not stay in the meeting or its lobby unseen, and the server log names it. n8n keeps only
 * "The execution was cancelled manually" after Stop, so the log line is where its ID can be found.
 */
async function hangUpAtStop(graph: GraphClient, logger: Logger, itemIndex: number, callId: string): Promise<void> {
	const path = ['communications', 'calls', callId];
	const outcome = await graph
		.afterStop(1, HANG_UP_AFTER_STOP_TIMEOUT_MS)
		.request({ action: HANG_UP, method: 'DELETE', path, itemIndex, idempotent: true })
		.then(
			() => 'the call was hung up',
			(error: unknown) => `hanging it up failed (${error instanceof Error ? error.message : String(error)}); end it with Hang Up`,
		);
	logger.warn(`Teams Call: the run was stopped while waiting for call ${callId} to be established; ${outcome}`, { callId, itemIndex });
}

async function pollUntilEstablished(graph: GraphClient, itemIndex: number, callId: string, first: IDataObject, timeoutSeconds: number): Promise<IDataObject> {
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
		await graph.pause(Math.min(remaining, POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)]));
		if (graph.stopped) throw graph.stoppedError(itemIndex);
		call = await readCall(graph, itemIndex, callId, call);
	}
	return call;
}

/**
 * Reads the call (GET) until it is established; terminated first or time up → an error naming the call. The wait ends
 * at n8n's Stop, and the call is then hung up (see hangUpAtStop).
 */
export async function waitUntilEstablished(
	graph: GraphClient,
	logger: Logger,
	itemIndex: number,
	first: IDataObject,
	timeoutSeconds: number,
): Promise<IDataObject> {
	const callId = requireId(graph.nodeRef, itemIndex, 'Call ID (from Graph\'s answer)', first.id);
	const outcome = await pollUntilEstablished(graph, itemIndex, callId, first, timeoutSeconds).then(
		(call) => ({ call }),
		(error: unknown) => ({ error }),
	);
	if ('call' in outcome) return outcome.call;
	if (!graph.stopped) throw outcome.error;
	await hangUpAtStop(graph, logger, itemIndex, callId);
	throw graph.stoppedError(itemIndex);
}
