// @ts-check
'use strict';

/**
 * Section 5: peak RSS growth for each of --rss-sizes items, each run in a process of its own
 * (tooling/bench/rss-child.js), at C = 16 and a low sandbox latency (--rss-latency): the node in the
 * engine, and beside each run the same requests through the bare axios loop (the baseline).
 */

const path = require('node:path');
const { median, max, fmt, mb, log, nodeJson } = require('../lib/util');

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} deadline  Date.now() after which no new run starts
 */
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
				/** @param {'node' | 'bare'} kind */
				const child = async (kind) => {
					await sb.reset();
					return nodeJson(
						['--expose-gc', path.join(__dirname, '..', 'rss-child.js'), sb.url, String(size), '16', String(Math.max(120, size / 100)), kind],
						Math.max(180_000, size * 10),
					);
				};
				const r = await child('node');
				log(`  node: peak RSS +${mb(r.rssGrowth)} MB (heap peak +${mb(r.heapGrowth)} MB, live after GC +${mb(r.retainedHeap)} MB), ${r.ok}/${size} ok, ${fmt(r.ms)} ms, ${fmt(r.cpuUsPerItem)} µs CPU/item`);
				const b = await child('bare');
				log(`  bare: peak RSS +${mb(b.rssGrowth)} MB (heap peak +${mb(b.heapGrowth)} MB), ${b.ok}/${size} ok, ${fmt(b.ms)} ms`);
				runs.push({ ...r, bareRssGrowth: b.rssGrowth, bareHeapGrowth: b.heapGrowth, bareOk: b.ok });
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
				bareRssGrowth: pick('bareRssGrowth'),
				bareHeapGrowth: pick('bareHeapGrowth'),
				bareOk: Math.min(...runs.map((x) => x.bareOk)),
			});
		}
	} finally {
		await sb.configure({ latencyMs: o.latency });
	}
	return results;
}

module.exports = { sectionRss };
