/**
 * End-to-end suite: a real n8n (pinned in tools/n8n, installed into .cache/n8n) runs the built node
 * against the sandbox gateway. `npm run test:e2e`. Slow by nature: each n8n CLI call starts an n8n
 * (a few seconds), so test files run one at a time (the machine may have two cores) and each file
 * batches its checks into as few n8n executions as it can. E2E_WORKERS=2 runs two files at once
 * (every n8n gets its own user folder and ports, so that is safe).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	maxWorkers: Number(process.env.E2E_WORKERS || 1),
	testTimeout: 5 * 60 * 1000,
	slowTestThreshold: 60,
	verbose: true,
};
