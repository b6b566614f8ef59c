// @ts-check
'use strict';

/**
 * Spawning n8n commands: one n8n CLI command run to completion (import, export, execute), or a
 * long-running process (`n8n start`, `n8n worker`, `n8n webhook`) that is ready once an HTTP URL
 * answers 200. Every process gets its own process group, so stopping it also stops the task runner
 * it launched. Plus free loopback ports for the processes to listen on.
 */

const net = require('node:net');
const http = require('node:http');
const { spawn } = require('node:child_process');

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

/** Lets getFreePort hand out these ports again. @param {Array<number | undefined>} ports */
function releasePorts(ports) {
	for (const p of ports) handedOut.delete(p);
}

/** @param {number} port @param {string} host */
function isPortFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

/** @param {string} url @returns {Promise<boolean>} whether it answers 200 */
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

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number, timedOut: boolean }} RunResult
 * @typedef {{
 *   command: string, child: import('node:child_process').ChildProcess, url: string | null,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>,
 *   output: () => string, kill: (signal?: NodeJS.Signals) => void, stop: (graceMs?: number) => Promise<void>,
 * }} N8nProcess
 */

/** The n8n processes of one environment: same node, same bin script, same base environment. */
class ProcessGroup {
	/** @param {{ node: string, bin: string, cwd: string, env: Record<string, string> }} init */
	constructor(init) {
		this.node = init.node;
		this.bin = init.bin;
		this.cwd = init.cwd;
		this.env = init.env;
		/** @type {Set<import('node:child_process').ChildProcess>} */
		this.children = new Set();
		/** Everything the processes printed, for secret scans. @type {string[]} */
		this.transcript = [];
	}

	/** `node <bin> <args>` in its own process group. @param {string[]} args @param {Record<string, string>} [extraEnv] */
	spawn(args, extraEnv) {
		const child = spawn(this.node, [this.bin, ...args], {
			cwd: this.cwd,
			env: { ...this.env, ...(extraEnv ?? {}) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: process.platform !== 'win32',
		});
		this.children.add(child);
		return child;
	}

	/** Signals the child's whole process group (n8n and its task runner). @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
	kill(child, signal) {
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

	/**
	 * Runs `n8n <args>` to completion (killed after timeoutMs).
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
	 * @returns {Promise<RunResult>}
	 */
	run(args, options = {}) {
		const timeoutMs = options.timeoutMs ?? 180_000;
		const started = Date.now();
		return new Promise((resolve, reject) => {
			const child = this.spawn(args, options.env);
			let stdout = '';
			let stderr = '';
			let timedOut = false;
			child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
			child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				timedOut = true;
				this.kill(child, 'SIGKILL');
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
	 * Starts a long-running `n8n <command> [args]` and resolves once readyUrl answers 200 (at once
	 * when readyUrl is null). Rejects, killing it, if it exits first or is not ready in time.
	 * @param {string} command 'start', 'worker', 'webhook'
	 * @param {{ args?: string[], env?: Record<string, string>, readyUrl?: string | null, url?: string | null, timeoutMs?: number, onOutput?: (chunk: string) => void }} [options]
	 * @returns {Promise<N8nProcess>}
	 */
	async startProcess(command, options = {}) {
		const child = this.spawn([command, ...(options.args ?? [])], options.env);
		let output = '';
		const onData = (/** @type {string} */ d) => {
			output += d;
			options.onOutput?.(d);
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		/** @type {N8nProcess['exited']} */
		const exited = new Promise((resolve) =>
			child.on('close', (code, signal) => {
				this.children.delete(child);
				this.transcript.push(output);
				resolve({ code, signal });
			}),
		);
		const lastLines = () => output.split('\n').slice(-20).join('\n');
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		while (options.readyUrl) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n ${command} exited early (${child.exitCode ?? child.signalCode}):\n${lastLines()}`);
			}
			if (await httpOk(options.readyUrl).catch(() => false)) break;
			if (Date.now() > deadline) {
				this.kill(child, 'SIGKILL');
				throw new Error(`n8n ${command} did not become ready in time (${options.readyUrl}):\n${lastLines()}`);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		return {
			command,
			child,
			url: options.url ?? null,
			exited,
			output: () => output,
			/** Signals the process group at once (e.g. SIGKILL for a crash). */
			kill: (signal = 'SIGKILL') => this.kill(child, signal),
			/** Stops it: SIGTERM, then SIGKILL after graceMs. */
			stop: async (graceMs = 15_000) => {
				this.kill(child, 'SIGTERM');
				const timer = setTimeout(() => this.kill(child, 'SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			},
		};
	}

	/** SIGTERM to everything still running, SIGKILL after graceMs. @param {number} [graceMs] */
	async stopAll(graceMs = 10_000) {
		for (const child of [...this.children]) this.kill(child, 'SIGTERM');
		const deadline = Date.now() + graceMs;
		while ([...this.children].some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 100));
		}
		for (const child of [...this.children]) this.kill(child, 'SIGKILL');
		this.children.clear();
	}
}

module.exports = { ProcessGroup, getFreePort, releasePorts, isPortFree, httpOk };
