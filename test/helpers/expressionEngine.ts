/**
 * Starts n8n's expression engine the way the n8n 2.x server does at start-up.
 *
 * n8n-workflow 2.x evaluates `={{ … }}` with its legacy in-process evaluator unless
 * `Expression.initExpressionEngine()` has been called. The n8n 2.x server calls it with its
 * `N8N_EXPRESSION_ENGINE` setting, whose default is `vm` (isolated-vm, through `@n8n/expression-runtime`).
 * To test what users run, this harness starts the same engine; `N8N_EXPRESSION_ENGINE=legacy` opts out.
 *
 * Jest caveat: `initExpressionEngine` loads the runtime with a dynamic `import()`, which Jest's module
 * sandbox rejects unless Node runs with `--experimental-vm-modules`. When that happens, this module
 * performs the same start-up itself with `require` (see `startWithRequire`).
 *
 * 1.x: n8n-workflow 1.120 has the same `initExpressionEngine` (and n8n 1.123 the same `vm` default, on isolated-vm 6,
 * built for Node 22 and 24); older 1.x releases have none, and everything here is then a no-op.
 */
import { Expression, LoggerProxy } from 'n8n-workflow';

import { configuredExpressionEngine } from './runtimeLine';

type EngineName = 'legacy' | 'vm' | 'quickjs';

interface EngineOptions {
	engine: EngineName;
	bridgeTimeout: number;
	bridgeMemoryLimit: number;
	poolSize: number;
	maxCodeCacheSize: number;
}

/** The static API of n8n-workflow 2.x's `Expression` (absent in 1.x, hence typed loosely here). */
interface ExpressionStatics {
	initExpressionEngine(options: EngineOptions): Promise<void>;
	disposeExpressionEngine(): Promise<void>;
	getActiveImplementation(): string;
	/** Private in 2.x; set only by the Jest fallback, exactly as `initExpressionEngine` sets them. */
	expressionEngine: EngineName;
	vmEvaluator?: { initialize(): Promise<void>; dispose(): Promise<void> };
}

/** The part of `@n8n/expression-runtime` used by the fallback (a transitive dependency of n8n-workflow 2.x). */
interface ExpressionRuntimeModule {
	ExpressionEvaluator: new (config: Record<string, unknown>) => NonNullable<ExpressionStatics['vmEvaluator']>;
	IsolatedVmBridge: new (config: Record<string, unknown>) => unknown;
	QuickJsBridge: new (config: Record<string, unknown>) => unknown;
}

const statics = Expression as unknown as Partial<ExpressionStatics>;
let started: Promise<void> | undefined;

/** Defaults of n8n 2.x's ExpressionEngineConfig (@n8n/config), engine from `N8N_EXPRESSION_ENGINE`. */
function engineOptions(): EngineOptions {
	const engine = configuredExpressionEngine();
	if (engine !== 'legacy' && engine !== 'vm' && engine !== 'quickjs') {
		throw new Error(`N8N_EXPRESSION_ENGINE must be legacy, vm or quickjs, not "${engine}"`);
	}
	return { engine, bridgeTimeout: 5000, bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 1024 };
}

/** The error comes from Node's realm, not Jest's, so `instanceof Error` would be false. */
function isDynamicImportRejected(error: unknown): boolean {
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' && /experimental-vm-modules|dynamic import/i.test(message);
}

/** What `Expression.initExpressionEngine` does in n8n-workflow 2.41, with `require` instead of `import()`. */
async function startWithRequire(options: EngineOptions): Promise<void> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const runtime = require('@n8n/expression-runtime') as ExpressionRuntimeModule;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { expressionSandboxHooks } = require('n8n-workflow/expression-sandboxing') as { expressionSandboxHooks: unknown };
	const Bridge = options.engine === 'quickjs' ? runtime.QuickJsBridge : runtime.IsolatedVmBridge;
	const bridgeConfig = { timeout: options.bridgeTimeout, memoryLimit: options.bridgeMemoryLimit, logger: LoggerProxy };
	const evaluator = new runtime.ExpressionEvaluator({
		createBridge: () => new Bridge(bridgeConfig),
		maxCodeCacheSize: options.maxCodeCacheSize,
		poolSize: options.poolSize,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
	});
	await evaluator.initialize();
	statics.expressionEngine = options.engine;
	statics.vmEvaluator = evaluator;
}

async function start(options: EngineOptions): Promise<void> {
	if (!statics.initExpressionEngine || options.engine === 'legacy') return;
	try {
		await statics.initExpressionEngine(options);
	} catch (error) {
		if (!isDynamicImportRejected(error)) throw error;
		await startWithRequire(options);
	}
}

/** Starts the engine once per module registry (that is, per Jest test file); later calls reuse it. */
export async function ensureExpressionEngine(): Promise<void> {
	started ??= start(engineOptions());
	await started;
}

/** Which evaluator expressions currently go through: 'vm', 'quickjs' or 'legacy'. */
export function activeExpressionEngine(): string {
	return statics.getActiveImplementation?.() ?? 'legacy';
}

/** Disposes the isolate pool so that Jest can exit; safe to call when nothing was started. */
export async function disposeExpressionEngine(): Promise<void> {
	if (!started) return;
	await started.catch(() => undefined);
	started = undefined;
	await statics.disposeExpressionEngine?.();
}
