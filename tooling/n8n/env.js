// @ts-check
'use strict';

/**
 * A throw-away n8n instance: its own temporary user folder (SQLite database, settings), its own ports
 * (the editor/REST port and the task-runner broker port), its own encryption key, this package's
 * dist/ loaded through N8N_CUSTOM_EXTENSIONS, and the Node.js its n8n version needs. A ProcessGroup
 * (processes.js: spawning n8n commands) with workflows.js (imports, execute); cleanup() stops every
 * process it started and removes the folder (which is also deleted when this process exits).
 *
 * Several long-running processes may share one environment (same key, same database settings from
 * `options.env`), e.g. queue mode: `env.start()`, `env.startWorker()` ×2, `env.startWebhook()`;
 * each gets its own ports.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { DIST_DIR, VERSIONS, DEFAULT_VERSION } = require('./paths');
const { binPath } = require('./install');
const { runtimeFor } = require('./node');
const { ProcessGroup } = require('./processes');
const { getFreePort, releasePorts, isPortFree } = require('./ports');
const { makeTempDir, removeTempDir, delay } = require('./service');
const workflows = require('./workflows');
const { PACKAGE, packPackage, installCommunityPackage } = require('./community-package');

/**
 * Variables from the caller's environment that would point n8n at another instance or change its
 * behaviour. NODE_ENV matters: jest sets it to "test", and n8n in test mode logs nothing (so
 * `execute` prints no run data) and skips parts of its CLI lifecycle. The proxy variables, in
 * either case: the node honours them, so a developer's proxy would carry the calls to the loopback
 * sandbox (a test that wants a proxy passes it in `env`).
 */
const INHERITED_DROP = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|CREDENTIALS_|NODES_|NODE_ENV$|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_FUNCTION_ALLOW|(HTTPS?|ALL|NO)_PROXY$)/i;

/**
 * @typedef {import('./processes').RunResult} RunResult
 * @typedef {import('./processes').N8nProcess} N8nProcess
 * @typedef {import('./workflows').ExecuteResult} ExecuteResult
 * @typedef {{ args?: string[], env?: Record<string, string>, port?: number, timeoutMs?: number, onOutput?: (chunk: string) => void, waitReady?: boolean, logFile?: string }} StartOptions
 */

/** The n8n processes (run(), start…()) of one user folder, key, ports and settings. */
class N8nEnv extends ProcessGroup {
	/** @param {{ version: string, bin: string, node: string, userFolder: string, env: Record<string, string>, port: number, brokerPort: number, nodeTypePrefix?: string }} init */
	constructor(init) {
		super({ ...init, cwd: init.userFolder });
		this.version = init.version;
		this.userFolder = init.userFolder;
		this.port = init.port;
		this.brokerPort = init.brokerPort;
		/**
		 * Node type prefix of this package's nodes: `CUSTOM.` when loaded through
		 * N8N_CUSTOM_EXTENSIONS, `n8n-nodes-damai.` when installed as a community package.
		 */
		this.nodeTypePrefix = init.nodeTypePrefix ?? 'CUSTOM.';
		/** @type {number[]} ports taken for processes started later */
		this.extraPorts = [];
		this.cleanedUp = false;
	}

	/** @param {object | object[]} credentials */
	importCredentials(credentials) {
		return workflows.importCredentials(this, credentials);
	}

	/** @param {object} credential */
	importCredential(credential) {
		return workflows.importCredentials(this, [credential]);
	}

	/** @param {object | object[]} list @param {{ rewriteNodeTypes?: boolean }} [options] */
	importWorkflows(list, options) {
		return workflows.importWorkflows(this, list, options);
	}

	/** @param {object} workflow @param {{ rewriteNodeTypes?: boolean }} [options] */
	importWorkflow(workflow, options) {
		return workflows.importWorkflows(this, [workflow], options);
	}

	/** @param {string} file */
	importWorkflowFile(file) {
		return workflows.importWorkflowFile(this, file);
	}

	/** @template T @param {T} workflow @returns {T} */
	adaptWorkflow(workflow) {
		return workflows.adaptWorkflow(this, workflow);
	}

	/** @param {string} id @param {{ timeoutMs?: number, env?: Record<string, string> }} [options] @returns {Promise<ExecuteResult>} */
	executeWorkflow(id, options) {
		return workflows.executeWorkflow(this, id, options);
	}

	/** A free port, released again at cleanup(). */
	async freePort() {
		const port = await getFreePort();
		this.extraPorts.push(port);
		return port;
	}

	/**
	 * Starts a long-running n8n process of this environment and resolves once it is ready
	 * (/healthz/readiness answers 200; waitReady: false resolves at once). Each process gets its own
	 * task-runner broker port; `start` listens on env.port (or options.port), `webhook` on a free
	 * port, `worker` serves its health check (QUEUE_HEALTH_CHECK_*) on a free port, on 127.0.0.1.
	 * `logFile`: also append its output to that file.
	 * @param {'start' | 'worker' | 'webhook'} command
	 * @param {StartOptions} [options]
	 * @returns {Promise<N8nProcess & { port: number, brokerPort: number }>}
	 */
	async startProcess(command, options = {}) {
		const brokerPort = await this.freePort();
		const port = options.port ?? (command === 'start' ? this.port : await this.freePort());
		/** @type {Record<string, string>} */
		const env = { N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
		if (command !== 'worker') env.N8N_PORT = String(port);
		else Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
		const url = `http://127.0.0.1:${port}`;
		const started = await this.launch([command, ...(options.args ?? [])], {
			env: { ...env, ...(options.env ?? {}) },
			url,
			readyUrl: options.waitReady === false ? null : `${url}/healthz/readiness`,
			timeoutMs: options.timeoutMs,
			onOutput: options.onOutput,
			logFile: options.logFile,
		});
		return { ...started, port, brokerPort };
	}

	/** `n8n start` (editor, REST API, webhooks) on env.port. @param {StartOptions} [options] */
	start(options) {
		return this.startProcess('start', options);
	}

	/** `n8n worker` (queue mode; args e.g. ['--concurrency=5']). @param {StartOptions} [options] */
	startWorker(options) {
		return this.startProcess('worker', options);
	}

	/** `n8n webhook` (queue mode webhook process). @param {StartOptions} [options] */
	startWebhook(options) {
		return this.startProcess('webhook', options);
	}

	/** Paths of every file n8n left in the user folder (database, WAL, settings, logs, …). */
	listFiles() {
		/** @type {string[]} */
		const files = [];
		const walk = (/** @type {string} */ dir) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (entry.isFile()) files.push(full);
			}
		};
		if (fs.existsSync(this.userFolder)) walk(this.userFolder);
		return files;
	}

	/** The SQLite database file(s): database.sqlite plus its -wal/-shm/-journal companions if any. */
	databaseFiles() {
		return this.listFiles().filter((f) => /database\.sqlite(-wal|-shm|-journal)?$/.test(f));
	}

	/** Stops whatever is still running and removes the user folder. Safe to call twice. */
	async cleanup() {
		await this.stopAll();
		if (!this.cleanedUp) {
			this.cleanedUp = true;
			releasePorts([this.port, this.brokerPort, ...this.extraPorts]);
		}
		for (let i = 0; i < 5; i++) {
			try {
				removeTempDir(this.userFolder);
				break;
			} catch {
				await delay(200);
			}
		}
	}
}

/**
 * Creates an isolated n8n environment (does not install n8n: call ensureN8n first). `env` is
 * applied last (e.g. DB_TYPE=postgresdb, EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_PORT for queue
 * mode); `encryptionKey` to share one with another environment.
 *
 * `communityPackage: true` installs this package into the user folder's .n8n/nodes the way n8n
 * installs a community package (`npm pack` of the repository, or `communityPackage: { tarball }`),
 * instead of N8N_CUSTOM_EXTENSIONS. Only a package n8n loads that way gets its credential's
 * `supportedNodes` (n8n 2.8 and 2.41 list them for package loaders only), which is what lets the
 * editor offer the node's credential test (`testedBy`). Workflows keep the `n8n-nodes-damai.*` types.
 *
 * @param {{ version?: string, extensions?: string[] | false, communityPackage?: boolean | { tarball: string }, port?: number, env?: Record<string, string>, tmpDir?: string, encryptionKey?: string }} [options]
 */
async function createN8nEnv(options = {}) {
	const version = options.version ?? DEFAULT_VERSION;
	const spec = VERSIONS[version];
	if (!spec) throw new Error(`n8n ${version} is not pinned here`);
	const bin = binPath(version);
	const runtime = runtimeFor(version);
	for (const file of [bin, runtime.node]) {
		if (!fs.existsSync(file)) throw new Error(`n8n ${version} is not installed (${file} is missing); call ensureN8n({ version: '${version}' }) first`);
	}

	// (deleted by cleanup(), or at the latest when this process exits)
	const userFolder = makeTempDir(path.join(options.tmpDir ?? os.tmpdir(), 'n8n-damai-'));
	try {
		const port = options.port ?? (await getFreePort());
		const brokerPort = await getFreePort();
		const extensions = options.extensions === false || options.communityPackage ? [] : (options.extensions ?? [DIST_DIR]);
		if (options.communityPackage) {
			const tarball = typeof options.communityPackage === 'object' ? options.communityPackage.tarball : packPackage(userFolder).tarball;
			installCommunityPackage(tarball, userFolder);
		}

		/** @type {Record<string, string>} */
		const base = {};
		for (const [k, v] of Object.entries(process.env)) {
			if (v !== undefined && !INHERITED_DROP.test(k)) base[k] = v;
		}
		// n8n starts its JavaScript task runner as `node` from PATH: make that the same Node.
		if (runtime.binDir) base.PATH = [runtime.binDir, base.PATH].filter(Boolean).join(path.delimiter);
		/** @type {Record<string, string>} */
		const env = {
			...base,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: options.encryptionKey ?? crypto.randomBytes(24).toString('hex'),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_MODE: 'internal',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
			N8N_LOG_LEVEL: 'warn',
			N8N_LOG_OUTPUT: 'console',
			// Keep every execution (the end-to-end tests scan what n8n stored).
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			NO_COLOR: '1',
			...spec.env,
			...(options.env ?? {}),
		};
		// n8n splits this variable on ';' on every platform.
		if (extensions.length) env.N8N_CUSTOM_EXTENSIONS = extensions.join(';');
		const nodeTypePrefix = options.communityPackage ? `${PACKAGE}.` : 'CUSTOM.';
		return new N8nEnv({ version, bin, node: runtime.node, userFolder, env, port, brokerPort, nodeTypePrefix });
	} catch (e) {
		removeTempDir(userFolder);
		throw e;
	}
}

module.exports = { createN8nEnv, N8nEnv, getFreePort, isPortFree };
