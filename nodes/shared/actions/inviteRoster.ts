import type { IDataObject } from 'n8n-workflow';

import type { GraphClient } from '../transport/graphClient';
import type { GraphAction } from '../transport/graphErrors';
import { operationError } from '../transport/nodeErrors';
import { IDENTITY_SET_KEYS, participantIdentity } from './identity';
import { listParticipants } from './listParticipants';
import { pauseBefore } from './polling';

/**
 * Waiting for an invitation by the documented read: the call's roster (GET …/participants). Used when Graph refuses to
 * read the invitation's operation (GET …/operations/{id}, which no docs page documents): each invitee present in the
 * roster = completed; someone still missing when the time is up = not answered.
 */

export interface Invitee {
	/** The participantId the invitation gave, if any. */
	participantId?: string;
	/** The id of the invited identity (a user's object id, a phone number, …). */
	identityId?: string;
	/** How messages name them, e.g. "user 278405a3-…". */
	label: string;
}

/** What a roster fallback needs: the call, who was invited, and how a failed list is explained. */
export interface RosterFallback {
	callId: string;
	invitees: Invitee[];
	listAction: GraphAction;
}

/** The invitees of an invite body's participants (invitationParticipantInfo list). */
export function inviteesOf(participants: unknown): Invitee[] {
	return (Array.isArray(participants) ? participants : []).map((entry: IDataObject) => {
		const identity = (entry?.identity ?? {}) as IDataObject;
		const kind = IDENTITY_SET_KEYS.find((key) => identity[key]);
		const identityId = kind ? (identity[kind] as IDataObject).id : undefined;
		const participantId = typeof entry?.participantId === 'string' ? entry.participantId : undefined;
		return {
			participantId,
			identityId: typeof identityId === 'string' ? identityId : undefined,
			label: kind && typeof identityId === 'string' ? `${kind} ${identityId}` : `participant ${participantId ?? '(unnamed)'}`,
		};
	});
}

const same = (a: unknown, b: string | undefined) => typeof a === 'string' && b !== undefined && a.toLowerCase() === b.toLowerCase();

function inRoster(roster: IDataObject[], invitee: Invitee): boolean {
	return roster.some((participant) => same(participant.id, invitee.participantId) || same(participantIdentity(participant).who.id, invitee.identityId));
}

/** Reads the roster until every invitee is in it (the operation, completed) or the deadline passes (an error). */
export async function waitForInviteesInRoster(
	graph: GraphClient,
	itemIndex: number,
	fallback: RosterFallback,
	operation: IDataObject,
	deadline: number,
	timeoutSeconds: number,
): Promise<IDataObject> {
	for (let poll = 0; ; poll++) {
		const roster = await listParticipants(graph, itemIndex, fallback.callId, fallback.listAction);
		const missing = fallback.invitees.filter((invitee) => !inRoster(roster, invitee));
		if (missing.length === 0) return { ...operation, status: 'completed', resultInfo: null, confirmedBy: 'participants' };
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw operationError(
				graph.nodeRef,
				`The invitation was not answered within ${timeoutSeconds} seconds: ${missing.map((invitee) => invitee.label).join(', ')} did not join the call`,
				{
					itemIndex,
					description: `Graph refused to read the invitation's operation, so the call's participants were read instead. Raise "Wait Timeout", or list the participants later with Get Many. Operation ${String(operation.id ?? '')}.`,
				},
			);
		}
		await graph.pause(Math.min(remaining, pauseBefore(poll)));
		if (graph.stopped) throw graph.stoppedError(itemIndex);
	}
}
