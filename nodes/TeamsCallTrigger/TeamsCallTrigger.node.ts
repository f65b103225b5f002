import {
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { testGraphAppCredential } from '../shared/methods/credentialTest';
import { handleNotification } from '../shared/notifications/notificationWebhook';

// There is nothing to register at a third party: the URL is handed to Graph in each call's callbackUri (or set once as
// the Azure Bot's calling webhook), so the trigger has no checkExists/create/delete, like n8n's own Webhook node.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class TeamsCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teams Call Trigger',
		name: 'teamsCallTrigger',
		icon: { light: 'file:../../icons/teamsCall.svg', dark: 'file:../../icons/teamsCall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when someone calls the bot, joins or leaves a Teams call the app owns, presses a key, or the call changes (verified notifications from Microsoft Graph)',
		defaults: { name: 'Teams Call Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'microsoftGraphAppApi', required: true, testedBy: 'testGraphAppCredential' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' }],
		properties: [
			{
				displayName:
					'Give this node\'s Production URL as the Callback URL of Teams Call (Join Meeting or Create Call), or as the calling webhook of the Azure Bot. Every notification\'s signature is checked: anything else gets 401 and starts nothing.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['participantJoined'],
				description: 'Which events start the workflow (one item per event)',
				options: [
					{ name: 'All (Every Notification, Raw)', value: 'all', description: 'Each notification as Graph sent it, repeats included' },
					{ name: 'Call Established', value: 'callEstablished', description: 'The bot is in the call' },
					{ name: 'Call Incoming', value: 'callIncoming', description: 'Someone calls the bot: answer, reject or redirect within 15 seconds' },
					{ name: 'Call State Changed', value: 'callStateChanged', description: 'The call went on hold, is being transferred or redirected, or came back (e.g. a failed transfer)' },
					{ name: 'Call Terminated', value: 'callTerminated', description: 'The call ended (or the bot left it)' },
					{ name: 'Operation Completed', value: 'operationCompleted', description: 'An invite, mute, hold music, prompt, recording or keypress sending completed or failed' },
					{ name: 'Participant Joined', value: 'participantJoined', description: 'Someone appeared in the call\'s roster for the first time' },
					{ name: 'Participant Left', value: 'participantLeft', description: 'Someone left or was removed' },
					{ name: 'Participants Updated', value: 'participantsUpdated', description: 'The roster changed: the roster as Graph sent it' },
					{ name: 'Tone Received', value: 'toneReceived', description: 'A caller pressed a key (once the bot subscribed to the call\'s tones): one item per key' },
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Call IDs',
						name: 'callIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. 491f0b00-ffff-4bc9-a43e-b226498ec22a',
						description: 'Only notifications of these calls (comma-separated); empty for every call',
					},
					{
						displayName: 'Include Lobby',
						name: 'includeLobby',
						type: 'boolean',
						default: false,
						description: 'Whether someone waiting in the lobby counts as joined (isInLobby is in the item either way)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { testGraphAppCredential },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleNotification.call(this);
	}
}
