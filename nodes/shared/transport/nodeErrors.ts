import { type INode, type JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';

type NodeApiErrorOptions = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>;
type NodeOperationErrorOptions = NonNullable<ConstructorParameters<typeof NodeOperationError>[2]>;

/**
 * n8n's error classes replace any message that mentions a Node.js error code (ENOTFOUND, EAI_AGAIN, ECONNREFUSED,
 * EHOSTUNREACH, …, found anywhere in the text) with a generic sentence of their own, dropping the host and our
 * warnings ("may have reached Graph; not sent again"). These build the same n8n errors and keep our words.
 */

function keepMessage<T extends NodeApiError | NodeOperationError>(error: T, message: string): T {
	error.message = message;
	return error;
}

/** A NodeApiError whose message is exactly `options.message`. */
export function apiError(node: INode, response: JsonObject, options: NodeApiErrorOptions & { message: string }): NodeApiError {
	return keepMessage(new NodeApiError(node, response, options), options.message);
}

/** A NodeOperationError whose message is exactly `message`. */
export function operationError(node: INode, message: string, options: NodeOperationErrorOptions = {}): NodeOperationError {
	return keepMessage(new NodeOperationError(node, message, options), message);
}
