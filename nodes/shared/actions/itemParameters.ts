import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { ParameterReader } from './parameterReader';
import { jsonBodyObject } from './inviteBody';
import { checkClientContext, requireId } from './validation';

/** Reads and checks the parameters that several operations share, for one item. */

export function callIdOf(params: ParameterReader, itemIndex: number): string {
	return requireId(params.node, itemIndex, 'Call ID', params.value('callId', itemIndex));
}

export function participantIdOf(params: ParameterReader, itemIndex: number): string {
	return requireId(params.node, itemIndex, 'Participant', params.value('participantId', itemIndex));
}

export function optionsOf(params: ParameterReader, itemIndex: number): IDataObject {
	return params.value('options', itemIndex, {}) as IDataObject;
}

/** "Client Context", checked; left empty, a new UUID (returned in the output, so that notifications can be matched). */
export function clientContextOf(params: ParameterReader, itemIndex: number): string {
	return checkClientContext(params.node, itemIndex, params.value('clientContext', itemIndex)) ?? randomUUID();
}

/**
 * With "Specify Body" set to JSON, the "JSON Body" parameter as an object (`example` shows the shape in the error when
 * it is not one); with fields (the default), undefined.
 */
export function chosenJsonBody(params: ParameterReader, itemIndex: number, example: string): IDataObject | undefined {
	if (params.value('specifyBody', itemIndex, 'fields') !== 'json') return undefined;
	return jsonBodyObject(params.node, itemIndex, params.value('jsonBody', itemIndex), example);
}
