// @ts-check
'use strict';

/**
 * The n8n processes of one environment (`node <bin> <args>`, same Node, bin script, folder and base
 * environment), each a Service (service.js: own process group, output kept, killed at exit): one
 * CLI command run to completion (import, export, execute), or a long-running process (`n8n start`,
 * `n8n worker`, `n8n webhook`) that is ready once an HTTP URL answers 200.
 */

const path = require('node:path');
const { startService, delay, makeTempDir, removeTempDir } = require('./service');
const { httpOk } = require('./ports');

/**
 * @typedef {import('./service').Service} Service
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number, timedOut: boolean }} RunResult
 * @typedef {{
 *   command: string, child: import('node:child_process').ChildProcess, service: Service, url: string | null,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>,
 *   output: () => string, kill: (signal?: NodeJS.Signals) => void, stop: (graceMs?: number) => Promise<void>,
 * }} N8nProcess
 * @typedef {{ env?: Record<string, string>, logFile?: string, onOutput?: (chunk: string) => void, stdoutFile?: string }} SpawnOptions
 */

class ProcessGroup {
	/** @param {{ node: string, bin: string, cwd: string, env: Record<string, string> }} init */
	constructor(init) {
		this.node = init.node;
		this.bin = init.bin;
		this.cwd = init.cwd;
		this.env = init.env;
		/** The processes still running. @type {Set<Service>} */
		this.services = new Set();
		/** Everything the processes printed (stdout, stderr), for secret scans. @type {string[]} */
		this.transcript = [];
	}

	/** `node <bin> <args>` in its own process group. @param {string[]} args @param {SpawnOptions} [options] */
	spawn(args, options = {}) {
		const service = startService(`n8n ${args[0]}`, this.node, [this.bin, ...args], {
			cwd: this.cwd,
			env: { ...this.env, ...(options.env ?? {}) },
			logFile: options.logFile,
			onOutput: options.onOutput,
			stdoutFile: options.stdoutFile,
		});
		this.services.add(service);
		void service.exited.then(() => {
			this.services.delete(service);
			this.transcript.push(service.stdout, service.stderr);
		});
		return service;
	}

	/**
	 * Runs `n8n <args>` to completion (killed after timeoutMs). With stdoutToFile its stdout goes
	 * through a temporary file, not a pipe, so that a large output is whole (service.js).
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: Record<string, string>, stdoutToFile?: boolean }} [options]
	 * @returns {Promise<RunResult>}
	 */
	async run(args, options = {}) {
		const started = Date.now();
		const dir = options.stdoutToFile ? makeTempDir('n8n-stdout-') : undefined;
		try {
			const service = this.spawn(args, { env: options.env, stdoutFile: dir && path.join(dir, 'stdout.txt') });
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				service.signal('SIGKILL');
			}, options.timeoutMs ?? 180_000);
			const { code, signal } = await service.exited;
			clearTimeout(timer);
			if (service.error) throw service.error;
			return { code, signal, stdout: service.stdout, stderr: service.stderr, durationMs: Date.now() - started, timedOut };
		} finally {
			if (dir) removeTempDir(dir);
		}
	}

	/**
	 * Starts a long-running `n8n <args>` and resolves once readyUrl answers 200 (at once when readyUrl
	 * is null). Rejects, killing it, if it exits first or is not ready in time.
	 * @param {string[]} args e.g. ['worker', '--concurrency=5']
	 * @param {SpawnOptions & { readyUrl?: string | null, url?: string | null, timeoutMs?: number }} [options]
	 * @returns {Promise<N8nProcess>}
	 */
	async launch(args, options = {}) {
		const [command] = args;
		const service = this.spawn(args, options);
		const lastLines = () => service.output.split('\n').slice(-20).join('\n');
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		while (options.readyUrl) {
			if (!service.running) {
				throw new Error(`n8n ${command} exited early (${service.child.exitCode ?? service.child.signalCode}):\n${lastLines()}`);
			}
			if (await httpOk(options.readyUrl).catch(() => false)) break;
			if (Date.now() > deadline) {
				service.signal('SIGKILL');
				throw new Error(`n8n ${command} did not become ready in time (${options.readyUrl}):\n${lastLines()}`);
			}
			await delay(500);
		}
		return {
			command,
			child: service.child,
			service,
			url: options.url ?? null,
			exited: service.exited,
			output: () => service.output,
			/** Signals the process group at once (e.g. SIGKILL for a crash). */
			kill: (signal = 'SIGKILL') => service.signal(signal),
			/** Stops it: SIGTERM, then SIGKILL after graceMs. */
			stop: async (graceMs = 15_000) => {
				await service.stop(graceMs);
			},
		};
	}

	/** SIGTERM to everything still running, SIGKILL after graceMs. @param {number} [graceMs] */
	async stopAll(graceMs = 10_000) {
		await Promise.all([...this.services].map((service) => service.stop(graceMs)));
		this.services.clear();
	}
}

module.exports = { ProcessGroup };
