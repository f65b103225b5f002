import { createPublicKey, type KeyObject } from 'node:crypto';

import { NotificationRefused } from './jwt';

/** Reads a URL's JSON body (https only, TLS verified); throws on anything else. */
export type JsonFetcher = (url: string) => Promise<unknown>;

/** Fetch again on an unknown `kid`, but not more often than this. */
export const UNKNOWN_KID_REFETCH_MS = 60_000;
/** Fetch again at least this often, whatever happens. */
export const MAX_KEY_AGE_MS = 24 * 60 * 60_000;
/** After a failed fetch, wait this long before the next attempt, doubled after each further failure … */
export const KEY_REFRESH_BACKOFF_MS = 2_000;
/** … up to this. */
export const KEY_REFRESH_BACKOFF_MAX_MS = 5 * 60_000;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The RSA signing keys of a JWKS document, by `kid`. Keys of other types or uses are skipped. */
export function keysOfJwks(document: unknown): Map<string, KeyObject> {
	const keys = new Map<string, KeyObject>();
	const list = isRecord(document) && Array.isArray(document.keys) ? document.keys : [];
	for (const jwk of list) {
		if (!isRecord(jwk) || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
		if (jwk.use !== undefined && jwk.use !== 'sig') continue;
		try {
			keys.set(jwk.kid, createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as never, format: 'jwk' }));
		} catch {
			// A key we cannot read signs nothing we accept.
		}
	}
	return keys;
}

/**
 * The signing keys named by one OpenID configuration (`jwks_uri`), cached for the process. Fetched on first use, again
 * when a token names a `kid` we do not hold (at most once a minute), and again when the keys are 24 hours old. Every
 * fetch is gated by the last attempt: after a failure the next waits 2 s, doubling up to 5 minutes, whatever the
 * requests ask (a stream of tokens while the endpoint is down costs a few fetches, not one each). Concurrent lookups
 * share one fetch.
 */
export class SigningKeyCache {
	private keys = new Map<string, KeyObject>();
	private fetchedAt = Number.NEGATIVE_INFINITY;
	/** No fetch starts before this (Unix ms). */
	private nextAttemptAt = Number.NEGATIVE_INFINITY;
	private failuresInARow = 0;
	private inFlight?: Promise<void>;

	constructor(
		private readonly openIdConfigUrl: string,
		private readonly fetchJson: JsonFetcher,
		private readonly now: () => number = Date.now,
	) {}

	async keyFor(kid: string): Promise<KeyObject> {
		const now = this.now();
		const wanted = now - this.fetchedAt >= MAX_KEY_AGE_MS || !this.keys.has(kid);
		if (wanted && (this.inFlight || now >= this.nextAttemptAt)) await this.refresh();
		const key = this.keys.get(kid);
		if (!key) throw new NotificationRefused(this.keys.size === 0 ? 'keysUnavailable' : 'unknownKey');
		return key;
	}

	private refresh(): Promise<void> {
		this.inFlight ??= this.fetchKeys().finally(() => {
			this.inFlight = undefined;
		});
		return this.inFlight;
	}

	private async fetchKeys(): Promise<void> {
		const startedAt = this.now();
		// Until this attempt is over, and after it succeeds: an unknown kid fetches again at most once a minute.
		this.nextAttemptAt = startedAt + UNKNOWN_KID_REFETCH_MS;
		const keys = await this.readKeys();
		if (keys) {
			this.keys = keys;
			this.fetchedAt = this.now();
			this.failuresInARow = 0;
			return;
		}
		// Keep the keys we have: an outage of the key endpoint must not accept anything new, nor drop what was verified.
		this.failuresInARow++;
		const backoff = Math.min(KEY_REFRESH_BACKOFF_MAX_MS, KEY_REFRESH_BACKOFF_MS * 2 ** (this.failuresInARow - 1));
		this.nextAttemptAt = startedAt + backoff;
	}

	/** The keys the configuration names, or undefined when they could not be read (none, not https, any failure). */
	private async readKeys(): Promise<Map<string, KeyObject> | undefined> {
		try {
			const configuration = await this.fetchJson(this.openIdConfigUrl);
			const jwksUri = isRecord(configuration) ? configuration.jwks_uri : undefined;
			if (typeof jwksUri !== 'string' || !jwksUri.startsWith('https://')) return undefined;
			const keys = keysOfJwks(await this.fetchJson(jwksUri));
			return keys.size > 0 ? keys : undefined;
		} catch {
			return undefined;
		}
	}
}
