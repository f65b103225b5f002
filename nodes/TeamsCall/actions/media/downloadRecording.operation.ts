import type { IDataObject, INode } from 'n8n-workflow';

import { optionsOf } from '../../../shared/actions/itemParameters';
import { requireHttpsUrl } from '../../../shared/actions/urls';
import { inputError, requireId } from '../../../shared/actions/validation';
import { ItemWithBinary, type Operation, type OperationContext } from '../../../shared/actions/types';
import { optionsCollection } from '../../../shared/descriptions/common';
import { downloadRecording as fetchRecording } from '../../../shared/transport/recordingDownload';

const show = { show: { operation: ['downloadRecording'] } };
const MAX_TOKEN_LENGTH = 16_384;
const BINARY_PROPERTY = /^[A-Za-z0-9_\-.]{1,100}$/;

/** The token as given; never echoed in an error. */
function checkedToken(node: INode, itemIndex: number, value: unknown): string {
	if (typeof value !== 'string') throw inputError(node, itemIndex, 'Recording Access Token', `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	const token = value.trim();
	if (!token) throw inputError(node, itemIndex, 'Recording Access Token', 'is empty; map it from the recording\'s operationCompleted event (operation.recordingAccessToken)');
	if (token.length > MAX_TOKEN_LENGTH) throw inputError(node, itemIndex, 'Recording Access Token', `is longer than ${MAX_TOKEN_LENGTH} characters`);
	if (/[\s\u0000-\u001f\u007f]/.test(token)) throw inputError(node, itemIndex, 'Recording Access Token', 'contains spaces, line breaks or control characters; map the token alone');
	return token;
}

function checkedBinaryProperty(node: INode, itemIndex: number, value: unknown): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (!BINARY_PROPERTY.test(name)) {
		throw inputError(node, itemIndex, 'Put Output File in Field', `${JSON.stringify(String(value ?? '')).slice(0, 60)} is not a field name (letters, digits, - _ . up to 100), e.g. data`);
	}
	return name;
}

/**
 * GET recordingLocation with the recording's own access token: the caller's answer that Record Response recorded,
 * as a binary file (audio/wav). The app's Graph token is never sent there; the recording token only there.
 */
export const downloadRecording: Operation = {
	description: [
		{
			displayName: 'Recording Location',
			name: 'recordingLocation',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. {{ $json.operation.recordingLocation }}',
			description: 'The HTTPS URL of the recording, from the Record Response outcome (the trigger\'s operationCompleted event)',
			displayOptions: show,
		},
		{
			displayName: 'Recording Access Token',
			name: 'recordingAccessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The token that opens this recording, from the same event (not the app\'s credential)',
			displayOptions: show,
		},
		{
			displayName: 'Call ID',
			name: 'callId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2f1a0b00-6a1f-4b4e-9f6d-3c5e2f1a0b00',
			description: 'The call the recording comes from, to name the file (recording-[call ID].wav)',
			displayOptions: show,
		},
		optionsCollection('downloadRecording', [
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put the file in',
			},
		]),
	],

	async execute({ n8n, params, graph }: OperationContext, itemIndex: number): Promise<ItemWithBinary> {
		const { node } = params;
		const location = requireHttpsUrl(node, itemIndex, 'Recording Location', params.value('recordingLocation', itemIndex), 'https://…/recordings/…');
		const accessToken = checkedToken(node, itemIndex, params.value('recordingAccessToken', itemIndex));
		const rawCallId = params.value('callId', itemIndex);
		const callId = rawCallId === '' || rawCallId === undefined || rawCallId === null ? undefined : requireId(node, itemIndex, 'Call ID', rawCallId);
		const binaryProperty = checkedBinaryProperty(node, itemIndex, optionsOf(params, itemIndex).binaryPropertyName ?? 'data');
		const bytes = await fetchRecording({
			node,
			itemIndex,
			location,
			accessToken,
			caPem: graph.config.caCertificatePem,
			timeoutMs: graph.timeoutMs,
			signal: graph.signal,
		});
		const fileName = `recording-${callId ?? new Date().toISOString().replace(/[:.]/g, '-')}.wav`;
		const binary = await n8n.helpers.prepareBinaryData(bytes, fileName, 'audio/wav');
		const json: IDataObject = { fileName, mimeType: 'audio/wav', fileSize: bytes.length };
		if (callId) json.callId = callId;
		return new ItemWithBinary(json, { [binaryProperty]: binary });
	},
};
