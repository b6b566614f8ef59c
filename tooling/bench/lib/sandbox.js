// @ts-check
'use strict';

/**
 * The sandbox gateway in its own process (so its CPU does not mix with the client's), driven over
 * its /__sandbox/* control endpoints through one persistent keep-alive socket: that socket is
 * opened before any reset, so `stats.connections` after a reset counts only the client's sockets.
 */

const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { sandboxCredential } = require('../../n8n/fixtures');
const REPO = path.resolve(__dirname, '..', '..', '..');

let CLOCK_TICKS = 100;
try {
	CLOCK_TICKS = Number(require('node:child_process').execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
	/* keep 100, Linux's usual value */
}

/**
 * @param {{ latencyMs?: number, startTimeoutMs?: number }} [options]
 * @returns {Promise<SandboxProcess>}
 */
async function startSandboxProcess(options = {}) {
	const args = [path.join(REPO, 'tooling', 'sandbox', 'cli.js'), '--port', '0', '--latency', String(options.latencyMs ?? 20), '--quiet'];
	const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (d) => {
		if (stderr.length < 4000) stderr += d;
	});
	const url = await new Promise((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`sandbox did not start in time: ${stderr}`));
		}, options.startTimeoutMs ?? 15_000);
		child.stdout.setEncoding('utf8').on('data', (d) => {
			buffer += d;
			const nl = buffer.indexOf('\n');
			if (nl < 0) return;
			clearTimeout(timer);
			try {
				const line = JSON.parse(buffer.slice(0, nl));
				resolve(line.url);
			} catch (e) {
				reject(new Error(`sandbox printed no JSON line: ${buffer.slice(0, 200)}`));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited (${code}) before listening: ${stderr}`));
		});
	});
	return new SandboxProcess(child, url);
}

class SandboxProcess {
	/** @param {import('node:child_process').ChildProcess} child @param {string} url */
	constructor(child, url) {
		this.child = child;
		/** the gateway URL, http://127.0.0.1:PORT/router/rest */
		this.url = url;
		const u = new URL(url);
		this.host = u.hostname;
		this.port = Number(u.port);
		if (this.host !== '127.0.0.1') throw new Error(`sandbox is not on 127.0.0.1: ${url}`);
		this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		/** sockets the control agent opened (they show in the sandbox's stats.connections too) */
		this.controlOpens = 0;
		this.controlOpensAtReset = 0;
		const create = /** @type {any} */ (this.agent).createConnection;
		const self = this;
		/** @type {any} */ (this.agent).createConnection = function (/** @type {any[]} */ ...args) {
			self.controlOpens++;
			return create.apply(this, args);
		};
	}

	/** CPU time (user + system, ms) the sandbox process has used so far (Linux /proc; 0 elsewhere). */
	cpuMs() {
		try {
			const stat = require('node:fs').readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			// fields[11] = utime, fields[12] = stime (clock ticks; 100 per second on Linux)
			return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
		} catch {
			return 0;
		}
	}

	/** @param {'GET'|'POST'} method @param {string} what @param {unknown} [body] @returns {Promise<any>} */
	control(method, what, body) {
		const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		return new Promise((resolve, reject) => {
			const req = http.request(
				{
					host: this.host,
					port: this.port,
					path: `/__sandbox/${what}`,
					method,
					agent: this.agent,
					headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
					timeout: 30_000,
				},
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => {
						try {
							resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
						} catch (e) {
							reject(e);
						}
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`sandbox control ${what} timed out`)));
			req.on('error', reject);
			req.end(data);
		});
	}

	/** Clears stats, orders, msg_ids and rate-limit buckets. */
	async reset() {
		const answer = await this.control('POST', 'reset');
		this.controlOpensAtReset = this.controlOpens;
		return answer;
	}
	/** @returns {Promise<{ clientConnections: number, total: number, byOutcome: Record<string, number>, connections: number, openConnections: number, maxConcurrent: number, inFlight: number, replays: number, cancelled: Record<string, number> }>} */
	async stats() {
		const stats = await this.control('GET', 'stats');
		// connections opened by clients since the last reset (not by this control channel)
		stats.clientConnections = stats.connections - (this.controlOpens - this.controlOpensAtReset);
		return stats;
	}
	/** @param {Record<string, unknown>} patch */
	configure(patch) {
		return this.control('POST', 'config', patch);
	}
	async close() {
		this.agent.destroy();
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	}
}

/** The sandbox's default credential (tooling/sandbox/config.js), as the node reads it: the demo's and the e2e suite's. */
function sandboxCredentials(url) {
	return sandboxCredential(url).data;
}

module.exports = { startSandboxProcess, SandboxProcess, sandboxCredentials, REPO };
