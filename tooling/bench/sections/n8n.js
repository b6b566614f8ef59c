// @ts-check
'use strict';

/**
 * Section 6: a real n8n (--n8n-version, default the newest pinned, tooling/n8n): the Damai workflow at each --n8n-concurrency
 * against Code (sign) + HTTP Request (tooling/bench/lib/n8n.js), then both under the rate limit of
 * section 3.
 */

const n8nBench = require('../lib/n8n');
const { fmt, load, log } = require('../lib/util');

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 * @param {number} deadline  Date.now() after which no new run starts
 */
async function sectionN8n(sb, o, deadline) {
	const version = o.n8nVersion;
	log(`n8n: preparing n8n ${version} (installs into .cache/n8n on the first run) …`);
	const { env } = await n8nBench.prepareN8n({ version, gatewayUrl: sb.url, count: o.n, concurrency: o.n8nConcurrency, log });
	/** @type {Array<'codehttp' | number>} */
	const workflows = [...o.n8nConcurrency, 'codehttp'];
	/** @type {{ version: string, n: number, concurrency: number[], runs: Record<string, any[]>, throttled: Record<string, any> }} */
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

module.exports = { sectionN8n };
