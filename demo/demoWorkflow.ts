import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowJson } from '../test/helpers/engine';
import type { RealTenant } from './realTenant';

/** demo/teams-call.workflow.json, as n8n saved it; from source (tests) or from build/demo (npm run demo). */
function workflowFile(): string {
	const here = __dirname.includes(`${join('build', 'demo')}`) ? join(__dirname, '..', '..', 'demo') : __dirname;
	return join(here, 'teams-call.workflow.json');
}

function nodeNamed(workflow: WorkflowJson, name: string): INode {
	const node = workflow.nodes.find((candidate: INode) => candidate.name === name);
	if (!node) throw new Error(`The demo workflow has no "${name}" node`);
	return node;
}

/** The demo workflow, pointed at the real tenant's meeting, callback URL and invitees when given. */
export function loadDemoWorkflow(tenant?: RealTenant): WorkflowJson {
	const workflow = JSON.parse(readFileSync(workflowFile(), 'utf8')) as WorkflowJson;
	const joinMeeting = nodeNamed(workflow, 'Join Meeting');
	const invite = nodeNamed(workflow, 'Invite Participants');
	if (tenant) {
		joinMeeting.parameters.joinUrl = tenant.joinUrl;
		joinMeeting.parameters.callbackUrl = tenant.callbackUrl;
		const [user, phone] = (invite.parameters.participants as { participant: IDataObject[] }).participant;
		if (tenant.userId) user.id = tenant.userId;
		if (tenant.phone) phone.id = tenant.phone;
	}
	return workflow;
}
