/**
 * Reads a Teams meeting join link. Two forms can be joined by an app:
 * - classic: https://teams.microsoft.com/l/meetup-join/{threadId}/{messageId}?context={"Tid":"…","Oid":"…"}
 *   (URL-encoded or not) → chatInfo + organizerMeetingInfo;
 * - short: https://teams.microsoft.com/meet/{joinMeetingId}?p={passcode} → joinMeetingIdMeetingInfo.
 * The same on the GCC High and DoD Teams hosts, and in the Teams web client's form, where the path and query sit in the
 * fragment: https://teams.microsoft.com/v2/?meetingjoin=true#/meet/{id}?p={passcode}&anon=true (or #/l/meetup-join/…).
 * Safe Links wrapping (Outlook's safelinks.protection…, and Teams chat's statics.teams.cdn.office.net/…/atp-safelinks.html)
 * is taken off first. Anything else is refused with the reason, before any request.
 */

export type JoinLink =
	| { form: 'classic'; threadId: string; messageId: string; tenantId: string; organizerId: string }
	| { form: 'short'; joinMeetingId: string; passcode: string | null };

export const TEAMS_HOSTS = ['teams.microsoft.com', 'gov.teams.microsoft.us', 'dod.teams.microsoft.us'];

export const ACCEPTED_LINKS =
	'a meeting link https://teams.microsoft.com/l/meetup-join/…?context=… or a short link https://teams.microsoft.com/meet/<meeting ID>?p=<passcode> (also on gov.teams.microsoft.us and dod.teams.microsoft.us, in the Teams web form …/v2/?meetingjoin=true#/meet/…, or wrapped by Safe Links in Outlook or a Teams chat)';

const OUTLOOK_SAFE_LINKS_HOST = /(^|\.)safelinks\.protection\.(outlook\.com|office365\.us)$/i;
/** Teams chat's Safe Links page: https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=… */
const TEAMS_SAFE_LINKS_HOST = /^statics(int)?\.teams\.cdn\.office\.net$/i;
const TEAMS_SAFE_LINKS_PAGE = /\/atp-safelinks\.html$/i;
/** The Teams web client's paths that carry the meeting's own path in the fragment (`#/meet/…`, `#/l/meetup-join/…`). */
const WEB_CLIENT_PATH = /^\/(v2\/?|_\/?)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const THREAD_ID = /^19:[^\s/?#]+@thread\.[a-z0-9]+$/i;
const MEETING_ID_TEXT = /^\d[\d\s]*$/;
const MEETING_ID = /^\d{6,20}$/;
const PASSCODE = /^[A-Za-z0-9]{1,32}$/;
/** Safe Links inside Safe Links happens when a wrapped link is forwarded; more than this is not a meeting link. */
const MAX_UNWRAP = 3;

export class JoinLinkError extends Error {}

function refuse(problem: string): never {
	throw new JoinLinkError(problem);
}

function shown(value: string): string {
	return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function decoded(value: string, what: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return refuse(`its ${what} is not valid URL encoding`);
	}
}

/** A meeting ID as Teams shows it ("123 456 789 012"): digits, spaces removed. Undefined when it is not one. */
export function meetingIdProblem(value: string): string | undefined {
	return MEETING_ID.test(value) ? undefined : 'must be the meeting\'s numeric ID (6 to 20 digits, spaces allowed), e.g. 123 456 789 012';
}

export function passcodeProblem(value: string): string | undefined {
	return PASSCODE.test(value) ? undefined : `${shown(value)} is not a meeting passcode (letters and digits only, at most 32), e.g. aBc123`;
}

function contextOf(url: URL): { Tid?: unknown; Oid?: unknown } {
	let context = url.searchParams.get('context');
	if (context === null) return refuse('has no ?context=… part (the organizer and tenant); copy the whole link from the meeting invitation');
	// A link that was encoded twice (forwarded through a mail gateway) still reads %7B… after one decoding.
	if (/^%7B/i.test(context)) context = decoded(context, 'context');
	try {
		const parsed = JSON.parse(context) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as { Tid?: unknown; Oid?: unknown };
	} catch {
		// refused below
	}
	return refuse('has a ?context=… part that is not the JSON Teams writes ({"Tid":"…","Oid":"…"})');
}

function classic(url: URL, segments: string[]): JoinLink {
	if (segments.length !== 4) return refuse('is not a whole meeting link: it needs /l/meetup-join/<thread ID>/<message ID>');
	const threadId = decoded(segments[2], 'thread ID');
	if (!THREAD_ID.test(threadId)) return refuse(`has ${shown(threadId)} where the meeting's thread ID (19:meeting_…@thread.v2) belongs`);
	const messageId = decoded(segments[3], 'message ID');
	if (!/^\d+$/.test(messageId)) return refuse(`has ${shown(messageId)} where the message ID (a number, usually 0) belongs`);
	const context = contextOf(url);
	const tenantId = typeof context.Tid === 'string' ? context.Tid : '';
	const organizerId = typeof context.Oid === 'string' ? context.Oid : '';
	if (!GUID.test(tenantId)) return refuse('has no tenant ID (a GUID in "Tid") in its ?context=… part');
	if (!GUID.test(organizerId)) return refuse('has no organizer ID (a GUID in "Oid") in its ?context=… part');
	return { form: 'classic', threadId, messageId, tenantId, organizerId };
}

function short(url: URL, segments: string[]): JoinLink {
	const joinMeetingId = segments.length === 2 ? decoded(segments[1], 'meeting ID') : '';
	if (!MEETING_ID.test(joinMeetingId)) return refuse(`has ${shown(joinMeetingId)} where the meeting ID (digits) belongs`);
	const passcode = url.searchParams.get('p');
	if (passcode !== null && passcodeProblem(passcode)) return refuse(`has a passcode (p=…) that ${passcodeProblem(passcode) ?? ''}`);
	return { form: 'short', joinMeetingId, passcode: passcode || null };
}

function isSafeLinks(url: URL): boolean {
	return OUTLOOK_SAFE_LINKS_HOST.test(url.hostname) || (TEAMS_SAFE_LINKS_HOST.test(url.hostname) && TEAMS_SAFE_LINKS_PAGE.test(url.pathname));
}

function unwrapped(raw: string): URL {
	let url = new URL(raw);
	for (let depth = 0; isSafeLinks(url); depth++) {
		const inner = url.searchParams.get('url');
		if (depth >= MAX_UNWRAP) refuse('is wrapped by Safe Links too many times');
		if (!inner || !URL.canParse(inner)) {
			refuse('is a Safe Links address without the original link in it (no url=…); copy the link from the meeting invitation itself');
		}
		url = new URL(inner);
	}
	return url;
}

/** The Teams web client's form (`…/v2/?meetingjoin=true#/meet/…`): the link the fragment holds, on the same host. */
function withoutWebClient(url: URL): URL {
	if (!WEB_CLIENT_PATH.test(url.pathname) || !url.hash.startsWith('#/')) return url;
	const inner = new URL(url.hash.slice(1), url.origin);
	// `#//other.host/…` would name another host: only a path on this one is taken.
	return inner.origin === url.origin ? inner : refuse(`is not a meeting join link (its fragment is ${shown(url.hash)})`);
}

/** The join link's meeting, or a JoinLinkError saying why it cannot be joined. */
export function parseJoinLink(value: string): JoinLink {
	const raw = value.trim();
	if (!raw) refuse('is empty');
	if (MEETING_ID_TEXT.test(raw)) refuse('holds a meeting ID, not a link: set "Join By" to "Meeting ID" and put it in "Meeting ID"');
	if (!URL.canParse(raw) || /\s/.test(raw)) refuse(`${shown(raw)} is not a link`);
	const url = unwrapped(raw);
	const host = url.hostname.toLowerCase();
	if (host === 'teams.live.com') {
		refuse('is a link to Teams (free) on teams.live.com: only meetings of a work or school tenant can be joined by an app');
	}
	if (!TEAMS_HOSTS.includes(host)) refuse(`is a link to ${host}, not to a Teams meeting`);
	if (url.protocol !== 'https:') refuse(`must use https:// (got ${url.protocol}//)`);
	const meeting = withoutWebClient(url);
	const segments = meeting.pathname.split('/').filter((segment) => segment !== '');
	if (segments[0] === 'l' && segments[1] === 'meetup-join') return classic(meeting, segments);
	if (segments[0] === 'meet') return short(meeting, segments);
	if (segments[0] === 'l' && segments[1] === 'chat') refuse('is a link to a chat, not to a meeting');
	return refuse(`is not a meeting join link (its path is ${shown(meeting === url ? url.pathname : `${url.pathname}${url.hash}`)})`);
}
