/** Routes on a call the app owns: hang up, keep alive, play a prompt, hold music for a participant. */
import { type GraphAnswer, graphError, callPath, type RouteContext } from './calls';
import type { OperationRecord } from './state';
import { isRecord, newGuid } from './httpUtil';
import { validateClientContext } from './inviteValidation';

const HUNG_UP = { code: 200, subcode: 0, message: 'The application hung up the call.' };

/** DELETE /communications/calls/{id}: the app leaves; the call is terminated. */
export function deleteCall(ctx: RouteContext): GraphAnswer {
	ctx.state.setCallState(ctx.call, 'terminated', HUNG_UP);
	for (const op of ctx.state.operations.values()) {
		if (op.callId === ctx.call.id && op.timer) {
			clearTimeout(op.timer);
			op.timer = undefined;
		}
	}
	return { status: 204 };
}

/** POST …/keepAlive: 200, empty (an ended call never gets here: 404 8522). */
export function keepAlive(ctx: RouteContext): GraphAnswer {
	if (ctx.body !== undefined && !isRecord(ctx.body)) return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
	return { status: 200 };
}

/** A mediaPrompt's problem, or undefined: an https .wav URI. */
export function promptProblem(prompt: unknown, where: string): string | undefined {
	const media = isRecord(prompt) && isRecord(prompt.mediaInfo) ? prompt.mediaInfo : undefined;
	if (!isRecord(prompt) || prompt['@odata.type'] !== '#microsoft.graph.mediaPrompt' || !media) {
		return `${where} must be a #microsoft.graph.mediaPrompt with mediaInfo.`;
	}
	const uri = media.uri;
	if (typeof uri !== 'string' || !URL.canParse(uri) || new URL(uri).protocol !== 'https:') return `${where}.mediaInfo.uri must be an https URL.`;
	if (!/\.wav$/i.test(new URL(uri).pathname)) return `${where}.mediaInfo.uri must name a .wav file.`;
	return undefined;
}

/**
 * A running operation (with the type's own fields in `extra`) that completes after operationCompletionMs;
 * `beforeFinish` fills in what the completed operation carries (a recording, a completion reason).
 */
export function startOperation(
	ctx: RouteContext,
	type: string,
	clientContext: unknown,
	status: number,
	extra: Record<string, unknown> = {},
	beforeFinish?: (op: OperationRecord) => void,
): GraphAnswer {
	const { state, call } = ctx;
	const opId = newGuid();
	const resource: Record<string, unknown> = {
		'@odata.type': `#microsoft.graph.${type}`,
		id: opId,
		status: 'running',
		clientContext: clientContext ?? null,
		resultInfo: null,
		...extra,
	};
	const op: OperationRecord = { callId: call.id, resource, participantIds: [] };
	state.operations.set(opId, op);
	op.timer = state.schedule(state.options.operationCompletionMs, () => {
		if (op.resource.status === 'running') beforeFinish?.(op);
		state.finishOperation(op);
	});
	return { status, body: resource, headers: { location: `${callPath(ctx.graphUrl, call.id)}/operations/${opId}` } };
}

/** The request's JSON object (an empty one for no body). */
export function fields(ctx: RouteContext): Record<string, unknown> {
	return isRecord(ctx.body) ? ctx.body : {};
}

export function bodyProblem(ctx: RouteContext): string | undefined {
	if (ctx.body !== undefined && !isRecord(ctx.body)) return 'The request body must be a JSON object.';
	return validateClientContext(fields(ctx).clientContext);
}

/** POST …/playPrompt: 1 to 20 prompts → 200 + a running playPromptOperation. */
export function playPrompt(ctx: RouteContext): GraphAnswer {
	const problem = bodyProblem(ctx);
	if (problem) return graphError(400, 'BadRequest', problem);
	const prompts = fields(ctx).prompts;
	if (!Array.isArray(prompts) || prompts.length < 1 || prompts.length > 20) {
		return graphError(400, 'BadRequest', "'prompts' must hold between 1 and 20 mediaPrompt items.");
	}
	const promptError = prompts.map((prompt, index) => promptProblem(prompt, `prompts[${index}]`)).find(Boolean);
	if (promptError) return graphError(400, 'BadRequest', promptError);
	return startOperation(ctx, 'playPromptOperation', fields(ctx).clientContext, 200);
}

/** POST …/participants/{id}/startHoldMusic | stopHoldMusic → 202 + an operation; one participant on hold at a time. */
export function holdMusic(start: boolean): (ctx: RouteContext) => GraphAnswer {
	return (ctx) => {
		const participant = ctx.call.participants.get(ctx.participantId ?? '');
		if (!participant) return graphError(404, 'itemNotFound', `Participant '${ctx.participantId ?? ''}' was not found in the call.`);
		const { customPrompt, clientContext } = fields(ctx);
		const problem = bodyProblem(ctx) ?? (start && customPrompt !== undefined ? promptProblem(customPrompt, 'customPrompt') : undefined);
		if (problem) return graphError(400, 'BadRequest', problem);
		const holding = [...ctx.call.participants.values()].find((p) => p.onHold && p.id !== participant.id);
		if (start && holding) return graphError(400, 'BadRequest', `Participant '${holding.id}' is already on hold; only one participant can be on hold at a time.`);
		participant.onHold = start;
		ctx.state.rosterChanged(ctx.call, 'updated', [participant]);
		return startOperation(ctx, start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation', clientContext, 202);
	};
}
