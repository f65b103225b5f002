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
import { operationError } from '../transport/nodeErrors';
import { runWithConcurrency } from './concurrency';
import { ParameterReader } from './parameterReader';
import { type ItemResults, notStarted, sentItemsNote, stoppedMessage } from './runSummary';
import { ItemWithBinary, type Operation } from './types';

type NodeError = NodeApiError | NodeOperationError;

/** Errors from our code are already n8n errors with itemIndex; anything else is wrapped, never re-thrown as is. */
function asNodeError(n8n: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return operationError(n8n.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

/**
 * An item for Continue On Fail: the error's words in `json`, paired with its input item. With "Continue (using error
 * output)" it also carries the n8n error in `error`, as n8n's own nodes do: that is what sends it to the error output
 * on n8n 1.x and 2.x (n8n 2.x then keeps only `{ error: message }` in its JSON, the rest stays in the error).
 */
function errorItem(n8n: IExecuteFunctions, error: NodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (n8n.getNode().onError === 'continueErrorOutput') item.error = error;
	return item;
}

/** A whole-number option that holds for the whole run (the options of the first item). */
function runOption(n8n: IExecuteFunctions, options: IDataObject, name: string, label: string, fallback: number): number {
	const value = Number(options[name] ?? fallback);
	if (!Number.isInteger(value) || value < 1) {
		throw operationError(n8n.getNode(), `${label} must be a whole number of 1 or more (got ${String(options[name])})`);
	}
	return value;
}

/**
 * n8n's Retry On Fail runs the whole node again after a failure: every item is sent again. For an operation that
 * may not be sent twice (invite, join, play a prompt …), that is refused before anything is sent.
 */
function refusesRetryOnFail(n8n: IExecuteFunctions, handler: Operation): boolean {
	return handler.sendsOnce === true && n8n.getNode().retryOnFail === true;
}

/** The refusal of Retry On Fail, for one item. */
function retryOnFailRefusal(n8n: IExecuteFunctions, itemIndex: number): NodeError {
	return operationError(
		n8n.getNode(),
		'Retry On Fail is on in this node\'s settings, but this operation must not be sent twice: n8n would run the whole node again after a failure and send every item again',
		{
			description:
				'Turn Retry On Fail off (node Settings). The node already retries on its own whatever is safe to repeat (throttling, and answers that prove Graph did not act). To keep going when some items fail, set On Error to "Continue (using error output)".',
			itemIndex,
		},
	);
}

/**
 * A failure that holds for every item before any is sent: thrown (On Error = Stop), or one error item per input item.
 * Thrown with Continue, n8n would pass the input items on to the success output as if the node had worked.
 */
function failAll(n8n: IExecuteFunctions, continueOnFail: boolean, errorFor: (itemIndex: number) => NodeError): INodeExecutionData[][] {
	if (!continueOnFail) throw errorFor(0);
	return [n8n.getInputData().map((_, itemIndex) => errorItem(n8n, errorFor(itemIndex), itemIndex))];
}

/** The error that ends a run early, told which items were already sent (operations that may not be sent twice). */
function withSentItems(error: NodeError, handler: Operation, results: ItemResults): NodeError {
	const note = handler.sendsOnce === true ? sentItemsNote(results) : undefined;
	if (note) error.description = error.description ? `${error.description} ${note}` : note;
	return error;
}

/**
 * Runs the operation for every input item, a bounded number at a time; output order is input order, every item
 * gives its output (or, with Continue On Fail, an error item), each with pairedItem. n8n's Stop ends the run:
 * no item starts after it, and waits and requests under way are cut short.
 */
export async function router(
	this: IExecuteFunctions,
	operations: Readonly<Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!handler) throw operationError(this.getNode(), `The operation "${operation}" is not supported`);
	if (refusesRetryOnFail(this, handler)) return failAll(this, continueOnFail, (itemIndex) => retryOnFailRefusal(this, itemIndex));
	const signal = this.getExecutionCancelSignal?.();

	let graph: GraphClient;
	let limit: number;
	try {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		limit = runOption(this, options, 'maxConcurrency', 'Max Concurrent Requests', MAX_CONCURRENCY_DEFAULT);
		const timeoutMs = runOption(this, options, 'requestTimeout', 'Request Timeout', REQUEST_TIMEOUT_DEFAULT) * 1000;
		graph = await graphClientFor(this, { timeoutMs, signal });
	} catch (error) {
		return failAll(this, continueOnFail, (itemIndex) => asNodeError(this, error, itemIndex));
	}

	const context = { n8n: this, params: new ParameterReader(this), graph };
	const run = async (itemIndex: number) => await handler.execute(context, itemIndex);
	const results = await runWithConcurrency(items.length, limit, run, !continueOnFail, signal);
	if (signal?.aborted && notStarted(results).length > 0) {
		throw withSentItems(operationError(this.getNode(), stoppedMessage(results)), handler, results);
	}

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, result] of results.entries()) {
		if (!result) continue; // not started: an earlier item failed and the run stops
		if (result.ok) {
			const { value } = result;
			const data = value instanceof ItemWithBinary ? [{ json: value.json, binary: value.binary }] : this.helpers.returnJsonArray(value);
			// What constructExecutionMetaData makes, item by item: no second array of every item, and no spread of
			// (a month of PSTN rows may be hundreds of thousands) arguments, which overflows the stack.
			const pairedItem = { item: itemIndex };
			for (const { json, ...rest } of data) output.push({ json, pairedItem, ...rest });
			continue;
		}
		const error = asNodeError(this, result.error, itemIndex);
		if (!continueOnFail) throw withSentItems(error, handler, results);
		output.push(errorItem(this, error, itemIndex));
	}
	return [output];
}
