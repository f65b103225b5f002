import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { router } from '../shared/actions/router';
import { operations } from './actions/operations';
import { testGraphAppCredential } from './methods';

export class TeamsCallRecord implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teams Call Record',
		name: 'teamsCallRecord',
		icon: { light: 'file:../../icons/teamsCall.svg', dark: 'file:../../icons/teamsCall.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { get: "Get call record", getMany: "Get many call records", getAttendance: "Get attendance", getPstnCalls: "Get PSTN calls", getDirectRoutingCalls: "Get Direct Routing calls" }[$parameter["operation"]] }}',
		description:
			'Read the records of Teams calls and meetings (who took part, when, from which device), their attendance, and the PSTN and Direct Routing call reports through Microsoft Graph',
		defaults: { name: 'Teams Call Record' },
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
					{ name: 'Get', value: 'get', description: 'Get a call record with its sessions and participants', action: 'Get a call record' },
					{ name: 'Get Attendance', value: 'getAttendance', description: 'Get who attended a call or meeting, when and for how long', action: 'Get attendance of a call record' },
					{ name: 'Get Direct Routing Calls', value: 'getDirectRoutingCalls', description: 'Get the Direct Routing call report for a time range', action: 'Get direct routing calls' },
					{ name: 'Get Many', value: 'getMany', description: 'List the call records of calls that started in a time range', action: 'Get many call records' },
					{ name: 'Get PSTN Calls', value: 'getPstnCalls', description: 'Get the PSTN (phone network) call report for a time range', action: 'Get PSTN calls' },
				],
				default: 'get',
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
