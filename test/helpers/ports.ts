import { createServer } from 'node:net';

/** A loopback port nothing listens on (bound, then released): an unreachable host for tests. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** A loopback listener that accepts and counts connections (and closes them at once): proves that nothing reached it. */
export async function countingListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
	let connections = 0;
	const server = createServer((socket) => {
		connections++;
		socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		port,
		connections: () => connections,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
