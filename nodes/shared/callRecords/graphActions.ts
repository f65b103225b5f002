import type { GraphAction, GraphErrorAnswer } from '../transport/graphErrors';

/** What the call-record requests are called in their errors, with advice for a missing permission or record. */

const WHERE_TO_GRANT =
	'in the Microsoft Entra admin center: App registrations > this app > API permissions > Add a permission > Microsoft Graph > Application permissions, then "Grant admin consent". A new permission can take a few minutes to reach Graph.';

export const CALL_RECORDS_PERMISSION_HINT = `The app needs the application permission CallRecords.Read.All with admin consent. Grant it ${WHERE_TO_GRANT}`;

export const PSTN_PERMISSION_HINT = `The app needs the application permission CallRecords.Read.All (or CallRecord-PstnCalls.Read.All, which some of Microsoft's pages name for these reports) with admin consent. Grant it ${WHERE_TO_GRANT}`;

export const RECORD_NOT_FOUND_HINT =
	'Graph has no call record with this ID. Graph keeps call records for 30 days: an older record is gone (Graph answers 404). A record appears only after its call ends, usually within 15 to 60 minutes and at most about 150. Its ID is the call\'s callChainId (in the Teams Call node\'s output), or comes from Get Many or the Teams Call Record Trigger.';

function recordHint({ status }: GraphErrorAnswer): string | undefined {
	if (status === 403) return CALL_RECORDS_PERMISSION_HINT;
	if (status === 404) return RECORD_NOT_FOUND_HINT;
	return undefined;
}

export const GET_CALL_RECORD: GraphAction = { phrase: 'get the call record', permission: 'callRecord.get', hint: recordHint };
export const LIST_CALL_RECORD_SESSIONS: GraphAction = { phrase: 'list the sessions of the call record', permission: 'callRecord.get', hint: recordHint };
export const LIST_CALL_RECORD_PARTICIPANTS: GraphAction = { phrase: 'list the participants of the call record', permission: 'callRecord.get', hint: recordHint };
export const LIST_CALL_RECORDS: GraphAction = {
	phrase: 'list the call records',
	permission: 'callRecord.get',
	hint: ({ status }) => (status === 403 ? CALL_RECORDS_PERMISSION_HINT : undefined),
};

function reportAction(phrase: string): GraphAction {
	return { phrase, permission: 'callRecord.pstnCalls', hint: ({ status }) => (status === 403 ? PSTN_PERMISSION_HINT : undefined) };
}

export const GET_PSTN_CALLS = reportAction('get the PSTN calls');
export const GET_DIRECT_ROUTING_CALLS = reportAction('get the Direct Routing calls');
