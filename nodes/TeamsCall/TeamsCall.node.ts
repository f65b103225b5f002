import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { operations } from './actions/operations';
import { router } from '../shared/actions/router';
import { testGraphAppCredential } from './methods';

export class TeamsCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teams Call',
		name: 'teamsCall',
		icon: { light: 'file:../../icons/teamsCall.svg', dark: 'file:../../icons/teamsCall.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { join: "Join meeting", create: "Create call", get: "Get call", hangUp: "Hang up", keepAlive: "Keep call alive", playPrompt: "Play prompt", answer: "Answer call", reject: "Reject call", redirect: "Redirect call", transfer: "Transfer call", subscribeToTone: "Subscribe to keys", sendDtmfTones: "Send keys", recordResponse: "Record answer", cancelMediaProcessing: "Cancel media", downloadRecording: "Download recording" }[$parameter["operation"]] }}',
		description:
			'Join Microsoft Teams meetings, call people, answer, reject, redirect and transfer calls, play prompts, hear and send keys, record answers and hang up, as a calling bot through Microsoft Graph',
		defaults: { name: 'Teams Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'microsoftGraphAppApi', required: true, testedBy: 'testGraphAppCredential' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Answer', value: 'answer', description: 'Answer a call made to the bot (within 15 seconds; see README for the permission)', action: 'Answer a call' },
					{
						name: 'Cancel Media Processing',
						value: 'cancelMediaProcessing',
						description: 'Stop the prompts and recordings playing or queued (Calls.Initiate.All)',
						action: 'Cancel media processing',
					},
					{ name: 'Create Call', value: 'create', description: 'Call people, phone numbers or apps', action: 'Create a call' },
					{
						name: 'Download Recording',
						value: 'downloadRecording',
						description: 'Get the file Record Response recorded, as binary audio/wav (with its own token)',
						action: 'Download a recording',
					},
					{ name: 'Get', value: 'get', description: 'Get a call and its state', action: 'Get a call' },
					{ name: 'Hang Up', value: 'hangUp', description: 'Leave the call (a meeting goes on without the app)', action: 'Hang up a call' },
					{ name: 'Join Meeting', value: 'join', description: 'Join a Teams meeting by its link or meeting ID', action: 'Join a meeting' },
					{ name: 'Keep Alive', value: 'keepAlive', description: 'Tell Graph the call is still wanted (every 15 to 45 minutes)', action: 'Keep a call alive' },
					{ name: 'Play Prompt', value: 'playPrompt', description: 'Play a WAV file to everyone in the call', action: 'Play a prompt' },
					{ name: 'Record Response', value: 'recordResponse', description: 'Record what the caller says, up to 2 minutes (Calls.AccessMedia.All)', action: 'Record a response' },
					{ name: 'Redirect', value: 'redirect', description: 'Send a call made to the bot to up to 25 others, unanswered (Calls.Initiate.All)', action: 'Redirect a call' },
					{ name: 'Reject', value: 'reject', description: 'Decline a call made to the bot (no permission documented)', action: 'Reject a call' },
					{ name: 'Send DTMF Tones', value: 'sendDtmfTones', description: 'Press keys in the call, e.g. 123# (Calls.Initiate.All)', action: 'Send DTMF tones' },
					{
						name: 'Subscribe to Tones',
						value: 'subscribeToTone',
						description: 'Hear the keys the caller presses, on the trigger (Calls.AccessMedia.All)',
						action: 'Subscribe to tones',
					},
					{ name: 'Transfer', value: 'transfer', description: 'Hand the call to someone else (Calls.Initiate.All)', action: 'Transfer a call' },
				],
				default: 'join',
			},
			...Object.values(operations).flatMap((operation) => operation.description),
		],
	};

	methods = {
		credentialTest: { testGraphAppCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, operations);
	}
}
