import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share. Their names are public API: saved workflows depend on them. */

export function callIdField(operations: string[]): INodeProperties {
	return {
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2f1a0b00-6a1f-4b4e-9f6d-3c5e2f1a0b00',
		description:
			'ID of a call that this app created or answered as a calling bot (Graph only knows calls of its own app)',
		displayOptions: { show: { operation: operations } },
	};
}

export function participantIdLocator(operations: string[]): INodeProperties {
	return {
		displayName: 'Participant',
		name: 'participantId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'id', value: '' },
		description: 'The participant of the call, as Graph identifies it in this call',
		displayOptions: { show: { operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a participant…',
				typeOptions: { searchListMethod: 'searchParticipants', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. a7ebfb2d-871e-419c-87af-27290b22e8db',
			},
		],
	};
}

export const MAX_CONCURRENCY_DEFAULT = 10;

/** "Max Concurrent Requests": offered on every operation, inside its Options collection. */
export const maxConcurrencyOption: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
	default: MAX_CONCURRENCY_DEFAULT,
	description:
		'How many items are sent to Graph at the same time (1 = strictly one after another). Read from the first item, for the whole run. Output order always follows input order.',
};

export const REQUEST_TIMEOUT_DEFAULT = 30;

/** "Request Timeout": how long one request may wait for Graph's answer. */
export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300, numberPrecision: 0 },
	default: REQUEST_TIMEOUT_DEFAULT,
	description:
		'Seconds to wait for Graph to answer one request (read from the first item, for the whole run). A request that is safe to repeat is then tried again; an invitation is not, since it may have reached Graph.',
};

export function optionsCollection(operation: string, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [...extra, maxConcurrencyOption, requestTimeoutOption].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** "Simplify", as n8n's own nodes offer it: a flat participant instead of Graph's nested object. */
export function simplifyField(operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			'Whether to return a flat version of each participant (ID, display name, identity type and ID, muted, in lobby) instead of the raw data',
		displayOptions: { show: { operation: operations } },
	};
}

/** "Client Context" of an operation whose outcome Graph reports later: left empty, a new UUID is sent and returned. */
export function clientContextField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Client Context',
		name: 'clientContext',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-4711 (left empty: a new UUID)',
		description:
			'Text of up to 256 characters that Graph returns with the operation. Left empty, a new UUID is used and returned in the output.',
		displayOptions: { show },
	};
}

/** "Return All" and "Limit", as n8n's own list operations offer them. */
export function returnAllFields(operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: { operation: [operation] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { operation: [operation], returnAll: [false] } },
		},
	];
}
