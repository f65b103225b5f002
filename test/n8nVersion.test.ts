/** The engine suites run against n8n 2.x (jest.config.js) and 1.x (jest.n8n1.config.js): prove which one loaded. */
declare const EXPECTED_N8N_MAJOR: string;

it.each(['n8n-workflow', 'n8n-core'])('runs against %s of the expected major version', (name) => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { version } = require(`${name}/package.json`) as { version: string };
	expect(version.split('.')[0]).toBe(EXPECTED_N8N_MAJOR);
});
