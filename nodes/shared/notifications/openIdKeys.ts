import { ProcessCache } from '../processCache';
import { sendHttp } from '../transport/httpClient';
import { SigningKeyCache } from './signingKeys';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** GETs a JSON document through the package's one HTTP stack (TLS verified, proxy honoured, extra CA when given). */
export function jsonFetcher(caPem?: string) {
	return async (url: string): Promise<unknown> => {
		const response = await sendHttp({
			method: 'GET',
			url,
			headers: { accept: 'application/json' },
			timeoutMs: FETCH_TIMEOUT_MS,
			maxBytes: MAX_DOCUMENT_BYTES,
			caPem,
		});
		if (response.status !== 200) throw new Error(`${new URL(url).host} answered ${response.status}`);
		return JSON.parse(response.text) as unknown;
	};
}

/** Distinct OpenID configurations (with their CA) whose keys this process keeps. */
export const MAX_CACHED_KEY_SETS = 32;
const caches = new ProcessCache<SigningKeyCache>(MAX_CACHED_KEY_SETS);

/** One key cache per OpenID configuration (and extra CA), kept for the process so that keys are fetched rarely. */
export function signingKeysFor(openIdConfigUrl: string, caPem?: string): SigningKeyCache {
	return caches.getOrCreate(`${openIdConfigUrl}\n${caPem ?? ''}`, () => new SigningKeyCache(openIdConfigUrl, jsonFetcher(caPem)));
}
