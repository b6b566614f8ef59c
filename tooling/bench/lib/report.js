// @ts-check
'use strict';

/**
 * The report: the markdown of one run (its sections' tables, the targets of issues 4 and 10 and
 * the CPU guard), printed
 * by tooling/bench/run.js and written into docs/benchmarks.md between the bench markers (the rest of the file
 * is left as it is).
 */

const fs = require('node:fs');
const { median, max, fmt, pct, mb } = require('./util');

/**
 * @param {import('./options').BenchOptions} o
 * @param {any} r  what tooling/bench/run.js gathered: date, machine, versions, command, load, and each section's results
 * @returns {{ text: string, targets: Array<{ target: string, measured: string, met: boolean | undefined, by: string }>, guard: { met: boolean | undefined, measured: string } | undefined }}
 */
function buildReport(o, r) {
	const L = o.latency;
	const lines = [];
	const table = (headers, rows) => {
		lines.push(`| ${headers.join(' | ')} |`);
		lines.push(`|${headers.map((_h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
		for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
		lines.push('');
	};
	const m = r.machine;
	const v = r.versions;
	lines.push(`Measured ${r.date} on ${m.cpu} (nproc ${m.nproc}), ${m.memory} RAM, ${m.os}; Node ${v.node}; engine runs: n8n-core ${v.n8nCore} + n8n-workflow ${v.n8nWorkflow}; real n8n ${r.n8n?.version ?? 'not run'}; axios ${v.axios}.`);
	lines.push(`Load average (1/5/15 min) at start ${r.loadStart}, at end ${r.loadEnd}${r.waited ? ` (waited ${fmt(r.waited / 1000)} s for a load below ${o.waitIdle})` : ''}.`);
	lines.push('');
	for (const f of r.failures ?? []) {
		lines.push(`**Section ${f.section} failed** (its table is missing below): ${f.message}`);
		lines.push('');
	}
	lines.push(`Command: \`${r.command}\` — N = ${o.n}, L = ${L} ms, ${o.runs} runs per point (medians; ${o.longRuns} run where the ideal time is ≥ 20 s), total ${fmt(r.totalMs / 1000)} s.`);
	lines.push('');

	if (r.throughput) {
		lines.push(`### Throughput: N = ${o.n} items, L = ${L} ms (the node in n8n's engine vs a bare axios loop vs the ideal C / L)`);
		lines.push('');
		table(
			['C', 'ideal C/L (items/s)', 'ideal time', 'node in engine', 'node items/s', 'achieved / ideal', 'bare axios', 'bare / ideal', 'node / bare', 'sockets node (sandbox / client)', 'sockets bare', 'failed node / bare', 'client CPU per item node / bare', 'client CPU busy node', 'sandbox CPU per item', 'runs'],
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
				pct((p.nodeCpu * p.nodePerSec) / 1e6),
				`${fmt(p.sandboxCpu)} µs`,
				String(p.runs),
			]),
		);
		lines.push(`"node in engine" is the wall time of the whole execution (Items → Damai in \`WorkflowExecute\`, the node's error setting ${o.onError ? '"Continue (regular output)"' : 'the default "Stop Workflow"'}), from start to the last output item. Samples (ms): ` +
			r.throughput.map((p) => `C=${p.c} node [${p.nodeSamples.join(', ')}] bare [${p.bareSamples.join(', ')}]`).join('; ') + '.');
		lines.push('');
		lines.push('"client CPU busy" = client CPU per item × items per second: the share of one core the client process (n8n\'s engine and the node: one JavaScript thread, plus V8\'s helper threads) used. Near 100%, a higher C no longer buys throughput on this machine: that is where the curve bends.');
		lines.push('');
	}

	if (r.audit?.points.length) {
		const names = { off: 'off', outcomes: 'Outcomes Only', attemptsAndOutcomes: 'Attempts and Outcomes (default)', discarded: 'Attempts and Outcomes, lines dropped (the node\'s own share)' };
		lines.push(`### The audit trail's cost: N = ${o.n} items, L = ${L} ms, option Audit Log (n8n's log output: ${r.audit.logOutput})`);
		lines.push('');
		table(
			['C', 'Audit Log', 'node in engine', 'time / off', 'client CPU per item', 'CPU / off', 'node / bare', 'log bytes per item', 'samples (ms)'],
			r.audit.points.flatMap((p) =>
				p.modes.map((m) => [
					String(p.c),
					names[m.mode] ?? m.mode,
					`${fmt(m.ms)} ms`,
					m.msOverOff.toFixed(3),
					`${fmt(m.cpu)} µs`,
					m.cpuOverOff.toFixed(3),
					m.msOverBare.toFixed(3),
					fmt(m.logBytesPerItem),
					m.samples.join(', '),
				]),
			),
		);
		lines.push(
			`Each run measures the four settings and the bare loop (${r.audit.points.map((p) => `C=${p.c}: ${fmt(p.bareMs)} ms, ${fmt(p.bareCpu)} µs CPU per item`).join('; ')}) one after the other, the order of the settings rotating per run; medians of ${o.runs} runs. n8n's logger (its real Logger, from the engine's DI container) writes to a file, JSON per line with time stamp and metadata; "log bytes per item" is how much the file grew. "lines dropped": the default setting with n8n's logger replaced by one that drops every line, so the difference to "off" is the node's own work (the lines built, redacted and handed over), the rest n8n's logger's (its call-site lookup, winston's formats, the file write).`,
		);
		lines.push('');
	}

	if (r.profile) {
		lines.push(...require('./profile-report').profileLines(r.profile));
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
			['items', 'baseline RSS', 'peak RSS', 'growth (median)', 'growth (each run)', 'heap growth (peak)', 'heap live after GC, run data held', 'bare axios loop: RSS / heap growth', 'time', 'ok node / bare'],
			r.rss.map((x) => [String(x.count), `${mb(x.baseRss)} MB`, `${mb(x.peakRss)} MB`, `**${mb(x.rssGrowth)} MB**`, x.rssGrowthSamples.map((b) => `${mb(b)}`).join(', ') + ' MB', `${mb(x.heapGrowth)} MB`, `${mb(x.retainedHeap)} MB`, `${mb(x.bareRssGrowth)} / ${mb(x.bareHeapGrowth)} MB`, `${fmt(x.ms / 1000, 1)} s`, `${x.ok} / ${x.bareOk} of ${x.count}`]),
		);
		lines.push('Baseline = RSS after loading n8n-core, the node and a 200-item warm-up run, then a GC; RSS and heap sampled every 10 ms during the run. "heap live after GC" = what is still reachable at the end while the run\'s items are held (n8n keeps every node\'s input and output items in its run data): the rest of the peak is garbage waiting for V8\'s next major GC. "bare axios loop" = the same number of requests, each signed as it is sent, through tooling/bench/lib/bare.js in the same kind of process (no n8n, answers dropped): what the HTTP traffic alone costs in RSS.');
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
	const targetRows = (list) => list.map((x) => [x.target, x.measured, x.met === undefined ? 'not measured' : x.met ? '**yes**' : '**no**', x.by]);
	const t4 = targets(o, r);
	lines.push('### Targets (issue 4, at C = 16, L = 20 ms)');
	lines.push('');
	table(['target', 'measured', 'met?', 'by how much'], targetRows(t4));
	const t10 = targets10(o, r);
	lines.push('### Targets (issue 10: high concurrency, L = 20 ms) and the CPU guard');
	lines.push('');
	table(['target', 'measured', 'met?', 'by how much'], targetRows(t10));
	const guard = t10.find((x) => x.guard);
	return { text: lines.join('\n'), targets: [...t4, ...t10], guard };
}

/** "a to spare" / "b over" for an upper bound. @param {number} v @param {number} limit @param {(x: number) => string} f */
const under = (v, limit, f) => (v <= limit ? `${f(limit - v)} to spare` : `${f(v - limit)} over`);
/** @param {number} v @param {number} limit @param {(x: number) => string} f */
const over = (v, limit, f) => (v >= limit ? `${f(v - limit)} to spare` : `${f(limit - v)} short`);
const points = (x) => `${(x * 100).toFixed(1)} points`;

/**
 * The targets of issue 10, and the guard on the node's own CPU per item (node − bare client CPU at
 * C = 64, at most --cpu-guard µs; --fail-on-guard makes a miss the run's exit code).
 */
function targets10(o, r) {
	const at = (c) => r.throughput?.find((p) => p.c === c);
	const out = [];
	const row = (target, measured, met, by, guard = false) => out.push({ target, measured, met, by, guard });
	const none = (target, guard = false) => row(target, '–', undefined, '', guard);
	const p64 = at(64);
	const p16 = at(16);
	if (p64) row('node / bare ≤ 1.10 at C = 64', p64.nodeOverBare.toFixed(3), p64.nodeOverBare <= 1.1, under(p64.nodeOverBare, 1.1, points));
	else none('node / bare ≤ 1.10 at C = 64');
	if (p16) row('node / bare ≤ 1.05 at C = 16', p16.nodeOverBare.toFixed(3), p16.nodeOverBare <= 1.05, under(p16.nodeOverBare, 1.05, points));
	else none('node / bare ≤ 1.05 at C = 16');
	if (p64) row('≥ 85% of the ideal C / L at C = 64', `${pct(p64.achievedOverIdeal, 1)} (${fmt(p64.nodePerSec)} of ${fmt(p64.idealPerSec)} items/s)`, p64.achievedOverIdeal >= 0.85, over(p64.achievedOverIdeal, 0.85, points));
	else none('≥ 85% of the ideal C / L at C = 64');
	const r50 = r.rss?.find((x) => x.count === 50000);
	if (r50) {
		const grow = r50.rssGrowth / (1024 * 1024);
		row('≤ 150 MB peak RSS growth at 50k items', `${fmt(grow)} MB (median of ${r50.runs}; max ${mb(r50.rssGrowthMax)} MB)`, grow <= 150, under(grow, 150, (x) => `${fmt(x)} MB`));
	} else none('≤ 150 MB peak RSS growth at 50k items');
	const damai64 = r.n8n?.runs?.[64];
	const ref = r.n8n?.runs?.codehttp;
	if (damai64?.length && ref?.length) {
		const ratio = median(damai64.map((x) => x.callMs)) / median(ref.map((x) => x.callMs));
		row(`real n8n ${r.n8n.version}: Damai at C = 64 ahead of Code + HTTP Request`, `Damai (C = 64) / Code+HTTP = ${ratio.toFixed(2)} (call nodes)`, ratio < 1, ratio < 1 ? `${((1 - ratio) * 100).toFixed(0)}% faster` : `${((ratio - 1) * 100).toFixed(0)}% slower`);
	} else none('real n8n: Damai at C = 64 ahead of Code + HTTP Request');
	if (p64) {
		const extra = p64.nodeCpu - p64.bareCpu;
		row(`guard: the node's own client CPU per item at C = 64 (node − bare) ≤ ${o.cpuGuardUs} µs`, `${fmt(p64.nodeCpu)} − ${fmt(p64.bareCpu)} = ${fmt(extra)} µs`, extra <= o.cpuGuardUs, under(extra, o.cpuGuardUs, (x) => `${fmt(x)} µs`), true);
	} else none(`guard: the node's own client CPU per item at C = 64 (node − bare) ≤ ${o.cpuGuardUs} µs`, true);
	if (o.latency !== 20) for (const x of out.slice(0, 3)) x.by += ` (L = ${o.latency} ms, not the target's 20 ms)`;
	return out;
}

/** The targets of issue 4 (at C = 16, L = 20 ms): what was measured, and whether each was met. */
function targets(o, r) {
	const p16 = r.throughput?.find((p) => p.c === 16);
	const standard = o.latency === 20;
	const out = [];
	const row = (target, measured, met, by) => out.push({ target, measured, met, by });
	if (p16) {
		row('≥ 90% of the ideal C / L', `${pct(p16.achievedOverIdeal, 1)} (${fmt(p16.nodePerSec)} of ${fmt(p16.idealPerSec)} items/s)`, p16.achievedOverIdeal >= 0.9,
			over(p16.achievedOverIdeal, 0.9, points));
		row('≤ 10% slower than the bare axios loop', `node / bare = ${p16.nodeOverBare.toFixed(3)}`, p16.nodeOverBare <= 1.1,
			under(p16.nodeOverBare, 1.1, points));
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
		row('≤ 50 µs CPU per item for sign + build + parse', `${fmt(us, 1)} µs`, us <= 50, under(us, 50, (x) => `${fmt(x, 1)} µs`));
	} else row('≤ 50 µs CPU per item', '–', undefined, '');
	const r50 = r.rss?.find((x) => x.count === 50000);
	if (r50) {
		const grow = r50.rssGrowth / (1024 * 1024);
		row('≤ 200 MB RSS growth at 50k items', `${fmt(grow)} MB (median of ${r50.runs}; max ${mb(r50.rssGrowthMax)} MB)`, grow <= 200, under(grow, 200, (x) => `${fmt(x)} MB`));
	} else row('≤ 200 MB RSS growth at 50k items', '–', undefined, '');
	if (r.rate) row('zero failed items under a sandbox rate limit', `${r.rate.failed} failed of ${r.rate.n} (${r.rate.throttled} throttle answers)`, r.rate.failed === 0, r.rate.failed === 0 ? '' : `${r.rate.failed} items`);
	else row('zero failed items under a rate limit', '–', undefined, '');
	if (!standard) for (const x of out.slice(0, 4)) x.by += ` (L = ${o.latency} ms, not the target's 20 ms)`;
	return out;
}

const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

/** Puts `generated` between the markers in `file` (appends it, or creates the file, when they are missing). */
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

module.exports = { buildReport, writeMarkdown, BEGIN, END };
