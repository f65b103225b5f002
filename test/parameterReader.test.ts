import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { ParameterReader } from '../nodes/shared/actions/parameterReader';
import { runWorkflow } from './helpers/engine';
import { fixtureNodeTypes } from './helpers/fixtureNodes';

/** Reads the same parameter both ways, for every item, and outputs both: n8n's and the shortcut's. */
class CompareReaders implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Compare Readers',
		name: 'compareReaders',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Compare' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{
				displayName: 'Locator',
				name: 'locator',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [{ displayName: 'ID', name: 'id', type: 'string' }],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let fallbacks = 0;
		const counting = new Proxy(this, {
			get: (target, key) =>
				key === 'getNodeParameter'
					? (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
							fallbacks++;
							return target.getNodeParameter(...args);
						}
					: (Reflect.get(target, key) as unknown),
		});
		const reader = new ParameterReader(counting);
		const outcome = (read: () => unknown) => {
			try {
				return { value: read() };
			} catch (error) {
				return { error: (error as Error).message };
			}
		};
		return [
			this.getInputData().map((_, index) => ({
				json: {
					fallbacks: ((before) => (outcome(() => reader.value('text', index)), fallbacks - before))(fallbacks),
					text: [outcome(() => this.getNodeParameter('text', index, '', { extractValue: true })), outcome(() => reader.value('text', index))],
					locator: [outcome(() => this.getNodeParameter('locator', index, '', { extractValue: true })), outcome(() => reader.value('locator', index))],
				} as IDataObject,
				pairedItem: { item: index },
			})),
		];
	}
}

const ITEMS = [
	{ id: 'abc', nested: { deep: ['x', 'y'] }, 'with space': 'spaced', n: 42 },
	{ id: 7, nested: { deep: [] }, 'with space': '' },
	{ id: null, nested: null },
	{ id: { object: true } },
	{ id: true },
	{},
];

it.each([
	['={{ $json.id }}', [0, 0, 1, 1, 1, 1]],
	['={{ $json.nested.deep[1] }}', [0, 1, 1, 1, 1, 1]],
	['={{ $json.id + "-x" }}', [1, 1, 1, 1, 1, 1]],
])('answers %s from the item where the value there is text or a number (n8n asked otherwise)', async (expression, expected) => {
	const result = await runCompare(expression);
	expect(result.output('Compare').map(({ json }) => json.fallbacks)).toEqual(expected);
});

it.each([
	'={{ $json.id }}',
	'={{ $json.nested.deep[1] }}',
	'={{ $json.nested.deep[0] }}',
	'={{ $json["with space"] }}',
	"={{ $json['with space'] }}",
	'={{$json.n}}',
	'={{ $json.id + "-x" }}',
	'=prefix-{{ $json.id }}',
	'plain text',
])('reads %s exactly as n8n does, for every kind of item', async (expression) => {
	const result = await runCompare(expression);
	const output = result.output('Compare');
	expect(output).toHaveLength(ITEMS.length);
	for (const { json } of output) {
		const [viaN8n, viaReader] = json.text as unknown[];
		expect(viaReader).toEqual(viaN8n);
		const [locatorViaN8n, locatorViaReader] = json.locator as unknown[];
		expect(locatorViaReader).toEqual(locatorViaN8n);
	}
});

async function runCompare(expression: string, items: IDataObject[] = ITEMS) {
	return await runWorkflow(
		{
			nodes: [
				{ id: 't', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'i', name: 'Items', type: 'test.fixtureItems', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items) } },
				{
					id: 'c',
					name: 'Compare',
					type: 'test.compareReaders',
					typeVersion: 1,
					position: [400, 0],
					parameters: { text: expression, locator: { __rl: true, mode: 'id', value: expression } },
				},
			],
			connections: {
				Trigger: { main: [[{ node: 'Items', type: NodeConnectionTypes.Main, index: 0 }]] },
				Items: { main: [[{ node: 'Compare', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
		},
		{ nodeTypes: { ...fixtureNodeTypes, 'test.compareReaders': new CompareReaders() } },
	);
}

/** The names n8n's expression sandbox refuses to read (n8n-workflow utils.js, the same list in 1.120 and 2.41). */
const NAMES_N8N_REFUSES = [
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
];

describe.each(NAMES_N8N_REFUSES)('a field named %s', (name) => {
	const withField = JSON.parse(`[{ ${JSON.stringify(name)}: "x", "nested": { ${JSON.stringify(name)}: "y" } }]`) as IDataObject[];

	it.each([`={{ $json.${name} }}`, `={{ $json["${name}"] }}`, `={{ $json.nested.${name} }}`])('%s is read exactly as n8n does (refused)', async (expression) => {
		const result = await runCompare(expression, withField);
		const [{ json }] = result.output('Compare');
		const [viaN8n, viaReader] = json.text as Array<{ value?: unknown; error?: string }>;
		// n8n refuses it ('Cannot access "caller" due to security concerns'; for constructor, its own wording).
		expect(viaN8n.error).toMatch(/security concerns|invalid constructor/);
		expect(viaReader).toEqual(viaN8n);
		expect(json.locator).toEqual([viaN8n, viaN8n]);
	});
});
