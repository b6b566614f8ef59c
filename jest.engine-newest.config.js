/**
 * The engine tests (test/engine) on the newest pinned n8n's engine: `npm run test:engine:newest`
 * (scripts/engine-newest.js installs it into .cache/engine/newest and runs this on Node 24).
 * `n8n-core` and `n8n-workflow` — the node's and the harness's — resolve to that install.
 */
const path = require('node:path');
const base = require('./jest.config');

const modules = process.env.DAMAI_ENGINE_MODULES || path.join(__dirname, '.cache', 'engine', 'newest', 'node_modules');

module.exports = {
	...base,
	displayName: 'engine: n8n-core 2.41.1',
	roots: ['<rootDir>/test/engine'],
	testPathIgnorePatterns: ['/node_modules/'],
	moduleNameMapper: {
		'^n8n-core$': path.join(modules, 'n8n-core'),
		'^n8n-workflow$': path.join(modules, 'n8n-workflow'),
	},
};
