#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Peak RSS growth of one execution of Items(count) → Damai in n8n's engine, in a process of its
 * own: node --expose-gc tooling/bench/rss-child.js <gatewayUrl> <count> <concurrency> [maxSeconds] [node|bare]
 * "bare" runs the same requests through the bare axios loop instead (tooling/bench/lib/bare.js, each
 * signed as its lane takes it, answers dropped): the baseline of what the HTTP traffic alone costs.
 * Baseline = RSS after loading everything and a 200-item warm-up run, then a GC. RSS (and heap) is
 * sampled every 10 ms during the run. Prints one JSON line.
 */

const { runDamai } = require('./lib/engine');
const { sandboxCredentials } = require('./lib/sandbox');
const { runBare, signer } = require('./lib/bare');
const { runChild } = require('./lib/child');

const [url, countText, concurrencyText, maxSecondsText, kindText] = process.argv.slice(2);
const bare = kindText === 'bare';
const count = Math.max(1, Math.min(1_000_000, Number(countText)));
const concurrency = Math.max(1, Math.min(256, Number(concurrencyText) || 16));
const maxSeconds = Math.max(5, Math.min(1800, Number(maxSecondsText) || 300));
if (!url || !/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
	process.stderr.write('usage: node --expose-gc tooling/bench/rss-child.js http://127.0.0.1:PORT/router/rest COUNT [C] [maxSeconds]\n');
	process.exit(2);
}

const gc = /** @type {undefined | (() => void)} */ (/** @type {any} */ (globalThis).gc);

async function main() {
	const credentials = sandboxCredentials(url);
	const options = { concurrency };
	await runDamai({ count: 200, prefix: 'WARM-', credentials, options });
	if (bare) await runBare({ url, requests: { count: 200, make: signer('WARMBARE-') }, concurrency });
	gc?.();
	await new Promise((r) => setTimeout(r, 200));
	gc?.();
	const base = process.memoryUsage();
	let peakRss = base.rss;
	let peakHeap = base.heapUsed;
	const timer = setInterval(() => {
		const m = process.memoryUsage();
		if (m.rss > peakRss) peakRss = m.rss;
		if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
	}, 10);
	const started = process.hrtime.bigint();
	const cpu = process.cpuUsage();
	/** @type {{ items: any[], error?: { message: string }, ok?: number }} */
	const run = bare
		? await runBare({ url, requests: { count, make: signer('RSSBARE-') }, concurrency }).then((r) => ({ items: [], ok: r.ok }))
		: await runDamai({ count, prefix: 'RSS-', credentials, options, onError: 'continueRegularOutput' });
	const used = process.cpuUsage(cpu);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const m = process.memoryUsage();
	if (m.rss > peakRss) peakRss = m.rss;
	clearInterval(timer);
	const ok = run.ok ?? run.items.filter((it) => it.json?.success === true).length;
	// what is still live while the run's data is held (the items n8n keeps), without the garbage
	gc?.();
	const retained = process.memoryUsage();
	return {
		count,
		concurrency,
		kind: bare ? 'bare' : 'node',
		ms,
		ok,
		items: run.items.length,
		error: run.error?.message,
		baseRss: base.rss,
		peakRss,
		rssGrowth: peakRss - base.rss,
		baseHeap: base.heapUsed,
		peakHeap,
		heapGrowth: peakHeap - base.heapUsed,
		retainedHeap: retained.heapUsed - base.heapUsed,
		kept: run.items.length, // (uses `run` after the GC above, so its items were live then)
		cpuUsPerItem: (used.user + used.system) / count,
	};
}

runChild(main, maxSeconds);
