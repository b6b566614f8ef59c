/**
 * The queue-mode test: a real n8n cluster (PostgreSQL, Redis, one main, three workers) started by
 * the test itself (scripts/queue). `npx jest -c jest.queue.config.js`. Needs redis-server and
 * postgresql from Debian (scripts/ci/install-system-packages.sh). QUEUE_N8N_VERSION picks the n8n
 * (default: the newest pinned in scripts/n8n).
 * The file is named *.spec.ts so that the unit run (jest.config.js, *.test.ts) never starts it.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.spec.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	// Builds dist/ when it is older than the sources (the cluster installs `npm pack` of it).
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	maxWorkers: 1,
	testTimeout: 20 * 60 * 1000,
	slowTestThreshold: 300,
	verbose: true,
};
