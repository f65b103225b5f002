/**
 * Part of jest's globalSetup (test/helpers/globalSetup.ts): prints the run's one line about Node, n8n-workflow and
 * the expression engine (test/engine.test.ts proves the engine is the one started).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { configuredExpressionEngine, runtimeLine } from './runtimeLine';

interface ProjectConfig {
	rootDir: string;
	moduleNameMapper?: Array<[string, string]>;
}

/** n8n-workflow's package.json as the suites resolve it (jest.n8n1.config.js maps it to the 1.x copy). */
function n8nWorkflowVersion(project: ProjectConfig): string {
	const mapped = project.moduleNameMapper?.find(([pattern]) => new RegExp(pattern).test('n8n-workflow/package.json'));
	const path = mapped
		? mapped[1].replace('<rootDir>', project.rootDir)
		: join(project.rootDir, 'node_modules', 'n8n-workflow', 'package.json');
	return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export default function announceRuntime(_globalConfig: unknown, project: ProjectConfig): void {
	process.stdout.write(`jest: ${runtimeLine(n8nWorkflowVersion(project), configuredExpressionEngine())}\n`);
}
