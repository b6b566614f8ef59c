// @ts-check
'use strict';

/**
 * Section `profile` (issue 10): where the client's CPU goes per item at C = 64 (or
 * o.profileConcurrency) — V8's CPU profiler over one batch of N items of the node in n8n's engine
 * and one of the bare axios loop, each in a process of its own (tooling/bench/profile-child.js), attributed
 * to concerns by tooling/bench/lib/attribution.js. Three runs of each, interleaved; per category the median.
 */

const path = require('node:path');
const { spawn } = require('node:child_process');
const { REPO } = require('../lib/sandbox');
const { CATEGORIES } = require('../lib/attribution');
const { median, fmt, log, bounded } = require('../lib/util');

const CHILD = path.join(__dirname, '..', 'profile-child.js');

/**
 * Runs tooling/bench/profile-child.js and resolves its JSON line; kills it (SIGKILL) when it has not
 * answered within timeoutMs. Its stderr (BENCH_PROFILE_DEBUG output) goes to ours.
 * @param {string[]} args @param {number} timeoutMs @returns {Promise<any>}
 */
function runChild(args, timeoutMs) {
	const child = spawn(process.execPath, [CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
	let stdout = '';
	child.stdout.setEncoding('utf8').on('data', (d) => {
		if (stdout.length < 1_000_000) stdout += d;
	});
	const done = new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code, signal) => {
			const last = stdout.trim().split('\n').pop() ?? '';
			try {
				const parsed = JSON.parse(last);
				if (parsed.error) reject(new Error(`profile-child: ${parsed.error}`));
				else resolve(parsed);
			} catch {
				reject(new Error(`profile-child ${args.join(' ')} ended (${signal ?? code}) without a result: ${stdout.slice(0, 300)}`));
			}
		});
	});
	return bounded(done, timeoutMs, `profile-child ${args.slice(0, 2).join(' ')}`).catch((e) => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		throw e;
	});
}

/** Per-category medians of runs. @param {any[]} runs */
function summarize(runs) {
	/** @type {Record<string, number>} */
	const categories = {};
	const names = new Set([...CATEGORIES, ...runs.flatMap((r) => Object.keys(r.categories))]);
	for (const name of names) categories[name] = median(runs.map((r) => r.categories[name] ?? 0));
	return {
		categories,
		cpuUsPerItem: median(runs.map((r) => r.cpuUsPerItem)),
		totalSampledUsPerItem: median(runs.map((r) => r.totalSampledUsPerItem)),
		idleUsPerItem: median(runs.map((r) => r.idleUsPerItem)),
		wallMs: median(runs.map((r) => r.wallMs)),
		ok: Math.min(...runs.map((r) => r.ok)),
		runs: runs.length,
		intervalUs: runs[0]?.intervalUs,
	};
}

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb  the sandbox, started by tooling/bench/run.js
 * @param {import('../lib/options').BenchOptions & { profileConcurrency?: number, profileRuns?: number, profileIntervalUs?: number }} o
 *   profileConcurrency: C (default 64); profileRuns: runs of each (default 2); profileIntervalUs: the
 *   sampling interval (default 100 µs: finer than the 1 ms default, so that the small concerns get
 *   samples from 2000 items; it costs the run about a quarter more CPU, see the report's paragraph)
 */
async function sectionProfile(sb, o) {
	const c = o.profileConcurrency ?? 64;
	const n = o.n;
	const runs = o.profileRuns ?? 3;
	const warm = Math.min(2000, n);
	// the warm-up (2 × warm) and the batch, at a few times their ideal time, plus loading n8n
	const timeoutMs = Math.max(90_000, (((2 * warm + n) / c) * o.latency) * 10 + 60_000);
	/** @type {{ node: any[], bare: any[] }} */
	const results = { node: [], bare: [] };
	for (let r = 0; r < runs; r++) {
		for (const kind of /** @type {const} */ (['node', 'bare'])) {
			log(`profile: ${kind} at C=${c}, N=${n}, L=${o.latency} ms, run ${r + 1}/${runs} (own process) …`);
			await sb.reset();
			const args = ['--kind', kind, '--url', sb.url, '--n', String(n), '--c', String(c), '--warm', String(warm), '--max-seconds', String(Math.ceil(timeoutMs / 1000))];
			if (o.profileIntervalUs) args.push('--interval', String(o.profileIntervalUs));
			const res = await runChild(args, timeoutMs + 10_000);
			log(`  ${res.ok}/${n} ok, ${fmt(res.wallMs)} ms, ${fmt(res.totalSampledUsPerItem)} µs sampled CPU/item, process.cpuUsage ${fmt(res.cpuUsPerItem)} µs/item, ${res.samples} samples`);
			results[kind].push(res);
		}
	}
	return { c, n, latency: o.latency, node: summarize(results.node), bare: summarize(results.bare) };
}

module.exports = { sectionProfile };
