#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Where the client's CPU goes per item, in a process of its own (issue 10):
 *
 *   node tooling/bench/profile-child.js --kind node|bare --url http://127.0.0.1:PORT/router/rest
 *        [--n 2000] [--c 64] [--warm N] [--interval US] [--max-seconds S] [--save FILE.cpuprofile]
 *
 * Loads everything, runs a warm-up (2 × --warm items, default min(2000, N), at C), then starts
 * V8's sampling CPU profiler (node:inspector, one sample every --interval µs, default 100) and runs
 * one measured batch of N items at concurrency C:
 *   - node: Items(N) → Damai in n8n's engine (tooling/bench/lib/engine.js), error setting "Continue
 *     (regular output)", Order ID the harness' expression {{ $json.orderId }};
 *   - bare: the bare axios loop (tooling/bench/lib/bare.js) over requests signed before the profiler starts.
 * process.cpuUsage() is taken over the same window. Prints one JSON line: the attribution of the
 * profile (tooling/bench/lib/attribution.js, µs per item per category), not the profile itself; --save
 * also writes the raw profile (open it in Chrome DevTools, Performance or JavaScript Profiler).
 * BENCH_PROFILE_DEBUG=1 prints the functions no rule matched to stderr.
 */

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const inspector = require('node:inspector');
const { runChild } = require('./lib/child');
const { MAX_CONCURRENCY } = require('./lib/options');

const { values: a } = parseArgs({
	args: process.argv.slice(2),
	options: {
		kind: { type: 'string' },
		url: { type: 'string' },
		n: { type: 'string' },
		c: { type: 'string' },
		warm: { type: 'string' },
		interval: { type: 'string' },
		'max-seconds': { type: 'string' },
		save: { type: 'string' },
	},
	strict: true,
});

const kind = a.kind;
const url = a.url ?? '';
const n = Math.max(1, Math.min(200_000, Number(a.n ?? 2000)));
const c = Math.max(1, Math.min(MAX_CONCURRENCY, Number(a.c ?? 64)));
const warm = Math.max(0, Math.min(200_000, Number(a.warm ?? Math.min(2000, n))));
const intervalUs = Math.max(50, Math.min(10_000, Number(a.interval ?? 100)));
const maxSeconds = Math.max(10, Math.min(3600, Number(a['max-seconds'] ?? 300)));
if ((kind !== 'node' && kind !== 'bare') || !/^http:\/\/127\.0\.0\.1:\d+\//.test(url) || !Number.isFinite(n + c + warm + intervalUs)) {
	process.stderr.write('usage: node tooling/bench/profile-child.js --kind node|bare --url http://127.0.0.1:PORT/router/rest [--n N] [--c C] [--warm N] [--interval US] [--save FILE]\n');
	process.exit(2);
}

/** @param {inspector.Session} session @param {string} method @param {object} [params] @returns {Promise<any>} */
const post = (session, method, params) =>
	new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));

async function main() {
	const { attribute } = require('./lib/attribution');
	/** @type {() => Promise<number>} one batch of `count` items; resolves the items that succeeded */
	let batch;
	/** @type {(count: number, prefix: string) => Promise<unknown>} */
	let warmUp;
	if (kind === 'node') {
		const { runDamai } = require('./lib/engine');
		const { sandboxCredentials } = require('./lib/sandbox');
		const credentials = sandboxCredentials(url);
		const options = { concurrency: c };
		const run = async (/** @type {number} */ count, /** @type {string} */ prefix) => {
			const r = await runDamai({ count, prefix, credentials, options, onError: 'continueRegularOutput' });
			if (r.error) throw new Error(`the node's run failed: ${r.error.message}`);
			return r.items.filter((it) => it.json?.success === true).length;
		};
		warmUp = run;
		batch = () => run(n, 'PROF-');
	} else {
		const { presign, runBare } = require('./lib/bare');
		warmUp = (count, prefix) => runBare({ url, requests: presign(count, prefix), concurrency: c });
		const requests = presign(n, 'PROFBARE-'); // signed outside the profiled window
		batch = async () => (await runBare({ url, requests, concurrency: c })).ok;
	}

	for (let i = 0; i < 2 && warm > 0; i++) await warmUp(warm, `WARM${i}-`);

	const session = new inspector.Session();
	session.connect();
	await post(session, 'Profiler.enable');
	await post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
	await post(session, 'Profiler.start');
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const ok = await batch();
	const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const cpu = process.cpuUsage(cpu0);
	const { profile } = await post(session, 'Profiler.stop');
	await post(session, 'Profiler.disable');
	session.disconnect();

	if (a.save) fs.writeFileSync(a.save, JSON.stringify(profile));
	const debug = process.env.BENCH_PROFILE_DEBUG === '1' || process.env.BENCH_PROFILE_DEBUG === 'true';
	const result = attribute(profile, { top: debug ? 40 : 0 });
	if (debug) {
		process.stderr.write(`profile-child ${kind}: top unmatched (self µs over the batch):\n`);
		for (const u of result.unmatched) process.stderr.write(`  ${u.us.toFixed(0).padStart(8)}  ${u.frame}\n`);
	}
	/** @type {Record<string, number>} */
	const categories = {};
	for (const [name, us] of Object.entries(result.categories)) categories[name] = us / n;
	return {
		kind,
		n,
		c,
		ok,
		wallMs,
		intervalUs,
		samples: result.samples,
		categories,
		idleUsPerItem: result.idleUs / n,
		totalSampledUsPerItem: result.totalUs / n,
		cpuUsPerItem: (cpu.user + cpu.system) / n,
	};
}

runChild(main, maxSeconds);
