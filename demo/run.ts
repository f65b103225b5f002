/**
 * `npm run demo`: runs demo/teams-call.workflow.json through n8n's real engine (n8n-core's WorkflowExecute):
 * Join Meeting (by its link, waiting until established) → Invite (a user and a phone number, waiting for completion)
 * → Get Many → Remove one → Hang Up. Against the embedded emulator by default; against a real tenant when TEAMS_CALL_* are set.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../test/emulator';
import { DEMO_MEETING } from '../test/emulator/cli';
import { runWorkflow } from '../test/helpers/engine';
import { disposeExpressionEngine } from '../test/helpers/expressionEngine';
import { nodeTypes } from '../test/helpers/testbed';
import { printGraphRequests, printNodeOutput } from './print';
import { loadDemoWorkflow } from './demoWorkflow';
import { realTenantFromEnv } from './realTenant';

async function main(): Promise<number> {
	const tenant = realTenantFromEnv();
	let emulator: Emulator | undefined;
	try {
		if (!tenant) {
			emulator = await startEmulator({ inviteCompletionMs: 400, callEstablishMs: 400 });
			emulator.addMeeting(DEMO_MEETING);
		}
		console.log(tenant ? `Running against your tenant (${String(tenant.credentials.cloud)} cloud), meeting ${tenant.joinUrl}` : `Running against the embedded emulator: Graph ${emulator?.graphUrl}, Entra ${emulator?.authorityHost}`);
		const workflow = loadDemoWorkflow(tenant);
		const credentials = (tenant?.credentials ?? emulator?.credentialData()) as ICredentialDataDecryptedObject;
		const result = await runWorkflow(workflow, { nodeTypes, credentials: { microsoftGraphAppApi: credentials } });
		for (const node of workflow.nodes.slice(1)) {
			printNodeOutput(node.name, result.output(node.name).map((item) => item.json), result.nodeError(node.name)?.message);
		}
		if (emulator) printGraphRequests(emulator.log);
		if (result.error) {
			console.error(`\nThe workflow failed: ${result.error.message}`);
			return 1;
		}
		console.log('\nThe workflow ran: joined the meeting, invited 2 participants, listed the call, removed the phone participant, hung up.');
		return 0;
	} finally {
		await emulator?.close();
		await disposeExpressionEngine();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
