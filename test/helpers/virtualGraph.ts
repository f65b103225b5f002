/**
 * The app throttle on its own clock: virtual time, a Graph that limits requests per second as the emulator does (its
 * own sliding-window RateLimiter, by arrival time), and processes whose workers send items through their throttle as
 * the Graph client does (acquire, send, acceptedAt or throttled with Retry-After, the same item again after a 429).
 * No timers, no machine load: what the throttle decides, and only that, sets the figures.
 */
import { AppThrottle } from '../../nodes/shared/transport/appThrottle';
import { RateLimiter } from '../emulator/faults';

/** Virtual time: sleeps resolve in time order, each after everything the previous one set off has run. */
export class VirtualClock {
	now = 0;
	private timers: Array<{ at: number; order: number; fire: () => void }> = [];
	private order = 0;

	readonly sleep = async (ms: number): Promise<void> => {
		await new Promise<void>((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), order: this.order++, fire: resolve }));
	};

	/** Runs until `done()` or virtual `limitMs`; throws past it. */
	async runUntil(done: () => boolean, limitMs: number): Promise<void> {
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (done()) return;
			this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = this.timers.shift();
			if (next === undefined || next.at > limitMs) throw new Error(`not done by ${limitMs} ms of virtual time (now ${this.now})`);
			this.now = Math.max(this.now, next.at);
			next.fire();
		}
	}
}

export class VirtualGraph {
	readonly limiter: RateLimiter;
	/** Accepted requests per second of virtual time, by arrival. */
	readonly acceptedPerSecond: number[] = [];

	constructor(
		readonly clock: VirtualClock,
		limitPerSecond: number,
		/** Send to arrival; the answer takes as long again. */
		readonly oneWayMs = 25,
	) {
		this.limiter = new RateLimiter(limitPerSecond);
	}

	/** Undefined: accepted; otherwise the Retry-After in ms. */
	admit(): number | undefined {
		const retryAfter = this.limiter.check(this.clock.now);
		if (retryAfter !== undefined) return retryAfter * 1000;
		const second = Math.floor(this.clock.now / 1000);
		this.acceptedPerSecond[second] = (this.acceptedPerSecond[second] ?? 0) + 1;
		return undefined;
	}
}

export interface ProcessRun {
	readonly throttle: AppThrottle;
	requests: number;
	refused: number;
	done: number;
	finishedAt: number | undefined;
}

/**
 * One process of the app: `workers` items in flight at once (the node's Max Concurrent Requests, times the
 * executions), `items` to send. `staggerMs`: worker n starts n × staggerMs after the first. `extraDelayMs(n)`: an added
 * send-to-arrival delay for its n-th request (connections opened at the same moment that reach Graph in another order
 * than they were sent).
 */
export function startProcess(
	graph: VirtualGraph,
	items: number,
	workers: number,
	options: { throttle?: AppThrottle; extraDelayMs?: (request: number) => number; staggerMs?: number } = {},
): ProcessRun {
	const { clock } = graph;
	const throttle = options.throttle ?? new AppThrottle(() => clock.now);
	const run: ProcessRun = { throttle, requests: 0, refused: 0, done: 0, finishedAt: undefined };
	let next = 0;
	const worker = async (_: unknown, index: number): Promise<void> => {
		await clock.sleep(index * (options.staggerMs ?? 0));
		while (next < items) {
			next++;
			for (;;) {
				await run.throttle.acquire(clock.sleep);
				const sentAt = clock.now;
				const request = run.requests++;
				await clock.sleep(graph.oneWayMs + (options.extraDelayMs?.(request) ?? 0));
				const retryAfterMs = graph.admit();
				await clock.sleep(graph.oneWayMs);
				if (retryAfterMs === undefined) {
					run.throttle.acceptedAt(sentAt);
					break;
				}
				run.refused++;
				run.throttle.throttled(sentAt, retryAfterMs);
			}
			run.done++;
		}
	};
	void Promise.all(Array.from({ length: workers }, worker)).then(() => {
		run.finishedAt = clock.now;
	});
	return run;
}
