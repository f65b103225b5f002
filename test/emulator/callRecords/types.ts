/**
 * What tests seed into the emulator's call records (Graph's `microsoft.graph.callRecords.*`): records with their
 * sessions and participants, and the rows of the PSTN and Direct Routing reports.
 */

/** Someone (or something) in a call: becomes an identitySet / communicationsIdentitySet. */
export interface PersonSeed {
	id: string;
	displayName?: string;
	/** Which identity the set holds (default user). */
	kind?: 'user' | 'guest' | 'phone' | 'application' | 'applicationInstance';
	tenantId?: string;
	userPrincipalName?: string;
}

/** One end of a session: a person with their device, or Teams' own service (a meeting's server). */
export type EndpointSeed =
	| (PersonSeed & { platform?: string; productFamily?: string; deviceName?: string })
	| 'service';

export interface SessionSeed {
	id?: string;
	caller: EndpointSeed;
	/** Default: the service (a meeting); a person for a peer-to-peer call. */
	callee?: EndpointSeed;
	startDateTime: string;
	endDateTime: string;
	modalities?: string[];
	/** Segments in the session (default 1, spread evenly over it). */
	segments?: number;
	failureInfo?: { stage: string; reason: string };
}

export interface CallRecordSeed {
	/** Default: a new GUID (a call's callChainId). */
	id?: string;
	type?: 'groupCall' | 'peerToPeer' | 'unknown';
	modalities?: string[];
	joinWebUrl?: string | null;
	organizer?: PersonSeed;
	/** participants_v2 (default: every person found in the sessions, organizer first). */
	participants?: PersonSeed[];
	sessions: SessionSeed[];
	/** Default: the earliest session start / latest session end. */
	startDateTime?: string;
	endDateTime?: string;
	version?: number;
	/** When Graph makes the record visible (ms since epoch). Default: the store's delay after the call's end, or now. */
	availableAt?: number;
}

/** A row of getPstnCalls (pstnCallLogRow); unset fields get plausible values. */
export type PstnRowSeed = Partial<Record<string, unknown>> & { startDateTime: string };
/** A row of getDirectRoutingCalls (directRoutingLogRow). */
export type DirectRoutingRowSeed = Partial<Record<string, unknown>> & { startDateTime: string };

/** Application permissions of the emulated app that the call-record APIs look at. */
export const CALL_RECORDS_PERMISSION = 'CallRecords.Read.All';
export const PSTN_CALLS_PERMISSION = 'CallRecord-PstnCalls.Read.All';
