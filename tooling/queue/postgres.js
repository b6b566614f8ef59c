// @ts-check
'use strict';

/**
 * A throw-away PostgreSQL server from Debian's `postgresql` package: a fresh cluster (initdb) in a
 * temporary folder, listening on a free 127.0.0.1 port (password login, scram-sha-256) and on a
 * Unix socket in that folder, with a `n8n` role owning a `n8n` database. Stopped and deleted by
 * stop().
 *
 * PostgreSQL refuses to run as root. When this process is root, the server (and initdb) run as the
 * `postgres` system user the Debian package creates, through Node's own setuid/setgid on spawn
 * (no sudo, no su); the temporary folder is handed to that user. Otherwise they run as the current
 * user.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync, spawnSync } = require('node:child_process');
const { startService, waitFor, makeTempDir, removeTempDir } = require('../n8n/service');

/** The newest /usr/lib/postgresql/<major>/bin that has initdb (or QUEUE_PG_BIN). */
function findPgBin() {
	if (process.env.QUEUE_PG_BIN) return process.env.QUEUE_PG_BIN;
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
		: [];
	if (!majors.length) {
		throw new Error('PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: run `bash tooling/scripts/install-system-packages.sh` (apt-get install postgresql), or set QUEUE_PG_BIN');
	}
	return path.join(root, majors[0], 'bin');
}

/** uid/gid to run the server as: the `postgres` user when we are root, else nothing (ourselves). */
function serverIdentity() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		throw new Error('Running as root, but there is no `postgres` system user to run PostgreSQL as (the Debian postgresql package creates it)');
	}
}

/**
 * @param {{ port: number, tmpRoot?: string, log?: (line: string) => void, timeoutMs?: number }} options
 */
async function startPostgres(options) {
	const bin = findPgBin();
	const identity = serverIdentity();
	const dir = makeTempDir(path.join(options.tmpRoot ?? os.tmpdir(), 'n8n-queue-pg-'));
	const data = path.join(dir, 'data');
	const password = crypto.randomBytes(18).toString('base64url');
	const superPassword = crypto.randomBytes(18).toString('base64url');
	const port = options.port;
	const timeoutMs = options.timeoutMs ?? 60_000;
	/** @type {import('../n8n/service').Service | undefined} */
	let server;

	const stop = async () => {
		await server?.stop(15_000, 'SIGINT'); // SIGINT = fast shutdown
		removeTempDir(dir);
	};

	try {
		const pwfile = path.join(dir, 'superuser-password');
		fs.writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
		if (identity.uid !== undefined) {
			fs.chownSync(dir, identity.uid, /** @type {number} */ (identity.gid));
			fs.chownSync(pwfile, identity.uid, /** @type {number} */ (identity.gid));
		}
		const init = spawnSync(
			path.join(bin, 'initdb'),
			['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale', '--no-sync'],
			{ cwd: dir, encoding: 'utf8', timeout: timeoutMs, ...identity },
		);
		fs.rmSync(pwfile, { force: true });
		if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stderr || init.stdout || init.error?.message}`);

		server = startService(
			'postgres',
			path.join(bin, 'postgres'),
			[
				'-D', data,
				'-p', String(port),
				'-c', 'listen_addresses=127.0.0.1',
				'-c', `unix_socket_directories=${dir}`,
				// A test database: durability off, small memory.
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
				'-c', 'shared_buffers=32MB',
				'-c', 'max_connections=60',
			],
			{ cwd: dir, logFile: path.join(dir, 'postgres.log'), ...identity },
		);
		await server.waitForOutput(/ready to accept connections/, timeoutMs);

		// Role and database for n8n, over the Unix socket as the superuser (trust for local sockets).
		const psqlSuper = (/** @type {string} */ sql) => {
			const r = spawnSync(path.join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', sql], {
				encoding: 'utf8',
				timeout: timeoutMs,
			});
			if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error?.message}`);
		};
		psqlSuper(`CREATE ROLE n8n LOGIN PASSWORD '${password}'`);
		psqlSuper('CREATE DATABASE n8n OWNER n8n');
	} catch (e) {
		await stop();
		throw e;
	}

	const clientEnv = { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' };
	const connArgs = ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n'];

	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		password,
		database: 'n8n',
		dir,
		server: /** @type {import('../n8n/service').Service} */ (server),
		/** n8n's DB_* variables for this server. */
		n8nEnv() {
			return {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(port),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'n8n',
				DB_POSTGRESDB_PASSWORD: password,
			};
		},
		/**
		 * Rows of a SELECT, as JSON objects (psql over TCP as the n8n role).
		 * @param {string} sql
		 * @returns {any[]}
		 */
		query(sql) {
			const wrapped = `SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`;
			const r = spawnSync(path.join(bin, 'psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', ...connArgs, '-c', wrapped], {
				encoding: 'utf8',
				env: clientEnv,
				timeout: 60_000,
				maxBuffer: 256 * 1024 * 1024,
			});
			if (r.status !== 0) throw new Error(`query failed: ${r.stderr || r.error?.message}\n${sql}`);
			return JSON.parse(r.stdout);
		},
		/** The whole database as pg_dump prints it (schema and data, plain SQL). */
		dump() {
			const r = spawnSync(path.join(bin, 'pg_dump'), ['--no-owner', ...connArgs], {
				env: clientEnv,
				timeout: 120_000,
				maxBuffer: 1024 * 1024 * 1024,
			});
			if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr?.toString() || r.error?.message}`);
			return r.stdout;
		},
		/** Waits until a SELECT answers (the server may still be starting). */
		async ready(timeout = timeoutMs) {
			await waitFor('PostgreSQL to answer', () => this.query('SELECT 1 AS ok').length === 1, { timeoutMs: timeout });
		},
		stop,
	};
}

/** @typedef {Awaited<ReturnType<typeof startPostgres>>} Postgres */

module.exports = { startPostgres, findPgBin };
