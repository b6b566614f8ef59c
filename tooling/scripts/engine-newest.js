#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run test:engine:newest`: the engine tests (test/engine) on n8n's execution engine as the
 * newest pinned n8n ships it (tooling/pinned/engine-newest: n8n-core 2.41.1, n8n-workflow 2.41.0), on the
 * Node.js that n8n runs on (24). The package's own devDependencies stay on the 2.8 line, so the
 * node is built against the oldest n8n API it supports, and `npx jest` runs the same tests there.
 *
 * Installs Node 24 and the engine into .cache/ on first use (tooling/n8n/pinned.js), then runs
 * jest with tooling/jest/engine-newest.config.js, which maps `n8n-core` and `n8n-workflow` to that install.
 * Extra arguments go to jest.
 */

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_ROOT, VERSIONS, LATEST_VERSION } = require('../n8n/paths');
const { expectedMarkerFor, installPinned } = require('../n8n/pinned');
const { ensureNode } = require('../n8n/node');
const { verifyModules } = require('../n8n/install');

const TOOLS_DIR = path.join(REPO_ROOT, 'tooling', 'pinned', 'engine-newest');
const ENGINE_DIR = path.join(REPO_ROOT, '.cache', 'engine', 'newest');

async function main() {
	const log = (/** @type {string} */ line) => process.stderr.write(`[engine-newest] ${line}\n`);
	const nodeVersion = VERSIONS[LATEST_VERSION].node;
	const node = nodeVersion ? await ensureNode({ version: nodeVersion, log }) : { node: process.execPath, home: null, version: process.versions.node };
	const runtime = { node: node.node, binDir: path.dirname(node.node), nodedir: node.home };
	await installPinned({
		what: `n8n's engine of n8n ${LATEST_VERSION}`,
		toolsDir: TOOLS_DIR,
		dir: ENGINE_DIR,
		marker: expectedMarkerFor({ toolsDir: TOOLS_DIR, what: 'the engine', extra: { ignoreScripts: true }, nodeVersion: node.version }),
		entry: path.join(ENGINE_DIR, 'node_modules', 'n8n-core', 'package.json'),
		// nothing in the engine needs a build step (isolated-vm 7 ships its binary for Node 24)
		steps: [['ci', '--no-audit', '--no-fund', '--ignore-scripts']],
		runtime,
		check: () => verifyModules(node.node, ENGINE_DIR, ['n8n-core', 'n8n-workflow']),
		log,
	});
	const jest = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const result = spawnSync(node.node, [jest, '-c', 'tooling/jest/engine-newest.config.js', ...process.argv.slice(2)], {
		cwd: REPO_ROOT,
		stdio: 'inherit',
		env: { ...process.env, DAMAI_ENGINE_MODULES: path.join(ENGINE_DIR, 'node_modules') },
	});
	process.exitCode = result.status ?? 1;
}

main().catch((error) => {
	process.stderr.write(`[engine-newest] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
