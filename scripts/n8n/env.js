// @ts-check
'use strict';

/**
 * A throw-away n8n instance: its own temporary user folder (SQLite database, settings), its own ports
 * (the editor/REST port and the task-runner broker port), its own encryption key, and this package's
 * dist/ loaded through N8N_CUSTOM_EXTENSIONS. Runs n8n's CLI (import:credentials, import:workflow,
 * execute, start) and removes everything on cleanup().
 */

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { DIST_DIR, VERSIONS, DEFAULT_VERSION } = require('./paths');
const { binPath } = require('./install');
const { extractJson, isNoise } = require('./output');

/** Ports handed out by this process, so two environments created together never share one. */
const handedOut = new Set();

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
async function getFreePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const p = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(p));
			});
		});
		if (port && !handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port');
}

/** @param {number} port @param {string} host */
function isPortFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

/**
 * Variables from the caller's environment that would point n8n at another instance or change its
 * behaviour. NODE_ENV matters: jest sets it to "test", and n8n in test mode logs nothing (so
 * `execute` prints no run data) and skips parts of its CLI lifecycle.
 */
const INHERITED_DROP = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|CREDENTIALS_|NODES_|NODE_ENV$|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_FUNCTION_ALLOW)/;

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number, timedOut: boolean }} RunResult
 * @typedef {RunResult & { ok: boolean, run: any, error: string | null }} ExecuteResult
 */

class N8nEnv {
	/**
	 * @param {{ version: string, bin: string, userFolder: string, env: Record<string, string>, port: number, brokerPort: number }} init
	 */
	constructor(init) {
		this.version = init.version;
		this.bin = init.bin;
		this.userFolder = init.userFolder;
		this.env = init.env;
		this.port = init.port;
		this.brokerPort = init.brokerPort;
		/** Node type prefix of this package's nodes when loaded through N8N_CUSTOM_EXTENSIONS. */
		this.nodeTypePrefix = 'CUSTOM.';
		/** @type {Set<import('node:child_process').ChildProcess>} */
		this.children = new Set();
		/** Everything n8n printed, for secret scans. */
		/** @type {string[]} */
		this.transcript = [];
		this.cleanedUp = false;
		this.importCount = 0;
	}

	/**
	 * Runs `n8n <args>` to completion.
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
	 * @returns {Promise<RunResult>}
	 */
	run(args, options = {}) {
		const timeoutMs = options.timeoutMs ?? 180_000;
		const started = Date.now();
		return new Promise((resolve, reject) => {
			const child = this._spawn(args, options.env);
			let stdout = '';
			let stderr = '';
			let timedOut = false;
			child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
			child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				timedOut = true;
				this._kill(child, 'SIGKILL');
			}, timeoutMs);
			child.on('error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				this.children.delete(child);
				this.transcript.push(stdout, stderr);
				resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
			});
		});
	}

	/**
	 * @param {string[]} args
	 * @param {Record<string, string>} [extraEnv]
	 */
	_spawn(args, extraEnv) {
		const child = spawn(process.execPath, [this.bin, ...args], {
			cwd: this.userFolder,
			env: { ...this.env, ...(extraEnv ?? {}) },
			stdio: ['ignore', 'pipe', 'pipe'],
			// Own process group, so stopping n8n also stops its task runner (see _kill).
			detached: process.platform !== 'win32',
		});
		this.children.add(child);
		return child;
	}

	/**
	 * @param {import('node:child_process').ChildProcess} child
	 * @param {NodeJS.Signals} signal
	 */
	_kill(child, signal) {
		if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
		try {
			if (process.platform !== 'win32') process.kill(-child.pid, signal);
			else child.kill(signal);
		} catch {
			try {
				child.kill(signal);
			} catch {
				/* already gone */
			}
		}
	}

	/** @param {string} name @param {unknown} data */
	_writeImportFile(name, data) {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${String(++this.importCount).padStart(3, '0')}-${name}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** @param {string} what @param {RunResult} result */
	_assertOk(what, result) {
		if (result.code !== 0) {
			const out = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
			throw new Error(`n8n ${what} failed (exit ${result.code ?? result.signal}${result.timedOut ? ', timed out' : ''}):\n${out}`);
		}
		return result;
	}

	/**
	 * Imports one or more credentials (plain `data`; n8n encrypts it with this instance's key).
	 * Each needs `id`, `name`, `type`, `data`.
	 * @param {object | object[]} credentials
	 */
	async importCredentials(credentials) {
		const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
			isManaged: false,
			...c,
		}));
		const file = this._writeImportFile('credentials', list);
		try {
			return this._assertOk('import:credentials', await this.run(['import:credentials', `--input=${file}`]));
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** @param {object} credential */
	importCredential(credential) {
		return this.importCredentials([credential]);
	}

	/**
	 * Imports one or more workflows (objects as exported by n8n; each must carry an explicit `id`,
	 * at most 21 characters, which is what executeWorkflow takes). Nodes of this package may use the
	 * published type (`n8n-nodes-damai.damai`); it is rewritten to the custom-extension name here.
	 * @param {object | object[]} workflows
	 * @param {{ rewriteNodeTypes?: boolean }} [options]
	 */
	async importWorkflows(workflows, options = {}) {
		const list = (Array.isArray(workflows) ? workflows : [workflows]).map((wf) =>
			options.rewriteNodeTypes === false ? wf : this.adaptWorkflow(wf),
		);
		for (const wf of list) {
			if (!wf || typeof wf !== 'object' || typeof (/** @type {any} */ (wf).id) !== 'string') {
				throw new Error('importWorkflows: every workflow needs an explicit string "id"');
			}
		}
		const file = this._writeImportFile('workflows', list);
		try {
			return this._assertOk('import:workflow', await this.run(['import:workflow', `--input=${file}`]));
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** @param {object} workflow @param {{ rewriteNodeTypes?: boolean }} [options] */
	importWorkflow(workflow, options) {
		return this.importWorkflows([workflow], options);
	}

	/**
	 * Imports a workflow file as it is on disk (no rewriting), e.g. to prove an example imports cleanly.
	 * @param {string} file
	 */
	async importWorkflowFile(file) {
		return this._assertOk(`import:workflow ${path.basename(file)}`, await this.run(['import:workflow', `--input=${path.resolve(file)}`]));
	}

	/**
	 * A deep copy of a workflow with this package's node types in the form this instance loads them.
	 * @template T
	 * @param {T} workflow
	 * @returns {T}
	 */
	adaptWorkflow(workflow) {
		const copy = JSON.parse(JSON.stringify(workflow));
		for (const node of copy.nodes ?? []) {
			if (typeof node.type === 'string' && node.type.startsWith('n8n-nodes-damai.')) {
				node.type = this.nodeTypePrefix + node.type.slice('n8n-nodes-damai.'.length);
			}
		}
		return copy;
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: exit code, output and the parsed run (null when n8n failed).
	 * @param {string} id
	 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
	 * @returns {Promise<ExecuteResult>}
	 */
	async executeWorkflow(id, options = {}) {
		// n8n's CLI prints the run through its logger at level info: below that it prints nothing.
		const result = await this.run(['execute', `--id=${id}`, '--rawOutput'], {
			...options,
			env: { N8N_LOG_LEVEL: 'info', ...(options.env ?? {}) },
		});
		let run = null;
		let error = null;
		// On failure n8n logs the run (at info) before the error: parse it too, it says which node failed.
		run = extractJson(result.stdout);
		if (result.code !== 0) error = summarizeFailure(result);
		else if (!run) error = 'n8n exited 0 but printed no run data';
		const runError = run?.data?.resultData?.error;
		if (runError) error = runError.message ?? JSON.stringify(runError);
		return { ...result, ok: result.code === 0 && !!run && !runError, run, error };
	}

	/**
	 * Starts the n8n editor/server (`n8n start`) and resolves once /healthz answers.
	 * @param {{ timeoutMs?: number, onOutput?: (chunk: string) => void }} [options]
	 */
	async start(options = {}) {
		const child = this._spawn(['start']);
		let output = '';
		const onData = (/** @type {string} */ d) => {
			output += d;
			options.onOutput?.(d);
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		const exited = new Promise((resolve) =>
			child.on('close', (code, signal) => {
				this.children.delete(child);
				this.transcript.push(output);
				resolve({ code, signal });
			}),
		);
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		const url = `http://127.0.0.1:${this.port}`;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n start exited early (${child.exitCode ?? child.signalCode}):\n${output.split('\n').slice(-20).join('\n')}`);
			}
			if (await httpOk(`${url}/healthz/readiness`).catch(() => false)) break;
			if (Date.now() > deadline) {
				this._kill(child, 'SIGKILL');
				throw new Error(`n8n start did not become ready in time:\n${output.split('\n').slice(-20).join('\n')}`);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		return {
			child,
			url,
			exited,
			/** Stops the server (SIGTERM, then SIGKILL after graceMs). */
			stop: async (graceMs = 15_000) => {
				this._kill(child, 'SIGTERM');
				const timer = setTimeout(() => this._kill(child, 'SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			},
		};
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
		for (const child of [...this.children]) {
			this._kill(child, 'SIGTERM');
		}
		const deadline = Date.now() + 10_000;
		while ([...this.children].some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 100));
		}
		for (const child of [...this.children]) this._kill(child, 'SIGKILL');
		this.children.clear();
		if (!this.cleanedUp) {
			this.cleanedUp = true;
			handedOut.delete(this.port);
			handedOut.delete(this.brokerPort);
		}
		for (let i = 0; i < 5; i++) {
			try {
				fs.rmSync(this.userFolder, { recursive: true, force: true });
				break;
			} catch {
				await new Promise((r) => setTimeout(r, 200));
			}
		}
	}
}

/** @param {string} url */
function httpOk(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

/** @param {RunResult} result */
function summarizeFailure(result) {
	const lines = `${result.stderr}\n${result.stdout}`
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const interesting = lines.filter((l) => !isNoise(l));
	const head = interesting.slice(0, 6).join(' | ');
	return `n8n exited ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}${head ? `: ${head}` : ''}`;
}

/**
 * Creates an isolated n8n environment (does not install n8n: call ensureN8n first).
 *
 * @param {{
 *   version?: string,
 *   extensions?: string[] | false,
 *   port?: number,
 *   env?: Record<string, string>,
 *   tmpDir?: string,
 * }} [options]
 */
async function createN8nEnv(options = {}) {
	const version = options.version ?? DEFAULT_VERSION;
	const spec = VERSIONS[version];
	if (!spec) throw new Error(`n8n ${version} is not pinned here`);
	const bin = binPath(version);
	if (!fs.existsSync(bin)) throw new Error(`n8n ${version} is not installed (${bin}); call ensureN8n({ version: '${version}' }) first`);

	const userFolder = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'n8n-damai-'));
	try {
		const port = options.port ?? (await getFreePort());
		const brokerPort = await getFreePort();
		const extensions = options.extensions === false ? [] : (options.extensions ?? [DIST_DIR]);

		/** @type {Record<string, string>} */
		const base = {};
		for (const [k, v] of Object.entries(process.env)) {
			if (v !== undefined && !INHERITED_DROP.test(k)) base[k] = v;
		}
		/** @type {Record<string, string>} */
		const env = {
			...base,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
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
		return new N8nEnv({ version, bin, userFolder, env, port, brokerPort });
	} catch (e) {
		fs.rmSync(userFolder, { recursive: true, force: true });
		throw e;
	}
}

module.exports = { createN8nEnv, N8nEnv, getFreePort, isPortFree };
