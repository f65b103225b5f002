import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { operations } from './actions/operations';
import { router } from '../shared/actions/router';
import { searchParticipants, testGraphAppCredential } from './methods';

export class TeamsCallParticipant implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teams Call Participant',
		name: 'teamsCallParticipant',
		icon: { light: 'file:../../icons/teamsCall.svg', dark: 'file:../../icons/teamsCall.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { invite: "Invite", remove: "Remove", get: "Get", getAll: "Get Many", mute: "Mute" }[$parameter["operation"]] + " participant" + ($parameter["operation"] === "get" || $parameter["operation"] === "remove" || $parameter["operation"] === "mute" ? "" : "s") }}',
		description: 'Invite, remove, list and mute the participants of Microsoft Teams calls through Microsoft Graph',
		defaults: { name: 'Teams Call Participant' },
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
					{ name: 'Get', value: 'get', description: 'Get a participant of a call', action: 'Get a participant' },
					{ name: 'Get Many', value: 'getAll', description: 'List the participants of a call', action: 'Get many participants' },
					{ name: 'Invite', value: 'invite', description: 'Invite people, phone numbers or apps into a call', action: 'Invite participants' },
					{ name: 'Mute', value: 'mute', description: 'Mute a participant of a group call', action: 'Mute a participant' },
					{ name: 'Remove', value: 'remove', description: 'Drop a participant, or cancel their pending invitation', action: 'Remove a participant' },
				],
				default: 'invite',
			},
			...Object.values(operations).flatMap((operation) => operation.description),
		],
	};

	methods = {
		listSearch: { searchParticipants },
		credentialTest: { testGraphAppCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, operations);
	}
}
