import type { INode, NodeOperationError } from 'n8n-workflow';

import { sendHttpForBytes, TransportError } from './httpClient';
import { pause } from './pause';
import { operationError } from './nodeErrors';
import { backoffMs } from './retryPolicy';

/**
 * GET recordingLocation with the recording's own access token (recordResponse hands both out). Nothing else goes
 * there: not the app's Graph token, not a redirect. The token never appears in an error: errors name the host only.
 */

export interface RecordingRequest {
	node: INode;
	itemIndex: number;
	/** An https URL, checked by the caller. */
	location: string;
	accessToken: string;
	caPem?: string;
	timeoutMs: number;
	signal?: AbortSignal;
}

/** Recordings last at most 2 minutes; this leaves room for any format Graph picks. */
export const MAX_RECORDING_BYTES = 50 * 1024 * 1024;
const ATTEMPTS = 3;

const WHY_REFUSED: Record<number, string> = {
	401: 'the recording access token was refused (it belongs to another recording, or has expired)',
	403: 'the recording access token was refused (it belongs to another recording, or has expired)',
	404: 'the recording is gone: Graph discards it shortly after the call ends',
	410: 'the recording is gone: Graph discards it shortly after the call ends',
};

function failed(request: RecordingRequest, problem: string): NodeOperationError {
	const host = new URL(request.location).host;
	return operationError(request.node, `Could not download the recording from ${host}: ${problem}`, {
		itemIndex: request.itemIndex,
		description:
			'Download it as soon as the recording\'s operationCompleted event arrives, with the Recording Location and Recording Access Token of that same event.',
	});
}

/** The recording's bytes; retried after a network failure or a 5xx (a GET changes nothing). */
export async function downloadRecording(request: RecordingRequest): Promise<Buffer> {
	for (let attempt = 1; ; attempt++) {
		const outcome = await sendHttpForBytes({
			method: 'GET',
			url: request.location,
			headers: { authorization: `Bearer ${request.accessToken}`, accept: '*/*' },
			timeoutMs: request.timeoutMs,
			maxBytes: MAX_RECORDING_BYTES,
			caPem: request.caPem,
			signal: request.signal,
		}).then(
			(response) => ({ response }),
			(error: unknown) => ({ error: error instanceof TransportError ? error : new TransportError('other', new URL(request.location).host, 'unexpected failure', true) }),
		);
		const retryable = 'error' in outcome ? !['tls', 'stopped', 'tooLarge'].includes(outcome.error.failure) : outcome.response.status >= 500;
		if (retryable && attempt < ATTEMPTS) {
			await pause(backoffMs(attempt), request.signal);
			continue;
		}
		if ('error' in outcome) throw failed(request, outcome.error.message);
		const { status, bytes } = outcome.response;
		if (status >= 200 && status < 300) return bytes;
		throw failed(request, `HTTP ${status}${WHY_REFUSED[status] ? `, ${WHY_REFUSED[status]}` : ''}`);
	}
}
