import type { IDataObject } from 'n8n-workflow';

import type { RequestLogEntry } from '../test/emulator/types';

/** Readable console output for the demo: each node's items, then the requests Graph (the emulator) received. */

const MAX_LINES = 40;

export function printNodeOutput(name: string, items: IDataObject[], error?: string): void {
	console.log(`\n── ${name} ${'─'.repeat(Math.max(3, 60 - name.length))}`);
	if (error) console.log(`  error: ${error}`);
	console.log(`  ${items.length} item(s)`);
	items.forEach((json, index) => {
		const lines = JSON.stringify(json, null, 2).split('\n');
		const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `  … (${lines.length - MAX_LINES} more lines)`] : lines;
		console.log(`  [${index}] ${shown.join('\n      ')}`);
	});
}

export function printGraphRequests(log: RequestLogEntry[]): void {
	console.log(`\n── Requests the emulator received ${'─'.repeat(28)}`);
	for (const entry of log) {
		const path = decodeURIComponent(entry.path).replace(/^\/v1\.0/, '');
		console.log(`  ${entry.server.padEnd(5)} ${entry.method.padEnd(6)} ${String(entry.status).padEnd(4)} ${path}`);
		if (entry.route === 'invite' || entry.route === 'createCall') console.log(`        body: ${JSON.stringify(entry.body)}`);
	}
}
