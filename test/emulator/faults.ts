/** Fault injection (FaultRule matching and answering) and the sliding-window rate limiter. */
import type { ServerResponse } from 'node:http';
import type { FaultKind, FaultRule } from './types';
import { htmlPage, sendJson, sendRaw } from './httpUtil';

interface RuleState {
	rule: FaultRule;
	seen: number;
	applied: number;
}

export interface MatchedFault {
	fault: FaultKind;
	processFirst: boolean;
}

/** mulberry32: a small seeded generator, so that a run's random faults can be asked for again. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class FaultEngine {
	private rules: RuleState[] = [];
	private random: () => number = Math.random;

	/** Rules with a probability draw from a generator seeded with `seed` from now on. */
	seed(seed: number): void {
		this.random = seededRandom(seed);
	}

	add(rule: FaultRule): void {
		this.rules.push({ rule, seen: 0, applied: 0 });
	}

	clear(): void {
		this.rules = [];
	}

	/** Finds the first rule that fires for this request (and counts it). `route` is 'token' or a Graph route. */
	match(route: string): MatchedFault | undefined {
		if (this.rules.length === 0) return undefined;
		for (const state of this.rules) {
			const { rule } = state;
			const routeMatches =
				rule.route === route || (rule.route === '*' && route !== 'token');
			if (!routeMatches) continue;
			if (state.applied >= (rule.times ?? 1)) continue;
			state.seen++;
			if (state.seen <= (rule.after ?? 0)) continue;
			const probability = rule.probability ?? 1;
			if (probability < 1 && this.random() >= probability) continue;
			state.applied++;
			return { fault: rule.fault, processFirst: rule.processFirst === true };
		}
		return undefined;
	}
}

export interface FaultAnswerContext {
	/** Headers every answer carries (request-id, ...). */
	baseHeaders: Record<string, string>;
	/** Default error body for a status (Graph- or Entra-shaped). */
	errorBody: (status: number) => unknown;
	/** Answers 401 after revoking the presented token (expireToken). Returns the status sent. */
	expireToken: () => number;
	/** Runs fn after ms on a timer the emulator clears on close. */
	schedule: (ms: number, fn: () => void) => void;
}

/** Answers a fault. Returns the HTTP status sent (0 when the connection was dropped). */
export function answerFault(res: ServerResponse, fault: FaultKind, ctx: FaultAnswerContext): number {
	switch (fault.kind) {
		case 'status': {
			const headers: Record<string, string> = { ...ctx.baseHeaders, ...(fault.headers ?? {}) };
			if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
			const body = fault.body === undefined ? ctx.errorBody(fault.status) : fault.body;
			if (typeof body === 'string') {
				sendRaw(res, fault.status, 'text/plain; charset=utf-8', body, headers);
			} else {
				sendJson(res, fault.status, body, headers);
			}
			return fault.status;
		}
		case 'reset':
			res.socket?.destroy();
			res.destroy();
			return 0;
		case 'stall': {
			ctx.schedule(fault.ms, () => {
				res.socket?.destroy();
				res.destroy();
			});
			return 0;
		}
		case 'malformed':
			sendRaw(res, 200, 'application/json; charset=utf-8', '{"value": [', ctx.baseHeaders);
			return 200;
		case 'html':
			sendRaw(res, fault.status, 'text/html; charset=utf-8', htmlPage(fault.status), ctx.baseHeaders);
			return fault.status;
		case 'expireToken':
			return ctx.expireToken();
		case 'endCall':
			throw new Error('the endCall fault is handled by the Graph server before answering');
	}
}

/**
 * Sliding 1-second window over admitted requests: a ring buffer of the last `limit` admission times.
 * Throttled requests are not counted.
 */
export class RateLimiter {
	private times: Float64Array = new Float64Array(0);
	private next = 0;
	private limit: number | undefined;

	constructor(limit?: number) {
		this.setLimit(limit);
	}

	setLimit(limit: number | undefined): void {
		const normalized =
			limit !== undefined && Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : undefined;
		if (normalized === this.limit) return;
		this.limit = normalized;
		this.times = new Float64Array(this.limit ?? 0).fill(-Infinity);
		this.next = 0;
	}

	/** Admits the request (returns undefined) or returns the Retry-After seconds (≥ 1). */
	check(now = Date.now()): number | undefined {
		if (this.limit === undefined || this.times.length === 0) return undefined;
		const oldest = this.times[this.next];
		if (now - oldest < 1000) {
			return Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
		}
		this.times[this.next] = now;
		this.next = (this.next + 1) % this.times.length;
		return undefined;
	}

	reset(): void {
		this.times.fill(-Infinity);
		this.next = 0;
	}
}
