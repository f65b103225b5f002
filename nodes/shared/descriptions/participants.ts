import type { INodeProperties } from 'n8n-workflow';

import type { ParticipantList } from '../participantLists';

/**
 * The parameters that describe whom to invite or call (Invite's participants, Create Call's targets): the same
 * fields, and the same choice between fields and a raw JSON body.
 */

const userOnly = { show: { type: ['user'] } };

const participantValues: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Application', value: 'application', description: 'Another app (bot) by its application ID' },
			{ name: 'Application Instance', value: 'applicationInstance', description: 'A resource account, e.g. an auto attendant or call queue' },
			{ name: 'Guest', value: 'guest', description: 'A guest identity' },
			{ name: 'Phone', value: 'phone', description: 'A phone number (PSTN); the bot needs an application instance with a number' },
			{ name: 'User', value: 'user', description: 'A Microsoft Entra user by object ID' },
		],
		default: 'user',
	},
	{
		displayName: 'ID',
		name: 'id',
		type: 'string',
		default: '',
		placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064 or +12065550100',
		description: 'Entra object ID for a user, application ID for an app, or an E.164 number for a phone',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Adele Vance',
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 72f988bf-…',
		description: 'The user\'s tenant (a GUID), when it is not the app\'s own',
		displayOptions: userOnly,
	},
	{
		displayName: 'Identity Provider',
		name: 'identityProvider',
		type: 'string',
		default: 'AAD',
		description: 'Sent as the user identity\'s identityProvider, as in Graph\'s examples (leave AAD for Entra users)',
		displayOptions: userOnly,
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. a7ebfb2d-871e-419c-87af-27290b22e8db',
		description: 'An ID you choose for this participant, so that Remove can cancel the invitation before they answer',
	},
	{
		displayName: 'Replaces Call ID',
		name: 'replacesCallId',
		type: 'string',
		default: '',
		description: 'Move the participant here from this other call of the same app (exactly one participant)',
	},
	{
		displayName: 'Hidden',
		name: 'hidden',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is hidden from the roster',
	},
	{
		displayName: 'Remove From Default Audio Group',
		name: 'removeFromDefaultAudioRoutingGroup',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is left out of the default audio routing group (Graph: removeFromDefaultAudioRoutingGroup)',
	},
];

/** "Specify Body": the list from fields, or the raw Graph JSON. */
export function specifyBodyField(operation: string): INodeProperties {
	return {
		displayName: 'Specify Body',
		name: 'specifyBody',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
		displayOptions: { show: { operation: [operation] } },
	};
}

/** The list of people, numbers or apps, in fields mode (parameter name = the list's JSON key). */
export function participantListField(operation: string, list: ParticipantList, description: string): INodeProperties {
	return {
		displayName: list.label,
		name: list.jsonKey,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: list.max ?? 5 },
		placeholder: `Add ${list.entry}`,
		default: {},
		description,
		displayOptions: { show: { operation: [operation], specifyBody: ['fields'] } },
		options: [{ displayName: list.entry, name: list.entry.toLowerCase(), values: participantValues }],
	};
}

/** The raw JSON body, in JSON mode. */
export function jsonBodyField(operation: string, example: string, description: string): INodeProperties {
	return {
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: example,
		description,
		displayOptions: { show: { operation: [operation], specifyBody: ['json'] } },
	};
}

/** One person, number or app with the same fields as a list entry (Transfer's target), in fields mode. */
export function participantField(operation: string, name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		placeholder: `Add ${displayName}`,
		default: {},
		description,
		displayOptions: { show: { operation: [operation], specifyBody: ['fields'] } },
		options: [{ displayName: 'Target', name: 'target', values: participantValues }],
	};
}
