/**
 * POST /communications/calls/{id}/transfer: the app hands an established call to someone else. 202, then call-state
 * notifications: transferring → transferAccepted → terminated (resultInfo code 0) on success; on failure (a target
 * set to fail by failInvitesFor) the call goes back to established with resultInfo code 500.
 */
import { type GraphAnswer, graphError, type RouteContext } from './calls';
import { bodyProblem, fields } from './callControl';
import { isRecord } from './httpUtil';
import { identityIdOf, validateInvitees } from './inviteValidation';
import type { ResultInfo } from './state';

export const TRANSFERRED: ResultInfo = { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' };
export const TRANSFER_FAILED: ResultInfo = { code: 500, subcode: 7700, message: 'The transfer target did not accept the call.' };

function transfereeProblem(ctx: RouteContext, transferee: unknown): string | undefined {
	const joined = [...ctx.call.participants.values()].filter((p) => p.joined !== false).length;
	if (transferee === undefined || transferee === null) {
		return joined > 2 ? 'transferee is required when transferring from a group call.' : undefined;
	}
	if (!isRecord(transferee) || !isRecord(transferee.identity)) return 'transferee must be a participantInfo with an identity.';
	if (transferee.participantId !== undefined && typeof transferee.participantId !== 'string') return 'transferee.participantId must be a string.';
	return undefined;
}

export function transfer(ctx: RouteContext): GraphAnswer {
	const { state, call } = ctx;
	if (call.state !== 'established') return graphError(400, 'BadRequest', `Cannot transfer the call: it is ${call.state}, not established.`);
	const { transferTarget, transferee } = fields(ctx);
	const problem =
		bodyProblem(ctx) ??
		(isRecord(transferTarget) ? validateInvitees([transferTarget], 'transferTarget', undefined, 1) : 'transferTarget is required (an invitationParticipantInfo).') ??
		transfereeProblem(ctx, transferee);
	if (problem) return graphError(400, 'BadRequest', problem);
	const targetId = identityIdOf((transferTarget as { identity: unknown }).identity);
	const failure = targetId === undefined ? undefined : state.failInvites.get(targetId.toLowerCase());
	const step = state.options.operationCompletionMs / 2;
	state.setCallState(call, 'transferring');
	state.schedule(step, () => {
		if (call.state !== 'transferring') return;
		state.setCallState(call, 'transferAccepted');
		state.schedule(step, () => {
			if (call.state !== 'transferAccepted') return;
			state.setCallState(call, failure ? 'established' : 'terminated', failure ? { ...TRANSFER_FAILED } : TRANSFERRED);
		});
	});
	return { status: 202 };
}
