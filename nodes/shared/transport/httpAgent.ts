import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

import { openTunnel, proxyFor } from './proxy';

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * A keep-alive https agent that verifies TLS against the system's CAs plus an optional extra CA,
 * and tunnels through HTTPS_PROXY (CONNECT) unless NO_PROXY says otherwise. TLS verification cannot be turned off.
 */
class GraphHttpsAgent extends https.Agent {
	/**
	 * The extra CA goes in a secure context built once, not in the `ca` option: Node puts `ca` into every
	 * request's connection-pool key, and hashing the whole system CA bundle per request costs real CPU.
	 */
	private readonly secureContext?: tls.SecureContext;

	constructor(extraCaPem: string | undefined) {
		super({ keepAlive: true, maxSockets: 64, maxFreeSockets: 32, scheduling: 'lifo', timeout: 60_000, rejectUnauthorized: true });
		if (extraCaPem) this.secureContext = tls.createSecureContext({ ca: [...tls.rootCertificates, extraCaPem] });
	}

	createConnection(
		options: https.RequestOptions & tls.ConnectionOptions,
		callback?: (error: Error | null, socket: Duplex) => void,
	): Duplex | null | undefined {
		const host = String(options.host ?? options.hostname ?? 'localhost');
		const port = Number(options.port ?? 443);
		const proxy = proxyFor(`https://${host.includes(':') ? `[${host}]` : host}:${port}`);
		const tlsOptions: tls.ConnectionOptions = {
			...options,
			rejectUnauthorized: true,
			...(this.secureContext ? { secureContext: this.secureContext } : {}),
		};
		if (!proxy) return tls.connect(tlsOptions);
		openTunnel(proxy, host, port, CONNECT_TIMEOUT_MS).then(
			(socket) => callback?.(null, tls.connect({ ...tlsOptions, socket, servername: options.servername ?? host })),
			(error: Error) => callback?.(error, undefined as unknown as Duplex),
		);
		return undefined;
	}
}

/** A new agent for this extra CA (httpClient keeps one per CA, with its axios instance, for the process). */
export function graphHttpsAgent(extraCaPem?: string): https.Agent {
	return new GraphHttpsAgent(extraCaPem);
}
