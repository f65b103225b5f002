import { ProcessCache } from '../processCache';

/**
 * Graph throttles per app and tenant, not per workflow: one AppThrottle per app, tenant and Graph host in this process,
 * shared by every execution that uses that app (as the token cache is).
 *
 * It does two things after Graph answers 429:
 * - holds every request until the Retry-After in force has passed (Graph's rule), and
 * - paces what follows at a rate learned from Graph's answers, so that the requests held by a Retry-After do not all
 *   fire at once when it ends and meet the limit again. The rate starts just under what Graph accepted in the second
 *   before the refusals (the most it accepted in the second before any refusal of the burst: requests sent at the same
 *   moment reach Graph in any order), steps down after further refusals and eases back up to just under the **ceiling**
 *   (what Graph accepted at the edge; lower when Graph accepted clearly less than the pace: the limit fell, or another
 *   process of the app takes a share; or when the pace is refused at the ceiling twice running: it was counted high),
 *   and is forgotten after a quiet minute (then nothing is paced).
 * - The ceiling is a hint, not a cap: learned from one second, it may be low (a first second distorted, a share taken by
 *   a process that has since finished), and pacing under it would never meet a refusal to learn better. So when Graph
 *   has refused nothing for a while (TRUST_MS, four times longer each time a probe confirms the ceiling) and requests wait for
 *   their turn, the pace probes upward past it, a quarter more every two seconds, until Graph refuses: the pace then
 *   comes back to just under what Graph accepted in the second before, the new ceiling.
 *
 * Nothing is paced before the first 429: the limit is unknown, and most runs never meet it. And a lone 429 changes no
 * pace: a run that meets Graph's limit gets several refusals within a second (every request over it), while a stray
 * 429 (a busy backend, one resource) comes alone. Paced from a stray one, an app that happened to be sending slowly at
 * that moment would crawl at that rate, and each further stray would cut it again. Every 429 is still honoured: its
 * Retry-After holds everyone. Once paced, refusals come one at a time (the pace lets few past the limit): three within
 * PACED_REFUSALS_MS cut the pace, weighed by what Graph accepted over those seconds (two processes of the app, each
 * paced at what it alone got accepted, take turns: each burst meets one refusal and its hold).
 */

/** The window over which accepted requests are counted to estimate the rate Graph allows. */
const WINDOW_MS = 1000;
/** The share of the observed accepted rate that pacing starts at: just under the limit. */
const START_SHARE = 0.95;
/** While Graph accepts, the rate rises by this share every EASE_EVERY_MS, up to just under the ceiling. */
const EASE_SHARE = 0.05;
const EASE_EVERY_MS = 2000;
/**
 * How long the ceiling is trusted after the pace last changed on a refusal, before the pace probes past it. Each probe
 * costs a refusal and its Retry-After (a second at least, for everyone), so it is rare; four times longer whenever a probe finds
 * the ceiling where it was (up to the quiet minute), back to this when the ceiling is learned anew.
 */
const TRUST_MS = 15_000;
/** 15 s, then a minute: a run at a right ceiling probes once (bench (e): each probe cost a second in 57 s). */
const TRUST_GROWTH = 4;
/**
 * While probing, the pace rises by this share every PROBE_EVERY_MS, counted from when the turns already given out at
 * the old pace have gone (9.5/s is at 18.6 after three steps, 5/s at 19 after six). Not every second: Graph's window is
 * a second, and its refusal arrives a Graph latency after that: a step each second would climb again before the
 * answer to the last one came.
 */
const PROBE_SHARE = 0.25;
const PROBE_EVERY_MS = 2000;
/** After this long without a 429, pacing stops. */
const FORGET_AFTER_MS = 60_000;
const MIN_RATE_PER_SECOND = 1;
/** Later refusals never bring the pace below this share of the first pace learned. */
const FLOOR_SHARE = 0.5;
/**
 * A 429 after fewer accepted requests than this in the window says nothing of this process's rate (Graph may count
 * other processes' requests of the app): the Retry-After is honoured, but no pace is set from it.
 */
const MIN_ACCEPTED_TO_PACE = 5;
/** Refusals of requests sent within WINDOW_MS of each other that it takes to set or cut the pace. */
const MIN_REFUSALS_TO_PACE = 3;
/**
 * Once paced, MIN_REFUSALS_TO_PACE refusals within this span cut the pace. A pace above the limit (two processes of
 * the app, each paced at what it alone got accepted) meets one refusal per second or two, each followed by its
 * Retry-After: counted within a second, they never made an episode, and the processes went on refusal, hold, burst.
 */
const PACED_REFUSALS_MS = 5000;
/**
 * Refused while pacing, after Graph accepted at least this share of the pace in the second before: the pace sits at the
 * edge of the limit (or requests that reached Graph late bunched up with later ones). Below it, Graph accepted clearly
 * less than the pace: the limit fell, or another process of the app takes a share of it (two processes: half each).
 * Not higher: on a busy machine a stall of a few hundred milliseconds before a refusal also lowers what was accepted.
 */
const AT_PACE_SHARE = 0.6;

export type Sleep = (ms: number) => Promise<void>;

export class AppThrottle {
	private holdUntil = 0;
	/** Requests per second while pacing; undefined: not pacing. */
	private rate: number | undefined;
	/** The lowest pace that further refusals may bring it down to. */
	private floor: number | undefined;
	/** The most Graph is known to accept per second (see setPace): easing up stops just under it. */
	private ceiling: number | undefined;
	private nextSlot = 0;
	private lastThrottledAt = -Infinity;
	private lastEasedAt = 0;
	/** When a request last waited for its turn: the pace, not the work, set how fast requests went. */
	private lastWaitedAt = -Infinity;
	/** How long the ceiling is trusted after a refusal before the pace probes past it (see TRUST_MS). */
	private trustMs = TRUST_MS;
	/** When the probe in progress raised the pace past the ceiling; Infinity: not probing. */
	private probeStartedAt = Infinity;
	private lastProbedAt = -Infinity;
	/** Whether the refusal being weighed (refusalSentAt) ended a probe. */
	private weighingProbe = false;
	/** When the pace in force was set (the first, a cut, or a probe's end). */
	private pacedSince = -Infinity;
	/** When the pace was last refused at the ceiling (see setPace). */
	private lastRefusedAtCeilingAt = -Infinity;
	/** Send times of the accepted requests of the last WINDOW_MS (from the refusal being weighed, if any), oldest first. */
	private readonly acceptedSendTimes: number[] = [];
	/**
	 * The send time of the refusal whose pace is still to be set. The pace is set when the hold ends, from the requests
	 * sent in the second before it that Graph accepted: by then their answers are all in.
	 */
	private refusalSentAt: number | undefined;
	/** When paced requests were let go, within the last WINDOW_MS, oldest first. */
	private readonly granted: number[] = [];
	/** Send times of the refused requests of the last WINDOW_MS, oldest first. */
	private readonly refusedSendTimes: number[] = [];

	constructor(private readonly now: () => number = Date.now) {}

	/** The pace in force (requests per second), for the run's figures and the tests; undefined when not pacing. */
	get pacePerSecond(): number | undefined {
		this.forgetIfQuiet();
		return this.rate;
	}

	/**
	 * Resolves when this request may be sent: after any Retry-After in force, and at its turn when pacing.
	 * `sleep` is the caller's wait; when `signal` aborts (n8n's Stop) it ends early and this returns at once.
	 */
	async acquire(sleep: Sleep, signal?: AbortSignal): Promise<void> {
		for (;;) {
			if (signal?.aborted) return;
			const now = this.now();
			if (now < this.holdUntil) {
				await sleep(this.holdUntil - now);
				continue;
			}
			this.setPace();
			this.forgetIfQuiet();
			if (this.rate === undefined) return;
			this.easeUp(now);
			// Evenly spaced turns, and never more than the pace within any window (timers that fire late bunch requests).
			const slot = Math.max(now, this.nextSlot, this.windowFreesAt(now));
			this.nextSlot = slot + 1000 / this.rate;
			if (slot > now) {
				this.lastWaitedAt = now;
				await sleep(slot - now);
			}
			if (await this.takeTurn(sleep, signal)) return;
		}
	}

	/**
	 * At its turn: sent when the window of the last second has room, after a few milliseconds' wait if it has not yet
	 * (timers fire late, and a turn whose window the previous turns' late sends still fill keeps its place: given up, it
	 * went to the back, and a pace of 19/s let 18 go). False: a 429 that arrived while this request waited holds it too.
	 */
	private async takeTurn(sleep: Sleep, signal?: AbortSignal): Promise<boolean> {
		for (;;) {
			if (signal?.aborted) return true;
			const sendAt = this.now();
			if (sendAt < this.holdUntil) return false;
			const frees = this.windowFreesAt(sendAt);
			if (frees <= sendAt) {
				this.granted.push(sendAt);
				return true;
			}
			await sleep(frees - sendAt);
		}
	}

	/** When the window of the last second has room for one more request at the pace in force. */
	private windowFreesAt(now: number): number {
		// A millisecond's tolerance: turns spaced exactly at the pace (1000 / 19 ms) add up to 999.99… ms, and the turn after
		// them would be skipped: a pace of 19/s that let 18 go.
		while (this.granted.length > 0 && this.granted[0] <= now - WINDOW_MS + 1) this.granted.shift();
		// ceil: a pace of 19.4/s spaces 20 requests over 980 ms; floor would skip a turn every second.
		const allowed = Math.max(1, Math.ceil(this.rate ?? Infinity));
		return this.granted.length < allowed ? now : this.granted[this.granted.length - allowed] + WINDOW_MS;
	}

	/** Graph accepted a request sent at `sentAt` (any answer but 429). */
	acceptedAt(sentAt: number): void {
		const times = this.acceptedSendTimes;
		// Sorted by send time: answers arrive in another order than the requests were sent.
		let index = times.length;
		while (index > 0 && times[index - 1] > sentAt) index--;
		times.splice(index, 0, sentAt);
		this.trim(sentAt);
	}

	/**
	 * Graph answered 429 to a request sent at `sentAt`: hold everyone for `retryAfterMs`, and pace below what Graph
	 * accepted. Refusals of requests sent before the pace last changed are the same episode: they hold, and do not cut
	 * the pace again.
	 */
	throttled(sentAt: number, retryAfterMs: number): void {
		const now = this.now();
		this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
		this.nextSlot = Math.max(this.nextSlot, this.holdUntil);
		const refused = this.refusedSendTimes;
		refused.push(sentAt);
		refused.sort((a, b) => a - b);
		// Paced, refusals come one at a time (the pace lets few requests past the limit): counted over a longer span.
		const span = this.rate === undefined ? WINDOW_MS : PACED_REFUSALS_MS;
		while (refused.length > 0 && refused[0] <= refused[refused.length - 1] - span) refused.shift();
		// Before anything is trimmed: the accepted sends of the second before the episode's first refusal are the pace.
		this.trim(refused[0]);
		if (this.endProbe(sentAt, now)) return;
		// A lone refusal only holds (see above); nor do refusals of requests sent before the last cut.
		const episode = refused.filter((time) => time >= this.lastThrottledAt);
		if (episode.length < MIN_REFUSALS_TO_PACE) return;
		// One cut per episode: refusals of requests sent before the last cut, or within a window of it, only hold.
		if (sentAt < this.lastThrottledAt || now - this.lastThrottledAt < WINDOW_MS) return;
		// Weighed from the episode's first refusal: what Graph accepted in the second before it.
		this.refusalSentAt = episode[0];
		this.lastThrottledAt = now;
		this.lastEasedAt = now;
	}

	/** Sets the pace from the refusal being weighed: just under what Graph accepted in the second before it. */
	private setPace(): void {
		const sentAt = this.refusalSentAt;
		if (sentAt === undefined) return;
		this.refusalSentAt = undefined;
		const accepted = this.acceptedBeforeRefusals(sentAt);
		this.trim(sentAt);
		if (this.rate === undefined && accepted < MIN_ACCEPTED_TO_PACE) return;
		const observed = Math.max(MIN_RATE_PER_SECOND, (accepted * 1000) / WINDOW_MS);
		if (this.rate === undefined || this.floor === undefined || this.ceiling === undefined) {
			this.ceiling = observed;
			this.rate = Math.max(MIN_RATE_PER_SECOND, observed * START_SHARE);
			this.floor = Math.max(MIN_RATE_PER_SECOND, this.rate * FLOOR_SHARE);
			this.trustMs = TRUST_MS;
			this.pacedSince = this.now();
			return;
		}
		if (this.weighingProbe) {
			// The probe met the limit: what Graph accepted in the second before is the ceiling. Where it was: trusted
			// TRUST_GROWTH times as long before the next probe; higher (it was learned low): trusted anew.
			this.weighingProbe = false;
			const confirmed = observed <= this.ceiling * (1 + EASE_SHARE);
			this.trustMs = confirmed ? Math.min(TRUST_GROWTH * this.trustMs, FORGET_AFTER_MS) : TRUST_MS;
			this.ceiling = Math.max(this.ceiling, observed);
			this.rate = this.cap;
			this.pacedSince = this.now();
			return;
		}
		const now = this.now();
		const atCeiling = this.rate >= this.cap * 0.999;
		// What Graph accepted per second over the last seconds at this pace (holds included): two processes each paced at
		// what it alone got accepted take turns, a burst of 20 each while the other is held, 10 per second each.
		const since = Math.max(sentAt - PACED_REFUSALS_MS, Math.min(this.pacedSince, sentAt - WINDOW_MS));
		const sustained = (this.acceptedSendTimes.filter((time) => time > since && time <= sentAt).length * 1000) / (sentAt - since);
		if (sustained < this.rate * AT_PACE_SHARE) {
			// Graph accepted clearly less than the pace: the limit fell, or another process takes a share: the new ceiling.
			this.ceiling = Math.max(MIN_RATE_PER_SECOND, Math.min(observed, sustained));
			this.trustMs = TRUST_MS;
		} else if (observed < this.rate * AT_PACE_SHARE) {
			// Graph accepted clearly less than the pace: the limit fell, or another process takes a share: the new ceiling.
			this.ceiling = observed;
			this.trustMs = TRUST_MS;
		} else if (atCeiling && now - this.lastRefusedAtCeilingAt < this.trustMs) {
			// Refused at the ceiling again, after easing back to it: the ceiling is above the limit (learned from a second in
			// which Graph's answers bunched): what Graph accepted now is the ceiling (probing raises it again if too low).
			this.ceiling = observed;
		} else {
			// Graph accepted about the pace in the second before: the pace sits at the edge of the limit (on a busy machine,
			// requests that reach Graph late bunch up with later ones): a step down, and the ceiling stays what Graph
			// accepted before, so that easing comes back to it. Lowered to what was accepted, as it once was, every such
			// refusal lowered it for good: 19/s, 16/s, 15/s … towards the floor in a long run.
			this.ceiling = Math.max(this.ceiling, observed);
		}
		if (atCeiling) this.lastRefusedAtCeilingAt = now;
		// Never below a share of the first pace learned, so that stray 429s cannot starve the app.
		this.rate = Math.max(this.floor, Math.min(this.rate * START_SHARE, this.cap));
		this.pacedSince = now;
	}

	/**
	 * The most requests Graph accepted in the second before any refusal of the episode that starts at `from`, by send
	 * time. Not only the second before the first one: requests sent at the same moment (a first burst, each on a new
	 * connection) reach Graph in another order than they were sent, and the first refused may have been sent before
	 * half of those Graph accepted (10 of 20 counted: a pace of 9.5/s kept for a minute).
	 */
	private acceptedBeforeRefusals(from: number): number {
		const ends = this.refusedSendTimes.filter((time) => time > from && time <= from + WINDOW_MS);
		let most = 0;
		for (const end of [from, ...ends]) {
			const accepted = this.acceptedSendTimes.filter((time) => time > end - WINDOW_MS && time <= end).length;
			most = Math.max(most, accepted);
		}
		return most;
	}

	/** The pace that easing climbs back to: just under the ceiling. */
	private get cap(): number {
		return (this.ceiling ?? Infinity) * START_SHARE;
	}

	private easeUp(now: number): void {
		if (this.rate === undefined) return;
		const steps = Math.floor((now - this.lastEasedAt) / EASE_EVERY_MS);
		if (steps > 0) {
			// Back up to just under the ceiling; past it only by probing.
			this.rate = Math.min(this.rate * (1 + EASE_SHARE) ** steps, Math.max(this.rate, this.cap));
			this.lastEasedAt += steps * EASE_EVERY_MS;
		}
		this.probe(now);
	}

	/**
	 * Past the ceiling, a step every PROBE_EVERY_MS, once Graph has refused nothing for `trustMs` and requests wait for
	 * their turn (paced at the ceiling with nothing waiting, a higher pace would change nothing).
	 */
	private probe(now: number): void {
		if (this.rate === undefined || this.rate < this.cap * 0.999) return;
		if (now < this.lastThrottledAt + this.trustMs || now < this.lastProbedAt + PROBE_EVERY_MS) return;
		if (this.lastWaitedAt < now - PROBE_EVERY_MS) return;
		if (this.probeStartedAt === Infinity) this.probeStartedAt = now;
		// The turns already given out keep their times: the new pace starts after the last of them, and the next step
		// waits for Graph's answer to it.
		this.lastProbedAt = Math.max(now, this.nextSlot);
		this.rate *= 1 + PROBE_SHARE;
	}

	/**
	 * A refusal of a request sent while probing ends the probe (one is enough: the pace had been raised past what Graph
	 * accepted without refusing): at once back to just under the ceiling, and when the hold ends, the ceiling becomes
	 * what Graph accepted in the second before (see setPace). Returns whether it ended one.
	 */
	private endProbe(sentAt: number, now: number): boolean {
		if (this.probeStartedAt === Infinity || sentAt < this.probeStartedAt) return false;
		this.probeStartedAt = Infinity;
		this.rate = this.cap;
		this.refusalSentAt = sentAt;
		this.weighingProbe = true;
		// The refusals that follow of requests sent while probing are this episode: they hold, and cut nothing more.
		this.lastThrottledAt = now;
		this.lastEasedAt = now;
		return true;
	}

	private forgetIfQuiet(): void {
		if (this.rate !== undefined && this.now() - this.lastThrottledAt > FORGET_AFTER_MS) {
			this.rate = undefined;
			this.floor = undefined;
			this.ceiling = undefined;
			this.nextSlot = 0;
			this.probeStartedAt = Infinity;
			this.lastProbedAt = -Infinity;
			this.weighingProbe = false;
			this.lastRefusedAtCeilingAt = -Infinity;
		}
	}

	/**
	 * Drops accepted sends that no pace can be weighed from any more. By send time, never by the time answers arrive:
	 * a refusal arrives a Graph latency after it was sent (seconds, under load), and what counts is what was accepted
	 * in the second before it was sent. Two windows before `sentAt` (the send time of the answer just in, or of the
	 * episode's first refusal, whichever is older): a pace is weighed from an episode's first refusal, up to a window
	 * before the one that completes it, and answers may arrive out of order by up to a window.
	 */
	private trim(sentAt: number): void {
		const from = Math.min(sentAt, this.refusalSentAt ?? sentAt, this.refusedSendTimes[0] ?? sentAt) - PACED_REFUSALS_MS - 2 * WINDOW_MS;
		while (this.acceptedSendTimes.length > 0 && this.acceptedSendTimes[0] <= from) this.acceptedSendTimes.shift();
	}
}

/** One AppThrottle per app, tenant and Graph host in this process; the least recently used are dropped past the bound. */
export const MAX_CACHED_APPS = 200;
const throttles = new ProcessCache<AppThrottle>(MAX_CACHED_APPS);

export function appThrottleFor(key: { graphBaseUrl: string; tenantId: string; clientId: string }): AppThrottle {
	return throttles.getOrCreate(`${key.graphBaseUrl}\n${key.tenantId}\n${key.clientId}`, () => new AppThrottle());
}
