import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { MAX_CONCURRENCY_DEFAULT, REQUEST_TIMEOUT_DEFAULT } from '../descriptions/common';
import type { GraphClient } from '../transport/graphClient';
import { graphClientFor } from '../transport/graphSession';
import { runWithConcurrency } from './concurrency';
import { ParameterReader } from './parameterReader';
import type { Operation } from './types';

/** Errors from our code are already n8n errors with itemIndex; anything else is wrapped, never re-thrown as is. */
function asNodeError(n8n: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(n8n.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: itemIndex } };
}

/** A whole-number option that holds for the whole run (the options of the first item). */
function runOption(n8n: IExecuteFunctions, options: IDataObject, name: string, label: string, fallback: number): number {
	const value = Number(options[name] ?? fallback);
	if (!Number.isInteger(value) || value < 1) {
		throw new NodeOperationError(n8n.getNode(), `${label} must be a whole number of 1 or more (got ${String(options[name])})`);
	}
	return value;
}

/**
 * Runs the operation for every input item, a bounded number at a time; output order is input order, every item
 * gives its output (or, with Continue On Fail, an error item), each with pairedItem.
 */
export async function router(
	this: IExecuteFunctions,
	operations: Readonly<Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);

	let graph: GraphClient;
	let limit: number;
	try {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		limit = runOption(this, options, 'maxConcurrency', 'Max Concurrent Requests', MAX_CONCURRENCY_DEFAULT);
		const timeoutMs = runOption(this, options, 'requestTimeout', 'Request Timeout', REQUEST_TIMEOUT_DEFAULT) * 1000;
		graph = await graphClientFor(this, { timeoutMs });
	} catch (error) {
		if (!continueOnFail) throw asNodeError(this, error, 0);
		return [items.map((_, itemIndex) => errorItem(asNodeError(this, error, itemIndex), itemIndex))];
	}

	const context = { n8n: this, params: new ParameterReader(this), graph };
	const results = await runWithConcurrency(items.length, limit, async (itemIndex) => await handler.execute(context, itemIndex), !continueOnFail);

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, result] of results.entries()) {
		if (!result) continue; // not started: an earlier item failed and the run stops
		if (result.ok) {
			const data = this.helpers.returnJsonArray(result.value);
			output.push(...this.helpers.constructExecutionMetaData(data, { itemData: { item: itemIndex } }));
			continue;
		}
		const error = asNodeError(this, result.error, itemIndex);
		if (!continueOnFail) throw error;
		output.push(errorItem(error, itemIndex));
	}
	return [output];
}
