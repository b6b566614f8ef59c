// @ts-check
'use strict';

/**
 * A local n8n cluster in queue mode (PostgreSQL, Redis, one main, N workers) for the queue-mode
 * test (test/queue) and for trying queue mode by hand (scripts/queue/cli.js). See
 * scripts/queue/README.md.
 */

const { startCluster } = require('./cluster');
const { startPostgres, findPgBin } = require('./postgres');
const { startRedis } = require('./redis');
const { packPackage, installCommunityPackage, PACKAGE } = require('./community-package');
const { resolveRuntime, chooseVersion, newestPinned } = require('./runtime');
const { startService, waitFor, delay } = require('./process');

module.exports = {
	startCluster,
	startPostgres,
	findPgBin,
	startRedis,
	packPackage,
	installCommunityPackage,
	PACKAGE,
	resolveRuntime,
	chooseVersion,
	newestPinned,
	startService,
	waitFor,
	delay,
};
