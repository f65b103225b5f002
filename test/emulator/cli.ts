/**
 * Runs the emulator as a standalone process (for the demo and manual tries): `npm run emulator`
 * (or `node test/emulator/cli.js`). Options from the environment:
 *   EMULATOR_GRAPH_LATENCY_MS, EMULATOR_TOKEN_LATENCY_MS, EMULATOR_INVITE_COMPLETION_MS, EMULATOR_CALL_ESTABLISH_MS,
 *   EMULATOR_OPERATION_COMPLETION_MS,
 *   EMULATOR_TOKEN_LIFETIME_SECONDS, EMULATOR_RATE_LIMIT_PER_SECOND, EMULATOR_PAGE_SIZE,
 *   EMULATOR_VERBOSE=1, EMULATOR_GRAPH_PORT, EMULATOR_ENTRA_PORT, EMULATOR_CA_FILE (where to write the CA PEM),
 *   EMULATOR_TOKEN_ROLES (comma-separated application permissions: tokens become JWTs carrying them, and Graph checks them).
 * It is a local fake: the client secret it prints is meant to be printed.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from './index';
import { seedDemoCallRecords } from './callRecords/demoRecords';
import type { EmulatedCall, EmulatedMeeting, EmulatedParticipant, Emulator, EmulatorOptions } from './types';

/** The meeting the examples and the demo join (its short link and ID are fixed; the classic link names the tenant). */
export const DEMO_MEETING = {
	joinMeetingId: '3141592653589',
	passcode: 'aBc123',
	threadId: '19:meeting_ZGVtby1tZWV0aW5nLXN0YW5kLXVw@thread.v2',
	organizerId: '5c4b3a29-1807-4f6e-9d8c-7b6a5f4e3d2c',
	attendees: [{ displayName: 'Megan Bowen' }, { displayName: 'Alex Wilber' }],
};

function numberFromEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got '${raw}').`);
	return value;
}

export function optionsFromEnv(): EmulatorOptions {
	return {
		graphLatencyMs: numberFromEnv('EMULATOR_GRAPH_LATENCY_MS'),
		tokenLatencyMs: numberFromEnv('EMULATOR_TOKEN_LATENCY_MS'),
		inviteCompletionMs: numberFromEnv('EMULATOR_INVITE_COMPLETION_MS'),
		callEstablishMs: numberFromEnv('EMULATOR_CALL_ESTABLISH_MS'),
		operationCompletionMs: numberFromEnv('EMULATOR_OPERATION_COMPLETION_MS'),
		tokenLifetimeSeconds: numberFromEnv('EMULATOR_TOKEN_LIFETIME_SECONDS'),
		rateLimitPerSecond: numberFromEnv('EMULATOR_RATE_LIMIT_PER_SECOND'),
		participantsPageSize: numberFromEnv('EMULATOR_PAGE_SIZE'),
		graphPort: numberFromEnv('EMULATOR_GRAPH_PORT'),
		entraPort: numberFromEnv('EMULATOR_ENTRA_PORT'),
		verbose: /^(1|true|yes)$/i.test(process.env.EMULATOR_VERBOSE ?? ''),
		tokenRoles: process.env.EMULATOR_TOKEN_ROLES?.split(',').map((role) => role.trim()).filter(Boolean) ?? null,
	};
}

/** Starts the emulator as the CLI does: options from the environment, a `demo-call`, a meeting, demo call records, its CA written to a file. */
export async function startFromEnv(
	caFilePrefix = 'teams-call-emulator-ca',
): Promise<{ emulator: Emulator; call: EmulatedCall; meeting: EmulatedMeeting; caFile: string }> {
	const emulator = await startEmulator(optionsFromEnv());
	const call = emulator.addCall({ id: 'demo-call' });
	const meeting = emulator.addMeeting(DEMO_MEETING);
	seedDemoCallRecords(emulator.callRecords);
	const caFile = process.env.EMULATOR_CA_FILE ?? join(tmpdir(), `${caFilePrefix}-${process.pid}.pem`);
	writeFileSync(caFile, emulator.caCertificatePem);
	return { emulator, call, meeting, caFile };
}

/** The display name of a participant's identity (user, phone, guest, …), as the participant list search shows it. */
function participantName(participant: EmulatedParticipant): string {
	const identities = Object.values(participant.info.identity) as Array<{ displayName?: unknown } | undefined>;
	return String(identities.find((identity) => typeof identity?.displayName === 'string')?.displayName ?? participant.id);
}

/** The KEY=VALUE lines a client reads to connect (the secret is a local fake's, printed on purpose). */
export function connectionLines(emulator: Emulator, call: EmulatedCall, caFile: string, meeting?: EmulatedMeeting): string[] {
	const meetingLines = meeting
		? [`JOIN_URL=${meeting.joinUrl}`, `SHORT_JOIN_URL=${meeting.shortUrl}`, `JOIN_MEETING_ID=${meeting.joinMeetingId}`, `PASSCODE=${meeting.passcode ?? ''}`]
		: [];
	return [
		`GRAPH_URL=${emulator.graphUrl}`,
		`AUTHORITY_HOST=${emulator.authorityHost}`,
		`TENANT_ID=${emulator.app.tenantId}`,
		`TENANT_DOMAIN=${emulator.app.tenantDomain}`,
		`CLIENT_ID=${emulator.app.clientId}`,
		`CLIENT_SECRET=${emulator.app.clientSecret}`,
		`CA_FILE=${caFile}`,
		`NOTIFICATION_OPENID_URL=${emulator.notificationOpenIdConfigUrl}`,
		`PLATFORM_URL=${emulator.platformUrl}`,
		`CALL_ID=${call.id}`,
		`PARTICIPANT_IDS=${[...call.participants.keys()].join(',')}`,
		`PARTICIPANT_NAMES=${[...call.participants.values()].map(participantName).join(',')}`,
		...meetingLines,
	];
}

/** On SIGINT or SIGTERM: run `beforeClose`, close the emulator once, and exit. */
export function closeOnSignal(emulator: Emulator, beforeClose?: () => void): void {
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		beforeClose?.();
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

export async function main(): Promise<void> {
	const { emulator, call, meeting, caFile } = await startFromEnv();
	const lines = [
		'Teams call emulator (local fake Entra + Graph; the secret below is printed on purpose)',
		...connectionLines(emulator, call, caFile, meeting),
		'Press Ctrl+C to stop.',
	];
	process.stdout.write(lines.join('\n') + '\n');
	closeOnSignal(emulator);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
