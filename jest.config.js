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
 *
 * The slow projects run only when named: `npx jest --selectProjects "e2e n8n 2.8.4"`;
 * `npm run test:all` names them all (package.json). Without --selectProjects only `fast` exists, so
 * a plain `npx jest` never installs n8n or needs root.
 *
 * The slow ones are slow by nature (each n8n CLI call starts an n8n, seconds), so their files run
 * one at a time (the scripts pass --maxWorkers from E2E_WORKERS, default 1: every n8n gets its own
 * user folder and ports, so two at once is safe on a bigger machine).
 */
const { E2E_VERSIONS, LATEST_1X } = require('./tooling/n8n/paths');

const transform = {
	'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
};

const fast = {
	displayName: 'fast',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/queue/', '<rootDir>/test/browser/'],
	transform,
	testTimeout: 30000,
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
	testTimeout: 5 * 60 * 1000,
	slowTestThreshold: 60,
});

const slow = [
	...E2E_VERSIONS.map((version) => e2e(version, ['**/*.test.ts'], ['/n8n-1x\\.test\\.ts$'])),
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
		testTimeout: 5 * 60 * 1000,
		slowTestThreshold: 120,
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
		testTimeout: 20 * 60 * 1000,
		slowTestThreshold: 300,
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

const chosen = slow.filter((project) => selected.includes(project.displayName));

module.exports = {
	projects: [fast, ...chosen],
	// jest 30 (jest-circus) applies only the global testTimeout, never a project's own: the global
	// one is the fast project's, or the largest of the slow projects named (each slow file also runs
	// alone, one n8n start per test can take longer than jest's 5 s default on a busy machine).
	testTimeout: chosen.length ? Math.max(...chosen.map((project) => project.testTimeout)) : fast.testTimeout,
	// n8n-core's WorkflowExecute leaves something alive after a run that jest's open-handle
	// detection cannot see (a run of only a fixture node reproduces it). Every test closes the
	// servers and clients it starts itself.
	forceExit: true,
};
