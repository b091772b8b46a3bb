/**
 * Browser tests: n8n's real editor in headless Chromium (puppeteer-core, the machine's Chromium)
 * against a real n8n (the e2e harness). One n8n and one browser for the whole run.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testMatch: ['**/*.browser.test.ts'],
	maxWorkers: 1,
	testTimeout: 180_000,
};
