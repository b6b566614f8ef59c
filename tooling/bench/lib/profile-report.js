// @ts-check
'use strict';

/** The markdown of the profile section (tooling/bench/sections/profile.js): where the client's CPU goes per item. */

const { IDLE } = require('./attribution');
const { fmt } = require('./util');

/**
 * @param {{ c: number, n: number, latency: number, node: any, bare: any }} profile  what sectionProfile returned
 * @returns {string[]}
 */
function profileLines(profile) {
	const { c, n, latency, node, bare } = profile;
	const lines = [];
	lines.push(`### Where the CPU goes at C = ${c} (V8 CPU profile in the engine, µs per item)`);
	lines.push('');
	lines.push('| category | node in engine | bare axios loop | difference |');
	lines.push('|---|---:|---:|---:|');
	const names = Object.keys(node.categories)
		.filter((name) => name !== IDLE)
		.filter((name) => (node.categories[name] ?? 0) >= 0.05 || (bare.categories[name] ?? 0) >= 0.05)
		.sort((x, y) => (node.categories[y] ?? 0) - (node.categories[x] ?? 0));
	/** @param {number} x */
	const us = (x) => (x >= 10 || x === 0 ? fmt(x) : fmt(x, 1));
	/** @param {number} x */
	const diff = (x) => (Math.abs(x) < 0.05 ? '0' : `${x > 0 ? '+' : '−'}${us(Math.abs(x))}`);
	for (const name of names) {
		const a = node.categories[name] ?? 0;
		const b = bare.categories[name] ?? 0;
		lines.push(`| ${name} | ${us(a)} | ${us(b)} | ${diff(a - b)} |`);
	}
	// the sum of the rows (of the per-category medians), so that the column adds up
	/** @param {Record<string, number>} categories */
	const total = (categories) => names.reduce((sum, name) => sum + (categories[name] ?? 0), 0);
	const nodeTotal = total(node.categories);
	const bareTotal = total(bare.categories);
	lines.push(`| **total sampled CPU (without idle)** | **${fmt(nodeTotal)}** | **${fmt(bareTotal)}** | **${diff(nodeTotal - bareTotal)}** |`);
	lines.push(`| process.cpuUsage over the same window | ${fmt(node.cpuUsPerItem)} | ${fmt(bare.cpuUsPerItem)} | ${diff(node.cpuUsPerItem - bare.cpuUsPerItem)} |`);
	lines.push(`| (idle, not counted) | ${us(node.idleUsPerItem)} | ${us(bare.idleUsPerItem)} | |`);
	lines.push('');
	lines.push(
		`One batch of N = ${n} items at C = ${c}, L = ${latency} ms, after a warm-up of 2 × ${Math.min(2000, n)} items, each in a process of its own ` +
			`(tooling/bench/profile-child.js): Items → Damai in n8n's engine (WorkflowExecute, "Continue (regular output)", Order ID \`{{ $json.orderId }}\`), ` +
			`and the bare axios loop with requests signed before the profiler starts; ${node.runs} runs of each, the median per category (the total is the sum of the rows). ` +
			`V8's sampling CPU profiler (node:inspector) takes a stack every ${node.intervalUs ?? 100} µs; each sample counts for the time until the next one, ` +
			`so the figures are wall time spent on the main thread: the profiler's own overhead (here roughly a quarter more than at its 1 ms default) and any time ` +
			`the process waits for a core inflate them. process.cpuUsage, taken over the same window, counts all the process' threads (V8's background GC and ` +
			`compiler threads, the profiler's sampling thread), the samples only the main thread. Each sample goes to one category, decided on its stack by the rules in ` +
			`tooling/bench/lib/attribution.js: everything under n8n's getNodeParameter is the Order ID expression, otherwise the frame nearest the leaf that a rule ` +
			`matches decides (node's http code called from axios is "node http/net"); (program) and unmatched frames are "other", and (idle), the event loop ` +
			`waiting, is left out of the totals. Save a profile to look at with \`node tooling/bench/profile-child.js --kind node --url URL --save node.cpuprofile\`.`,
	);
	lines.push('');
	return lines;
}

module.exports = { profileLines };
