// @ts-check
'use strict';

/**
 * Section 2: throughput, N items at latency L, for each C of --concurrency — the node in n8n's
 * engine (tooling/bench/lib/engine.js) against a bare axios loop with the same C sending pre-signed
 * requests (tooling/bench/lib/bare.js), and the ideal C / L; sockets opened per run; client and sandbox
 * CPU per item.
 */

const { runDamai } = require('../lib/engine');
const { presign, runBare } = require('../lib/bare');
const { sandboxCredentials } = require('../lib/sandbox');
const sockets = require('../lib/sockets');
const { median, max, fmt, now, load, log, bounded } = require('../lib/util');

/**
 * One measurement of the node in n8n's engine, or of the bare loop.
 * @param {'node' | 'bare'} kind
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} c  concurrency
 * @param {number} runIndex
 */
async function measureOnce(kind, sb, o, c, runIndex) {
	const idealMs = (o.n / c) * o.latency;
	const limitMs = Math.max(60_000, idealMs * 6 + 30_000);
	await sb.reset();
	const requests = kind === 'bare' ? presign(o.n, `BARE${c}R${runIndex}-`) : undefined;
	const sockets0 = sockets.opened();
	const sandboxCpu0 = sb.cpuMs();
	const cpu0 = process.cpuUsage();
	const t0 = now();
	let ok;
	let nodeMs;
	let bareSockets = 0;
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
		clientSockets: kind === 'node' ? sockets.opened() - sockets0 : bareSockets,
		maxConcurrent: stats.maxConcurrent,
		clientCpuUsPerItem: ((cpu.user + cpu.system) / o.n),
		sandboxCpuUsPerItem: (sandboxCpuMs * 1000) / o.n,
		requests: stats.total,
	};
}

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} deadline  Date.now() after which no new run starts
 */
async function sectionThroughput(sb, o, deadline) {
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

module.exports = { sectionThroughput };
