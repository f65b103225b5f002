/**
 * Media on an established call with service-hosted media: hear the caller's keys (subscribeToTone), send keys
 * (sendDtmfTones), record an answer (recordResponse) and cancel what plays or records (cancelMediaProcessing).
 * Each answers 200 with its operation and a Location; running ones end with an operation notification.
 */
import { type GraphAnswer, graphError, type RouteContext, callPath } from './calls';
import { bodyProblem, fields, promptProblem, startOperation } from './callControl';
import { newGuid } from './httpUtil';
import { addRecording, recordingLocation } from './recordings';
import type { EmulatorState, OperationRecord, ResultInfo } from './state';

export const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'];
export const MEDIA_CANCELLED: ResultInfo = { code: 400, subcode: 8519, message: 'The media operation was cancelled.' };
const RECORD_TIMERS = ['initialSilenceTimeoutInSeconds', 'maxSilenceTimeoutInSeconds', 'maxRecordDurationInSeconds'];

function notEstablished(ctx: RouteContext): GraphAnswer | undefined {
	if (ctx.call.state === 'established') return undefined;
	return graphError(400, 'BadRequest', `The call is ${ctx.call.state}: media operations need an established call.`);
}

/** An operation Graph answers as already completed: no notification follows. */
function completedOperation(ctx: RouteContext, type: string): GraphAnswer {
	const opId = newGuid();
	const resource: Record<string, unknown> = {
		'@odata.type': `#microsoft.graph.${type}`,
		id: opId,
		status: 'completed',
		clientContext: fields(ctx).clientContext ?? null,
		resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Success' },
	};
	ctx.state.operations.set(opId, { callId: ctx.call.id, resource, participantIds: [] });
	return { status: 200, body: resource, headers: { location: `${callPath(ctx.graphUrl, ctx.call.id)}/operations/${opId}` } };
}

/** POST …/subscribeToTone: from now on each key the caller presses is notified (toneInfo on the call). */
export function subscribeToTone(ctx: RouteContext): GraphAnswer {
	const refused = notEstablished(ctx);
	if (refused) return refused;
	const problem = bodyProblem(ctx);
	if (problem) return graphError(400, 'BadRequest', problem);
	ctx.call.toneSubscribed = true;
	return completedOperation(ctx, 'subscribeToToneOperation');
}

/** POST …/sendDtmfTones: tones (Graph's tone enum), delayBetweenTonesMs; completes with completionReason. */
export function sendDtmfTones(ctx: RouteContext): GraphAnswer {
	const refused = notEstablished(ctx);
	if (refused) return refused;
	const { tones, delayBetweenTonesMs, clientContext } = fields(ctx);
	const problem =
		bodyProblem(ctx) ??
		(!Array.isArray(tones) || tones.length === 0 || !tones.every((tone) => TONES.includes(tone as string))
			? `tones must be a non-empty list of ${TONES.join(', ')}.`
			: undefined) ??
		(delayBetweenTonesMs !== undefined && delayBetweenTonesMs !== null && (!Number.isInteger(delayBetweenTonesMs) || (delayBetweenTonesMs as number) < 0)
			? 'delayBetweenTonesMs must be a whole number of 0 or more.'
			: undefined);
	if (problem) return graphError(400, 'BadRequest', problem);
	return startOperation(ctx, 'sendDtmfTonesOperation', clientContext, 200, { completionReason: null }, (op) => {
		op.resource.completionReason = 'completedSuccessfully';
	});
}

function recordProblem(body: Record<string, unknown>): string | undefined {
	const { prompts, stopTones } = body;
	if (prompts !== undefined && prompts !== null) {
		if (!Array.isArray(prompts) || prompts.length > 1) return 'prompts may hold at most 1 mediaPrompt.';
		const problem = prompts.map((prompt, index) => promptProblem(prompt, `prompts[${index}]`)).find(Boolean);
		if (problem) return problem;
	}
	for (const flag of ['bargeInAllowed', 'playBeep']) {
		if (body[flag] !== undefined && body[flag] !== null && typeof body[flag] !== 'boolean') return `${flag} must be a boolean.`;
	}
	for (const timer of RECORD_TIMERS) {
		const value = body[timer];
		if (value !== undefined && value !== null && (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 120)) {
			return `${timer} must be a whole number of seconds from 1 to 120 (got ${JSON.stringify(value)}).`;
		}
	}
	if (stopTones !== undefined && stopTones !== null && (!Array.isArray(stopTones) || !stopTones.every((tone) => typeof tone === 'string'))) {
		return 'stopTones must be a list of strings.';
	}
	return undefined;
}

/** POST …/recordResponse: running, then completed with a recording (a WAV served at recordingLocation with its own token). */
export function recordResponse(ctx: RouteContext): GraphAnswer {
	const refused = notEstablished(ctx);
	if (refused) return refused;
	const problem = bodyProblem(ctx) ?? recordProblem(fields(ctx));
	if (problem) return graphError(400, 'BadRequest', problem);
	const { state, call, graphUrl } = ctx;
	// v1.0's recordOperation has no completionReason (beta's has): why it stopped is in resultInfo.
	const extra = { recordingLocation: null, recordingAccessToken: null };
	return startOperation(ctx, 'recordOperation', fields(ctx).clientContext, 200, extra, (op) => {
		const recording = addRecording(state.recordings, call.id);
		Object.assign(op.resource, {
			recordingLocation: recordingLocation(graphUrl, recording),
			recordingAccessToken: recording.accessToken,
		});
	});
}

/** Ends a running playPrompt or recordResponse as cancelled (a recording without a file), sendDtmfTones as completed but cancelled. */
function cancel(state: EmulatorState, op: OperationRecord): void {
	if (op.timer) clearTimeout(op.timer);
	const type = op.resource['@odata.type'];
	if (type === '#microsoft.graph.sendDtmfTonesOperation') {
		op.resource.completionReason = 'mediaOperationCanceled';
		state.finishOperation(op);
		return;
	}
	if (type === '#microsoft.graph.recordOperation') Object.assign(op.resource, { recordingLocation: '', recordingAccessToken: '' });
	state.finishOperation(op, MEDIA_CANCELLED);
}

const CANCELLABLE = new Set(['#microsoft.graph.playPromptOperation', '#microsoft.graph.recordOperation', '#microsoft.graph.sendDtmfTonesOperation']);

/** POST …/cancelMediaProcessing: cancels the call's running media operations (not the tone subscription). */
export function cancelMediaProcessing(ctx: RouteContext): GraphAnswer {
	const problem = bodyProblem(ctx);
	if (problem) return graphError(400, 'BadRequest', problem);
	for (const op of ctx.state.operations.values()) {
		if (op.callId === ctx.call.id && op.resource.status === 'running' && CANCELLABLE.has(op.resource['@odata.type'] as string)) cancel(ctx.state, op);
	}
	return completedOperation(ctx, 'cancelMediaProcessingOperation');
}
