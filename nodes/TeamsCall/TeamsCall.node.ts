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
			'={{ { join: "Join meeting", create: "Create call", get: "Get call", hangUp: "Hang up", keepAlive: "Keep call alive", playPrompt: "Play prompt" }[$parameter["operation"]] }}',
		description: 'Join Microsoft Teams meetings, call people, play prompts and hang up, as a calling bot through Microsoft Graph',
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
					{ name: 'Create Call', value: 'create', description: 'Call people, phone numbers or apps', action: 'Create a call' },
					{ name: 'Get', value: 'get', description: 'Get a call and its state', action: 'Get a call' },
					{ name: 'Hang Up', value: 'hangUp', description: 'Leave the call (a meeting goes on without the app)', action: 'Hang up a call' },
					{ name: 'Join Meeting', value: 'join', description: 'Join a Teams meeting by its link or meeting ID', action: 'Join a meeting' },
					{ name: 'Keep Alive', value: 'keepAlive', description: 'Tell Graph the call is still wanted (every 15 to 45 minutes)', action: 'Keep a call alive' },
					{ name: 'Play Prompt', value: 'playPrompt', description: 'Play a WAV file to everyone in the call', action: 'Play a prompt' },
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
