import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowJson } from '../test/helpers/engine';
import type { RealTenant } from './realTenant';

/** demo/teams-call-participant.workflow.json, as n8n saved it; from source (tests) or from build/demo (npm run demo). */
function workflowFile(): string {
	const here = __dirname.includes(`${join('build', 'demo')}`) ? join(__dirname, '..', '..', 'demo') : __dirname;
	return join(here, 'teams-call-participant.workflow.json');
}

/** The demo workflow, pointed at the real tenant's call and invitees when given. */
export function loadDemoWorkflow(tenant?: RealTenant): WorkflowJson {
	const workflow = JSON.parse(readFileSync(workflowFile(), 'utf8')) as WorkflowJson;
	const invite = workflow.nodes.find((node: INode) => node.name === 'Invite Participants');
	if (!invite) throw new Error('The demo workflow has no "Invite Participants" node');
	if (tenant) {
		invite.parameters.callId = tenant.callId;
		const [user, phone] = (invite.parameters.participants as { participant: IDataObject[] }).participant;
		if (tenant.userId) user.id = tenant.userId;
		if (tenant.phone) phone.id = tenant.phone;
	}
	return workflow;
}
