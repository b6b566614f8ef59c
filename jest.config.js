/** Unit, HTTP and engine tests (fast). The end-to-end suite with a real n8n is jest.e2e.config.js. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	testTimeout: 30000,
	// n8n-core's WorkflowExecute leaves something alive after a run that jest's open-handle
	// detection cannot see (a run of only a fixture node reproduces it). Every test closes the
	// servers and clients it starts itself.
	forceExit: true,
};
