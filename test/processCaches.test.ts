import { appThrottleFor, MAX_CACHED_APPS } from '../nodes/shared/transport/appThrottle';
import { parseGraphAppCredentials } from '../nodes/shared/transport/appCredentials';
import { httpsAgentFor, MAX_CACHED_CAS } from '../nodes/shared/transport/httpClient';
import { MAX_CACHED_CREDENTIALS, tokenProviderFor } from '../nodes/shared/transport/tokenProvider';
import { MAX_CACHED_KEY_SETS, signingKeysFor } from '../nodes/shared/notifications/openIdKeys';
import { MAX_CACHED_TRIGGERS, recallMemory, storeMemory } from '../nodes/shared/notifications/processMemory';
import { newCallMemory } from '../nodes/shared/notifications/callMemory';
import { ProcessCache } from '../nodes/shared/processCache';
import { MAX_REMEMBERED_TENANTS, placedCallIn, rememberCallTenant } from '../nodes/shared/placedCallTenants';
import { MAX_CACHED_PARSED_CREDENTIALS, parsedCredentialFor } from '../nodes/shared/transport/parsedCredentials';
import { MAX_TRACKED_REFUSALS, refusalLogLine } from '../nodes/shared/notifications/refusalLog';
import { startEmulator } from './emulator';

/**
 * A long-running n8n sees many credential versions (each edit of a secret is a new one), CAs, apps and trigger nodes.
 * What the package keeps per process for each must stay bounded: past the bound the least recently used goes, and the
 * ones in use stay.
 */

describe('ProcessCache', () => {
	it('keeps at most its limit, dropping the least recently used', () => {
		const cache = new ProcessCache<number>(3);
		for (const key of ['a', 'b', 'c']) cache.getOrCreate(key, () => key.charCodeAt(0));
		cache.getOrCreate('a', () => -1); // used again: now the most recent
		cache.getOrCreate('d', () => 100);
		expect(cache.size).toBe(3);
		expect(cache.peek('b')).toBeUndefined();
		expect(cache.peek('a')).toBe(97);
		expect(cache.getOrCreate('c', () => -1)).toBe(99);
	});

	it('refuses a limit that is not a positive integer', () => {
		expect(() => new ProcessCache(0)).toThrow('ProcessCache limit must be a positive integer, not 0');
	});
});

/** Builds `count + 1` entries through `entryFor(i)`: the first is dropped, the one used in between and the last are kept. */
function expectBounded<T>(count: number, entryFor: (index: number) => T): void {
	const first = entryFor(0);
	const kept = entryFor(1);
	for (let index = 2; index <= count; index++) {
		entryFor(index);
		if (index % 10 === 0) entryFor(1); // in use throughout
	}
	expect(entryFor(count)).toBe(entryFor(count));
	expect(entryFor(1)).toBe(kept);
	expect(entryFor(0)).not.toBe(first);
}

describe('process caches are bounded', () => {
	it(`MSAL applications: ${MAX_CACHED_CREDENTIALS} credential versions; the one in use keeps its token`, async () => {
		const emulator = await startEmulator();
		try {
			const configOf = (version: number) =>
				parseGraphAppCredentials(version === 1 ? emulator.credentialData() : emulator.credentialData({ clientSecret: `edited-secret-${version}` }));
			const before = emulator.stats().tokenRequests;
			await tokenProviderFor(configOf(1)).getToken();
			expectBounded(MAX_CACHED_CREDENTIALS, (version) => tokenProviderFor(configOf(version)));
			await tokenProviderFor(configOf(1)).getToken();
			expect(emulator.stats().tokenRequests - before).toBe(1);
		} finally {
			await emulator.close();
		}
	});

	it(`HTTPS agents: ${MAX_CACHED_CAS} extra CAs`, async () => {
		const emulator = await startEmulator();
		try {
			// The same CA, written differently each time, as distinct credential texts are.
			expectBounded(MAX_CACHED_CAS, (index) => httpsAgentFor(`${emulator.caCertificatePem.trim()}${'\n'.repeat(index + 1)}`));
		} finally {
			await emulator.close();
		}
	});

	it(`throttles: ${MAX_CACHED_APPS} apps`, () => {
		expectBounded(MAX_CACHED_APPS, (index) => appThrottleFor({ graphBaseUrl: 'https://graph.microsoft.com', tenantId: 'contoso.onmicrosoft.com', clientId: `app-${index}` }));
	});

	it(`notification signing keys: ${MAX_CACHED_KEY_SETS} OpenID configurations`, () => {
		expectBounded(MAX_CACHED_KEY_SETS, (index) => signingKeysFor(`https://keys-${index}.example/.well-known/openid-configuration`));
	});

	it(`parsed credentials: ${MAX_CACHED_PARSED_CREDENTIALS} credential versions`, () => {
		const data = (index: number) => ({ cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', clientSecret: `secret-${index}` });
		expectBounded(MAX_CACHED_PARSED_CREDENTIALS, (index) => parsedCredentialFor(data(index)));
	});

	it(`refusal log lines: ${MAX_TRACKED_REFUSALS} triggers × reasons (one forgotten logs again at once)`, () => {
		const now = Date.now();
		for (let index = 0; index <= MAX_TRACKED_REFUSALS; index++) expect(refusalLogLine(`workflow-${index}`, 'missingToken', now)).toBeDefined();
		expect(refusalLogLine(`workflow-${MAX_TRACKED_REFUSALS}`, 'missingToken', now)).toBeUndefined();
		expect(refusalLogLine('workflow-0', 'missingToken', now)).toBeDefined();
	});

	it(`tenants of placed calls: ${MAX_REMEMBERED_TENANTS} app × tenant pairs`, () => {
		const tenant = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
		for (let index = 0; index <= MAX_REMEMBERED_TENANTS; index++) rememberCallTenant('app-bounded', tenant(index));
		expect(placedCallIn('app-bounded', tenant(0))).toBe(false);
		expect(placedCallIn('app-bounded', tenant(MAX_REMEMBERED_TENANTS))).toBe(true);
	});

	it(`trigger memories: ${MAX_CACHED_TRIGGERS} trigger nodes, and one dropped is read back from its static data`, () => {
		const now = Date.now();
		const staticData = Array.from({ length: MAX_CACHED_TRIGGERS + 1 }, () => ({}));
		for (let index = 0; index <= MAX_CACHED_TRIGGERS; index++) {
			const memory = recallMemory(`workflow-${index}`, staticData[index], now);
			memory.calls[`call-${index}`] = newCallMemory(now);
			storeMemory(`workflow-${index}`, staticData[index], memory);
		}
		// The first trigger's in-process copy is gone; its static data still holds its calls.
		expect(recallMemory('workflow-0', {}, now).calls).toEqual({});
		expect(Object.keys(recallMemory('workflow-0', staticData[0], now).calls)).toEqual(['call-0']);
		expect(Object.keys(recallMemory(`workflow-${MAX_CACHED_TRIGGERS}`, {}, now).calls)).toEqual([`call-${MAX_CACHED_TRIGGERS}`]);
	});
});
