import type { INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/actions/parameterReader';
import { requireId } from '../../shared/actions/validation';

/** Parameters the call-record operations share. Their names are public API: saved workflows depend on them. */

export function callRecordIdField(operation: string): INodeProperties {
	return {
		displayName: 'Call Record ID',
		name: 'callRecordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. e523d2ed-2966-4b6b-925b-754a88034cc5',
		description:
			"ID of the call record: a call's callChainId (the Teams Call node's output), or an ID from Get Many or the Teams Call Record Trigger. Graph keeps records for 30 days.",
		displayOptions: { show: { operation: [operation] } },
	};
}

export function callRecordIdOf(params: ParameterReader, itemIndex: number): string {
	return requireId(params.node, itemIndex, 'Call Record ID', params.value('callRecordId', itemIndex));
}

export function dateTimeField(operation: string, name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'dateTime',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-30T08:00:00Z',
		description,
		displayOptions: { show: { operation: [operation] } },
	};
}

/** Simplify (default on, n8n's convention): a flat summary instead of Graph's record. */
export function simplifyField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description,
		displayOptions: { show: { operation: [operation] } },
	};
}

/** Whether Simplify is on for an item (default on). */
export function simplifyOf(params: ParameterReader, itemIndex: number): boolean {
	return params.value('simplify', itemIndex, true) !== false;
}
