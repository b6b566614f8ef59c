// @ts-check
'use strict';

const path = require('node:path');

/** The repository root, computed from this file's place (scripts/n8n/paths.js). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where pinned n8n installs live (git-ignored). One folder per version. */
const CACHE_ROOT = path.join(REPO_ROOT, '.cache', 'n8n');

/** The built package the engine loads through N8N_CUSTOM_EXTENSIONS. */
const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** The examples folder. */
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * The n8n versions the project runs against. Each has its own folder under tools/ with a package.json
 * and a committed package-lock.json; `npm ci` of that lock makes the install reproducible.
 *
 * @typedef {{
 *   version: string,
 *   toolsDir: string,
 *   npmCiArgs: string[],
 *   rebuild: string[],
 *   env: Record<string, string>,
 * }} N8nVersionSpec
 * @type {Record<string, N8nVersionSpec>}
 */
const VERSIONS = {
	'2.8.4': {
		version: '2.8.4',
		toolsDir: path.join(REPO_ROOT, 'tools', 'n8n'),
		npmCiArgs: [],
		rebuild: [],
		env: {},
	},
	'1.123.81': {
		version: '1.123.81',
		toolsDir: path.join(REPO_ROOT, 'tools', 'n8n-1x'),
		// n8n 1.x pulls isolated-vm 6, which needs Node >= 22 and fails to build on Node 20: skip every
		// install script, then build only the native module n8n cannot run without (the sqlite driver).
		npmCiArgs: ['--ignore-scripts'],
		rebuild: ['sqlite3'],
		// The 1.x default expression engine ('vm') runs on isolated-vm, which is not built (see above).
		// Code nodes run in task runners as in 2.x (where they are always on and the variable is deprecated).
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' },
	},
};

const DEFAULT_VERSION = '2.8.4';
const LATEST_1X = '1.123.81';

module.exports = { REPO_ROOT, CACHE_ROOT, DIST_DIR, EXAMPLES_DIR, VERSIONS, DEFAULT_VERSION, LATEST_1X };
