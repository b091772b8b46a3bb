/**
 * End-to-end tests against a real n8n (installed from npm into a cache folder on first use).
 * One n8n for the whole run; files run one after another.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testMatch: ['**/*.e2e.test.ts'],
	maxWorkers: 1,
	testTimeout: 120_000,
};
