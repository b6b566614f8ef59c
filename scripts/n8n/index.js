// @ts-check
'use strict';

/**
 * Run a real, pinned n8n headlessly against this package: used by `npm run demo` (scripts/demo.js)
 * and the end-to-end tests (test/e2e). See scripts/n8n/README.md.
 *
 *   const n8n = require('./scripts/n8n');
 *   await n8n.ensureN8n({ version: '2.8.4' });            // installs into .cache/n8n/2.8.4 once
 *   const env = await n8n.createN8nEnv({ version: '2.8.4' });
 *   await env.importCredential(n8n.sandboxCredential(sandbox.url));
 *   await env.importWorkflow(n8n.loadExample('cancel-stock-locks'));
 *   const result = await env.executeWorkflow('DamaiCancelDemo1');
 *   await env.cleanup();
 */

const paths = require('./paths');
const install = require('./install');
const env = require('./env');
const output = require('./output');
const fixtures = require('./fixtures');

module.exports = {
	...paths,
	ensureN8n: install.ensureN8n,
	isInstalled: install.isInstalled,
	installDir: install.installDir,
	binPath: install.binPath,
	formatDuration: install.formatDuration,
	npmCommand: install.npmCommand,
	createN8nEnv: env.createN8nEnv,
	getFreePort: env.getFreePort,
	isPortFree: env.isPortFree,
	...output,
	...fixtures,
};
