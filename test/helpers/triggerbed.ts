/**
 * Serves the Teams Call Trigger's webhook the way n8n's live webhook handler does, in-process: for each request a
 * fresh Workflow reads the static data from a "database" (a shared object), n8n-core's WebhookContext runs the node's
 * webhook function with the real request and response, static data is saved back when it changed, and workflowData
 * counts as an execution started. Two beds sharing one database behave like two n8n processes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeType, IWebhookResponseData } from 'n8n-workflow';

import { webhookContext, type WorkflowJson } from './engine';
import { ensureExpressionEngine } from './expressionEngine';

export const TRIGGER_TYPE = 'n8n-nodes-teams-call.teamsCallTrigger';
export const TRIGGER_NAME = 'Teams Call Trigger';

/** What n8n keeps in its database between requests (and restarts): the workflow's static data. */
export interface Database {
	staticData: IDataObject;
}

export interface TriggerBed {
	url: string;
	/** Items of every execution started, in order; a webhook function that threw counts as one (`{ webhookThrew }`). */
	executions: IDataObject[][];
	/** How many times the node read its credential from "n8n's database" (the credentials helper). */
	credentialReads(): number;
	close(): Promise<void>;
}

/**
 * Each bed's credential has its own n8n ID, as two credentials do in n8n (the trigger keeps its last read of a
 * credential by ID); beds given the same `credentialId` share one credential, as two processes of one n8n do.
 */
let bedsStarted = 0;

export function triggerWorkflow(parameters: IDataObject, workflowId: string, credentialId = '1'): WorkflowJson {
	return {
		id: workflowId,
		name: 'guard',
		nodes: [
			{
				id: 'trigger-node',
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'b0c4b9c2-4f0e-4d8e-9d7a-5b8f1c2d3e4f',
				parameters: parameters as never,
				credentials: { microsoftGraphAppApi: { id: credentialId, name: 'Graph app' } },
			},
		],
		connections: {},
	};
}

/** n8n's JSON body parser: the body is parsed before the node sees it (the node reads it only after verification). */
function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				resolve(text ? JSON.parse(text) : {});
			} catch {
				resolve(text);
			}
		});
	});
}

export async function startTriggerBed(options: {
	trigger: INodeType;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	database: Database;
	/** n8n's id of the workflow (one per workflow; two beds with the same id and database are one workflow in two processes). */
	workflowId: string;
	/** n8n's ID of the credential (default: one of its own for this bed). */
	credentialId?: string;
	/** How long each credential read takes (n8n reads its database; default: no wait). */
	credentialReadMs?: number;
	/** When given, every line the node logs (any level, with its metadata) is appended here instead of n8n's logger. */
	logs?: string[];
}): Promise<TriggerBed> {
	await ensureExpressionEngine();
	const workflowJson = triggerWorkflow(options.parameters, options.workflowId, options.credentialId ?? `bed-credential-${++bedsStarted}`);
	const executions: IDataObject[][] = [];
	let credentialReads = 0;
	// Read at each getCredentials, as n8n reads the database: a test may edit options.credentials in place.
	const credentialStore = {
		get microsoftGraphAppApi() {
			credentialReads++;
			return options.credentials;
		},
	};
	const server = http.createServer((req, res) => {
		void (async () => {
			(req as unknown as { body: unknown }).body = await readJsonBody(req);
			const { context, workflow } = webhookContext(workflowJson, TRIGGER_NAME, {
				nodeTypes: { [TRIGGER_TYPE]: options.trigger },
				credentials: credentialStore,
				staticData: JSON.parse(JSON.stringify(options.database.staticData)) as IDataObject,
				request: req,
				response: res,
			});
			const readMs = options.credentialReadMs;
			if (readMs) {
				const getCredentials = context.getCredentials.bind(context);
				Object.defineProperty(context, 'getCredentials', {
					value: async (type: string) => {
						await new Promise((resolve) => setTimeout(resolve, readMs));
						return await getCredentials(type);
					},
				});
			}
			const logs = options.logs;
			if (logs) {
				const capture = (level: string) => (message: string, meta?: unknown) => logs.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
				const logger = { error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') };
				Object.defineProperty(context, 'logger', { value: logger });
			}
			let result: IWebhookResponseData;
			try {
				result = await options.trigger.webhook!.call(context);
			} catch (error) {
				// n8n answers 500 and starts an error execution: counted as an execution, so that "nothing started" fails.
				executions.push([{ webhookThrew: String(error) }]);
				if (!res.headersSent) res.writeHead(500);
				if (!res.writableEnded) res.end(String(error));
				return;
			}
			if (workflow.staticData.__dataChanged === true) {
				// What n8n's saveStaticData writes: the JSON of the static data.
				const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
				delete saved.__dataChanged;
				options.database.staticData = saved;
			}
			if (result.workflowData) executions.push(result.workflowData[0].map((item) => item.json));
			if (!res.writableEnded) res.writeHead(200).end('{"message":"Workflow was started"}');
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/b0c4b9c2-4f0e-4d8e-9d7a-5b8f1c2d3e4f/notifications`,
		executions,
		credentialReads: () => credentialReads,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
