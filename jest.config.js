/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
	},
	testTimeout: 60000,
	globals: { EXPECTED_N8N_MAJOR: '2' },
	globalSetup: '<rootDir>/test/helpers/announceRuntime.ts',
	maxWorkers: 2,
};
