/**
 * Minimal stand-ins for the n8n-nodes-base nodes our workflow fixtures use.
 *
 * n8n-nodes-base is not installed in this repository (it is large and pulls in most of n8n),
 * so these replicas exist only to let fixtures saved from a real n8n editor run through the
 * real engine in tests. They copy the behaviour of the originals that fixtures rely on, nothing more.
 * `test.fixtureItems` is a test-only node with no counterpart in n8n.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

const MAIN = NodeConnectionTypes.Main;

function baseDescription(
	name: string,
	displayName: string,
	inputs: INodeTypeDescription['inputs'],
): INodeTypeDescription {
	return {
		displayName,
		name,
		group: ['transform'],
		version: 1,
		description: `Test stand-in for ${displayName}`,
		defaults: { name: displayName },
		inputs,
		outputs: [MAIN],
		properties: [],
	};
}

/** Replica of `n8n-nodes-base.manualTrigger` v1: emits one empty item when the workflow is run by hand. */
export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('manualTrigger', 'When clicking ‘Execute workflow’', []),
		group: ['trigger'],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/** Replica of `n8n-nodes-base.noOp` v1: passes its input items through unchanged. */
export class NoOpStandIn implements INodeType {
	description = baseDescription('noOp', 'No Operation, do nothing', [MAIN]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Replica of `n8n-nodes-base.stickyNote` v1: a canvas note, never executed. */
export class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('stickyNote', 'Sticky Note', []),
		group: ['input'],
		outputs: [],
		properties: [{ displayName: 'Content', name: 'content', type: 'string', default: '' }],
	};
}

/** Test-only node: outputs one item per element of the JSON array in its `items` parameter. */
export class FixtureItemsNode implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('fixtureItems', 'Fixture Items', [MAIN]),
		properties: [
			{
				displayName: 'Items',
				name: 'items',
				type: 'string',
				default: '[]',
				description: 'JSON array of objects; one output item is produced per element',
			},
		],
	};

	/** Every output item is paired with the first input item (the trigger's single item). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const elements = parseItems(this, this.getNodeParameter('items', 0) as string);
		return [elements.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

function parseItems(context: IExecuteFunctions, raw: string): IDataObject[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `Items is not valid JSON: ${(error as Error).message}`);
	}
	if (!Array.isArray(parsed) || !parsed.every(isPlainObject)) {
		throw new NodeOperationError(context.getNode(), 'Items must be a JSON array of objects');
	}
	return parsed;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keyed by the type names used in saved workflow JSON; merge into `RunOptions.nodeTypes`. */
export const fixtureNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
	'n8n-nodes-base.noOp': new NoOpStandIn(),
	'n8n-nodes-base.stickyNote': new StickyNoteStandIn(),
	'test.fixtureItems': new FixtureItemsNode(),
};
