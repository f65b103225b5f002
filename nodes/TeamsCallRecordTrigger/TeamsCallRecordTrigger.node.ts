import {
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { testGraphAppCredential } from '../shared/methods/credentialTest';
import { pollNewRecords, pollOptions } from './actions/pollNewRecords';

export class TeamsCallRecordTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teams Call Record Trigger',
		name: 'teamsCallRecordTrigger',
		icon: { light: 'file:../../icons/teamsCall.svg', dark: 'file:../../icons/teamsCall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New call records',
		description: 'Starts the workflow for each new record of a Teams call or meeting in the tenant (polls Microsoft Graph)',
		defaults: { name: 'Teams Call Record Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'microsoftGraphAppApi', required: true, testedBy: 'testGraphAppCredential' }],
		properties: [
			{
				displayName:
					'Graph writes a call\'s record only after the call ends, usually 15 to 60 minutes later and at most about 150. The app needs the application permission CallRecords.Read.All.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			pollOptions,
		],
	};

	methods = {
		credentialTest: { testGraphAppCredential },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNewRecords.call(this);
	}
}
