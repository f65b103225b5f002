/**
 * The emulator for `npm run bench`: one process for the whole benchmark, the same Entra + Graph as
 * `npm run emulator` (test/emulator, options from the same EMULATOR_* variables), plus a small control endpoint
 * (plain HTTP on 127.0.0.1, random port, printed as CONTROL_URL=) so that the bench can reset the counters, set up
 * calls and change latency / rate limit between runs:
 *
 *   POST /reset                       clear log, stats, faults and calls
 *   POST /configure  {graphLatencyMs?, tokenLatencyMs?, rateLimitPerSecond? (null = no limit)}
 *   POST /calls      {calls: [{id, participantIds: [...]}]}   add established calls with these participants
 *   GET  /stats      counters (graphRequests, maxInFlight, tokenRequests, throttled, graphRequestsByRoute, ...)
 *
 * It is a local fake: the client secret it prints is meant to be printed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeOnSignal, connectionLines, startFromEnv } from '../test/emulator/cli';
import type { Emulator, EmulatorOptions } from '../test/emulator/types';

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
			} catch (error) {
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		});
		req.on('error', reject);
	});
}

function control(emulator: Emulator): http.RequestListener {
	return (req, res) => {
		const answer = (status: number, body: unknown): void => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		(async () => {
			const route = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
			if (route === 'GET /stats') {
				const stats = emulator.stats();
				return answer(200, { ...stats, invitesByClientContext: stats.invitesByClientContext.size });
			}
			const body = await readJson(req);
			if (route === 'POST /reset') {
				emulator.reset();
				return answer(200, { ok: true });
			}
			if (route === 'POST /configure') {
				const next: EmulatorOptions = {};
				for (const key of ['graphLatencyMs', 'tokenLatencyMs', 'inviteCompletionMs'] as const) {
					if (typeof body[key] === 'number') next[key] = body[key];
				}
				if ('rateLimitPerSecond' in body) {
					next.rateLimitPerSecond = typeof body.rateLimitPerSecond === 'number' ? body.rateLimitPerSecond : undefined;
				}
				emulator.configure(next);
				return answer(200, { ok: true, options: emulator.options });
			}
			if (route === 'POST /calls') {
				const calls = Array.isArray(body.calls) ? (body.calls as Array<{ id: string; participantIds?: string[] }>) : [];
				let participants = 0;
				for (const call of calls) {
					const ids = call.participantIds ?? [];
					emulator.addCall({ id: call.id, participants: ids.map((id) => ({ id })) });
					participants += ids.length;
				}
				return answer(200, { ok: true, calls: calls.length, participants });
			}
			return answer(404, { error: `no route ${route}` });
		})().catch((error: unknown) => answer(500, { error: error instanceof Error ? error.message : String(error) }));
	};
}

async function main(): Promise<void> {
	const { emulator, call, caFile } = await startFromEnv('teams-call-bench-ca');
	const server = http.createServer(control(emulator));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const lines = [
		'Teams call emulator for the benchmark (local fake Entra + Graph; the secret below is printed on purpose)',
		...connectionLines(emulator, call, caFile),
		`CONTROL_URL=http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		'Press Ctrl+C to stop.',
	];
	process.stdout.write(lines.join('\n') + '\n');
	closeOnSignal(emulator, () => server.close());
}

main().catch((error: unknown) => {
	process.stderr.write(`bench emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
