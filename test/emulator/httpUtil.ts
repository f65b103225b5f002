/** Small HTTP helpers shared by the Entra and Graph emulators. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export function newGuid(): string {
	return randomUUID();
}

/** Reads the whole request body as UTF-8 text (empty string when there is none). */
export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Flattens request headers into single strings (arrays joined with ', '). */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Sends a JSON answer unless the response was already ended or the socket is gone. */
export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.writableEnded || res.destroyed) return;
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...headers,
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
	if (res.writableEnded || res.destroyed) return;
	res.writeHead(status, { ...headers, 'content-length': 0 });
	res.end();
}

export function sendRaw(
	res: ServerResponse,
	status: number,
	contentType: string,
	text: string,
	headers: Record<string, string> = {},
): void {
	if (res.writableEnded || res.destroyed) return;
	res.writeHead(status, {
		...headers,
		'content-type': contentType,
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** Graph's error timestamp format: ISO 8601 without milliseconds or zone. */
export function graphDate(now = new Date()): string {
	return now.toISOString().slice(0, 19);
}

export function htmlPage(status: number): string {
	return (
		'<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>' +
		`<body><h1>HTTP Error ${status}</h1><p>The service is temporarily unavailable.</p></body></html>\n`
	);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request handler that answers 500 (with `failureBody`) instead of crashing when `handle` throws. */
export function guardedHandler(
	server: string,
	handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
	failureBody: unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handle(req, res).catch((error: unknown) => {
			process.stderr.write(`[emulator] ${server} handler error: ${String(error)}\n`);
			if (!res.headersSent) sendJson(res, 500, failureBody);
		});
	};
}
