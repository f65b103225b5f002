/**
 * POST …/subscribeToTone (call-subscribetotone.md): from now on the caller's keypresses are notified (the flag
 * call.toneSubscribed, read by notifications/callers.ts). Answers 200 with a completed subscribeToToneOperation and its
 * Location; an operation that is already completed gets no notification.
 */
import { callPath, graphError, type GraphAnswer, type RouteContext } from './calls';
import { isRecord, newGuid } from './httpUtil';
import { validateClientContext } from './inviteValidation';

export function subscribeToTone(ctx: RouteContext): GraphAnswer {
	if (ctx.body !== undefined && !isRecord(ctx.body)) return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
	const clientContext = ctx.body?.clientContext;
	const problem = validateClientContext(clientContext);
	if (problem) return graphError(400, 'BadRequest', problem);
	ctx.call.toneSubscribed = true;
	const id = newGuid();
	const resource: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.subscribeToToneOperation',
		id,
		status: 'completed',
		clientContext: clientContext ?? null,
		resultInfo: null,
	};
	ctx.state.operations.set(id, { callId: ctx.call.id, resource, participantIds: [] });
	return { status: 200, body: resource, headers: { location: `${callPath(ctx.graphUrl, ctx.call.id)}/operations/${id}` } };
}
