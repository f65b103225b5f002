/**
 * Preloaded into the n8n processes of the benchmark (NODE_OPTIONS=--require=…/maxRss.cjs): when BENCH_RSS_FILE is
 * set, writes this process's peak resident memory (getrusage maxRSS, kB) and, garbage collected first when run with
 * --expose-gc, the heap still in use at exit, there on exit.
 * The variable is removed from the environment at once, so that n8n's own children (the task runner) do not
 * overwrite the file.
 */
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
	delete process.env.BENCH_RSS_FILE;
	process.on('exit', () => {
		try {
			const peak = process.resourceUsage().maxRSS;
			// With --expose-gc: the heap still in use at the end (run data included), garbage collected first.
			if (typeof globalThis.gc === 'function') globalThis.gc();
			const memory = process.memoryUsage();
			require('node:fs').writeFileSync(
				file,
				JSON.stringify({ pid: process.pid, maxRssKb: peak, rss: memory.rss, heapUsedAfterGc: memory.heapUsed, external: memory.external }),
			);
		} catch {
			/* nothing to report */
		}
	});
}
