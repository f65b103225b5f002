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
			'={{ { invite: "Invite participants", remove: "Remove participant", get: "Get participant", getAll: "Get many participants", mute: "Mute participant", startHoldMusic: "Start hold music", stopHoldMusic: "Stop hold music" }[$parameter["operation"]] }}',
		description: 'Invite, remove, list, mute and hold the participants of Microsoft Teams calls through Microsoft Graph',
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
					{ name: 'Start Hold Music', value: 'startHoldMusic', description: 'Put a participant on hold with music', action: 'Start hold music for a participant' },
					{ name: 'Stop Hold Music', value: 'stopHoldMusic', description: 'Take a participant off hold', action: 'Stop hold music for a participant' },
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
