import http from 'node:http';

/** The proxy to use for an https URL, from HTTPS_PROXY / https_proxy, unless NO_PROXY matches its host. */
export function proxyFor(targetUrl: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
	const proxy = env.HTTPS_PROXY ?? env.https_proxy;
	if (!proxy) return undefined;
	const target = new URL(targetUrl);
	const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '')
		.split(',')
		.map((entry) => entry.trim().toLowerCase())
		.filter(Boolean);
	const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
	const port = target.port || '443';
	const bypass = noProxy.some((entry) => {
		if (entry === '*') return true;
		const [entryHost, entryPort] = entry.split(/:(?=\d+$)/);
		if (entryPort && entryPort !== port) return false;
		const suffix = entryHost.replace(/^\*?\./, '');
		return host === suffix || host.endsWith(`.${suffix}`);
	});
	if (bypass) return undefined;
	const url = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
	if (url.protocol !== 'http:') {
		throw new Error(`HTTPS_PROXY must be an http:// proxy URL (got ${url.protocol}//)`);
	}
	return url;
}

/** Opens a CONNECT tunnel through an HTTP proxy to host:port; TLS then runs end to end inside it. */
export function openTunnel(
	proxy: URL,
	host: string,
	port: number,
	timeoutMs: number,
): Promise<import('node:net').Socket> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { host: `${host}:${port}` };
		if (proxy.username) {
			const userInfo = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
			headers['proxy-authorization'] = `Basic ${Buffer.from(userInfo).toString('base64')}`;
		}
		const request = http.request({
			host: proxy.hostname,
			port: proxy.port || 80,
			method: 'CONNECT',
			path: `${host}:${port}`,
			headers,
			timeout: timeoutMs,
		});
		request.once('connect', (response, socket) => {
			if (response.statusCode === 200) {
				resolve(socket);
				return;
			}
			socket.destroy();
			reject(new Error(`proxy ${proxy.host} refused the tunnel to ${host}:${port} (HTTP ${response.statusCode})`));
		});
		request.once('timeout', () => request.destroy(new Error(`proxy ${proxy.host} did not answer in time`)));
		request.once('error', (error) => reject(new Error(`proxy ${proxy.host} could not be reached: ${error.message}`)));
		request.end();
	});
}
