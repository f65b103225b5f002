/**
 * Runs a workflow (JSON as n8n saves it) through n8n's real execution engine in-process:
 * `WorkflowExecute` from n8n-core in 'manual' mode, a `Workflow` from n8n-workflow, and just enough
 * `additionalData` glue for the node contexts. n8n does not publish its own test harness, hence this file.
 *
 * Written against n8n-core 2.41 / n8n-workflow 2.41 and kept to APIs that also exist in n8n 1.x
 * (n8n-core 1.122, n8n-workflow 1.120; not yet compiled against them). Differences are marked "1.x:":
 * - expressions: both run them in isolated-vm once the engine is started (see expressionEngine.ts); n8n-workflow
 *   1.120 has the same `Expression.initExpressionEngine` as 2.x.
 * - IRunExecutionData is a branded type with `version: 1` in 2.x (plain object + cast here).
 * - IWorkflowExecuteAdditionalData / IWorkflowBase gained required members in 2.x (MCP URLs,
 *   getRuntimeCredential, activeVersionId): they are spread in, which 1.x's excess-property check ignores.
 * - ICredentialsHelper.isCredentialUsableByNode is 2.x only (an extra method is harmless in 1.x).
 *
 * Not like a real n8n: credential data is returned as given (no defaults from the credential type,
 * no expressions in credential fields, no declarative `authenticate`); sub-workflows and the Code
 * node's task runner are not available; node errors are stored by the engine as plain copies
 * (`{ ...error, message, stack }`), so `nodeError()` is not an `instanceof` the original class.
 */
import { dirname } from 'node:path';

import { removeTemporaryUserFolder } from './n8nEnv';

import {
	CredentialTestContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	PollContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ExecutionBaseError,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IConnections,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type IDataObject,
	type IWebhookDescription,
} from 'n8n-workflow';

import { disposeExpressionEngine, ensureExpressionEngine } from './expressionEngine';

export interface RunOptions {
	/** Keyed by the type name used in the workflow JSON, e.g. 'n8n-nodes-teams-call.teamsCallParticipant'. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Decrypted credential data keyed by credential TYPE name, e.g. 'microsoftGraphAppApi'. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Default: the workflow's trigger node (first node with no incoming connection). */
	startNode?: string;
	/** Once this settles, the run is cancelled the way the editor's Stop button does it (n8n-core's `cancel()`). */
	cancelWhen?: Promise<unknown>;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, main output 0 (empty array if it did not run). */
	output(nodeName: string): INodeExecutionData[];
	/** The workflow-level error if the run failed (run.data.resultData.error), else undefined. */
	error?: ExecutionBaseError | Error;
	/** The error a node's run ended with (runData[node][0].error), if any. */
	nodeError(nodeName: string): ExecutionBaseError | undefined;
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

const MODE = 'manual';
const EXECUTION_ID = 'test-execution-1';
const BASE_URL = 'http://localhost:5678';
const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

// Jest shares no modules between test files, so each file that loads this one gets its own expression
// isolate pool and user folder; release them when the file is done so that Jest exits cleanly.
if (typeof afterAll === 'function') {
	afterAll(async () => {
		await disposeExpressionEngine();
		removeTemporaryUserFolder();
	});
}

export async function runWorkflow(workflowJson: WorkflowJson, options: RunOptions): Promise<RunResult> {
	await ensureExpressionEngine();
	// The engine writes into the nodes (parameter defaults, …): keep the caller's fixture untouched.
	workflowJson = structuredClone(workflowJson);
	const workflow = createWorkflow(workflowJson, createNodeTypes(options.nodeTypes));
	const startNode = findStartNode(workflow, workflowJson, options.startNode);
	const hooks = new ExecutionLifecycleHooks(MODE, EXECUTION_ID, toWorkflowBase(workflowJson));
	const additionalData = createAdditionalData(hooks, options.credentials ?? {});
	const engine = new WorkflowExecute(additionalData, MODE, createRunExecutionData(startNode));
	const execution = engine.processRunExecutionData(workflow);
	void options.cancelWhen?.finally(() => execution.cancel());
	const run = await execution;
	return toRunResult(run);
}

// ---------------------------------------------------------------- node types and workflow

function createNodeTypes(types: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	const lookup = (name: string): INodeType | IVersionedNodeType => {
		const type = types[name];
		if (!type) throw new Error(`Unknown node type "${name}": add it to RunOptions.nodeTypes`);
		return type;
	};
	return {
		getByName: lookup,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(lookup(name), version),
		getKnownTypes: () => ({}),
	};
}

function createWorkflow(json: WorkflowJson, nodeTypes: INodeTypes, staticData: IDataObject = {}): Workflow {
	return new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'Test workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		nodeTypes,
		staticData,
		// Every workflow created in the n8n editor since 1.0 carries executionOrder 'v1';
		// without it the engine would fall back to the legacy v0 order.
		settings: { executionOrder: 'v1', ...json.settings },
	});
}

function toWorkflowBase(json: WorkflowJson): IWorkflowBase {
	const now = new Date();
	return {
		// 1.x: `isArchived` came late in 1.x and `activeVersionId` is 2.x only; spread to escape the excess-property check.
		...{ isArchived: false, activeVersionId: null },
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'Test workflow',
		active: false,
		createdAt: now,
		updatedAt: now,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings,
	};
}

function findStartNode(workflow: Workflow, json: WorkflowJson, requested?: string): INode {
	if (requested !== undefined) {
		const node = workflow.getNode(requested);
		if (!node) throw new Error(`Start node "${requested}" is not in the workflow`);
		return node;
	}
	const withIncoming = new Set(Object.keys(workflow.connectionsByDestinationNode));
	const candidates = json.nodes.filter(
		(node) => !node.disabled && !withIncoming.has(node.name) && node.type !== STICKY_NOTE_TYPE,
	);
	const start = candidates.find((node) => isTrigger(workflow, node)) ?? candidates[0];
	if (!start) throw new Error('The workflow has no node without incoming connections; pass RunOptions.startNode');
	return start;
}

function isTrigger(workflow: Workflow, node: INode): boolean {
	const { group } = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
	return group.includes('trigger');
}

/** The execution stack starts with the start node and one empty item, as n8n does for a manual run. */
function createRunExecutionData(startNode: INode): IRunExecutionData {
	// 2.x brands IRunExecutionData (factory `createRunExecutionData`, absent in 1.x); the plain
	// object below has the same shape in both, `version: 1` being the 2.x format marker.
	const data = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	};
	return data as unknown as IRunExecutionData;
}

// ---------------------------------------------------------------- additionalData

/**
 * Returns the given decrypted data for the requested credential type. Unlike n8n's own helper it does
 * not apply the credential type's defaults or its declarative `authenticate` (requests are passed through
 * unchanged): nodes that call `getCredentials` and authenticate themselves behave exactly as in n8n.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) {
			const known = Object.keys(this.credentials).join(', ') || 'none';
			throw new Error(`No test credentials of type "${type}" (RunOptions.credentials has: ${known})`);
		}
		return structuredClone(data);
	}

	getParentTypes(): string[] {
		return [];
	}

	/** 2.x only (restrictToSupportedNodes); unused by 1.x. */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_credentials: ICredentialDataDecryptedObject, _typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return requestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The test credentials helper only supports getDecrypted');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

function notAvailable(what: string): () => never {
	return () => {
		throw new Error(`${what} is not available in the test engine harness`);
	};
}

/**
 * Members that only one major version declares (1.x lacks the MCP URLs, getRuntimeCredential, …).
 * Spread into the literal below so that the other version's excess-property check does not reject them.
 */
function versionSpecificMembers() {
	return {
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		getRuntimeCredential: async () => undefined,
	};
}

function createAdditionalData(
	hooks: ExecutionLifecycleHooks,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const additionalData: IWorkflowExecuteAdditionalData = {
		...versionSpecificMembers(),
		hooks,
		executionId: EXECUTION_ID,
		userId: 'test-user',
		credentialsHelper: new TestCredentialsHelper(credentials),
		// Declared by n8n-core's augmentation of IWorkflowExecuteAdditionalData; without a manager `$secrets` is empty.
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		startRunnerTask: notAvailable('The task runner (Code node)'),
		logAiEvent: () => undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: BASE_URL,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
	};
	return additionalData;
}

// ---------------------------------------------------------------- result

function toRunResult(run: IRun): RunResult {
	const runData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName) => runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
		nodeError: (nodeName) => runData[nodeName]?.[0]?.error,
	};
}

// ---------------------------------------------------------------- editor-side contexts

/**
 * n8n-core's own LoadOptionsContext for a node of the workflow, as the editor uses it for a resource locator's
 * list search (`methods.listSearch`).
 */
export function loadOptionsContext(workflowJson: WorkflowJson, nodeName: string, options: RunOptions): LoadOptionsContext {
	const workflow = createWorkflow(structuredClone(workflowJson), createNodeTypes(options.nodeTypes));
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`No node "${nodeName}" in the workflow`);
	const hooks = new ExecutionLifecycleHooks(MODE, EXECUTION_ID, toWorkflowBase(workflowJson));
	const additionalData = createAdditionalData(hooks, options.credentials ?? {});
	// The editor sends the node's parameters as they are on screen; n8n's server puts them here.
	additionalData.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters');
}

/**
 * n8n-core's own WebhookContext for a trigger node, as n8n's live webhook handler builds it for one request: a fresh
 * `Workflow` whose static data is the copy given (what n8n reads from the database), with the request and response.
 * The caller saves `workflow.staticData` afterwards when `__dataChanged`, as n8n does.
 */
export function webhookContext(
	workflowJson: WorkflowJson,
	nodeName: string,
	options: RunOptions & { staticData: IDataObject; request: unknown; response: unknown },
): { context: WebhookContext; workflow: Workflow } {
	const workflow = createWorkflow(structuredClone(workflowJson), createNodeTypes(options.nodeTypes), options.staticData);
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`No node "${nodeName}" in the workflow`);
	const hooks = new ExecutionLifecycleHooks('webhook', EXECUTION_ID, toWorkflowBase(workflowJson));
	const additionalData = createAdditionalData(hooks, options.credentials ?? {});
	additionalData.httpRequest = options.request as never;
	additionalData.httpResponse = options.response as never;
	const description = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.webhooks?.[0];
	if (!description) throw new Error(`Node "${nodeName}" has no webhook`);
	const webhookData = {
		httpMethod: description.httpMethod as 'POST',
		node: node.name,
		path: String(description.path),
		webhookDescription: description as IWebhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	};
	return { context: new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null), workflow };
}

/** n8n-core's CredentialTestContext, as the credential's Test button uses it. */
export function credentialTestContext(): CredentialTestContext {
	return new CredentialTestContext();
}

// ---------------------------------------------------------------- what nodes log

/**
 * Every line nodes log through `this.logger` while the capture is on: n8n-core hands nodes the Logger of its own
 * `@n8n/backend-common` (resolved from n8n-core's folder, so the 1.x copy on n8n 1.x), whose methods are spied on.
 */
export function captureNodeLogs(): { lines: string[]; restore(): void } {
	const coreDir = dirname(require.resolve('n8n-core/package.json'));
	const backendCommon = require.resolve('@n8n/backend-common', { paths: [coreDir] });
	const { Logger } = require(backendCommon) as { Logger: { prototype: Record<'error' | 'warn' | 'info' | 'debug', (message: string) => void> } };
	const lines: string[] = [];
	const spies = (['error', 'warn', 'info', 'debug'] as const).map((level) =>
		jest.spyOn(Logger.prototype, level).mockImplementation((message: string) => {
			lines.push(`${level} ${message}`);
		}),
	);
	return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

// ---------------------------------------------------------------- polling triggers

/**
 * The Workflow a polling trigger runs in while it is active: made once from the JSON and the static data n8n read
 * from its database, and kept between polls (a running n8n keeps it in memory).
 */
export function pollWorkflow(workflowJson: WorkflowJson, options: RunOptions & { staticData: IDataObject }): Workflow {
	return createWorkflow(structuredClone(workflowJson), createNodeTypes(options.nodeTypes), options.staticData);
}

/**
 * n8n-core's PollContext for one poll of a trigger node, as n8n's active-workflow manager builds it: mode 'trigger'
 * while active, 'manual' for the editor's "Fetch Test Event"; `emit` receives what the poll returned.
 */
export function pollContext(
	workflow: Workflow,
	nodeName: string,
	options: { credentials: Record<string, ICredentialDataDecryptedObject>; mode: 'trigger' | 'manual'; emit: (data: INodeExecutionData[][]) => void },
): PollContext {
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`No node "${nodeName}" in the workflow`);
	const hooks = new ExecutionLifecycleHooks(options.mode, EXECUTION_ID, toWorkflowBase({ nodes: [node], connections: {} }));
	const additionalData = createAdditionalData(hooks, options.credentials);
	const emitError = (error: Error): void => {
		throw error;
	};
	return new PollContext(workflow, node, additionalData, options.mode, options.mode === 'manual' ? 'manual' : 'activate', options.emit, emitError);
}
