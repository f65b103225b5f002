/**
 * What recordResponse leaves behind: a small WAV the emulator makes (16 kHz, 16-bit, mono PCM, a valid RIFF header),
 * kept under a random id with its own access token, and served at the operation's recordingLocation only to a request
 * that presents that token (Graph's token is refused there, as any other).
 */
import { randomBytes } from 'node:crypto';

import type { GraphAnswer } from './calls';
import { newGuid } from './httpUtil';

export interface Recording {
	id: string;
	callId: string;
	/** The recordingAccessToken Graph hands out with the recordOperation. */
	accessToken: string;
	/** The WAV file, byte for byte what the location serves. */
	wav: Buffer;
}

/** Where recordings are served on the emulator's Graph host (outside /v1.0: Graph's own location is another service). */
export const RECORDINGS_PATH = '/media/recordings/';

const SAMPLE_RATE = 16_000;

/** A RIFF/WAVE file of `seconds` of a quiet 440 Hz tone, 16 kHz, 16-bit, mono. */
export function makeWav(seconds = 0.25): Buffer {
	const samples = Math.round(SAMPLE_RATE * seconds);
	const data = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)), i * 2);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // PCM fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(SAMPLE_RATE, 24);
	header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
	header.writeUInt16LE(2, 32); // block align
	header.writeUInt16LE(16, 34); // bits per sample
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

/** A new recording of this call, kept (and served) until the emulator is reset. */
export function addRecording(recordings: Map<string, Recording>, callId: string): Recording {
	const recording = { id: newGuid(), callId, accessToken: `rec.${randomBytes(24).toString('base64url')}`, wav: makeWav() };
	recordings.set(recording.id, recording);
	return recording;
}

export function recordingLocation(graphUrl: string, recording: Recording): string {
	return `${graphUrl}${RECORDINGS_PATH}${recording.id}`;
}

/** GET recordingLocation: the WAV for its own token; 401 without it or with any other (a Graph token included). */
export function serveRecording(recordings: ReadonlyMap<string, Recording>, id: string, presented: string | undefined): GraphAnswer {
	const recording = recordings.get(id);
	if (!recording) return { status: 404, error: { code: 'NotFound', message: 'The recording was not found or has been discarded.' } };
	if (presented !== recording.accessToken) {
		return { status: 401, error: { code: 'Unauthorized', message: 'The recording access token is missing or not valid for this recording.' } };
	}
	return { status: 200, raw: { contentType: 'application/octet-stream', data: recording.wav } };
}
