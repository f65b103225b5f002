import type { INode } from 'n8n-workflow';

import { inputError } from './validation';

/** Checks on the URLs a user gives Graph to use (audio files, callback URLs), made before any request. */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function shown(value: string): string {
	return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function parsed(node: INode, itemIndex: number, parameter: string, value: unknown, example: string): URL {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw inputError(node, itemIndex, parameter, `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const raw = String(value ?? '').trim();
	if (!raw) throw inputError(node, itemIndex, parameter, `is empty; give a URL such as ${example}`);
	if (!URL.canParse(raw) || /\s/.test(raw)) throw inputError(node, itemIndex, parameter, `${shown(raw)} is not a URL; give one such as ${example}`);
	const url = new URL(raw);
	if (url.username || url.password) {
		throw inputError(node, itemIndex, parameter, `${shown(raw)} holds a user name or password; Graph would send them on`);
	}
	return url;
}

/** An audio file Graph plays (playPrompt, hold music): https, a .wav file. */
export function requireWavUrl(node: INode, itemIndex: number, parameter: string, value: unknown): string {
	const example = 'https://example.com/prompts/welcome.wav';
	const url = parsed(node, itemIndex, parameter, value, example);
	if (url.protocol !== 'https:') {
		throw inputError(node, itemIndex, parameter, `must use https:// (got ${url.protocol}//): Graph fetches prompts over HTTPS only`);
	}
	if (!/\.wav$/i.test(url.pathname)) {
		throw inputError(
			node,
			itemIndex,
			parameter,
			`${shown(url.toString())} is not a .wav file; Graph plays WAV audio (16-bit PCM, mono, 16 kHz)`,
		);
	}
	return url.toString();
}

/**
 * Where Graph sends the call's notifications: https; with `allowLoopbackHttp` (the Custom cloud, for the local
 * emulator) also http:// to this machine.
 */
export function requireCallbackUrl(node: INode, itemIndex: number, parameter: string, value: unknown, allowLoopbackHttp: boolean): string {
	const example = 'https://n8n.example.com/webhook/teams-call';
	const url = parsed(node, itemIndex, parameter, value, example);
	const loopbackHttp = allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
	if (url.protocol !== 'https:' && !loopbackHttp) {
		const why = allowLoopbackHttp ? ' (plain http:// only to 127.0.0.1 or localhost, for the emulator)' : '';
		throw inputError(node, itemIndex, parameter, `must use https:// (got ${url.protocol}//): Graph only calls back over HTTPS${why}`);
	}
	if (url.hash) throw inputError(node, itemIndex, parameter, `${shown(url.toString())} has a #fragment, which Graph would drop`);
	return url.toString();
}

/** A URL Graph handed out to download from (a recording's location): https only. */
export function requireHttpsUrl(node: INode, itemIndex: number, parameter: string, value: unknown, example: string): string {
	const url = parsed(node, itemIndex, parameter, value, example);
	if (url.protocol !== 'https:') {
		throw inputError(node, itemIndex, parameter, `must use https:// (got ${url.protocol}//): the recording's access token is sent only over HTTPS`);
	}
	return url.toString();
}
