/**
 * End-to-end suite: a real n8n (pinned in tools/, installed into .cache/n8n, with the Node.js it
 * needs in .cache/node) runs the built node against the sandbox gateway. `npm run test:e2e`.
 *
 * One jest project per n8n version: the whole suite on each of E2E_VERSIONS (the newest pinned
 * n8n on Node 24, and 2.8.4), the 1.x smoke test on the newest 1.x. Each project hands its version
 * to the tests (globals.E2E_N8N_VERSION, read by test/e2e/helpers.ts) and every test name starts
 * with "n8n <version>". One version only: `npm run test:e2e -- --selectProjects "n8n 2.8.4"`.
 *
 * Slow by nature: each n8n CLI call starts an n8n (seconds), so test files run one at a time (the
 * machine may have two cores) and each file batches its checks into as few n8n executions as it
 * can. E2E_WORKERS=2 runs two files at once (every n8n gets its own user folder and ports, so that
 * is safe).
 */
const { E2E_VERSIONS, LATEST_1X } = require('./scripts/n8n/paths');

const project = (version, testMatch, testPathIgnorePatterns = []) => ({
	displayName: `n8n ${version}`,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch,
	testPathIgnorePatterns: ['/node_modules/', ...testPathIgnorePatterns],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	globals: { E2E_N8N_VERSION: version },
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	slowTestThreshold: 60,
});

module.exports = {
	projects: [
		...E2E_VERSIONS.map((version) => project(version, ['**/*.test.ts'], ['/n8n-1x\\.test\\.ts$'])),
		project(LATEST_1X, ['**/n8n-1x.test.ts']),
	],
	maxWorkers: Number(process.env.E2E_WORKERS || 1),
	testTimeout: 5 * 60 * 1000,
	verbose: true,
};
