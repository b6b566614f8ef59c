// @ts-check
'use strict';

/** Section 3: failed items when the sandbox gateway rate-limits (--rate per second, ban 1 s), at C = 16. */

const { runDamai } = require('../lib/engine');
const { sandboxCredentials } = require('../lib/sandbox');
const { fmt, now, log, bounded } = require('../lib/util');

/**
 * @param {import('../lib/sandbox').SandboxProcess} sb
 * @param {import('../lib/options').BenchOptions} o
 */
async function sectionRateLimit(sb, o) {
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

module.exports = { sectionRateLimit };
