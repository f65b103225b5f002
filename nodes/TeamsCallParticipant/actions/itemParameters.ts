import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { requireId } from './validation';

/** Reads and checks the parameters that several operations share, for one item. */

export function callIdOf(n8n: IExecuteFunctions, itemIndex: number): string {
	return requireId(n8n.getNode(), itemIndex, 'Call ID', n8n.getNodeParameter('callId', itemIndex));
}

export function participantIdOf(n8n: IExecuteFunctions, itemIndex: number): string {
	const value = n8n.getNodeParameter('participantId', itemIndex, '', { extractValue: true });
	return requireId(n8n.getNode(), itemIndex, 'Participant', value);
}

export function optionsOf(n8n: IExecuteFunctions, itemIndex: number): IDataObject {
	return n8n.getNodeParameter('options', itemIndex, {}) as IDataObject;
}
