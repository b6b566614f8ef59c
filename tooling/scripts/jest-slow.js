#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run test:e2e` / `npm run test:queue` / `npm run test:proxy` / `npm run test:browser`: runs
 * the root jest.config.js's slow projects of one kind by name (`e2e`: every `e2e n8n <version>`
 * project; `queue`: the queue-mode cluster; `proxy`: the client through a real tinyproxy;
 * `browser`: the editor in headless Chromium), one
 * test file at a time (E2E_WORKERS raises that). Extra arguments go to jest, e.g.
 * `npm run test:e2e -- -t "sign methods"`, or one version: `npm run test:e2e -- --selectProjects "e2e n8n 2.8.4"`.
 */

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { E2E_VERSIONS, LATEST_1X, REPO_ROOT } = require('../n8n/paths');

const KINDS = {
	e2e: [...E2E_VERSIONS, LATEST_1X].map((version) => `e2e n8n ${version}`),
	queue: ['queue'],
	proxy: ['proxy'],
	browser: ['browser'],
};

const [kind, ...rest] = process.argv.slice(2);
const projects = KINDS[/** @type {keyof typeof KINDS} */ (kind)];
if (!projects) {
	process.stderr.write(`usage: jest-slow.js ${Object.keys(KINDS).join('|')} [jest arguments…]\n`);
	process.exit(2);
}
const jest = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
// `--selectProjects` among the extra arguments narrows the run to those projects instead.
const select = rest.some((a) => a === '--selectProjects' || a.startsWith('--selectProjects=')) ? [] : ['--selectProjects', ...projects];
const args = [jest, ...select, '--verbose', `--maxWorkers=${process.env.E2E_WORKERS || 1}`, ...rest];
const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
process.exitCode = result.status ?? 1;
