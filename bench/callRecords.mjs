#!/usr/bin/env node
/**
 * Bench workload (g), issue 18 "Performance": reading a month of call records (RECORDS records, PSTN_ROWS PSTN rows)
 * against an emulator with Graph latency LATENCY ms, in n8n 2.41.1 (`n8n execute`, as workloads a–e), each read once
 * per run:
 *  - this node: Teams Call Record Get Many (Return All; Simplify off, the records as Graph lists them, and Simplify on)
 *    and Get PSTN Calls for the month; and, once, Get Many with Limit 1: the `n8n execute` process's floor;
 *  - n8n's HTTP Request node with pagination (next URL = `@odata.nextLink`), starting at the same first URL as ours,
 *    with a warm bearer token in a header (one item per page), and the same followed by Split Out (one item per row).
 * Figures: requests made (the emulator's log) against the pages Graph must serve (ceil(rows ÷ page size)), the node's
 * execution time against pages × latency, items out, and the `n8n execute` process's peak RSS (bench/maxRss.cjs),
 * side by side with HTTP Request's for the same pages (ratio as measured and above the floor).
 *
 * Run: `node scripts/node24.mjs node bench/callRecords.mjs` (or `BENCH_WORKLOADS=g npm run bench`).
 * Environment (defaults): BENCH_G_RECORDS (5000), BENCH_G_PSTN_ROWS (20000), BENCH_G_LATENCY_MS (50), BENCH_G_RUNS (1),
 * BENCH_KEEP=1. Writes bench/callRecords.results.json and prints the Markdown rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import {
	assert,
	buildAndPack,
	configureHarness,
	defaultInstall,
	emulatorCredential,
	freePort,
	installPackage,
	n8n,
	n8nEnv,
	N8N_VERSION,
	parseRun,
	provisionN8n,
	repo,
	run,
	startEmulator,
	stopAllChildren,
	tail,
} from '../scripts/n8nHarness.mjs';
import { httpsJson, obtainToken } from './incomingCall.mjs';

const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const RECORDS = num('BENCH_G_RECORDS', 5000);
const PSTN_ROWS = num('BENCH_G_PSTN_ROWS', 20_000);
const LATENCY_MS = num('BENCH_G_LATENCY_MS', 50);
const RUNS = num('BENCH_G_RUNS', 1);
/** The emulator's page sizes (test/emulator/callRecords/store.ts), as Graph's: records 60, reports 1000. */
const PAGE = { records: 60, pstn: 1000 };
const CREDENTIAL = { id: 'benchGraphEmulatorG', name: 'Microsoft Graph App (bench emulator)' };
const NODE = 'Contender';
const DAY_MS = 86_400_000;

function say(text) {
	process.stdout.write(`bench g: ${text}\n`);
}

/** A month (the last 29 days) of records, one session each, and PSTN rows, spread evenly. */
function seedOf(fromMs, toMs) {
	const span = toMs - fromMs;
	const records = Array.from({ length: RECORDS }, (_, i) => {
		const start = fromMs + Math.floor((span * i) / RECORDS);
		return {
			type: 'peerToPeer',
			availableAt: 0,
			sessions: [
				{
					caller: { id: randomUUID(), displayName: `Caller ${i}` },
					callee: { id: randomUUID(), displayName: `Callee ${i}` },
					startDateTime: new Date(start).toISOString(),
					endDateTime: new Date(start + 120_000).toISOString(),
				},
			],
		};
	});
	const pstnCalls = Array.from({ length: PSTN_ROWS }, (_, i) => ({ startDateTime: new Date(fromMs + Math.floor((span * i) / PSTN_ROWS)).toISOString() }));
	return { records, pstnCalls };
}

/** Start → the nodes given, in a row; the last one is named NODE (its items are the read's output). */
function workflow(id, ...chain) {
	const names = ['Start', ...chain.map((node, i) => (i === chain.length - 1 ? NODE : node.name ?? `Step ${i + 1}`))];
	return {
		id,
		name: `bench g: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...chain.map((node, i) => ({ id: randomUUID(), position: [240 * (i + 1), 0], ...node, name: names[i + 1] })),
		],
		connections: Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }])),
		pinData: {},
	};
}

/** n8n's own way to one item per row: Split Out on the pages' `value`. */
const SPLIT_OUT = { type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'value', include: 'noOtherFields', options: {} } };

function oursNode(parameters) {
	return { type: 'n8n-nodes-teams-call.teamsCallRecord', typeVersion: 1, parameters, credentials: { microsoftGraphAppApi: CREDENTIAL } };
}

function httpNode(url, token) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'responseContainsNextURL',
						nextURL: '={{ $response.body["@odata.nextLink"] }}',
						paginationCompleteWhen: 'other',
						completeExpression: '={{ !$response.body["@odata.nextLink"] }}',
						requestInterval: 0,
					},
				},
			},
		},
	};
}

async function execute(ctx, id) {
	const rssFile = join(ctx.work, `rss-${id}-${Date.now()}.json`);
	const env = {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		NODE_OPTIONS: `--require=${join(repo, 'bench', 'maxRss.cjs')}`,
		BENCH_RSS_FILE: rssFile,
	};
	// stdout to a file: through a pipe, n8n exits before tens of MB of run data are written out.
	const outFile = join(ctx.work, `out-${id}-${Date.now()}.json`);
	const result = await run('sh', ['-c', `exec "$0" "$@" > "${outFile}"`, defaultInstall.node, defaultInstall.bin, 'execute', `--id=${id}`, '--rawOutput'], {
		cwd: ctx.userFolder,
		env: { ...ctx.env, ...env },
		timeoutMs: 600_000,
	});
	const stdout = readFileSync(outFile, 'utf8');
	rmSync(outFile, { force: true });
	assert(result.code === 0, `execute ${id}: exit ${result.code}\n${tail(stdout + result.stderr)}`);
	const allRuns = parseRun(stdout).data.resultData.runData;
	const runData = allRuns[NODE][0];
	assert(!runData.error, `${id}: ${runData.error?.message}`);
	const items = runData.data.main[0];
	const rows = items.reduce((sum, item) => sum + (Array.isArray(item.json.value) ? item.json.value.length : 1), 0);
	const rss = JSON.parse(readFileSync(rssFile, 'utf8'));
	// Every node after Start: HTTP Request and Split Out count together.
	const wallMs = Object.entries(allRuns).filter(([name]) => name !== 'Start').reduce((sum, [, runs]) => sum + runs[0].executionTime, 0);
	return { wallMs, items: items.length, rows, peakRssMb: rss.maxRssKb / 1024 };
}

export async function runCallRecordsBench({ out = join(repo, 'bench') } = {}) {
	const t0 = Date.now();
	const loadBefore = loadavg();
	const work = mkdtempSync(join(tmpdir(), 'teams-call-bench-g-'));
	try {
		await provisionN8n();
		const packed = await buildAndPack(work, { outName: 'bench-g' });
		const emulator = await startEmulator(work, {
			script: join(repo, 'build', 'bench-g', 'test', 'emulator', 'cli.js'),
			env: { EMULATOR_GRAPH_LATENCY_MS: String(LATENCY_MS) },
			keys: ['PLATFORM_URL', 'NOTIFICATION_OPENID_URL'],
		});
		const { values, caPem } = emulator;
		const control = (path, body) => httpsJson(`${values.PLATFORM_URL}${path}`, caPem, body === undefined ? {} : { method: 'POST', body });
		const toMs = Date.now() - 3_600_000;
		const fromMs = toMs - 29 * DAY_MS;
		// In chunks: the emulator refuses bodies over its size limit.
		const seed = seedOf(fromMs, toMs);
		for (let i = 0; i < seed.records.length; i += 500) await control('/control/callRecords', { records: seed.records.slice(i, i + 500) });
		for (let i = 0; i < seed.pstnCalls.length; i += 2000) await control('/control/callRecords', { pstnCalls: seed.pstnCalls.slice(i, i + 2000) });
		const userFolder = join(work, 'user');
		mkdirSync(userFolder, { recursive: true });
		const ctx = { work, userFolder, outputs: [], keepOutputs: false };
		// NODE_EXTRA_CA_CERTS: HTTP Request verifies the emulator's TLS certificate with its CA.
		ctx.env = { ...n8nEnv(userFolder, await freePort(), await freePort()), NODE_EXTRA_CA_CERTS: values.CA_FILE };
		await installPackage(userFolder, packed);
		const credentialsFile = join(work, 'g-credentials.json');
		writeFileSync(
			credentialsFile,
			JSON.stringify([emulatorCredential(values, caPem, CREDENTIAL)]),
		);
		assert((await n8n(ctx, ['import:credentials', `--input=${credentialsFile}`])).code === 0, 'import:credentials failed');
		rmSync(credentialsFile, { force: true });
		const from = new Date(fromMs).toISOString();
		const to = new Date(toMs + 60_000).toISOString();
		const ours = {
			// Simplify off: the records as Graph lists them, the same data as HTTP Request's pages.
			records: workflow('benchGoursRecords', oursNode({ operation: 'getMany', startFrom: from, startTo: to, returnAll: true, simplify: false, options: {} })),
			recordsSimplified: workflow('benchGoursRecordsSimple', oursNode({ operation: 'getMany', startFrom: from, startTo: to, returnAll: true, options: {} })),
			pstn: workflow('benchGoursPstn', oursNode({ operation: 'getPstnCalls', fromDateTime: from, toDateTime: to, options: {} })),
			// The process's own floor: the same n8n execute with one record out.
			floor: workflow('benchGoursFloor', oursNode({ operation: 'getMany', startFrom: from, startTo: to, returnAll: false, limit: 1, options: {} })),
		};
		const dir = join(work, 'g-workflows');
		mkdirSync(dir, { recursive: true });
		const importWorkflows = async (list) => {
			for (const w of list) writeFileSync(join(dir, `${w.id}.json`), JSON.stringify(w));
			const imported = await n8n(ctx, ['import:workflow', '--separate', `--input=${dir}`]);
			assert(imported.code === 0, `import:workflow: ${tail(imported.stderr || imported.stdout)}`);
			for (const w of list) rmSync(join(dir, `${w.id}.json`));
		};
		await importWorkflows(Object.values(ours));
		const graphLog = async () => (await control('/control/graphLog')).filter((e) => e.route !== 'unknown');
		const rows = [];
		const measure = async (kind, contender, id) => {
			const before = (await graphLog()).length;
			const r = await execute(ctx, id);
			const log = (await graphLog()).slice(before);
			const paths = log.map((e) => e.path);
			// The emulator's demo records and rows come on top of the seeded ones: pages of what the read returned.
			const pages = Math.max(1, Math.ceil(r.rows / (PAGE[kind] ?? PAGE.records)));
			const row = {
				kind,
				contender,
				...r,
				requests: log.length,
				repeated: paths.length - new Set(paths).size,
				pages,
				boundMs: pages * LATENCY_MS,
				firstPath: paths[0],
				loadavg1: loadavg()[0],
			};
			rows.push(row);
			say(`${kind} ${contender}: ${r.rows} rows in ${r.items} items, ${row.requests} requests (${pages} pages), ${Math.round(r.wallMs)} ms (bound ${row.boundMs} ms), peak RSS ${r.peakRssMb.toFixed(0)} MB`);
			return row;
		};
		const token = await obtainToken(values, caPem);
		for (let run = 0; run < RUNS; run++) {
			if (run === 0) await measure('floor', 'this node', ours.floor.id);
			const r = await measure('records', 'this node', ours.records.id);
			await measure('records', 'this node, Simplify', ours.recordsSimplified.id);
			const p = await measure('pstn', 'this node', ours.pstn.id);
			if (run === 0) {
				const recordsHttp = { name: 'HTTP Request', ...httpNode(`${values.GRAPH_URL}${r.firstPath}`, token) };
				const pstnHttp = { name: 'HTTP Request', ...httpNode(`${values.GRAPH_URL}${p.firstPath}`, token) };
				await importWorkflows([
					workflow('benchGhttpRecords', recordsHttp),
					workflow('benchGhttpPstn', pstnHttp),
					workflow('benchGhttpSplitRecords', recordsHttp, SPLIT_OUT),
					workflow('benchGhttpSplitPstn', pstnHttp, SPLIT_OUT),
				]);
			}
			await measure('records', 'HTTP Request + pagination', 'benchGhttpRecords');
			await measure('pstn', 'HTTP Request + pagination', 'benchGhttpPstn');
			await measure('records', 'HTTP Request + pagination + Split Out', 'benchGhttpSplitRecords');
			await measure('pstn', 'HTTP Request + pagination + Split Out', 'benchGhttpSplitPstn');
		}
		const report = {
			generatedAt: new Date().toISOString(),
			command: 'node scripts/node24.mjs node bench/callRecords.mjs',
			machine: `${cpus().length} × ${cpus()[0]?.model?.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, n8n ${N8N_VERSION}`,
			settings: { records: RECORDS, pstnRows: PSTN_ROWS, latencyMs: LATENCY_MS, runs: RUNS, pageSizes: PAGE },
			loadavgBefore: loadBefore,
			loadavgAfter: loadavg(),
			totalSeconds: (Date.now() - t0) / 1000,
			rows,
		};
		writeFileSync(join(out, 'callRecords.results.json'), JSON.stringify(report, null, 2));
		process.stdout.write(`${markdownRows(report)}\n`);
		return report;
	} finally {
		await stopAllChildren();
		if (process.env.BENCH_KEEP) say(`work folder ${work}`);
		else rmSync(work, { recursive: true, force: true });
	}
}

function readName(report, kind) {
	if (kind === 'records') return `${report.settings.records} records`;
	if (kind === 'pstn') return `${report.settings.pstnRows} PSTN rows`;
	return '1 record (the floor)';
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Peak RSS side by side, medians of the runs: each of this node's reads against HTTP Request's read of the same
 * pages, as measured and above the floor (the same `n8n execute` giving one record: n8n itself).
 */
export function memoryRows(report) {
	const peak = (kind, contender) => median(report.rows.filter((r) => r.kind === kind && r.contender === contender).map((r) => r.peakRssMb));
	const floor = peak('floor', 'this node');
	const lines = [
		`Peak RSS of the \`n8n execute\` process, medians; floor (one record out) ${floor.toFixed(0)} MB:`,
		'',
		'| read | this node | peak RSS MB | HTTP Request (one item per page) MB | ÷ it | ÷ it above the floor | HTTP Request + Split Out (one item per row) MB | ÷ it | ÷ it above the floor |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|',
	];
	const pairs = [['records', 'this node'], ['records', 'this node, Simplify'], ['pstn', 'this node']];
	const ratios = (ours, other) => (Number.isFinite(other) ? `${other.toFixed(0)} | ${(ours / other).toFixed(2)} | ${((ours - floor) / (other - floor)).toFixed(2)}` : '– | – | –');
	for (const [kind, contender] of pairs) {
		const ours = peak(kind, contender);
		if (!Number.isFinite(ours)) continue;
		lines.push(
			`| ${readName(report, kind)} | ${contender === 'this node' ? 'as Graph lists them' : 'Simplify (flat summary)'} | ${ours.toFixed(0)} | ` +
				`${ratios(ours, peak(kind, 'HTTP Request + pagination'))} | ${ratios(ours, peak(kind, 'HTTP Request + pagination + Split Out'))} |`,
		);
	}
	return lines.join('\n');
}

export function markdownRows(report) {
	const lines = [
		'| read | contender | rows out | items out | requests | pages Graph serves | repeated requests | node time s | pages × latency s | × bound | peak RSS MB | load |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const r of report.rows) {
		lines.push(
			`| ${readName(report, r.kind)} | ${r.contender} | ${r.rows} | ${r.items} | ${r.requests} | ${r.pages} | ${r.repeated} | ` +
				`${(r.wallMs / 1000).toFixed(2)} | ${(r.boundMs / 1000).toFixed(2)} | ${(r.wallMs / r.boundMs).toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.loadavg1.toFixed(2)} |`,
		);
	}
	return `${lines.join('\n')}\n\n${memoryRows(report)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	configureHarness({ label: 'bench g' });
	runCallRecordsBench().then(
		() => process.exit(0),
		async (error) => {
			process.stderr.write(`bench g failed: ${error instanceof Error ? error.stack : String(error)}\n`);
			await stopAllChildren();
			process.exit(1);
		},
	);
}
