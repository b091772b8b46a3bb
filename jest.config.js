/** Unit tests: fast, no network but loopback, no real n8n (that is `npm run test:e2e`). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/unit'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testMatch: ['**/*.test.ts'],
};
