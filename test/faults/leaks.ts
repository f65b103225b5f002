import { existsSync, readFileSync } from 'node:fs';

import type { Emulator } from '../emulator';

/**
 * Collects everything a user or an operator could see during a file's runs (outputs, error messages and
 * descriptions, console and stdout/stderr writes) and searches it for secrets: the app's client secrets (old and
 * new), every secret typed into a credential the runs used (a wrong one too), the private keys' PEM body lines, the
 * key passphrase and every access token issued.
 *
 * The emulator's request log is searched too, for another reason: it redacts the Authorization header and the
 * client_secret / client_assertion form fields (where they belong), so a hit there is a secret or token sent somewhere
 * else: in a URL, another header, or a Graph request body. test/leakWatch.test.ts shows each kind of hit being found.
 */

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** JSON of anything, errors included (message, stack and own fields), cycles cut. */
export function textOf(value: unknown): string {
	const seen = new WeakSet<object>();
	return (
		JSON.stringify(value, (_key, item: unknown) => {
			if (typeof item === 'bigint') return item.toString();
			if (!item || typeof item !== 'object') return item;
			if (seen.has(item)) return '[cycle]';
			seen.add(item);
			if (item instanceof Error) return { ...item, name: item.name, message: item.message, stack: item.stack, cause: item.cause };
			if (item instanceof Map) return Object.fromEntries(item);
			return item;
		}) ?? String(value)
	);
}

/** The lines of a PEM's body that are long enough to be unmistakable. */
function pemBodyLines(pem: string): string[] {
	return pem
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line.length >= 16 && !line.startsWith('-----') && !line.includes(':'));
}

export class LeakWatch {
	private readonly haystacks: Array<{ where: string; text: string }> = [];
	private readonly secrets = new Map<string, string>();
	private readonly restore: Array<() => void> = [];
	/** Files that receive output (n8n's log file): read when the check runs. */
	private readonly files = new Map<string, string>();

	private capturing = false;

	/**
	 * Captures console and stdout/stderr (kept out of the test output while capturing). Start it before n8n is
	 * loaded: its logger (winston) binds console.log when it is created, so it keeps calling what it found then.
	 * After stop(), what it kept forwards to the real console.
	 */
	start(): void {
		this.capturing = true;
		if (this.restore.length) return;
		for (const method of CONSOLE_METHODS) {
			const original = console[method];
			console[method] = (...args: unknown[]) => {
				if (!this.capturing) return original.apply(console, args);
				this.add(`console.${method}`, args.map((arg) => (typeof arg === 'string' ? arg : textOf(arg))).join(' '));
			};
			this.restore.push(() => {
				console[method] = original;
			});
		}
		for (const stream of [process.stdout, process.stderr]) {
			const original = stream.write;
			const name = stream === process.stdout ? 'stdout' : 'stderr';
			stream.write = ((chunk: unknown, ...rest: unknown[]) => {
				if (!this.capturing) return original.apply(stream, [chunk, ...rest] as Parameters<Write>);
				this.add(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
				const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
				callback?.();
				return true;
			}) as Write;
			this.restore.push(() => {
				stream.write = original;
			});
		}
	}

	stop(): void {
		this.capturing = false;
		for (const undo of this.restore.splice(0).reverse()) undo();
	}

	addFile(where: string, path: string): void {
		this.files.set(path, where);
	}

	/** How much console, stdout/stderr and log file text there is (to show the check had material). */
	get capturedChars(): number {
		return this.haystacks.filter((entry) => /^(console|std|n8n log)/.test(entry.where)).reduce((sum, entry) => sum + entry.text.length, 0);
	}

	add(where: string, value: unknown): void {
		this.haystacks.push({ where, text: typeof value === 'string' ? value : textOf(value) });
	}

	/** The emulator's log so far (call before each reset, which clears it). */
	addEmulatorLog(emulator: Emulator): void {
		if (emulator.log.length) this.add('emulator.log', JSON.stringify(emulator.log));
	}

	/** Registers the emulator app's secrets as they are now (call again after rotating the secret). */
	addSecretsOf(emulator: Emulator): void {
		const { app } = emulator;
		this.secrets.set(app.clientSecret, 'client secret');
		this.secrets.set(app.passphrase, 'key passphrase');
		for (const [label, pem] of [
			['PKCS#8 key', app.privateKeyPkcs8Pem],
			['PKCS#1 key', app.privateKeyPkcs1Pem],
			['encrypted key', app.privateKeyEncryptedPem],
			['unregistered key', app.unregisteredPrivateKeyPem],
		] as const) {
			for (const line of pemBodyLines(pem)) this.secrets.set(line, label);
		}
	}

	/** The secrets typed into credential data a run used (a wrong secret is as secret as the right one). */
	addCredentialSecrets(data: Record<string, unknown> | undefined): void {
		if (!data) return;
		for (const [field, label] of [
			['clientSecret', 'typed client secret'],
			['certificatePassphrase', 'typed key passphrase'],
		] as const) {
			const value = data[field];
			if (typeof value === 'string' && value.length >= 8) this.secrets.set(value, label);
		}
		const key = data.certificatePrivateKey;
		if (typeof key === 'string') for (const line of pemBodyLines(key)) this.secrets.set(line, 'typed private key');
	}

	/** Every (secret kind, place) where a secret was found; tokens are those the emulator issued. */
	hits(emulator: Emulator): { secrets: number; tokens: number; places: string[] } {
		this.addSecretsOf(emulator);
		for (const [path, where] of this.files) if (existsSync(path)) this.add(where, readFileSync(path, 'utf8'));
		const tokens = emulator.issuedTokens();
		const wanted = [...this.secrets.entries(), ...tokens.map((token) => [token, 'access token'] as const)];
		const places = new Set<string>();
		for (const { where, text } of this.haystacks) {
			for (const [secret, label] of wanted) if (text.includes(secret)) places.add(`${label} in ${where}`);
		}
		return { secrets: this.secrets.size, tokens: tokens.length, places: [...places] };
	}

	get places(): number {
		return this.haystacks.length;
	}
}

/** The file's leak watch (one per test file: jest loads modules afresh for each file). */
export const leakWatch = new LeakWatch();
