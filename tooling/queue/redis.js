// @ts-check
'use strict';

/**
 * A throw-away Redis from Debian's `redis-server` package: 127.0.0.1 only, a free port, no
 * persistence, its working folder a temporary one. `command()` runs redis-cli against it.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startService, waitFor, makeTempDir, removeTempDir } = require('../n8n/service');

/** @param {string} name */
function which(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const full = path.join(dir, name);
		if (dir && fs.existsSync(full)) return full;
	}
	return null;
}

/**
 * @param {{ port: number, tmpRoot?: string, timeoutMs?: number }} options
 */
async function startRedis(options) {
	const serverBin = process.env.QUEUE_REDIS_SERVER ?? which('redis-server');
	const cliBin = process.env.QUEUE_REDIS_CLI ?? which('redis-cli');
	if (!serverBin || !cliBin) {
		throw new Error('redis-server / redis-cli not found on PATH: run `bash tooling/scripts/install-system-packages.sh` (apt-get install redis-server)');
	}
	const dir = makeTempDir(path.join(options.tmpRoot ?? os.tmpdir(), 'n8n-queue-redis-'));
	const port = options.port;
	const server = startService(
		'redis',
		serverBin,
		['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		{ cwd: dir, logFile: path.join(dir, 'redis.log') },
	);

	/**
	 * Runs one Redis command; returns redis-cli's raw output (trimmed).
	 * @param {string[]} args
	 */
	const command = (args) => {
		const r = spawnSync(cliBin, ['-h', '127.0.0.1', '-p', String(port), '--no-raw', ...args], { encoding: 'utf8', timeout: 10_000 });
		if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
		return r.stdout.trim();
	};
	/** @param {string[]} args @returns {string[]} one reply line per element, quotes removed */
	const list = (args) => {
		const r = spawnSync(cliBin, ['-h', '127.0.0.1', '-p', String(port), '--raw', ...args], { encoding: 'utf8', timeout: 10_000 });
		if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
		return r.stdout.split('\n').filter((l) => l !== '');
	};

	const stop = async () => {
		await server.stop(10_000);
		removeTempDir(dir);
	};
	try {
		await waitFor('Redis to answer PING', () => command(['PING']) === 'PONG', { timeoutMs: options.timeoutMs ?? 30_000, onTimeout: () => server.tail() });
	} catch (e) {
		await stop();
		throw e;
	}
	return {
		host: '127.0.0.1',
		port,
		server,
		command,
		list,
		/** n8n's QUEUE_BULL_REDIS_* variables for this server. */
		n8nEnv() {
			return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) };
		},
		stop,
	};
}

/** @typedef {Awaited<ReturnType<typeof startRedis>>} Redis */

module.exports = { startRedis };
