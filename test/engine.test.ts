import {
	NodeConnectionTypes,
	NodeOperationError,
	VersionedNodeType,
	type IConnections,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runWorkflow, type RunOptions } from './helpers/engine';
import { activeExpressionEngine } from './helpers/expressionEngine';
import { fixtureNodeTypes } from './helpers/fixtureNodes';

const ECHO_TYPE = 'test.echo';
const CREDENTIAL_TYPE = 'testEchoApi';

/** Echoes its `callId` parameter per item; `callId` 'fail' throws; implements continue-on-fail itself. */
class EchoNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [{ displayName: 'Call ID', name: 'callId', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { token } = await this.getCredentials(CREDENTIAL_TYPE);
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			try {
				const callId = this.getNodeParameter('callId', i) as string;
				if (callId === 'fail') throw new NodeOperationError(this.getNode(), `Cannot echo ${callId}`, { itemIndex: i });
				output.push({ json: { callId, token: token as string }, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [output];
	}
}

/** Throws for every run and leaves continue-on-fail to the engine. */
class AlwaysFailsNode implements INodeType {
	description: INodeTypeDescription = {
		...new EchoNode().description,
		displayName: 'Always Fails',
		name: 'alwaysFails',
		credentials: undefined,
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Always fails');
	}
}

function node(name: string, type: string, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: NodeConnectionTypes.Main, index: 0 }]] };
	}
	return connections;
}

const ITEMS = JSON.stringify([{ callId: 'call-a' }, { callId: 'fail' }, { callId: 'call-c' }]);

function echoWorkflow(echoSettings: Partial<INode> = {}, items = ITEMS) {
	return {
		name: 'Engine harness test',
		nodes: [
			node('When clicking ‘Execute workflow’', 'n8n-nodes-base.manualTrigger'),
			node('Items', 'test.fixtureItems', { items }),
			node('Echo', ECHO_TYPE, { callId: '={{ $json.callId }}' }, {
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Echo account' } },
				...echoSettings,
			}),
		],
		connections: chain('When clicking ‘Execute workflow’', 'Items', 'Echo'),
	};
}

const options: RunOptions = {
	nodeTypes: { ...fixtureNodeTypes, [ECHO_TYPE]: new EchoNode(), 'test.alwaysFails': new AlwaysFailsNode() },
	credentials: { [CREDENTIAL_TYPE]: { token: 'secret-token' } },
};

describe('runWorkflow (n8n-core in-process)', () => {
	it('runs manualTrigger → fixtureItems → node, evaluating expressions per item with the n8n 2.x vm engine', async () => {
		const items = JSON.stringify([{ callId: 'call-a' }, { callId: 'call-b' }]);
		const result = await runWorkflow(echoWorkflow({}, items), options);

		expect(result.error).toBeUndefined();
		expect(activeExpressionEngine()).toBe(process.env.N8N_EXPRESSION_ENGINE ?? 'vm');
		expect(result.output('When clicking ‘Execute workflow’')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
		expect(result.output('Items').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(result.output('Echo')).toEqual([
			{ json: { callId: 'call-a', token: 'secret-token' }, pairedItem: { item: 0 } },
			{ json: { callId: 'call-b', token: 'secret-token' }, pairedItem: { item: 1 } },
		]);
		expect(result.run.status).toBe('success');
	});

	it('fails the workflow with the node error when continue-on-fail is off', async () => {
		const result = await runWorkflow(echoWorkflow(), options);

		expect(result.error?.message).toBe('Cannot echo fail');
		// The engine stores a plain copy of the error ({ ...error, message, stack }), not the instance.
		expect(result.nodeError('Echo')).toMatchObject({ message: 'Cannot echo fail', context: { itemIndex: 1 } });
		expect(result.output('Echo')).toEqual([]);
		expect(result.run.status).toBe('error');
	});

	it.each([
		['continueOnFail: true', { continueOnFail: true }],
		["onError: 'continueRegularOutput'", { onError: 'continueRegularOutput' as const }],
	])('turns the failing item into an { error } item with %s', async (_label, settings) => {
		const result = await runWorkflow(echoWorkflow(settings), options);

		expect(result.error).toBeUndefined();
		expect(result.nodeError('Echo')).toBeUndefined();
		expect(result.output('Echo')).toEqual([
			{ json: { callId: 'call-a', token: 'secret-token' }, pairedItem: { item: 0 } },
			{ json: { error: 'Cannot echo fail' }, pairedItem: { item: 1 } },
			{ json: { callId: 'call-c', token: 'secret-token' }, pairedItem: { item: 2 } },
		]);
	});

	it('passes the input through, as n8n does, when a node without its own continue-on-fail throws', async () => {
		const workflow = {
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger'),
				node('Fails', 'test.alwaysFails', {}, { onError: 'continueRegularOutput' }),
				node('After', 'n8n-nodes-base.noOp'),
			],
			connections: chain('Start', 'Fails', 'After'),
		};
		const result = await runWorkflow(workflow, options);

		expect(result.error).toBeUndefined();
		expect(result.nodeError('Fails')?.message).toBe('Always fails');
		expect(result.output('Fails')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
		expect(result.output('After')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
	});

	it('honours alwaysOutputData', async () => {
		const workflow = (alwaysOutputData: boolean) => ({
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger'),
				node('Nothing', 'test.fixtureItems', { items: '[]' }, { alwaysOutputData }),
				node('After', 'n8n-nodes-base.noOp'),
			],
			connections: chain('Start', 'Nothing', 'After'),
		});

		expect((await runWorkflow(workflow(false), options)).run.data.resultData.runData.After).toBeUndefined();
		expect((await runWorkflow(workflow(true), options)).output('After')).toEqual([
			{ json: {}, pairedItem: { item: 0 } },
		]);
	});

	it('reports missing test credentials clearly', async () => {
		const result = await runWorkflow(echoWorkflow(), { ...options, credentials: {} });

		expect(result.nodeError('Echo')?.message).toMatch(/No test credentials of type "testEchoApi"/);
	});

	it('starts from the trigger even behind a sticky note, and leaves the workflow JSON untouched', async () => {
		const workflow = echoWorkflow({}, '[{"callId":"call-a"}]');
		workflow.nodes.unshift(node('Note', 'n8n-nodes-base.stickyNote', { content: 'Saved from the editor' }));
		const before = structuredClone(workflow);
		const result = await runWorkflow(workflow, options);

		expect(result.output('Echo')).toEqual([{ json: { callId: 'call-a', token: 'secret-token' }, pairedItem: { item: 0 } }]);
		expect(workflow).toEqual(before);
	});

	it('starts from the given start node and resolves versioned node types', async () => {
		class VersionedEcho extends VersionedNodeType {
			constructor() {
				const v2 = new EchoNode();
				v2.description = { ...v2.description, version: 2 };
				super({ 1: new EchoNode(), 2: v2 }, { ...v2.description, defaultVersion: 2 });
			}
		}
		const workflow = {
			nodes: [
				node('Unused trigger', 'n8n-nodes-base.manualTrigger'),
				node('Items', 'test.fixtureItems', { items: '[{"callId":"x"}]' }),
				node('Echo', 'test.versionedEcho', { callId: '={{ $json.callId + "-" + $itemIndex }}' }, {
					typeVersion: 2,
					credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Echo account' } },
				}),
			],
			connections: chain('Items', 'Echo'),
		};
		const result = await runWorkflow(workflow, {
			...options,
			nodeTypes: { ...options.nodeTypes, 'test.versionedEcho': new VersionedEcho() },
			startNode: 'Items',
		});

		expect(result.output('Unused trigger')).toEqual([]);
		expect(result.output('Echo')).toEqual([{ json: { callId: 'x-0', token: 'secret-token' }, pairedItem: { item: 0 } }]);
	});
});
