/**
 * What the app does with a call that rings (state `incoming`): answer, reject or redirect it. Each answers 202 with
 * no body; the outcome comes as call-state notifications (answer: establishing → established; reject: the call is
 * deleted; redirect: terminated once a target picks up).
 */
import { type GraphAnswer, graphError, type RouteContext } from './calls';
import { fields, bodyProblem } from './callControl';
import { callerIdentity } from './incomingCall';
import { identityIdOf, validateInvitees } from './inviteValidation';
import { callbackProblem, mediaProblem } from './newCall';
import type { ResultInfo } from './state';

const REJECT_REASONS = ['none', 'busy', 'forbidden'];
export const MAX_REDIRECT_TARGETS = 25;
const REDIRECTED: ResultInfo = { code: 200, subcode: 0, message: 'The call was redirected.' };

function notRinging(ctx: RouteContext, action: string): GraphAnswer | undefined {
	if (ctx.call.state === 'incoming') return undefined;
	return graphError(400, 'BadRequest', `Cannot ${action} the call: it is ${ctx.call.state}, not incoming.`);
}

/** An optional callbackUri: checked, and where the call's notifications go from now on. */
function optionalCallback(ctx: RouteContext): string | undefined {
	const { callbackUri } = fields(ctx);
	if (callbackUri === undefined || callbackUri === null) return undefined;
	const problem = callbackProblem(callbackUri);
	if (problem) return problem;
	ctx.call.callbackUri = callbackUri as string;
	return undefined;
}

/** POST …/answer: the bot takes the call; establishing at once, established (caller and bot in the roster) after callEstablishMs. */
export function answer(ctx: RouteContext): GraphAnswer {
	const refused = notRinging(ctx, 'answer');
	if (refused) return refused;
	const body = fields(ctx);
	const problem =
		bodyProblem(ctx) ??
		callbackProblem(body.callbackUri) ??
		mediaProblem(body.mediaConfig, body.acceptedModalities, 'acceptedModalities') ??
		(body.participantCapacity !== undefined && !Number.isInteger(body.participantCapacity) ? 'participantCapacity must be an integer.' : undefined);
	if (problem) return graphError(400, 'BadRequest', problem);
	const { state, call } = ctx;
	call.callbackUri = body.callbackUri as string;
	state.setCallState(call, 'establishing');
	state.schedule(state.options.callEstablishMs, () => {
		if (call.state !== 'establishing') return;
		for (const participant of call.participants.values()) participant.joined = true;
		// A call placed by a caller (/control/incomingCall) has them in its roster already: one caller, not two.
		const sourceId = (call.details?.source as { participantId?: string } | undefined)?.participantId;
		if (!sourceId || !call.participants.has(sourceId)) {
			const caller = state.newParticipant({ info: { identity: callerIdentity(call) ?? {} } }, 0);
			call.participants.set(caller.id, caller);
		}
		state.setCallState(call, 'established');
		state.rosterChanged(call, 'updated', [...call.participants.values()]);
	});
	return { status: 202 };
}

/** POST …/reject: reason none | busy | forbidden; the call is then deleted. */
export function reject(ctx: RouteContext): GraphAnswer {
	const refused = notRinging(ctx, 'reject');
	if (refused) return refused;
	const { reason } = fields(ctx);
	const problem =
		bodyProblem(ctx) ??
		(reason !== undefined && reason !== null && !REJECT_REASONS.includes(reason as string)
			? `reason must be one of ${REJECT_REASONS.join(', ')} (got ${JSON.stringify(reason)}).`
			: undefined) ??
		optionalCallback(ctx);
	if (problem) return graphError(400, 'BadRequest', problem);
	const { state, call } = ctx;
	const why = typeof reason === 'string' ? reason : 'none';
	state.schedule(0, () => state.setCallState(call, 'terminated', { code: 603, subcode: 0, message: `The application rejected the call (reason: ${why}).` }));
	return { status: 202 };
}

/** POST …/redirect: 1 to 25 targets (ring at once), timeout 15–90 s; redirecting, then terminated. */
export function redirect(ctx: RouteContext): GraphAnswer {
	const refused = notRinging(ctx, 'redirect');
	if (refused) return refused;
	const { targets, timeout } = fields(ctx);
	const problem =
		bodyProblem(ctx) ??
		validateInvitees(targets, 'targets', undefined, MAX_REDIRECT_TARGETS) ??
		(timeout !== undefined && timeout !== null && (!Number.isInteger(timeout) || (timeout as number) < 15 || (timeout as number) > 90)
			? `timeout must be a whole number of seconds from 15 to 90 (got ${JSON.stringify(timeout)}).`
			: undefined) ??
		optionalCallback(ctx);
	if (problem) return graphError(400, 'BadRequest', problem);
	const { state, call } = ctx;
	state.setCallState(call, 'redirecting');
	const failure = (targets as Array<{ identity: unknown }>)
		.map((target) => identityIdOf(target.identity))
		.map((id) => (id === undefined ? undefined : state.failInvites.get(id.toLowerCase())))
		.find(Boolean);
	state.schedule(state.options.callEstablishMs, () => state.setCallState(call, 'terminated', failure ?? REDIRECTED));
	return { status: 202 };
}
