// @ts-check
'use strict';

/**
 * The one way the tooling runs a child process (n8n commands and servers, PostgreSQL, Redis): in
 * its own process group, so a signal reaches what it started too (n8n's task runner); its output
 * kept in memory (stdout, stderr, and both interleaved) and, if asked, in a log file; every group
 * still alive SIGKILLed when this process exits, and every temporary folder made here that nobody
 * removed deleted then. Plus waitFor, a polling loop with a deadline.
 *
 * The exit hook is registered on `process`: under jest, whose test files see a copy of `process`
 * that never emits 'exit', it does not fire; the tests' afterAll hooks stop what they started.
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
	// 'exit' handlers must be synchronous: SIGKILL every group still alive, delete the folders left.
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

/** Deletes it now (throws if it cannot; then it is tried again at exit). @param {string} dir */
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

/**
 * @typedef {{
 *   env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string, uid?: number, gid?: number,
 *   onOutput?: (chunk: string) => void, stdoutFile?: string,
 * }} ServiceOptions
 * stdoutFile: the process writes its stdout into this file instead of a pipe, read into `stdout`
 * when it ends (Node writes to a file synchronously; to a pipe it writes asynchronously, and a
 * program that calls process.exit() right after printing megabytes loses the rest: n8n 2.41's
 * `execute --rawOutput` did, with a 4 MB run).
 */

class Service {
	/** @param {string} name @param {string} command @param {string[]} args @param {ServiceOptions} [options] */
	constructor(name, command, args, options = {}) {
		installExitHook();
		this.name = name;
		this.logFile = options.logFile;
		this.output = '';
		this.stdout = '';
		this.stderr = '';
		/** Set when the process could not be started (e.g. ENOENT). @type {Error | undefined} */
		this.error = undefined;
		const log = options.logFile ? fs.openSync(options.logFile, 'a') : undefined;
		const stdoutFd = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w', 0o600) : undefined;
		this.child = spawn(command, args, {
			env: options.env ?? process.env,
			cwd: options.cwd,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
			detached: process.platform !== 'win32',
			...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
		});
		this.pid = this.child.pid;
		/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
		this.exited = new Promise((resolve) => {
			this.child.on('close', (code, signal) => {
				live.delete(this);
				if (options.stdoutFile) {
					const text = fs.readFileSync(options.stdoutFile, 'utf8');
					this.stdout += text;
					this.output += text;
					if (log !== undefined) fs.writeSync(log, text);
					options.onOutput?.(text);
				}
				if (log !== undefined) fs.closeSync(log);
				resolve({ code, signal });
			});
		});
		// the child has its own copy of the file's descriptor
		if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
		this.child.on('error', (e) => {
			this.error = e;
			this.output += `\n[spawn error] ${e.message}\n`;
		});
		for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
			this.child[stream]?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
				this[stream] += chunk;
				this.output += chunk;
				if (log !== undefined) fs.writeSync(log, chunk);
				options.onOutput?.(chunk);
			});
		}
		live.add(this);
	}

	get running() {
		return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
	}

	/** Sends a signal to the whole process group. @param {NodeJS.Signals} signal */
	signal(signal) {
		if (!this.running || this.pid === undefined) return;
		try {
			if (process.platform !== 'win32') process.kill(-this.pid, signal);
			else this.child.kill(signal);
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
		// (the group, even if its leader is gone: a member still holding the output pipe delays 'close')
		const timer = setTimeout(() => this.killGroup(), graceMs);
		const result = await this.exited;
		clearTimeout(timer);
		this.killGroup(); // whatever else is left in its group (a task runner, a forked helper)
		return result;
	}

	/** SIGKILL to its process group, whether or not the process itself still runs. */
	killGroup() {
		if (this.pid === undefined) return;
		try {
			if (process.platform !== 'win32') process.kill(-this.pid, 'SIGKILL');
			else this.child.kill('SIGKILL');
		} catch {
			/* the group is gone */
		}
	}
}

/**
 * Starts a child process in its own process group.
 * @param {string} name for messages and logs
 * @param {string} command
 * @param {string[]} args
 * @param {ServiceOptions} [options]
 */
function startService(name, command, args, options) {
	return new Service(name, command, args, options);
}

module.exports = { Service, startService, waitFor, delay, makeTempDir, removeTempDir };
