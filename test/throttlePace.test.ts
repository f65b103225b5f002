/**
 * The pace the app throttle learns, on its own clock (test/helpers/virtualGraph.ts: virtual time, Graph's limit as the
 * emulator counts it): the worst cases of bench (e) and of queue mode, where a pace learned low in the first second was
 * kept until a quiet minute.
 */
import { AppThrottle } from '../nodes/shared/transport/appThrottle';
import { startProcess, VirtualClock, VirtualGraph } from './helpers/virtualGraph';

const RATE = 20;

describe('The first pace, from a burst whose answers arrive out of send order', () => {
	it('counts every request of the burst that Graph accepted, not only those sent before the first refused one', async () => {
		let clock = 0;
		const throttle = new AppThrottle(() => clock);
		// 50 requests sent at 0–49 ms at once, each on a new connection: those sent at 0–9 and 30–39 ms reached Graph
		// first and were accepted (20, the limit), the other 30 were refused (Retry-After 1 s). Answers at 100–149 ms.
		for (let sentAt = 0; sentAt < 50; sentAt++) {
			clock = 100 + sentAt;
			if (sentAt < 10 || (sentAt >= 30 && sentAt < 40)) throttle.acceptedAt(sentAt);
			else throttle.throttled(sentAt, 1000);
		}
		clock = 1200; // the hold is over: the next request sets the pace
		await throttle.acquire(async (ms) => {
			clock += ms;
		});
		// Before: 9.5/s, from the 10 accepted requests sent before the first refused one (sent at 10 ms), kept for a
		// minute: bench (e)'s run of 83.9 s (1.68× its bound).
		expect(throttle.pacePerSecond).toBeCloseTo(19, 5);
	});

	it('five executions × 200 under 20 requests/s, the first burst of 50 reaching Graph in a shuffled order: within 1.1× the bound', async () => {
		const clock = new VirtualClock();
		const graph = new VirtualGraph(clock, RATE);
		// The first 50 requests, sent 1 ms apart, reach Graph 0–40 ms late, in an order unrelated to their send order.
		const run = startProcess(graph, 1000, 50, { staggerMs: 1, extraDelayMs: (request) => (request < 50 ? (request * 37) % 41 : 0) });

		await clock.runUntil(() => run.finishedAt !== undefined, 200_000);

		expect(run.done).toBe(1000);
		// Before: 80.1 s (paced at 9.5/s until the quiet minute, as in bench (e)'s run of 83.9 s); now 54.7 s. Bound: 50 s.
		expect(run.finishedAt).toBeLessThanOrEqual(55_000);
		// The first burst: 50 sent at once, 30 refused, and 20 more sent as the first answers came in, before the 429s did.
		expect(run.requests).toBeLessThanOrEqual(1060);
	});
});

describe('A pace learned low while the limit is really higher', () => {
	it('probes past the ceiling it learned once Graph has refused nothing for a while: back near the limit', async () => {
		const clock = new VirtualClock();
		// Graph allows 10/s for the first 3 s (another process took half the app's limit), then the whole 20/s.
		const graph = new VirtualGraph(clock, 10);
		const run = startProcess(graph, 600, 10);
		await clock.runUntil(() => clock.now >= 3000, 10_000);
		expect(run.throttle.pacePerSecond).toBeLessThan(10);
		graph.limiter.setLimit(RATE);

		await clock.runUntil(() => run.finishedAt !== undefined, 200_000);

		expect(run.done).toBe(600);
		// Before: paced at 9.5/s until the quiet minute (62.3 s). Now the pace rises past 9.5/s after 15 s without a
		// refusal and settles just under the limit at the probe's first refusal (43.3 s).
		expect(run.finishedAt).toBeLessThanOrEqual(45_000);
		expect(graph.acceptedPerSecond.slice(27, 38).every((accepted) => accepted >= 18)).toBe(true);
		expect(run.refused).toBeLessThanOrEqual(30);
	});

	it('two processes of the app share the limit unequally; the one left alone climbs back to the limit (queue mode)', async () => {
		const clock = new VirtualClock();
		const graph = new VirtualGraph(clock, RATE);
		// Two workers of one app, started at once: the first has 14 requests in flight and 150 items, the second 6 and 450.
		const first = startProcess(graph, 150, 14);
		const second = startProcess(graph, 450, 6);

		await clock.runUntil(() => first.finishedAt !== undefined && second.finishedAt !== undefined, 200_000);

		// Each learns its share of the first second (about 13 and 6 per second). Before: the second, alone from 11 s,
		// went on at its share until the quiet minute (66.7 s in all); now it probes from 16 s (41.0 s). Bound: 30 s.
		expect(second.finishedAt).toBeLessThanOrEqual(45_000);
		expect(first.refused + second.refused).toBeLessThanOrEqual(60);
	});
});

describe('Two processes of the app, each paced at what it alone got accepted', () => {
	it('the refusals that come one at a time while paced above the shared limit cut the pace (queue mode)', async () => {
		const clock = new VirtualClock();
		const graph = new VirtualGraph(clock, RATE);
		// The second worker starts 1.5 s after the first: each meets the limit alone, and learns 19/s.
		const first = startProcess(graph, 250, 50, { staggerMs: 1 });
		await clock.runUntil(() => clock.now >= 1500, 10_000);
		const second = startProcess(graph, 250, 50, { staggerMs: 1 });

		await clock.runUntil(() => first.finishedAt !== undefined && second.finishedAt !== undefined, 400_000);

		// Together 38/s for a limit of 20: each meets one refusal at a time, each with its second's hold, and a lone 429
		// cut nothing: refusal, hold, burst until a quiet minute (`npm run test:queue`: 38.1 s, 1.52×). Before: 42.4 s,
		// 136 refused; now 35.1 s. Bound: 25 s.
		expect(Math.max(first.finishedAt ?? Infinity, second.finishedAt ?? Infinity)).toBeLessThanOrEqual(37_500);
	});
});

describe('Paced from its first request', () => {
	it('an execution that starts after another met the limit meets no refusal at all', async () => {
		const clock = new VirtualClock();
		const graph = new VirtualGraph(clock, RATE);
		const throttle = new AppThrottle(() => clock.now);
		const first = startProcess(graph, 60, 10, { throttle });
		await clock.runUntil(() => first.finishedAt !== undefined, 60_000);
		expect(first.refused).toBeGreaterThan(0);

		const second = startProcess(graph, 60, 10, { throttle });
		await clock.runUntil(() => second.finishedAt !== undefined, 60_000);

		// The engine test of the same case allows 3 refusals (a stall on a loaded machine bunches paced sends); on the
		// throttle's own clock there is no stall: none.
		expect(second.refused).toBe(0);
		expect(second.requests).toBe(60);
	});
});

describe('A ceiling that is right costs little', () => {
	it('one process, 1000 items under 20 requests/s for 50 s: within 1.1× the bound, few refusals', async () => {
		const clock = new VirtualClock();
		const graph = new VirtualGraph(clock, RATE);
		const run = startProcess(graph, 1000, 50);

		await clock.runUntil(() => run.finishedAt !== undefined, 200_000);

		// The first second costs 50 refusals (see above). Each probe past a right ceiling costs a refusal and its
		// Retry-After (a second for everyone): rare (after 15 s, then a minute).
		expect(run.finishedAt).toBeLessThanOrEqual(55_000);
		expect(run.refused).toBeLessThanOrEqual(55);
	});
});
