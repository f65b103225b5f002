import https from 'node:https';

import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TeamsCall } from '../../nodes/TeamsCall/TeamsCall.node';
import { TeamsCallParticipant } from '../../nodes/TeamsCallParticipant/TeamsCallParticipant.node';
import { TeamsCallRecord } from '../../nodes/TeamsCallRecord/TeamsCallRecord.node';
import type { Emulator } from '../emulator/types';
import { runWorkflow, type RunResult, type WorkflowJson } from './engine';
import { fixtureNodeTypes } from './fixtureNodes';

/** Runs our node inside n8n's real engine, fed by fixture items, against the emulator. */

export const NODE_TYPE = 'n8n-nodes-teams-call.teamsCallParticipant';
export const NODE_NAME = 'Teams Call Participant';

export const CALL_NODE_TYPE = 'n8n-nodes-teams-call.teamsCall';
export const CALL_NODE_NAME = 'Teams Call';

export const RECORD_NODE_TYPE = 'n8n-nodes-teams-call.teamsCallRecord';
export const RECORD_NODE_NAME = 'Teams Call Record';

export const nodeTypes = {
	...fixtureNodeTypes,
	[NODE_TYPE]: new TeamsCallParticipant(),
	[CALL_NODE_TYPE]: new TeamsCall(),
	[RECORD_NODE_TYPE]: new TeamsCallRecord(),
};

const PACKAGE_NODES = {
	participant: [NODE_TYPE, NODE_NAME],
	call: [CALL_NODE_TYPE, CALL_NODE_NAME],
	callRecord: [RECORD_NODE_TYPE, RECORD_NODE_NAME],
} as const;

export interface NodeRun {
	result: RunResult;
	/** The JSON of every output item of our node. */
	json: IDataObject[];
	/** pairedItem.item of every output item. */
	paired: number[];
	/** The JSON and pairedItem.item of every item on the error output (On Error → Continue (using error output)). */
	errorOutput: Array<{ json: IDataObject; paired: number }>;
	/** The message of the error the node ended with, if it failed. */
	errorMessage?: string;
	errorDescription?: string;
}

export interface NodeRunOptions {
	/** Input items (default: one empty item). */
	items?: IDataObject[];
	/** Node settings such as continueOnFail, onError. */
	settings?: Partial<INode>;
	credentials?: IDataObject;
	/** Which of the package's nodes runs (default: Teams Call Participant). */
	node?: keyof typeof PACKAGE_NODES;
	/** Once this settles, the run is stopped as the editor's Stop button does. */
	cancelWhen?: Promise<unknown>;
}

/** A workflow as the editor saves it: Manual Trigger → Fixture Items → Teams Call Participant (or Teams Call). */
export function participantWorkflow(parameters: IDataObject, options: NodeRunOptions = {}): WorkflowJson {
	const [type, name] = PACKAGE_NODES[options.node ?? 'participant'];
	return {
		name: 'test',
		nodes: [
			{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'i',
				name: 'Items',
				type: 'test.fixtureItems',
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(options.items ?? [{}]) },
			},
			{
				id: 'n',
				name,
				type,
				typeVersion: 1,
				position: [400, 0],
				parameters: parameters as INodeParameters,
				credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph app' } },
				...options.settings,
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: name, type: 'main', index: 0 }]] },
		},
	};
}

export async function runWorkflowJson(
	emulator: Emulator,
	workflow: WorkflowJson,
	credentials?: IDataObject,
	cancelWhen?: Promise<unknown>,
): Promise<RunResult> {
	return await runWorkflow(workflow, {
		nodeTypes,
		credentials: { microsoftGraphAppApi: (credentials ?? emulator.credentialData()) as ICredentialDataDecryptedObject },
		cancelWhen,
	});
}

function pairedIndex(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : -1;
}

export function nodeRunOf(result: RunResult, nodeName = NODE_NAME): NodeRun {
	const output = result.output(nodeName);
	const error = result.nodeError(nodeName);
	const errorOutput = result.run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[1] ?? [];
	return {
		result,
		json: output.map((item) => item.json),
		paired: output.map(pairedIndex),
		errorOutput: errorOutput.map((item) => ({ json: item.json, paired: pairedIndex(item) })),
		errorMessage: error?.message,
		errorDescription: (error as { description?: string } | undefined)?.description ?? undefined,
	};
}

export async function runNode(emulator: Emulator, parameters: IDataObject, options: NodeRunOptions = {}): Promise<NodeRun> {
	const result = await runWorkflowJson(emulator, participantWorkflow(parameters, options), options.credentials, options.cancelWhen);
	return nodeRunOf(result, PACKAGE_NODES[options.node ?? 'participant'][1]);
}

/** Runs the Teams Call node (Manual Trigger → Fixture Items → Teams Call). */
export async function runCallNode(emulator: Emulator, parameters: IDataObject, options: NodeRunOptions = {}): Promise<NodeRun> {
	return await runNode(emulator, parameters, { ...options, node: 'call' });
}

/** Graph requests the emulator received since `from` (an index into its log), as "METHOD route". */
export function graphRequestsSince(emulator: Emulator, from: number): string[] {
	return emulator.log.slice(from).filter((entry) => entry.server === 'graph').map((entry) => `${entry.method} ${entry.route}`);
}

/** Reads a Graph resource straight from the emulator (as a test's own eyes), with a token it issued. */
export async function emulatorGet(emulator: Emulator, path: string): Promise<IDataObject> {
	const [token] = emulator.issuedTokens().slice(-1);
	const response = await emulatorGraphGet(emulator, path, { authorization: `Bearer ${token}` });
	return JSON.parse(response.text) as IDataObject;
}

/** A GET to the emulator's Graph (`path` under /v1.0/, with its query), trusting its CA, with these headers as they are. */
export async function emulatorGraphGet(emulator: Emulator, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
	return await new Promise((resolve, reject) => {
		const request = https.request(`${emulator.graphUrl}/v1.0/${path}`, { ca: emulator.caCertificatePem, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		request.on('error', reject);
		request.end();
	});
}
