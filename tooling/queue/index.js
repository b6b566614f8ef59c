// @ts-check
'use strict';

/**
 * A local n8n cluster in queue mode (PostgreSQL, Redis, one main, N workers) for the queue-mode
 * test (test/queue) and for trying queue mode by hand (tooling/queue/cli.js). See
 * tooling/queue/README.md. The child processes, the package install and the polling helpers come
 * from tooling/n8n (re-exported here).
 */

const n8n = require('../n8n');
const { startCluster, resolveRuntime, chooseVersion } = require('./cluster');
const { startPostgres, findPgBin } = require('./postgres');
const { startRedis } = require('./redis');

module.exports = {
	startCluster,
	startPostgres,
	findPgBin,
	startRedis,
	packPackage: n8n.packPackage,
	installCommunityPackage: n8n.installCommunityPackage,
	PACKAGE: n8n.PACKAGE_NAME,
	resolveRuntime,
	chooseVersion,
	startService: n8n.startService,
	waitFor: n8n.waitFor,
	delay: n8n.delay,
};
