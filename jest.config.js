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
	globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
	globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
	// Fails a test during which the emulator took or gave a body that does not match Graph's schema.
	setupFilesAfterEnv: ['<rootDir>/test/contract/failOnMismatch.ts'],
	maxWorkers: 2,
};
