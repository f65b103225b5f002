import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { GraphClient } from '../transport/graphClient';
import type { ParameterReader } from './parameterReader';

/** What an operation runs with: n8n's context, the run's parameter reader and its Graph client. */
export interface OperationContext {
	n8n: IExecuteFunctions;
	params: ParameterReader;
	graph: GraphClient;
}

/** One operation: its parameters (shown when it is selected) and what it does for one item. */
export interface Operation {
	description: INodeProperties[];
	/**
	 * Whether sending the request twice could act twice (invite, join a meeting, create a call): the transport never
	 * re-sends it when the first attempt may have reached Graph, and n8n's Retry On Fail is refused for it.
	 */
	sendsOnce?: boolean;
	/** The JSON of the item's output: one object, or several (Get Many), or one item with a file (a recording). */
	execute(context: OperationContext, itemIndex: number): Promise<OperationOutput>;
}

/** What an operation gives for one item: its JSON (one object or several), or an item with a file. */
export type OperationOutput = IDataObject | IDataObject[] | ItemWithBinary;

/** An output item that carries a file besides its JSON. */
export class ItemWithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}
