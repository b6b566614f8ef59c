// @ts-check
'use strict';

/**
 * Section: what the audit trail (the node's option Audit Log, issue 17) costs. At each C of
 * --audit-concurrency (default 16 and 64), N items at latency L through the node in n8n's engine
 * with Audit Log off, Outcomes Only and Attempts and Outcomes (the default), interleaved (the order
 * rotates per run) with the bare axios loop; medians of wall time and client CPU per item, and
 * each mode's ratios against "off" and against the bare loop. n8n's logger in this process writes
 * to a file (tooling/bench/run.js sets N8N_LOG_OUTPUT=file, N8N_LOG_FILE_LOCATION): the bytes it
 * grew by per item show the trail was written. A fourth setting, Attempts and Outcomes with
 * n8n's logger replaced by one that drops every line, tells the node's own share of the cost from
 * n8n's logger's.
 */

const fs = require('node:fs');
const path = require('node:path');
const { runDamai, withDiscardingLogger } = require('../lib/engine');
const { presign, runBare } = require('../lib/bare');
const { sandboxCredentials } = require('../lib/sandbox');
const { median, fmt, now, load, log, bounded } = require('../lib/util');

/** The Audit Log values, and the default with a logger that drops every line. */
const MODES = /** @type {const} */ (['off', 'outcomes', 'attemptsAndOutcomes', 'discarded']);

/** Size of n8n's log file and the files it rotated into (n8n.log → n8n1.log, n8n2.log, …). */
function logBytes() {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	if (!file) return 0;
	const ext = path.extname(file);
	const stem = path.basename(file, ext);
	let total = 0;
	try {
		for (const name of fs.readdirSync(path.dirname(file))) {
			if (name.startsWith(stem) && name.endsWith(ext) && /^\d*$/.test(name.slice(stem.length, name.length - ext.length))) {
				total += fs.statSync(path.join(path.dirname(file), name)).size;
			}
		}
	} catch {
		// no file yet
	}
	return total;
}

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} c
 * @param {string} mode  an Audit Log value, or 'bare'
 * @param {string} prefix
 */
async function measure(sb, o, c, mode, prefix) {
	const limitMs = Math.max(60_000, (o.n / c) * o.latency * 6 + 30_000);
	await sb.reset();
	const requests = mode === 'bare' ? presign(o.n, prefix) : undefined;
	const bytes0 = logBytes();
	const cpu0 = process.cpuUsage();
	const t0 = now();
	let ok;
	if (mode === 'bare') {
		ok = (await bounded(runBare({ url: sb.url, requests: /** @type {any} */ (requests), concurrency: c }), limitMs, `bare run at C=${c}`)).ok;
	} else {
		const go = () =>
			runDamai({ count: o.n, prefix, credentials: sandboxCredentials(sb.url), options: { concurrency: c, auditLog: mode === 'discarded' ? 'attemptsAndOutcomes' : mode }, onError: o.onError });
		const run = await bounded(mode === 'discarded' ? withDiscardingLogger(go) : go(), limitMs, `node run (${mode}) at C=${c}`);
		if (run.error) throw new Error(`node run (${mode}) at C=${c} failed: ${run.error.message}`);
		ok = run.items.filter((it) => it.json?.success === true).length;
	}
	const ms = now() - t0;
	const cpu = process.cpuUsage(cpu0);
	// the file transport writes asynchronously: wait (at most 2 s) until the file stops growing, so
	// that a run's lines are not counted in the next one's
	for (let i = 0, last = -1; i < 40 && logBytes() !== last; i++) {
		last = logBytes();
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	if (ok !== o.n) throw new Error(`${mode} at C=${c}: ${ok} of ${o.n} items succeeded`);
	return { ms, cpu: (cpu.user + cpu.system) / o.n, logBytesPerItem: (logBytes() - bytes0) / o.n };
}

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} deadline
 */
async function sectionAudit(sb, o, deadline) {
	log(`audit: warm-up … (n8n's log: ${process.env.N8N_LOG_OUTPUT} ${process.env.N8N_LOG_FILE_LOCATION ?? ''})`);
	for (const mode of MODES) await measure(sb, o, 16, mode, `AWARM-${mode}-`);
	await measure(sb, o, 16, 'bare', 'AWARMBARE-');

	const points = [];
	for (const c of o.auditConcurrency) {
		/** @type {Record<string, Array<{ ms: number, cpu: number, logBytesPerItem: number }>>} */
		const samples = { bare: [], off: [], outcomes: [], attemptsAndOutcomes: [], discarded: [] };
		for (let r = 0; r < o.runs; r++) {
			if (Date.now() > deadline) {
				log(`  time budget reached: audit C=${c} run ${r + 1} skipped`);
				break;
			}
			// the modes in a rotating order, so that none always runs first or last
			const order = [...MODES.slice(r % MODES.length), ...MODES.slice(0, r % MODES.length), 'bare'];
			for (const mode of order) samples[mode].push(await measure(sb, o, c, mode, `A${c}R${r}-${mode}-`));
			log(`  audit C=${String(c).padStart(3)} run ${r + 1}/${o.runs}: ${order.map((m) => `${m} ${fmt(samples[m][samples[m].length - 1].ms)} ms`).join(' · ')} · load ${load()}`);
		}
		if (!samples.off.length) continue;
		const med = (/** @type {string} */ m, /** @type {'ms' | 'cpu' | 'logBytesPerItem'} */ k) => median(samples[m].map((x) => x[k]));
		points.push({
			c,
			runs: samples.off.length,
			bareMs: med('bare', 'ms'),
			bareCpu: med('bare', 'cpu'),
			modes: MODES.map((mode) => ({
				mode,
				ms: med(mode, 'ms'),
				cpu: med(mode, 'cpu'),
				logBytesPerItem: med(mode, 'logBytesPerItem'),
				msOverOff: med(mode, 'ms') / med('off', 'ms'),
				cpuOverOff: med(mode, 'cpu') / med('off', 'cpu'),
				msOverBare: med(mode, 'ms') / med('bare', 'ms'),
				samples: samples[mode].map((x) => Math.round(x.ms)),
			})),
		});
	}
	return { points, logOutput: process.env.N8N_LOG_OUTPUT ?? 'console' };
}

module.exports = { sectionAudit, MODES };
