/**
 * The in-process engine suites against n8n 1.x (n8n-core 1.122, n8n-workflow 1.120, installed under npm aliases):
 * every `n8n-workflow` / `n8n-core` import, ours and n8n-core's own, resolves to the 1.x copies.
 */
const base = require('./jest.config');

module.exports = {
	...base,
	// The emulator's self-test does not touch n8n; the fault suite's soak is long and engine-independent; so is the pack check.
	testPathIgnorePatterns: ['/node_modules/', '/test/emulator.test.ts', '/test/e2e/', '/test/faults/', '/test/package.test.ts'],
	globals: { EXPECTED_N8N_MAJOR: '1' },
	moduleNameMapper: {
		'^n8n-workflow/package.json$': '<rootDir>/node_modules/n8n-workflow-v1/package.json',
		'^n8n-core/package.json$': '<rootDir>/node_modules/n8n-core-v1/package.json',
		'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-v1',
		'^n8n-core$': '<rootDir>/node_modules/n8n-core-v1',
	},
};
