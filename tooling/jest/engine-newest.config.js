/**
 * The engine tests (test/engine) on the newest pinned n8n's engine: `npm run test:engine:newest`
 * (tooling/scripts/engine-newest.js installs it into .cache/engine/newest and runs this on Node 24,
 * which is why this is a config of its own and not a project of the root jest.config.js).
 * `n8n-core` and `n8n-workflow` — the node's and the harness's — resolve to that install, and so
 * do `@n8n/di` and `@n8n/backend-common`, through which the harness sets n8n's logger.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const modules = process.env.DAMAI_ENGINE_MODULES || path.join(ROOT, '.cache', 'engine', 'newest', 'node_modules');

module.exports = {
	rootDir: ROOT,
	displayName: 'engine: n8n-core 2.41.1',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/engine'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	moduleNameMapper: {
		'^n8n-core$': path.join(modules, 'n8n-core'),
		'^n8n-workflow$': path.join(modules, 'n8n-workflow'),
		// the harness sets ctx.logger in n8n-core's own DI container
		'^@n8n/di$': path.join(modules, '@n8n', 'di'),
		'^@n8n/backend-common$': path.join(modules, '@n8n', 'backend-common'),
	},
	setupFiles: ['<rootDir>/test/helpers/no-proxy-env.js'],
	testTimeout: 30000,
	// See the root jest.config.js: n8n-core leaves a handle jest cannot see.
	forceExit: true,
};
