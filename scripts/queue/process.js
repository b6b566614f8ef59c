// @ts-check
'use strict';

/**
 * Long-running child processes for the local cluster (PostgreSQL, Redis, n8n main and workers):
 * each in its own process group (so a signal reaches its children too, e.g. n8n's task runner),
 * its output kept in memory and in a log file, and every group still alive killed when this
 * process exits, whatever the reason.
 */

const fs = require('node:fs');
const { spawn } = require('node:child_process');

/** @type {Set<Service>} */
const live = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
let exitHookInstalled = false;

function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// 'exit' handlers must be synchronous: SIGKILL every group we started that is still alive, and
	// delete the temporary folders nobody got to delete (a test that timed out, an exception).
	process.on('exit', () => {
		for (const service of live) service.signal('SIGKILL');
		for (const dir of tempDirs) {
			try {
				fs.rmSync(dir, { recursive: true, force: true });
			} catch {
				/* a server may still hold a file; nothing more can be done at exit */
			}
		}
	});
}

/**
 * A temporary folder that is deleted at process exit unless removeTempDir() deleted it before.
 * @param {string} prefix full path prefix for fs.mkdtempSync
 */
function makeTempDir(prefix) {
	installExitHook();
	const dir = fs.mkdtempSync(prefix);
	tempDirs.add(dir);
	return dir;
}

/** @param {string} dir */
function removeTempDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	tempDirs.delete(dir);
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws, naming `what`).
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs: number, intervalMs?: number, onTimeout?: () => string }} options
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(what, check, options) {
	const deadline = Date.now() + options.timeoutMs;
	let lastError = '';
	for (;;) {
		try {
			const value = await check();
			if (value) return /** @type {NonNullable<T>} */ (value);
		} catch (e) {
			lastError = e instanceof Error ? e.message : String(e);
		}
		if (Date.now() > deadline) {
			const extra = options.onTimeout?.() ?? '';
			throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}${extra ? `\n${extra}` : ''}`);
		}
		await delay(options.intervalMs ?? 250);
	}
}

class Service {
	/**
	 * @param {string} name
	 * @param {string} command
	 * @param {string[]} args
	 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string, uid?: number, gid?: number }} options
	 */
	constructor(name, command, args, options = {}) {
		installExitHook();
		this.name = name;
		this.output = '';
		this.logFile = options.logFile;
		const log = options.logFile ? fs.openSync(options.logFile, 'a') : undefined;
		this.child = spawn(command, args, {
			env: options.env ?? process.env,
			cwd: options.cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
			...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
		});
		this.pid = this.child.pid;
		/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
		this.exited = new Promise((resolve) => {
			this.child.on('close', (code, signal) => {
				live.delete(this);
				if (log !== undefined) fs.closeSync(log);
				resolve({ code, signal });
			});
		});
		this.child.on('error', (e) => {
			this.output += `\n[spawn error] ${e.message}\n`;
		});
		const onData = (/** @type {Buffer} */ chunk) => {
			this.output += chunk.toString('utf8');
			if (log !== undefined) fs.writeSync(log, chunk);
		};
		this.child.stdout?.on('data', onData);
		this.child.stderr?.on('data', onData);
		live.add(this);
	}

	get running() {
		return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
	}

	/** Sends a signal to the whole process group. @param {NodeJS.Signals} signal */
	signal(signal) {
		if (!this.running || this.pid === undefined) return;
		try {
			process.kill(-this.pid, signal);
		} catch {
			try {
				this.child.kill(signal);
			} catch {
				/* already gone */
			}
		}
	}

	/** Resolves once `pattern` appears in the output (from `from` on). @param {RegExp} pattern @param {number} timeoutMs @param {number} [from] */
	async waitForOutput(pattern, timeoutMs, from = 0) {
		return await waitFor(`${this.name} to print ${pattern}`, () => {
			if (!this.running) throw new Error(`${this.name} exited:\n${this.tail()}`);
			return pattern.exec(this.output.slice(from));
		}, { timeoutMs, onTimeout: () => this.tail() });
	}

	/** The last lines of the output, for error messages. */
	tail(lines = 25) {
		return `--- last lines of ${this.name} ---\n${this.output.split('\n').slice(-lines).join('\n')}`;
	}

	/** SIGTERM (or `signal`), then SIGKILL after graceMs; resolves when it has exited. */
	async stop(graceMs = 15_000, signal = /** @type {NodeJS.Signals} */ ('SIGTERM')) {
		if (!this.running) return await this.exited;
		this.signal(signal);
		const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
		const result = await this.exited;
		clearTimeout(timer);
		// Whatever else is left in its group (a task runner, a forked helper).
		if (this.pid !== undefined) {
			try {
				process.kill(-this.pid, 'SIGKILL');
			} catch {
				/* the group is gone */
			}
		}
		return result;
	}
}

/**
 * Starts a long-running process in its own process group.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string, uid?: number, gid?: number }} [options]
 */
function startService(name, command, args, options) {
	return new Service(name, command, args, options);
}

module.exports = { startService, waitFor, delay, makeTempDir, removeTempDir, Service };
