// @ts-check
'use strict';

/**
 * Run a real, pinned n8n headlessly against this package: used by `npm run demo` (tooling/scripts/demo.js)
 * and the end-to-end tests (test/e2e). See tooling/n8n/README.md.
 *
 *   const n8n = require('./tooling/n8n');
 *   await n8n.ensureN8n({ version: n8n.LATEST_VERSION });  // Node 24 + n8n into .cache/ once
 *   const env = await n8n.createN8nEnv({ version: n8n.LATEST_VERSION });
 *   await env.importCredential(n8n.sandboxCredential(sandbox.url));
 *   await env.importWorkflow(n8n.loadExample('cancel-stock-locks'));
 *   const result = await env.executeWorkflow('DamaiCancelDemo1');
 *   await env.cleanup();
 *
 * Files: paths.js (versions), npm.js + pinned.js + node.js + install.js (installs), service.js (every
 * child process: process groups, logs, kill and clean up at exit), ports.js, processes.js (n8n
 * commands), workflows.js (imports, execute), env.js (one instance), community-package.js (the
 * package installed as users do), output.js (run data), fixtures.js (credential, examples),
 * run-main.js (the scripts' main()).
 */

const paths = require('./paths');
const install = require('./install');
const node = require('./node');
const service = require('./service');
const ports = require('./ports');
const env = require('./env');
const communityPackage = require('./community-package');
const rest = require('./rest');
const output = require('./output');
const fixtures = require('./fixtures');
const { runMain } = require('./run-main');

module.exports = {
	...paths,
	ensureN8n: install.ensureN8n,
	isInstalled: install.isInstalled,
	installDir: install.installDir,
	binPath: install.binPath,
	formatDuration: install.formatDuration,
	npmCommand: install.npmCommand,
	ensureNode: node.ensureNode,
	isNodeInstalled: node.isNodeInstalled,
	nodeBinPath: node.nodeBinPath,
	runtimeFor: node.runtimeFor,
	createN8nEnv: env.createN8nEnv,
	getFreePort: ports.getFreePort,
	isPortFree: ports.isPortFree,
	httpOk: ports.httpOk,
	startService: service.startService,
	waitFor: service.waitFor,
	delay: service.delay,
	makeTempDir: service.makeTempDir,
	removeTempDir: service.removeTempDir,
	PACKAGE_NAME: communityPackage.PACKAGE,
	packPackage: communityPackage.packPackage,
	installCommunityPackage: communityPackage.installCommunityPackage,
	setupOwner: rest.setupOwner,
	login: rest.login,
	runMain,
	...output,
	...fixtures,
};
