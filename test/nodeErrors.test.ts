import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { apiError, operationError } from '../nodes/shared/transport/nodeErrors';

/** n8n's error classes rewrite messages that mention Node.js error codes; ours must keep the user's words. */

const NODE: INode = { id: '1', name: 'Teams Call Participant', type: 'n8n-nodes-teams-call.teamsCallParticipant', typeVersion: 1, position: [0, 0], parameters: {} };

/** The codes whose mention makes n8n (1.x and 2.x) replace a message with its generic text. */
const NODE_JS_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EADDRNOTAVAIL', 'ECONNABORTED', 'EHOSTUNREACH', 'EAI_AGAIN', 'ENOENT', 'EACCES', 'EPERM', 'GETADDRINFO'];

describe.each(NODE_JS_CODES)('a message that mentions %s', (code) => {
	const message = `Could not invite the participants: the request to graph.example failed (${code}). The request may have reached Graph: it was not sent again, to avoid inviting twice.`;

	it('is rewritten by n8n\'s own classes (why the helpers exist)', () => {
		expect(new NodeApiError(NODE, { message: code }, { message }).message).not.toBe(message);
		expect(new NodeOperationError(NODE, message).message).not.toBe(message);
	});

	it('survives as a NodeApiError and a NodeOperationError built by the helpers', () => {
		const api = apiError(NODE, { message: code }, { message, itemIndex: 2 });
		expect(api).toBeInstanceOf(NodeApiError);
		expect(api.message).toBe(message);
		expect(api.context.itemIndex).toBe(2);
		const operation = operationError(NODE, message, { itemIndex: 3 });
		expect(operation).toBeInstanceOf(NodeOperationError);
		expect(operation.message).toBe(message);
	});
});
