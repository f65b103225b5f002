/**
 * The one line every run of the demo and of jest prints about what it runs on: which Node (and the machine's own
 * when scripts/node24.mjs put a Node 24 in front of it), which n8n-workflow and which expression engine.
 */
/** Set by scripts/node24.mjs (its OWN_NODE_ENV) for the commands it runs. */
const OWN_NODE_ENV = 'TEAMS_CALL_OWN_NODE';

/** The engine n8n would start: `N8N_EXPRESSION_ENGINE`, default `vm` (n8n 2.x's and 1.123's default). */
export function configuredExpressionEngine(): string {
	return process.env.N8N_EXPRESSION_ENGINE ?? 'vm';
}

const ENGINE_WORDS: Record<string, string> = {
	vm: "vm (isolated-vm, n8n's default)",
	quickjs: 'quickjs',
	legacy: 'legacy (in-process evaluator)',
};

export function runtimeLine(n8nWorkflowVersion: string, engine: string): string {
	const own = process.env[OWN_NODE_ENV];
	const node =
		own && own !== process.version
			? `Node ${process.version} (Node 24 from the tools cache: this machine's Node is ${own})`
			: `Node ${process.version}`;
	return `${node}, n8n-workflow ${n8nWorkflowVersion}, expression engine ${ENGINE_WORDS[engine] ?? engine}`;
}
