/**
 * Runs a polling trigger the way a running n8n does, in-process: the active workflow is one `Workflow` kept in memory
 * between polls, each poll gets n8n-core's own PollContext, and the static data is written to a "database" (a shared
 * object) when a poll emits (n8n's __emit saves it), and on n8n 2.x also when it emits nothing (the poll's cursor is
 * committed); n8n 1.x keeps such changes in memory only. `restart()` is an n8n restart: a fresh Workflow from what
 * the database holds.
 */
import * as n8nCore from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { pollContext, pollWorkflow, type WorkflowJson } from './engine';
import { ensureExpressionEngine } from './expressionEngine';

export interface PollBed {
	/** One scheduled poll: the items it emitted (one execution), or null. */
	poll(): Promise<IDataObject[] | null>;
	/** The editor's "Fetch Test Event". */
	fetchTestEvent(): Promise<IDataObject[] | null>;
	restart(): void;
	/** Every execution started, in order. */
	executions: IDataObject[][];
	database: { staticData: IDataObject };
}

const COMMITS_WITHOUT_EMIT = typeof (n8nCore as { commitStagedCursor?: unknown }).commitStagedCursor === 'function';

export async function startPollBed(options: {
	trigger: INodeType;
	type: string;
	name: string;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
}): Promise<PollBed> {
	await ensureExpressionEngine();
	const workflowJson: WorkflowJson = {
		id: 'poll-workflow',
		name: 'poll',
		nodes: [{ id: 'poll-node', name: options.name, type: options.type, typeVersion: 1, position: [0, 0], parameters: options.parameters as never, credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph app' } } }],
		connections: {},
	};
	const database = { staticData: {} as IDataObject };
	const nodeTypes = { [options.type]: options.trigger };
	const load = () => pollWorkflow(workflowJson, { nodeTypes, staticData: JSON.parse(JSON.stringify(database.staticData)) as IDataObject });
	let workflow = load();
	const executions: IDataObject[][] = [];
	const save = (): void => {
		const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		delete saved.__dataChanged;
		database.staticData = saved;
	};
	const run = async (mode: 'trigger' | 'manual'): Promise<IDataObject[] | null> => {
		let emitted: INodeExecutionData[][] | undefined;
		const context = pollContext(workflow, options.name, {
			credentials: { microsoftGraphAppApi: options.credentials },
			mode,
			emit: (data) => {
				emitted = data;
			},
		});
		const result = await options.trigger.poll!.call(context);
		if (mode === 'manual') return result ? result[0].map((item) => item.json) : null;
		if (result !== null) context.__emit(result);
		if (emitted) {
			save();
			executions.push(emitted[0].map((item) => item.json));
			return emitted[0].map((item) => item.json);
		}
		if (COMMITS_WITHOUT_EMIT && workflow.staticData.__dataChanged === true) save();
		return null;
	};
	return {
		poll: async () => await run('trigger'),
		fetchTestEvent: async () => await run('manual'),
		restart: () => {
			workflow = load();
		},
		executions,
		database,
	};
}
