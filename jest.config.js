/**
 * Every jest run of the project that runs on the Node.js running jest, as jest projects. The one
 * run on another Node (the engine tests on the newest n8n's engine, Node 24) has its own config:
 * tooling/jest/engine-newest.config.js.
 *
 * - `fast` (what `npx jest` and `npm test` run): unit tests, real HTTP against the sandbox gateway,
 *   the node in n8n's real engine, property tests, the package's contents. No n8n install, no root.
 * - `e2e n8n <version>`: a real n8n (pinned in tooling/pinned/, installed into .cache/ on first
 *   use, with the Node.js it needs) runs the built node against the sandbox gateway. The whole suite
 *   on each of E2E_VERSIONS (the newest pinned n8n on Node 24, and 2.8.4), the 1.x smoke test on the
 *   newest 1.x. Each project hands its version to the tests (globals.E2E_N8N_VERSION) and every test
 *   name starts with "n8n <version>".
 * - `browser`: the n8n 2.41.1 editor in Debian's headless Chromium (playwright-core), the package
 *   installed as a community package: log in, the credential test's message, the node's notice,
 *   the output table.
 * - `queue`: a real queue-mode cluster (PostgreSQL and Redis from Debian, a main and workers).
 * - `proxy`: the client through a real forward proxy (tinyproxy from Debian) to the sandbox
 *   gateway, plain and HTTPS; the proxy's log is the witness.
 *
 * The slow projects run only when named: `npx jest --selectProjects "e2e n8n 2.8.4"`;
 * `npm run test:all` names them all (package.json). Without --selectProjects only `fast` exists, so
 * a plain `npx jest` never installs n8n or needs root.
 *
 * The slow ones are slow by nature (each n8n CLI call starts an n8n, seconds), so their files run
 * one at a time (the scripts pass --maxWorkers from E2E_WORKERS, default 1: every n8n gets its own
 * user folder and ports, so two at once is safe on a bigger machine).
 */
const { E2E_VERSIONS, LATEST_1X, LATEST_VERSION } = require('./tooling/n8n/paths');

const transform = {
	'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: { warnOnly: false } }],
};

const fast = {
	displayName: 'fast',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/queue/', '<rootDir>/test/proxy/', '<rootDir>/test/browser/'],
	transform,
	setupFiles: ['<rootDir>/test/helpers/no-proxy-env.js'],
};

const e2e = (version, testMatch, testPathIgnorePatterns = []) => ({
	displayName: `e2e n8n ${version}`,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch,
	testPathIgnorePatterns: ['/node_modules/', ...testPathIgnorePatterns],
	transform,
	globals: { E2E_N8N_VERSION: version },
	// Builds dist/ when it is older than the sources.
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
});

const slow = [
	{
		// A real forward proxy (Debian's tinyproxy, started by the tests on loopback) between the
		// client and the sandbox gateway, plain and HTTPS. `npm run test:proxy` installs tinyproxy first.
		displayName: 'proxy',
		testEnvironment: 'node',
		roots: ['<rootDir>/test/proxy'],
		testMatch: ['**/*.test.ts'],
		transform,
		setupFiles: ['<rootDir>/test/helpers/no-proxy-env.js'],
	},
	// (the run through a proxy from n8n's environment, issue 16, on the newest pinned n8n only)
	...E2E_VERSIONS.map((version) =>
		e2e(version, ['**/*.test.ts'], ['/n8n-1x\\.test\\.ts$', ...(version === LATEST_VERSION ? [] : ['/proxy\\.test\\.ts$'])]),
	),
	e2e(LATEST_1X, ['**/n8n-1x.test.ts']),
	{
		// What a user sees in the n8n 2.41.1 editor, in Debian's headless Chromium (playwright-core),
		// with the package installed as a community package. `npm run test:browser` installs Chromium
		// first when it is missing (root then).
		displayName: 'browser',
		testEnvironment: 'node',
		roots: ['<rootDir>/test/browser'],
		testMatch: ['**/*.test.ts'],
		transform,
		// Builds dist/ when it is older than the sources (the community package is packed from it).
		globalSetup: '<rootDir>/test/e2e/global-setup.js',
	},
	{
		// QUEUE_N8N_VERSION picks the n8n (default: the newest pinned in tooling/n8n). Its files are
		// named *.spec.ts so that the fast project never matches them.
		displayName: 'queue',
		testEnvironment: 'node',
		roots: ['<rootDir>/test/queue'],
		testMatch: ['**/*.spec.ts'],
		transform,
		// The cluster installs `npm pack` of dist/.
		globalSetup: '<rootDir>/test/e2e/global-setup.js',
	},
];

/** The project names given with --selectProjects (jest's own flag), in either of its spellings. */
function selectedProjects(argv) {
	const names = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--selectProjects') {
			for (i++; i < argv.length && !argv[i].startsWith('-'); i++) names.push(argv[i]);
			i--;
		} else if (argv[i].startsWith('--selectProjects=')) names.push(argv[i].slice('--selectProjects='.length));
	}
	return names;
}

const selected = selectedProjects(process.argv);

/**
 * jest takes the test timeout (and the slow-test threshold) from the run, not from a project:
 * a run is either the fast project or slow ones, so the timeout follows what was selected.
 */
const timeouts = { fast: 30_000, proxy: 60_000, e2e: 5 * 60_000, browser: 5 * 60_000, queue: 20 * 60_000 };
const timeoutOf = (name) => (name.startsWith('e2e ') ? timeouts.e2e : (timeouts[name] ?? 0));
const testTimeout = Math.max(timeouts.fast, ...selected.map(timeoutOf));

module.exports = {
	projects: [fast, ...slow.filter((project) => selected.includes(project.displayName))],
	testTimeout,
	slowTestThreshold: testTimeout > timeouts.fast ? 60 : 5,
	// n8n-core's WorkflowExecute leaves something alive after a run that jest's open-handle
	// detection cannot see (a run of only a fixture node reproduces it). Every test closes the
	// servers and clients it starts itself.
	forceExit: true,
};
