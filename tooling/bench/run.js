#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run bench [-- options]      (the script: npm run build && node tooling/bench/run.js)
 *
 * The benchmark of issues 4 and 10 (see docs/benchmarks.md). Everything talks to a sandbox gateway on
 * 127.0.0.1 that runs in a process of its own (node tooling/sandbox/cli.js), so its CPU never mixes with the
 * client's. Sections, in this order (--only picks some):
 *
 *   micro       CPU per item for sign + build + parse (tooling/bench/micro.js, own process)
 *   throughput  N items at latency L: the node in n8n's real engine (WorkflowExecute) at each C of
 *               --concurrency, against a bare axios loop with the same C sending pre-signed
 *               requests, and the ideal C / L; sockets opened; client and sandbox CPU per item
 *   audit       what the audit trail (option Audit Log) costs: the node in the engine at each C of
 *               --audit-concurrency with Audit Log off / Outcomes Only / Attempts and Outcomes,
 *               and the default with its lines dropped (the node's own share), interleaved with
 *               the bare loop; ratios against "off" (n8n's log goes to a file)
 *   profile     where the client CPU goes at C = 64: a V8 CPU profile of the node in the engine
 *               and of the bare loop (tooling/bench/profile-child.js), as µs per item by category
 *   ratelimit   zero failed items under a sandbox rate limit (C = 16)
 *   rss         peak RSS growth at 10k and 50k items (tooling/bench/rss-child.js, own process)
 *   n8n         a real n8n (--n8n-version, default the newest pinned): the Damai workflow against
 *               Code (sign) + HTTP Request
 *
 * Options (environment variable in brackets):
 *   --n N                 items per run (BENCH_N, default 2000; --quick 500)
 *   --latency MS          sandbox latency L (BENCH_LATENCY_MS, default 20)
 *   --runs R              runs per point, median reported (BENCH_RUNS, default 5; --quick 1)
 *   --long-runs R         runs for points whose ideal time is ≥ 20 s, i.e. C = 1 (default 1)
 *   --concurrency LIST    default 1,4,16,64,128,256 (the node allows 1 to 256)
 *   --profile-concurrency C   the profiled point (default 64)
 *   --audit-concurrency LIST  the audit section's points (default 16,64)
 *   --n8n-version V       a pinned n8n (tooling/n8n/paths.js) or "latest" (default: the newest
 *                         pinned, which runs on its own Node 24 from .cache/node)
 *   --n8n-runs R          runs of each real-n8n workflow (default 3; --quick 1)
 *   --n8n-concurrency L   the Damai node's concurrency in real n8n (default 16,64; the first is
 *                         issue 4's target, 64 issue 10's)
 *   --rss-sizes LIST      default 10000,50000 (--quick 10000)
 *   --rss-latency MS      sandbox latency for the RSS runs (default 1)
 *   --rss-runs R          runs per RSS size, median reported (default 2; --quick 1)
 *   --rate PER_SECOND     sandbox rate limit for the throttling run (default 300, ban 1 s)
 *   --cpu-guard US        the guard: the node's client CPU per item minus the bare loop's at C = 64
 *                         must stay ≤ US µs (default 400); reported with the targets
 *   --fail-on-guard       exit with code 3 when the guard is missed (for a pipeline that runs the
 *                         benchmark; the jest tests never assert times)
 *   --stop-on-fail        run the throughput points with the node's default error setting (stop the
 *                         workflow) instead of Continue (regular output), as the examples use
 *   --only LIST           sections to run: micro,throughput,audit,profile,ratelimit,rss,n8n (default all)
 *   --no-n8n              skip the real-n8n comparison
 *   --wait-idle LOAD      wait (at most --wait-idle-max s, default 600) until the 1-min load average < LOAD
 *   --quick               a short run (about 3-4 minutes); does not write docs/benchmarks.md unless --write
 *   --write / --no-write  write docs/benchmarks.md (default: yes, except --quick)
 *   --out FILE            default docs/benchmarks.md in the repository root
 *   --max-minutes M       the whole run's time budget (default 25): sections not started by then are skipped
 *   --help, -h            this text
 */

// Where things are: tooling/bench/lib/options.js (the flags above), tooling/bench/sections/*.js (one file per
// section), tooling/bench/lib/report.js (the markdown, and docs/benchmarks.md between the markers),
// tooling/bench/lib/engine.js (the built node in test/helpers/engine-harness.js, the tests' harness).

// First, so that every socket the node opens is counted (see tooling/bench/lib/sockets.js).
const sockets = require('./lib/sockets');

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseOptions } = require('./lib/options');
const { startSandboxProcess } = require('./lib/sandbox');
const { DIST } = require('./lib/dist');
const { versions, machine } = require('./lib/machine');
const { buildReport, writeMarkdown } = require('./lib/report');
const { fmt, sleep, load, log } = require('./lib/util');

async function main() {
	const o = parseOptions(process.argv.slice(2));
	if (o.help) {
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^[\s\S]*?\/\*\*/, '').replace(/^ \* ?/gm, '') + '\n');
		return 0;
	}
	if (!fs.existsSync(path.join(DIST, 'nodes', 'Damai', 'Damai.node.js'))) throw new Error('dist/ is missing: run npm run build first (npm run bench does)');
	// n8n's logger in this process and its children (the engine runs): to a file, where an operator
	// keeps the node's audit trail (option Audit Log, on by default), not onto this report.
	let ownLogDir;
	if (!process.env.N8N_LOG_OUTPUT) {
		ownLogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-bench-n8n-log-'));
		process.env.N8N_LOG_OUTPUT = 'file';
		process.env.N8N_LOG_FILE_LOCATION = path.join(ownLogDir, 'n8n.log');
	}
	try {
		return await run(o);
	} finally {
		if (ownLogDir) fs.rmSync(ownLogDir, { recursive: true, force: true });
	}
}

/** @param {import('./lib/options').BenchOptions} o */
async function run(o) {
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
	sockets.exclude(sb.agent);
	try {
		await sb.stats(); // opens the control socket before any reset
		// a section's file is required when it runs (the engine sections load n8n-core and the node);
		// a section that fails is reported with its error, and the others still run and are written
		r.failures = [];
		/** @param {string} name @param {string} key @param {() => Promise<unknown>} run */
		const section = async (name, key, run) => {
			if (!o.only.has(name)) return;
			if (Date.now() > deadline) {
				log(`time budget reached: section ${name} skipped`);
				return;
			}
			try {
				r[key] = await run();
			} catch (e) {
				log(`section ${name} failed: ${/** @type {Error} */ (e)?.stack ?? e}`);
				r.failures.push({ section: name, message: String(/** @type {Error} */ (e)?.message ?? e).split('\n')[0] });
			}
		};
		await section('micro', 'micro', () => require('./sections/micro').sectionMicro(o));
		await section('throughput', 'throughput', () => require('./sections/throughput').sectionThroughput(sb, o, deadline));
		await section('audit', 'audit', () => require('./sections/audit').sectionAudit(sb, o, deadline));
		await section('profile', 'profile', () => require('./sections/profile').sectionProfile(sb, o));
		await section('ratelimit', 'rate', () => require('./sections/ratelimit').sectionRateLimit(sb, o));
		await section('rss', 'rss', () => require('./sections/rss').sectionRss(sb, o, deadline));
		await section('n8n', 'n8n', () => require('./sections/n8n').sectionN8n(sb, o, deadline));
	} finally {
		await sb.close();
	}
	r.loadEnd = load();
	r.totalMs = Date.now() - started;

	const { text, targets: t, guard } = buildReport(o, r);
	process.stdout.write(`\n${text}\n`);
	if (o.write) {
		writeMarkdown(o.out, text);
		log(`wrote ${path.relative(process.cwd(), o.out) || o.out}`);
	}
	const missed = t.filter((x) => x.met === false).length;
	log(`${t.filter((x) => x.met).length} targets met, ${missed} missed, ${t.filter((x) => x.met === undefined).length} not measured (${fmt(r.totalMs / 1000)} s)`);
	if (r.failures.length) {
		log(`${r.failures.length} section(s) failed: ${r.failures.map((f) => f.section).join(', ')}`);
		return 1;
	}
	if (o.failOnGuard && guard?.met === false) {
		log(`the CPU guard was missed: ${guard.measured} (--fail-on-guard)`);
		return 3;
	}
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
