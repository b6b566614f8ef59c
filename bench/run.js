#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run bench [-- options]      (the script: npm run build && node bench/run.js)
 *
 * The benchmark of issue 4 (see BENCHMARKS.md). Everything talks to a sandbox gateway on 127.0.0.1
 * that runs in a process of its own (node sandbox/cli.js), so its CPU never mixes with the client's.
 *
 *   1. CPU per item for sign + build + parse (bench/micro.js, own process)
 *   2. throughput, N items at latency L: the node in n8n's real engine (WorkflowExecute) at
 *      C = 1, 4, 16, 64, against a bare axios loop with the same C sending pre-signed requests, and
 *      the ideal C / L; sockets opened per run; client and sandbox CPU per item
 *   3. zero failed items under a sandbox rate limit (C = 16)
 *   4. peak RSS growth at 10k and 50k items (bench/rss-child.js, own process, low latency)
 *   5. a real n8n (pinned 2.8.4, scripts/n8n): the Damai workflow against Code (sign) + HTTP Request
 *
 * Options (environment variable in brackets):
 *   --n N                 items per run (BENCH_N, default 2000; --quick 500)
 *   --latency MS          sandbox latency L (BENCH_LATENCY_MS, default 20)
 *   --runs R              runs per point, median reported (BENCH_RUNS, default 5; --quick 1)
 *   --long-runs R         runs for points whose ideal time is ≥ 20 s, i.e. C = 1 (default 1)
 *   --concurrency LIST    default 1,4,16,64
 *   --n8n-runs R          runs of each real-n8n workflow (default 3; --quick 1)
 *   --n8n-concurrency L   the Damai node's concurrency in real n8n (default 16,64; the first is the target's)
 *   --rss-sizes LIST      default 10000,50000 (--quick 10000)
 *   --rss-latency MS      sandbox latency for the RSS runs (default 1)
 *   --rss-runs R          runs per RSS size, median reported (default 2; --quick 1)
 *   --rate PER_SECOND     sandbox rate limit for the throttling run (default 300, ban 1 s)
 *   --stop-on-fail        run the throughput points with the node's default error setting (stop the
 *                         workflow) instead of Continue (regular output), as the examples use
 *   --only LIST           sections to run: micro,throughput,ratelimit,rss,n8n (default all)
 *   --no-n8n              skip the real-n8n comparison
 *   --wait-idle LOAD      wait (at most --wait-idle-max s, default 600) until the 1-min load average < LOAD
 *   --quick               a short run (about 2-3 minutes); does not write BENCHMARKS.md unless --write
 *   --write / --no-write  write BENCHMARKS.md (default: yes, except --quick)
 *   --out FILE            default BENCHMARKS.md in the repository root
 *   --max-minutes M       the whole run's time budget (default 20): sections not started by then are skipped
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFile } = require('node:child_process');

// Count every socket an http.Agent opens in this process (the node's TopClient wraps its agent's
// createConnection around this one). The sandbox control channel and the bare loop are excluded.
const EXCLUDED_AGENTS = new WeakSet();
let clientSocketsOpened = 0;
{
	const original = http.Agent.prototype.createConnection;
	http.Agent.prototype.createConnection = function (...args) {
		if (!EXCLUDED_AGENTS.has(this)) clientSocketsOpened++;
		return original.apply(this, /** @type {any} */ (args));
	};
}

const { startSandboxProcess, sandboxCredentials, REPO } = require('./lib/sandbox');
const { DIST } = require('./lib/dist');

// ---------------------------------------------------------------------------------------------
// options

/** @param {string[]} argv */
function parseArgs(argv) {
	const env = process.env;
	const quick = argv.includes('--quick');
	const o = {
		quick,
		n: Number(env.BENCH_N ?? (quick ? 500 : 2000)),
		latency: Number(env.BENCH_LATENCY_MS ?? 20),
		runs: Number(env.BENCH_RUNS ?? (quick ? 1 : 5)),
		longRuns: 1,
		concurrency: [1, 4, 16, 64],
		n8nRuns: quick ? 1 : 3,
		n8nConcurrency: quick ? [16] : [16, 64],
		rssSizes: quick ? [10000] : [10000, 50000],
		rssLatency: 1,
		rssRuns: quick ? 1 : 2,
		rate: 300,
		onError: /** @type {string | undefined} */ ('continueRegularOutput'),
		only: new Set(['micro', 'throughput', 'ratelimit', 'rss', 'n8n']),
		waitIdle: 0,
		waitIdleMax: 600,
		write: !quick,
		out: path.join(REPO, 'BENCHMARKS.md'),
		maxMinutes: 20,
		help: false,
	};
	const list = (v) =>
		v
			.split(',')
			.map((x) => Number(x.trim()))
			.filter((x) => Number.isFinite(x) && x > 0);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = eq > 0 ? arg.slice(0, eq) : arg;
		const value = () => {
			const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
			if (v === undefined) throw new Error(`${name} needs a value`);
			return v;
		};
		switch (name) {
			case '--quick':
				break;
			case '--n':
				o.n = Number(value());
				break;
			case '--latency':
				o.latency = Number(value());
				break;
			case '--runs':
				o.runs = Number(value());
				break;
			case '--long-runs':
				o.longRuns = Number(value());
				break;
			case '--concurrency':
				o.concurrency = list(value());
				break;
			case '--n8n-runs':
				o.n8nRuns = Number(value());
				break;
			case '--n8n-concurrency':
				o.n8nConcurrency = list(value());
				break;
			case '--rss-sizes':
				o.rssSizes = list(value());
				break;
			case '--rss-latency':
				o.rssLatency = Number(value());
				break;
			case '--rss-runs':
				o.rssRuns = Number(value());
				break;
			case '--rate':
				o.rate = Number(value());
				break;
			case '--stop-on-fail':
				o.onError = undefined;
				break;
			case '--only':
				o.only = new Set(value().split(',').map((s) => s.trim()));
				break;
			case '--no-n8n':
				o.only.delete('n8n');
				break;
			case '--wait-idle':
				o.waitIdle = Number(value());
				break;
			case '--wait-idle-max':
				o.waitIdleMax = Number(value());
				break;
			case '--write':
				o.write = true;
				break;
			case '--no-write':
				o.write = false;
				break;
			case '--out':
				o.out = path.resolve(value());
				break;
			case '--max-minutes':
				o.maxMinutes = Number(value());
				break;
			case '--help':
			case '-h':
				o.help = true;
				break;
			default:
				throw new Error(`unknown option ${arg} (see --help)`);
		}
	}
	const bounded = (what, v, min, max) => {
		if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${what} must be a number from ${min} to ${max}`);
		return v;
	};
	bounded('--n', o.n, 1, 200_000);
	bounded('--latency', o.latency, 0, 10_000);
	bounded('--runs', o.runs, 1, 50);
	bounded('--long-runs', o.longRuns, 1, 50);
	bounded('--n8n-runs', o.n8nRuns, 1, 20);
	for (const c of o.n8nConcurrency) bounded('--n8n-concurrency', c, 1, 128);
	if (!o.n8nConcurrency.length) throw new Error('--n8n-concurrency needs at least one value');
	bounded('--rss-latency', o.rssLatency, 0, 1000);
	bounded('--rss-runs', o.rssRuns, 1, 10);
	bounded('--rate', o.rate, 1, 100_000);
	bounded('--max-minutes', o.maxMinutes, 1, 240);
	for (const c of o.concurrency) bounded('--concurrency', c, 1, 128);
	for (const s of o.rssSizes) bounded('--rss-sizes', s, 100, 500_000);
	if (!o.concurrency.length) throw new Error('--concurrency needs at least one value');
	return o;
}

// ---------------------------------------------------------------------------------------------
// helpers

const median = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const max = (xs) => Math.max(...xs);
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const pct = (x, digits = 0) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(0);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
const log = (line) => process.stderr.write(`${line}\n`);

/** Rejects when `promise` has not settled within ms (the benchmark then stops: nothing runs unbounded). */
function bounded(promise, ms, what) {
	let timer;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
		}),
	]);
}

/** Runs `node <args>` and returns its last stdout line parsed as JSON. */
function nodeJson(args, timeoutMs) {
	return new Promise((resolve, reject) => {
		execFile(process.execPath, args, { cwd: REPO, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			const last = stdout.trim().split('\n').pop() ?? '';
			try {
				const parsed = JSON.parse(last);
				if (parsed.error) return reject(new Error(`${path.basename(args[args.length - 1] ?? '')}: ${parsed.error}`));
				resolve(parsed);
			} catch {
				reject(new Error(`node ${args.join(' ')} failed: ${error?.message ?? ''} ${stderr.slice(0, 500)}`));
			}
		});
	});
}

function versions() {
	const read = (p) => {
		try {
			return JSON.parse(fs.readFileSync(p, 'utf8')).version;
		} catch {
			return undefined;
		}
	};
	return {
		node: process.version,
		n8nCore: read(path.join(REPO, 'node_modules', 'n8n-core', 'package.json')),
		n8nWorkflow: read(path.join(REPO, 'node_modules', 'n8n-workflow', 'package.json')),
		axios: read(path.join(REPO, 'node_modules', 'axios', 'package.json')),
		pkg: read(path.join(REPO, 'package.json')),
	};
}

function machine() {
	const cpus = os.cpus();
	let nproc = String(os.availableParallelism?.() ?? cpus.length);
	return {
		cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
		nproc,
		memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

// ---------------------------------------------------------------------------------------------
// sections

async function sectionMicro(o) {
	log('micro: CPU per item for sign + build + parse (own process) …');
	const result = await nodeJson([path.join(__dirname, 'micro.js'), '--iterations', o.quick ? '10000' : '20000', '--repeats', o.quick ? '3' : '5'], 120_000);
	log(`  ${fmt(result.usPerItem.total, 1)} µs per item`);
	return result;
}

/**
 * One measurement of the node in n8n's engine, or of the bare loop.
 * @param {'node' | 'bare'} kind
 */
async function measureOnce(kind, sb, o, c, runIndex) {
	const { runDamai } = require('./lib/engine');
	const { presign, runBare } = require('./lib/bare');
	const idealMs = (o.n / c) * o.latency;
	const limitMs = Math.max(60_000, idealMs * 6 + 30_000);
	await sb.reset();
	const requests = kind === 'bare' ? presign(o.n, `BARE${c}R${runIndex}-`) : undefined;
	const sockets0 = clientSocketsOpened;
	const sandboxCpu0 = sb.cpuMs();
	const cpu0 = process.cpuUsage();
	const t0 = now();
	let ok;
	let nodeMs;
	let bareSockets;
	if (kind === 'node') {
		const run = await bounded(
			runDamai({ count: o.n, prefix: `NODE${c}R${runIndex}-`, credentials: sandboxCredentials(sb.url), options: { concurrency: c }, onError: o.onError }),
			limitMs,
			`node run at C=${c}`,
		);
		ok = run.items.filter((it) => it.json?.success === true).length;
		nodeMs = run.nodeMs;
		if (run.error) throw new Error(`node run at C=${c} failed: ${run.error.message}`);
	} else {
		const res = await bounded(runBare({ url: sb.url, requests: /** @type {any} */ (requests), concurrency: c }), limitMs, `bare run at C=${c}`);
		ok = res.ok;
		bareSockets = res.socketsOpened;
	}
	const ms = now() - t0;
	const cpu = process.cpuUsage(cpu0);
	// the sandbox may still be finishing its last answers' bookkeeping: its stats answer after them
	const stats = await sb.stats();
	const sandboxCpuMs = sb.cpuMs() - sandboxCpu0;
	return {
		kind,
		c,
		ms,
		nodeMs,
		ok,
		failed: o.n - ok,
		sandboxSockets: stats.clientConnections,
		clientSockets: kind === 'node' ? clientSocketsOpened - sockets0 : bareSockets,
		maxConcurrent: stats.maxConcurrent,
		clientCpuUsPerItem: ((cpu.user + cpu.system) / o.n),
		sandboxCpuUsPerItem: (sandboxCpuMs * 1000) / o.n,
		requests: stats.total,
	};
}

async function sectionThroughput(sb, o, deadline) {
	const { runDamai } = require('./lib/engine');
	const { presign, runBare } = require('./lib/bare');
	// warm-up: JIT, module loading, n8n's first-run costs — not measured
	log('throughput: warm-up …');
	await sb.reset();
	for (let i = 0; i < 2; i++) {
		await sb.reset();
		await runDamai({ count: Math.min(2000, o.n), prefix: `WARM${i}-`, credentials: sandboxCredentials(sb.url), options: { concurrency: 16 } });
		await runBare({ url: sb.url, requests: presign(Math.min(2000, o.n), `WARMBARE${i}-`), concurrency: 16 });
	}

	const points = [];
	for (const c of o.concurrency) {
		const idealMs = (o.n / c) * o.latency;
		const runs = idealMs >= 20_000 ? o.longRuns : o.runs;
		const node = [];
		const bare = [];
		for (let r = 0; r < runs; r++) {
			if (Date.now() > deadline) {
				log(`  time budget reached: C=${c} run ${r + 1} skipped`);
				break;
			}
			// interleaved, so a change in background load hits both alike
			node.push(await measureOnce('node', sb, o, c, r));
			bare.push(await measureOnce('bare', sb, o, c, r));
			const n = node[node.length - 1];
			const b = bare[bare.length - 1];
			log(
				`  C=${String(c).padStart(3)} run ${r + 1}/${runs}: node ${fmt(n.ms)} ms (${n.ok}/${o.n} ok, ${n.sandboxSockets} sockets, ${fmt(n.clientCpuUsPerItem)} µs CPU/item)` +
					` · bare ${fmt(b.ms)} ms (${b.ok}/${o.n} ok, ${b.sandboxSockets} sockets, ${fmt(b.clientCpuUsPerItem)} µs CPU/item) · load ${load()}`,
			);
		}
		if (!node.length) continue;
		const nodeMs = median(node.map((x) => x.ms));
		const bareMs = median(bare.map((x) => x.ms));
		points.push({
			c,
			runs: node.length,
			idealMs,
			idealPerSec: (c * 1000) / o.latency,
			nodeMs,
			nodeOnlyMs: median(node.map((x) => x.nodeMs ?? NaN)),
			nodePerSec: (o.n * 1000) / nodeMs,
			bareMs,
			barePerSec: (o.n * 1000) / bareMs,
			achievedOverIdeal: idealMs / nodeMs,
			bareOverIdeal: idealMs / bareMs,
			nodeOverBare: nodeMs / bareMs,
			nodeSockets: max(node.map((x) => x.sandboxSockets)),
			nodeClientSockets: max(node.map((x) => x.clientSockets)),
			bareSockets: max(bare.map((x) => x.sandboxSockets)),
			nodeFailed: max(node.map((x) => x.failed)),
			bareFailed: max(bare.map((x) => x.failed)),
			nodeMaxConcurrent: max(node.map((x) => x.maxConcurrent)),
			nodeCpu: median(node.map((x) => x.clientCpuUsPerItem)),
			bareCpu: median(bare.map((x) => x.clientCpuUsPerItem)),
			sandboxCpu: median(node.map((x) => x.sandboxCpuUsPerItem)),
			nodeSamples: node.map((x) => Math.round(x.ms)),
			bareSamples: bare.map((x) => Math.round(x.ms)),
		});
	}
	return points;
}

async function sectionRateLimit(sb, o) {
	const { runDamai } = require('./lib/engine');
	const c = 16;
	log(`ratelimit: ${o.n} items at C=${c} against perSecond ${o.rate}, banSeconds 1 …`);
	await sb.configure({ rateLimit: { perSecond: o.rate, banSeconds: 1 } });
	try {
		await sb.reset();
		const t0 = now();
		const run = await bounded(
			runDamai({ count: o.n, prefix: 'RATE-', credentials: sandboxCredentials(sb.url), options: { concurrency: c }, onError: 'continueRegularOutput' }),
			Math.max(120_000, (o.n / o.rate) * 1000 * 10),
			'rate-limited run',
		);
		const ms = now() - t0;
		const stats = await sb.stats();
		const failed = run.items.filter((it) => it.json?.success !== true);
		const result = {
			n: o.n,
			c,
			perSecond: o.rate,
			ms,
			items: run.items.length,
			failed: failed.length + Math.max(0, o.n - run.items.length),
			firstFailure: failed[0]?.json?.error,
			throttled: stats.byOutcome['error:7'] ?? 0,
			requests: stats.total,
			sockets: stats.clientConnections,
			floorMs: ((o.n - o.rate) / o.rate) * 1000,
		};
		log(`  ${result.failed} failed, ${result.throttled} throttled answers, ${fmt(ms)} ms`);
		return result;
	} finally {
		await sb.configure({ rateLimit: null });
	}
}

async function sectionRss(sb, o, deadline) {
	const results = [];
	await sb.configure({ latencyMs: o.rssLatency });
	try {
		for (const size of o.rssSizes) {
			const runs = [];
			for (let i = 0; i < o.rssRuns; i++) {
				if (Date.now() > deadline) {
					log(`  time budget reached: RSS ${size} run ${i + 1} skipped`);
					break;
				}
				log(`rss: ${size} items at C=16, latency ${o.rssLatency} ms (own process), run ${i + 1}/${o.rssRuns} …`);
				await sb.reset();
				const r = await nodeJson(
					['--expose-gc', path.join(__dirname, 'rss-child.js'), sb.url, String(size), '16', String(Math.max(120, size / 100))],
					Math.max(180_000, size * 10),
				);
				log(`  peak RSS +${mb(r.rssGrowth)} MB (heap peak +${mb(r.heapGrowth)} MB, live after GC +${mb(r.retainedHeap)} MB), ${r.ok}/${size} ok, ${fmt(r.ms)} ms, ${fmt(r.cpuUsPerItem)} µs CPU/item`);
				runs.push(r);
			}
			if (!runs.length) continue;
			const pick = (k) => median(runs.map((x) => x[k]));
			results.push({
				count: size,
				runs: runs.length,
				baseRss: pick('baseRss'),
				peakRss: pick('peakRss'),
				rssGrowth: pick('rssGrowth'),
				rssGrowthMax: max(runs.map((x) => x.rssGrowth)),
				rssGrowthSamples: runs.map((x) => x.rssGrowth),
				heapGrowth: pick('heapGrowth'),
				retainedHeap: pick('retainedHeap'),
				ms: pick('ms'),
				ok: Math.min(...runs.map((x) => x.ok)),
			});
		}
	} finally {
		await sb.configure({ latencyMs: o.latency });
	}
	return results;
}

async function sectionN8n(sb, o, deadline) {
	const n8nBench = require('./lib/n8n');
	const n8nLib = require('../scripts/n8n');
	const version = n8nLib.DEFAULT_VERSION;
	log(`n8n: preparing n8n ${version} (installs into .cache/n8n on the first run) …`);
	const { env } = await n8nBench.prepareN8n({ version, gatewayUrl: sb.url, count: o.n, concurrency: o.n8nConcurrency, log });
	/** @type {Array<'codehttp' | number>} */
	const workflows = [...o.n8nConcurrency, 'codehttp'];
	const out = { version, n: o.n, concurrency: o.n8nConcurrency, runs: Object.fromEntries(workflows.map((w) => [w, []])), throttled: {} };
	const label = (w) => (w === 'codehttp' ? 'Code+HTTP Request' : `Damai C=${w}`).padEnd(17);
	try {
		const once = async (which) => {
			await sb.reset();
			const r = await n8nBench.executeOnce(env, which, 300_000);
			const stats = await sb.stats();
			r.sockets = stats.clientConnections;
			r.maxConcurrent = stats.maxConcurrent;
			return r;
		};
		if (!o.quick) {
			// every `n8n execute` is a new process; one unmeasured run of each warms the disk cache
			log('  warm-up (not measured) …');
			for (const which of workflows) await once(which);
		}
		for (let i = 0; i < o.n8nRuns; i++) {
			if (Date.now() > deadline) {
				log('  time budget reached: remaining n8n runs skipped');
				break;
			}
			for (const which of workflows) {
				const r = await once(which);
				out.runs[which].push(r);
				log(
					`  run ${i + 1}/${o.n8nRuns} ${label(which)}: calls ${fmt(r.callMs)} ms, workflow ${fmt(r.workflowMs)} ms, ${r.ok}/${o.n} ok, ${r.sockets} sockets, ${r.maxConcurrent} max in flight · load ${load()}`,
				);
			}
		}
		// the target's Damai workflow and Code + HTTP Request under the rate limit of section 3
		if (!o.quick && Date.now() < deadline) {
			await sb.configure({ rateLimit: { perSecond: o.rate, banSeconds: 1 } });
			try {
				for (const which of [o.n8nConcurrency[0], 'codehttp']) {
					const r = await once(which);
					out.throttled[which] = r;
					log(`  rate limit ${o.rate}/s, ${label(which)}: ${r.ok}/${o.n} ok, calls ${fmt(r.callMs)} ms`);
				}
			} finally {
				await sb.configure({ rateLimit: null });
			}
		}
	} finally {
		await env.cleanup();
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// report

function buildReport(o, r) {
	const L = o.latency;
	const lines = [];
	const table = (headers, rows) => {
		lines.push(`| ${headers.join(' | ')} |`);
		lines.push(`|${headers.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
		for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
		lines.push('');
	};
	const m = r.machine;
	const v = r.versions;
	lines.push(`Measured ${r.date} on ${m.cpu} (nproc ${m.nproc}), ${m.memory} RAM, ${m.os}; Node ${v.node}; engine runs: n8n-core ${v.n8nCore} + n8n-workflow ${v.n8nWorkflow}; real n8n ${r.n8n?.version ?? 'not run'}; axios ${v.axios}.`);
	lines.push(`Load average (1/5/15 min) at start ${r.loadStart}, at end ${r.loadEnd}${r.waited ? ` (waited ${fmt(r.waited / 1000)} s for a load below ${o.waitIdle})` : ''}.`);
	lines.push('');
	lines.push(`Command: \`${r.command}\` — N = ${o.n}, L = ${L} ms, ${o.runs} runs per point (medians; ${o.longRuns} run where the ideal time is ≥ 20 s), total ${fmt(r.totalMs / 1000)} s.`);
	lines.push('');

	if (r.throughput) {
		lines.push(`### Throughput: N = ${o.n} items, L = ${L} ms (the node in n8n's engine vs a bare axios loop vs the ideal C / L)`);
		lines.push('');
		table(
			['C', 'ideal C/L (items/s)', 'ideal time', 'node in engine', 'node items/s', 'achieved / ideal', 'bare axios', 'bare / ideal', 'node / bare', 'sockets node (sandbox / client)', 'sockets bare', 'failed node / bare', 'client CPU per item node / bare', 'sandbox CPU per item', 'runs'],
			r.throughput.map((p) => [
				String(p.c),
				fmt(p.idealPerSec),
				`${fmt(p.idealMs)} ms`,
				`${fmt(p.nodeMs)} ms`,
				fmt(p.nodePerSec),
				pct(p.achievedOverIdeal, 1),
				`${fmt(p.bareMs)} ms`,
				pct(p.bareOverIdeal, 1),
				p.nodeOverBare.toFixed(3),
				`${p.nodeSockets} / ${p.nodeClientSockets}`,
				String(p.bareSockets),
				`${p.nodeFailed} / ${p.bareFailed}`,
				`${fmt(p.nodeCpu)} / ${fmt(p.bareCpu)} µs`,
				`${fmt(p.sandboxCpu)} µs`,
				String(p.runs),
			]),
		);
		lines.push(`"node in engine" is the wall time of the whole execution (Items → Damai in \`WorkflowExecute\`, the node's error setting ${o.onError ? '"Continue (regular output)"' : 'the default "Stop Workflow"'}), from start to the last output item. Samples (ms): ` +
			r.throughput.map((p) => `C=${p.c} node [${p.nodeSamples.join(', ')}] bare [${p.bareSamples.join(', ')}]`).join('; ') + '.');
		lines.push('');
	}

	if (r.n8n) {
		const n = r.n8n;
		const ref = n.runs.codehttp;
		const med = (runs, k) => median(runs.map((x) => x[k]));
		lines.push(`### Real n8n ${n.version}: the Damai workflow vs Code (sign) + HTTP Request, N = ${n.n}, L = ${L} ms`);
		lines.push('');
		const rows = n.concurrency.map((c) => {
			const runs = n.runs[c];
			return [
				`Orders → Damai (concurrency ${c})`,
				`${fmt(med(runs, 'callMs'))} ms`,
				`${fmt(med(runs, 'workflowMs'))} ms`,
				`**${(med(runs, 'callMs') / med(ref, 'callMs')).toFixed(2)}**`,
				`${Math.min(...runs.map((x) => x.ok))} / ${n.n}`,
				String(max(runs.map((x) => x.sockets))),
				String(max(runs.map((x) => x.maxConcurrent))),
				runs.map((x) => fmt(x.callMs)).join(', '),
			];
		});
		rows.push([
			'Orders → Sign (Code) → HTTP Request',
			`${fmt(med(ref, 'callMs'))} ms (Sign ${fmt(median(ref.map((x) => x.perNode.Sign)))} + HTTP ${fmt(median(ref.map((x) => x.perNode['HTTP Request'])))})`,
			`${fmt(med(ref, 'workflowMs'))} ms`,
			'1',
			`${Math.min(...ref.map((x) => x.ok))} / ${n.n}`,
			String(max(ref.map((x) => x.sockets))),
			String(max(ref.map((x) => x.maxConcurrent))),
			ref.map((x) => fmt(x.callMs)).join(', '),
		]);
		table(['workflow', 'call nodes (median)', 'workflow (median)', 'node / Code+HTTP Request (call nodes)', 'ok items', 'sockets opened', 'max in flight at the gateway', 'samples (call nodes, ms)'], rows);
		lines.push('Times come from n8n\'s run data (`startTime` + `executionTime` of each node), so n8n\'s own start-up (≈ ' +
			`${fmt(median(Object.values(n.runs).flat().map((x) => x.processMs - x.workflowMs)) / 1000, 0)} s per \`n8n execute\`) is not in them. "call nodes" = the Damai node, or Sign + HTTP Request; "workflow" adds the Orders Code node (which starts n8n's task runner). ` +
			'The HTTP Request node without batching sends every item at once, one new socket each.');
		lines.push('');
		const t0 = n.throttled[n.concurrency[0]];
		const t1 = n.throttled.codehttp;
		if (t0 && t1) {
			lines.push(`Under the sandbox rate limit (${o.rate} requests/s, ban 1 s), same workflows: Damai (C = ${n.concurrency[0]}) ${t0.ok} / ${n.n} ok in ${fmt(t0.callMs)} ms; Code + HTTP Request ${t1.ok} / ${n.n} ok in ${fmt(t1.callMs)} ms (the other ${n.n - t1.ok} answered code 7 "App Call Limited", which the HTTP Request node passes on as HTTP 200 items).`);
			lines.push('');
		}
	}

	if (r.micro) {
		lines.push(`### CPU per item: sign + build + parse (micro-benchmark, ${r.micro.iterations} iterations × ${r.micro.repeats}, median, process.cpuUsage)`);
		lines.push('');
		table(
			['step', 'µs per item'],
			Object.entries(r.micro.usPerItem).map(([k, us]) => [k === 'total' ? '**total: msg_id + head + request + parse (JSON)**' : k, k === 'total' ? `**${fmt(us, 1)}**` : fmt(us, 1)]),
		);
	}

	if (r.rss) {
		lines.push(`### Peak RSS growth (own process, Items → Damai in the engine, C = 16, L = ${o.rssLatency} ms)`);
		lines.push('');
		table(
			['items', 'baseline RSS', 'peak RSS', 'growth (median)', 'growth (each run)', 'heap growth (peak)', 'heap live after GC, run data held', 'time', 'ok'],
			r.rss.map((x) => [String(x.count), `${mb(x.baseRss)} MB`, `${mb(x.peakRss)} MB`, `**${mb(x.rssGrowth)} MB**`, x.rssGrowthSamples.map((b) => `${mb(b)}`).join(', ') + ' MB', `${mb(x.heapGrowth)} MB`, `${mb(x.retainedHeap)} MB`, `${fmt(x.ms / 1000, 1)} s`, `${x.ok} / ${x.count}`]),
		);
		lines.push('Baseline = RSS after loading n8n-core, the node and a 200-item warm-up run, then a GC; RSS and heap sampled every 10 ms during the run. "heap live after GC" = what is still reachable at the end while the run\'s items are held (n8n keeps every node\'s input and output items in its run data): the rest of the peak is garbage waiting for V8\'s next major GC.');
		lines.push('');
	}

	if (r.rate) {
		const x = r.rate;
		lines.push(`### Rate-limited gateway: ${x.n} items, C = ${x.c}, sandbox limit ${x.perSecond} requests/s, ban 1 s`);
		lines.push('');
		table(
			['failed items', 'throttle answers (code 7)', 'requests', 'sockets', 'time', 'floor (N − burst) / rate'],
			[[`**${x.failed}**`, String(x.throttled), String(x.requests), String(x.sockets), `${fmt(x.ms)} ms`, `${fmt(x.floorMs)} ms`]],
		);
	}

	// targets
	const t = targets(o, r);
	lines.push('### Targets (issue 4, at C = 16, L = 20 ms)');
	lines.push('');
	table(
		['target', 'measured', 'met?', 'by how much'],
		t.map((x) => [x.target, x.measured, x.met === undefined ? 'not measured' : x.met ? '**yes**' : '**no**', x.by]),
	);
	return { text: lines.join('\n'), targets: t };
}

function targets(o, r) {
	const p16 = r.throughput?.find((p) => p.c === 16);
	const standard = o.latency === 20;
	const out = [];
	const row = (target, measured, met, by) => out.push({ target, measured, met, by });
	if (p16) {
		row('≥ 90% of the ideal C / L', `${pct(p16.achievedOverIdeal, 1)} (${fmt(p16.nodePerSec)} of ${fmt(p16.idealPerSec)} items/s)`, p16.achievedOverIdeal >= 0.9,
			p16.achievedOverIdeal >= 0.9 ? `${((p16.achievedOverIdeal - 0.9) * 100).toFixed(1)} points to spare` : `${((0.9 - p16.achievedOverIdeal) * 100).toFixed(1)} points short`);
		row('≤ 10% slower than the bare axios loop', `node / bare = ${p16.nodeOverBare.toFixed(3)}`, p16.nodeOverBare <= 1.1,
			p16.nodeOverBare <= 1.1 ? `${((1.1 - p16.nodeOverBare) * 100).toFixed(1)} points to spare` : `${((p16.nodeOverBare - 1.1) * 100).toFixed(1)} points over`);
		row('sockets opened ≤ C', `${p16.nodeSockets} (sandbox) / ${p16.nodeClientSockets} (client) for C = 16`, p16.nodeSockets <= 16 && p16.nodeClientSockets <= 16, p16.nodeSockets <= 16 ? '' : `${p16.nodeSockets - 16} too many`);
	} else {
		row('≥ 90% of the ideal C / L', '–', undefined, '');
		row('≤ 10% slower than the bare axios loop', '–', undefined, '');
		row('sockets opened ≤ C', '–', undefined, '');
	}
	const n8nTarget = r.n8n?.runs?.[r.n8n.concurrency[0]];
	if (n8nTarget?.length && r.n8n.runs.codehttp.length) {
		const c = r.n8n.concurrency[0];
		const ratio = median(n8nTarget.map((x) => x.callMs)) / median(r.n8n.runs.codehttp.map((x) => x.callMs));
		row('at least as fast as Code + HTTP Request (same n8n, same run)', `Damai (C = ${c}) / Code+HTTP = ${ratio.toFixed(2)} (call nodes)`, ratio <= 1, ratio <= 1 ? `${((1 - ratio) * 100).toFixed(0)}% faster` : `${((ratio - 1) * 100).toFixed(0)}% slower`);
	} else row('at least as fast as Code + HTTP Request', '–', undefined, '');
	if (r.micro) {
		const us = r.micro.usPerItem.total;
		row('≤ 50 µs CPU per item for sign + build + parse', `${fmt(us, 1)} µs`, us <= 50, us <= 50 ? `${fmt(50 - us, 1)} µs to spare` : `${fmt(us - 50, 1)} µs over`);
	} else row('≤ 50 µs CPU per item', '–', undefined, '');
	const r50 = r.rss?.find((x) => x.count === 50000);
	if (r50) {
		const grow = r50.rssGrowth / (1024 * 1024);
		row('≤ 200 MB RSS growth at 50k items', `${fmt(grow)} MB (median of ${r50.runs}; max ${mb(r50.rssGrowthMax)} MB)`, grow <= 200, grow <= 200 ? `${fmt(200 - grow)} MB to spare` : `${fmt(grow - 200)} MB over`);
	} else row('≤ 200 MB RSS growth at 50k items', '–', undefined, '');
	if (r.rate) row('zero failed items under a sandbox rate limit', `${r.rate.failed} failed of ${r.rate.n} (${r.rate.throttled} throttle answers)`, r.rate.failed === 0, r.rate.failed === 0 ? '' : `${r.rate.failed} items`);
	else row('zero failed items under a rate limit', '–', undefined, '');
	if (!standard) for (const x of out.slice(0, 4)) x.by += ` (L = ${o.latency} ms, not the target's 20 ms)`;
	return out;
}

const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

function writeMarkdown(file, generated) {
	const block = `${BEGIN}\n${generated}\n${END}`;
	let text;
	if (fs.existsSync(file)) {
		const old = fs.readFileSync(file, 'utf8');
		const a = old.indexOf(BEGIN);
		const b = old.indexOf(END);
		text = a >= 0 && b > a ? old.slice(0, a) + block + old.slice(b + END.length) : `${old.trimEnd()}\n\n${block}\n`;
	} else {
		text = `# Benchmarks\n\n${block}\n`;
	}
	fs.writeFileSync(file, text);
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const o = parseArgs(process.argv.slice(2));
	if (o.help) {
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^[\s\S]*?\/\*\*/, '').replace(/^ \* ?/gm, '') + '\n');
		return 0;
	}
	if (!fs.existsSync(path.join(DIST, 'nodes', 'Damai', 'Damai.node.js'))) throw new Error('dist/ is missing: run npm run build first (npm run bench does)');
	const started = Date.now();
	const deadline = started + o.maxMinutes * 60_000;
	const r = /** @type {any} */ ({
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		machine: machine(),
		versions: versions(),
		command: `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
	});

	if (o.waitIdle > 0) {
		const until = Date.now() + o.waitIdleMax * 1000;
		while (os.loadavg()[0] >= o.waitIdle && Date.now() < until) {
			log(`waiting for a 1-min load average below ${o.waitIdle} (now ${load()}) …`);
			await sleep(15_000);
		}
		r.waited = Date.now() - started;
	}
	r.loadStart = load();
	log(`bench: N=${o.n}, L=${o.latency} ms, runs ${o.runs}, C ${o.concurrency.join(',')}, sections ${[...o.only].join(',')}; load ${r.loadStart}`);

	const sb = await startSandboxProcess({ latencyMs: o.latency });
	EXCLUDED_AGENTS.add(sb.agent);
	try {
		await sb.stats(); // opens the control socket before any reset
		if (o.only.has('micro')) r.micro = await sectionMicro(o);
		if (o.only.has('throughput')) r.throughput = await sectionThroughput(sb, o, deadline);
		if (o.only.has('ratelimit') && Date.now() < deadline) r.rate = await sectionRateLimit(sb, o);
		if (o.only.has('rss') && Date.now() < deadline) r.rss = await sectionRss(sb, o, deadline);
		if (o.only.has('n8n') && Date.now() < deadline) r.n8n = await sectionN8n(sb, o, deadline);
	} finally {
		await sb.close();
	}
	r.loadEnd = load();
	r.totalMs = Date.now() - started;

	const { text, targets: t } = buildReport(o, r);
	process.stdout.write(`\n${text}\n`);
	if (o.write) {
		writeMarkdown(o.out, text);
		log(`wrote ${path.relative(process.cwd(), o.out) || o.out}`);
	}
	const missed = t.filter((x) => x.met === false).length;
	log(`${t.filter((x) => x.met).length} targets met, ${missed} missed, ${t.filter((x) => x.met === undefined).length} not measured (${fmt(r.totalMs / 1000)} s)`);
	return 0;
}

main().then(
	// n8n-core leaves something alive after a run (see jest.config.js): end explicitly
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
		process.exit(1);
	},
);
