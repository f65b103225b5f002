/**
 * The call records the standalone emulator starts with (`npm run emulator`, the e2e): yesterday's two meetings, a
 * peer-to-peer call, and a month of PSTN calls for three users, so that examples/daily-attendance.workflow.json and
 * examples/pstn-minutes.workflow.json have something to read. Times are relative to the start of the emulator.
 */
import type { CallRecordStore } from './store';
import type { PersonSeed } from './types';

export const DEMO_PEOPLE = {
	megan: { id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso-emulator.onmicrosoft.com' },
	alex: { id: '5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f', displayName: 'Alex Wilber', userPrincipalName: 'alexw@contoso-emulator.onmicrosoft.com' },
	adele: { id: 'a7ebfb2d-871e-419c-87af-27290b22e8db', displayName: 'Adele Vance', userPrincipalName: 'adelev@contoso-emulator.onmicrosoft.com' },
} satisfies Record<string, PersonSeed>;

/** PSTN minutes per user in the demo month (what pstn-minutes.workflow.json must add up to). */
export const DEMO_PSTN_MINUTES: Record<string, number> = { 'adelev@contoso-emulator.onmicrosoft.com': 60, 'alexw@contoso-emulator.onmicrosoft.com': 40, 'meganb@contoso-emulator.onmicrosoft.com': 20 };

const MINUTE = 60_000;

export function seedDemoCallRecords(store: CallRecordStore, now = Date.now()): void {
	const { megan, alex, adele } = DEMO_PEOPLE;
	// 24 hours ago is "yesterday" in every time zone (the daily report reads yesterday's meetings).
	const yesterday = now - 24 * 3600_000;
	const at = (base: number, minutes: number) => new Date(base + minutes * MINUTE).toISOString();
	store.add({
		id: 'demo-record-standup',
		joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZGVtby1zdGFuZC11cA%40thread.v2/0',
		organizer: megan,
		participants: [megan, alex, adele],
		sessions: [
			{ caller: { ...megan, platform: 'windows', deviceName: 'MEGAN-LAPTOP' }, startDateTime: at(yesterday, 0), endDateTime: at(yesterday, 30) },
			{ caller: { ...alex, platform: 'macOS' }, startDateTime: at(yesterday, 2), endDateTime: at(yesterday, 20) },
			{ caller: { ...alex, platform: 'iOS' }, startDateTime: at(yesterday, 18), endDateTime: at(yesterday, 30) },
			{ caller: { ...adele, platform: 'web' }, startDateTime: at(yesterday, 5), endDateTime: at(yesterday, 25) },
		],
	});
	store.add({
		id: 'demo-record-review',
		joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZGVtby1yZXZpZXc%40thread.v2/0',
		organizer: adele,
		participants: [adele, megan],
		sessions: [
			{ caller: { ...adele, platform: 'windows' }, startDateTime: at(yesterday, 0.5), endDateTime: at(yesterday, 45) },
			{ caller: { ...megan, platform: 'android' }, startDateTime: at(yesterday, 10), endDateTime: at(yesterday, 40) },
		],
	});
	// Three days ago: not yesterday.
	store.add({ id: 'demo-record-p2p', sessions: [{ caller: alex, callee: megan, startDateTime: at(now - 3 * 24 * 3600_000, 0), endDateTime: at(now - 3 * 24 * 3600_000, 12) }] });

	// PSTN: over the last 25 days, calls of 5 minutes: Adele 12, Alex 8, Megan 4.
	const rows = [...Array(12).fill(adele), ...Array(8).fill(alex), ...Array(4).fill(megan)].map((person: PersonSeed, index) => ({
		startDateTime: at(now - (index + 1) * 24 * 3600_000, 0),
		duration: 300,
		userId: person.id,
		userDisplayName: person.displayName,
		userPrincipalName: person.userPrincipalName,
	}));
	store.addPstnCalls(rows);
}
