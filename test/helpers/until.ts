/** Waits until `done` holds (what the emulator or n8n does next is asynchronous); fails after `timeoutMs`. */
export async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
