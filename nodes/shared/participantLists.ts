/**
 * The lists of people the package sends to Graph (Invite's participants, Create Call's and Redirect's targets): their labels in
 * the editor and in messages, and their key in Graph's body. Shared by the parameter descriptions and the body builders.
 */

/** How a list is named in messages and in the JSON body. */
export interface ParticipantList {
	/** The parameter's label, e.g. "Participants". */
	label: string;
	/** One entry's label, e.g. "Participant". */
	entry: string;
	/** The list's key in Graph's body (and in the JSON Body parameter). */
	jsonKey: string;
	/** "Graph … at most 5 at once", e.g. "invites". */
	verb: string;
	/** How many Graph takes at once (default MAX_INVITEES). */
	max?: number;
}

export const INVITE_PARTICIPANTS: ParticipantList = { label: 'Participants', entry: 'Participant', jsonKey: 'participants', verb: 'invites' };
export const CALL_TARGETS: ParticipantList = { label: 'Targets', entry: 'Target', jsonKey: 'targets', verb: 'calls' };
/** Redirect rings up to 25 targets at once; the first to answer gets the call. */
export const REDIRECT_TARGETS: ParticipantList = { label: 'Targets', entry: 'Target', jsonKey: 'targets', verb: 'redirects to', max: 25 };
