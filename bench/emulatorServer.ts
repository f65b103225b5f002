/**
 * The emulator for `npm run bench`: one process for the whole benchmark, the same Entra + Graph as
 * `npm run emulator` (test/emulator, options from the same EMULATOR_* variables), plus a small control endpoint
 * (plain HTTP on 127.0.0.1, random port, printed as CONTROL_URL=) so that the bench can reset the counters, set up
 * calls and change latency / rate limit between runs:
 *
 *   POST /reset                       clear log, stats, faults and calls (the demo meeting is back, as at start)
 *   POST /configure  {graphLatencyMs?, tokenLatencyMs?, rateLimitPerSecond? (null = no limit)}
 *   POST /calls      {calls: [{id, participantIds: [...]}]}   add established calls with these participants
 *   GET  /stats      counters (graphRequests, maxInFlight, tokenRequests, throttled, graphRequestsByRoute, ...)
 *   GET  /removals   from the request log: 204 answers to DELETE participant per "call/participant", 404s, 429s,
 *                    Graph requests, token requests, the first and last Graph request's time, and the participants
 *                    still in each call, and per second from the first Graph request the requests accepted and refused
 *
 * It is a local fake: the client secret it prints is meant to be printed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeOnSignal, connectionLines, DEMO_MEETING, startFromEnv } from '../test/emulator/cli';
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

/** What the queue-mode suite checks: each participant removed once, none lost. */
function removals(emulator: Emulator, callIds: ReadonlySet<string>): Record<string, unknown> {
	const removed: Record<string, number> = {};
	let notFound = 0;
	let throttled = 0;
	let graphRequests = 0;
	let tokenRequests = 0;
	let firstAt: number | undefined;
	let lastAt: number | undefined;
	/** Per second from the first Graph request: requests Graph accepted, and requests it refused with 429. */
	const perSecond = { accepted: [] as number[], refused: [] as number[] };
	for (const entry of emulator.log) {
		if (entry.route === 'token') tokenRequests++;
		if (entry.server !== 'graph') continue;
		graphRequests++;
		firstAt ??= entry.at;
		lastAt = entry.at;
		const second = Math.floor((entry.at - firstAt) / 1000);
		for (const counts of [perSecond.accepted, perSecond.refused]) while (counts.length <= second) counts.push(0);
		(entry.status === 429 ? perSecond.refused : perSecond.accepted)[second]++;
		if (entry.status === 429) throttled++;
		if (entry.route !== 'deleteParticipant') continue;
		if (entry.status === 404) notFound++;
		if (entry.status !== 204) continue;
		const [callId, , participantId] = entry.path.split('?')[0].split('/').slice(-3).map(decodeURIComponent);
		const key = `${callId}/${participantId}`;
		removed[key] = (removed[key] ?? 0) + 1;
	}
	const remaining: Record<string, number> = {};
	for (const id of callIds) remaining[id] = emulator.getCall(id)?.participants.size ?? 0;
	return { removed, notFound, throttled, graphRequests, tokenRequests, remaining, firstAt, lastAt, perSecond };
}

function control(emulator: Emulator): http.RequestListener {
	const callIds = new Set<string>();
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
			if (route === 'GET /removals') return answer(200, removals(emulator, callIds));
			const body = await readJson(req);
			if (route === 'POST /reset') {
				emulator.reset();
				// The meeting a Join Meeting example joins (test:queue's meeting guard), as startFromEnv adds it.
				emulator.addMeeting(DEMO_MEETING);
				callIds.clear();
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
					callIds.add(call.id);
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
