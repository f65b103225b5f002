/** The Graph call routes proper: state changes and resources (auth, faults and I/O live in graph.ts). */
import type { EmulatedCall, EmulatedParticipant } from './types';
import { type EmulatorState, type OperationRecord, type ResultInfo, SUCCESS } from './state';

export { SUCCESS };
import { callResource } from './callResource';
import { isRecord, newGuid } from './httpUtil';
import { identityIdOf, validateClientContext, validateInvite } from './inviteValidation';

export interface GraphAnswer {
	status: number;
	/** JSON body (undefined = empty body). */
	body?: unknown;
	headers?: Record<string, string>;
	/** Graph error to render (status + code + message). */
	error?: { code: string; message: string };
	/** A file instead of JSON (a recording). */
	raw?: { contentType: string; data: Buffer };
}

export interface RouteContext {
	state: EmulatorState;
	graphUrl: string;
	call: EmulatedCall;
	participantId?: string;
	operationId?: string;
	query: string;
	body: unknown;
}

export const CANCELLED: ResultInfo = { code: 487, subcode: 0, message: 'Invitation cancelled' };

export function graphError(status: number, code: string, message: string): GraphAnswer {
	return { status, error: { code, message } };
}

export function callPath(graphUrl: string, callId: string): string {
	return `${graphUrl}/v1.0/communications/calls/${encodeURIComponent(callId)}`;
}

export function participantResource(p: EmulatedParticipant): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.participant',
		id: p.id,
		info: { '@odata.type': '#microsoft.graph.participantInfo', ...p.info },
		isMuted: p.isMuted,
		isInLobby: p.isInLobby,
		mediaStreams: p.mediaStreams,
		metadata: p.metadata ?? null,
		recordingInfo: null,
		removedState: null,
		restrictedExperience: null,
	};
}

function participantNotFound(ctx: RouteContext): GraphAnswer {
	return graphError(404, 'itemNotFound', `Participant '${ctx.participantId ?? ''}' was not found in the call.`);
}

export function getCall(ctx: RouteContext): GraphAnswer {
	return { status: 200, body: callResource(ctx.call) };
}

export function listParticipants(ctx: RouteContext): GraphAnswer {
	const params = new URLSearchParams(ctx.query);
	const skiptoken = params.get('$skiptoken');
	let offset = 0;
	if (skiptoken !== null) {
		const match = /^p(\d+)$/.exec(Buffer.from(skiptoken, 'base64url').toString('utf8'));
		if (!match) return graphError(400, 'BadRequest', `Invalid $skiptoken '${skiptoken}'.`);
		offset = Number(match[1]);
	}
	const pageSize = Math.max(1, ctx.state.options.participantsPageSize);
	// The roster: people in the call. An invitee appears once they join (participant-delete.md: an invitation can be
	// cancelled "before participant is added to the roster").
	const all = [...ctx.call.participants.values()].filter((participant) => participant.joined !== false);
	const page = all.slice(offset, offset + pageSize).map(participantResource);
	const body: Record<string, unknown> = {
		'@odata.context': `${ctx.graphUrl}/v1.0/$metadata#communications/calls('${ctx.call.id}')/participants`,
	};
	if (offset + pageSize < all.length) {
		const next = Buffer.from(`p${offset + pageSize}`, 'utf8').toString('base64url');
		body['@odata.nextLink'] = `${callPath(ctx.graphUrl, ctx.call.id)}/participants?$skiptoken=${next}`;
	}
	body.value = page;
	return { status: 200, body };
}

export function getParticipant(ctx: RouteContext): GraphAnswer {
	const p = ctx.call.participants.get(ctx.participantId ?? '');
	if (!p) return participantNotFound(ctx);
	return { status: 200, body: participantResource(p) };
}

export function deleteParticipant(ctx: RouteContext): GraphAnswer {
	const p = ctx.call.participants.get(ctx.participantId ?? '');
	if (!p) return participantNotFound(ctx);
	ctx.call.participants.delete(p.id);
	if (p.joined) ctx.state.rosterChanged(ctx.call, 'deleted', [p]);
	if (!p.joined) {
		for (const op of ctx.state.operations.values()) {
			if (op.callId === ctx.call.id && op.participantIds.includes(p.id)) ctx.state.finishOperation(op, CANCELLED);
		}
	}
	return { status: 204 };
}

/** Ends a running invite: joins its participants, or fails those set by failInvitesFor. */
export function completeInvite(state: EmulatorState, op: OperationRecord): void {
	op.timer = undefined;
	const call = state.calls.get(op.callId);
	if (!call || call.state === 'terminated') return;
	let failure: ResultInfo | undefined;
	const joined: EmulatedParticipant[] = [];
	for (const id of op.participantIds) {
		const p = call.participants.get(id);
		if (!p || p.joined) continue;
		const identityId = identityIdOf(p.info.identity);
		const fail = identityId === undefined ? undefined : state.failInvites.get(identityId.toLowerCase());
		if (fail) {
			call.participants.delete(id);
			failure ??= fail;
		} else {
			p.joined = true;
			joined.push(p);
		}
	}
	state.rosterChanged(call, 'updated', joined);
	state.finishOperation(op, failure);
}

export function invite(ctx: RouteContext): GraphAnswer {
	const { state, call } = ctx;
	const context = isRecord(ctx.body) && typeof ctx.body.clientContext === 'string' ? ctx.body.clientContext : '';
	state.invitesByClientContext.set(context, (state.invitesByClientContext.get(context) ?? 0) + 1);
	const result = validateInvite(ctx.body, call);
	if ('error' in result) return graphError(400, 'BadRequest', result.error);
	const body = result.body;
	const opId = newGuid();
	const participantIds: string[] = [];
	for (const info of body.participants) {
		const id = typeof info.participantId === 'string' ? info.participantId : newGuid();
		participantIds.push(id);
		call.participants.set(id, {
			id,
			info: { identity: info.identity },
			isMuted: false,
			isInLobby: false,
			mediaStreams: [],
			joined: false,
		});
	}
	const resource: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
		id: opId,
		status: 'running',
		clientContext: body.clientContext ?? null,
		resultInfo: null,
		participants: body.participants.map((info) => ({ ...info, id: null })),
	};
	const op: OperationRecord = { callId: call.id, resource, participantIds };
	state.operations.set(opId, op);
	op.timer = setTimeout(() => completeInvite(state, op), state.options.inviteCompletionMs);
	op.timer.unref();
	return {
		status: 200,
		body: resource,
		headers: { location: `${callPath(ctx.graphUrl, call.id)}/operations/${opId}` },
	};
}

export function mute(ctx: RouteContext): GraphAnswer {
	const p = ctx.call.participants.get(ctx.participantId ?? '');
	if (!p) return participantNotFound(ctx);
	if (ctx.body !== undefined && !isRecord(ctx.body)) {
		return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
	}
	const clientContext = ctx.body?.clientContext;
	const contextError = validateClientContext(clientContext);
	if (contextError) return graphError(400, 'BadRequest', contextError);
	p.isMuted = true;
	ctx.state.rosterChanged(ctx.call, 'updated', [p]);
	const opId = newGuid();
	const resource: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.muteParticipantOperation',
		id: opId,
		status: 'completed',
		clientContext: clientContext ?? null,
		resultInfo: null,
	};
	ctx.state.operations.set(opId, { callId: ctx.call.id, resource, participantIds: [] });
	ctx.state.events.emit('operationFinished', { call: ctx.call, operation: resource });
	return {
		status: 200,
		body: resource,
		headers: { location: `${callPath(ctx.graphUrl, ctx.call.id)}/operations/${opId}` },
	};
}

export function getOperation(ctx: RouteContext): GraphAnswer {
	const op = ctx.state.operations.get(ctx.operationId ?? '');
	if (!op || op.callId !== ctx.call.id) {
		return graphError(404, 'itemNotFound', `Operation '${ctx.operationId ?? ''}' was not found.`);
	}
	return { status: 200, body: op.resource };
}
