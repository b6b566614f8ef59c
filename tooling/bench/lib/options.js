// @ts-check
'use strict';

/**
 * The command line of tooling/bench/run.js (its --help text is the comment at the top of run.js), read
 * with node's util.parseArgs. Environment variables give the defaults of --n, --latency and --runs.
 */

const path = require('node:path');
const { parseArgs } = require('node:util');
const { REPO } = require('./sandbox');
const n8nLib = require('../../n8n');

const SECTIONS = ['micro', 'throughput', 'audit', 'profile', 'ratelimit', 'rss', 'n8n'];
/** The Damai node's Concurrency option allows 1 to this (DEFAULTS.maxConcurrency, the OPTION_LIMITS of helpers/options.ts). */
const MAX_CONCURRENCY = 256;

/** @type {import('node:util').ParseArgsConfig['options']} */
const FLAGS = {
	quick: { type: 'boolean' },
	n: { type: 'string' },
	latency: { type: 'string' },
	runs: { type: 'string' },
	'long-runs': { type: 'string' },
	concurrency: { type: 'string' },
	'n8n-runs': { type: 'string' },
	'n8n-concurrency': { type: 'string' },
	'n8n-version': { type: 'string' },
	'profile-concurrency': { type: 'string' },
	'audit-concurrency': { type: 'string' },
	'cpu-guard': { type: 'string' },
	'fail-on-guard': { type: 'boolean' },
	'rss-sizes': { type: 'string' },
	'rss-latency': { type: 'string' },
	'rss-runs': { type: 'string' },
	rate: { type: 'string' },
	'stop-on-fail': { type: 'boolean' },
	only: { type: 'string' },
	n8n: { type: 'boolean' }, // only its negation, --no-n8n, is documented
	'wait-idle': { type: 'string' },
	'wait-idle-max': { type: 'string' },
	write: { type: 'boolean' }, // and --no-write
	out: { type: 'string' },
	'max-minutes': { type: 'string' },
	help: { type: 'boolean', short: 'h' },
};

/** A comma-separated list of positive numbers. @param {string} text */
const numbers = (text) =>
	text
		.split(',')
		.map((x) => Number(x.trim()))
		.filter((x) => Number.isFinite(x) && x > 0);

/** @param {string} what @param {number} v @param {number} min @param {number} max */
function inRange(what, v, min, max) {
	if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${what} must be a number from ${min} to ${max}`);
	return v;
}

/** @param {string} what @param {number[]} list @param {number} min @param {number} max @param {boolean} [allowEmpty] */
function listInRange(what, list, min, max, allowEmpty = false) {
	for (const v of list) inRange(what, v, min, max);
	if (!list.length && !allowEmpty) throw new Error(`${what} needs at least one value`);
	return list;
}

/** @param {string[]} argv */
function readArgs(argv) {
	try {
		return /** @type {Record<string, string | boolean | undefined>} */ (parseArgs({ args: argv, options: FLAGS, allowNegative: true, strict: true }).values);
	} catch (e) {
		throw new Error(`${/** @type {Error} */ (e).message} (see --help)`);
	}
}

/** A pinned n8n version (tooling/n8n/paths.js), or "latest". @param {string} wanted */
function pickN8nVersion(wanted) {
	const version = wanted === 'latest' ? n8nLib.LATEST_VERSION : wanted;
	if (!Object.prototype.hasOwnProperty.call(n8nLib.VERSIONS, version)) {
		throw new Error(`--n8n-version: ${wanted} is not pinned (pinned: ${Object.keys(n8nLib.VERSIONS).join(', ')}, or "latest")`);
	}
	return version;
}

/**
 * The options of one run: defaults (shorter with --quick), then the environment, then the flags.
 * @param {string[]} argv
 */
function parseOptions(argv) {
	const env = process.env;
	const a = readArgs(argv);
	const quick = a.quick === true;
	/** @param {string} flag @param {number} fallback */
	const num = (flag, fallback) => (typeof a[flag] === 'string' ? Number(a[flag]) : fallback);
	/** @param {string} flag @param {number[]} fallback */
	const list = (flag, fallback) => (typeof a[flag] === 'string' ? numbers(/** @type {string} */ (a[flag])) : fallback);
	const only = new Set(typeof a.only === 'string' ? a.only.split(',').map((s) => s.trim()) : SECTIONS);
	if (a.n8n === false) only.delete('n8n');
	const o = {
		quick,
		n: num('n', Number(env.BENCH_N ?? (quick ? 500 : 2000))),
		latency: num('latency', Number(env.BENCH_LATENCY_MS ?? 20)),
		runs: num('runs', Number(env.BENCH_RUNS ?? (quick ? 1 : 5))),
		longRuns: num('long-runs', 1),
		concurrency: list('concurrency', [1, 4, 16, 64, 128, 256]),
		n8nRuns: num('n8n-runs', quick ? 1 : 3),
		n8nConcurrency: list('n8n-concurrency', quick ? [16, 64] : [16, 64]),
		n8nVersion: pickN8nVersion(typeof a['n8n-version'] === 'string' ? a['n8n-version'] : n8nLib.LATEST_VERSION),
		profileConcurrency: num('profile-concurrency', 64),
		/** the C values of the audit trail's cost (section audit) */
		auditConcurrency: list('audit-concurrency', [16, 64]),
		/** the CPU guard: the node's client CPU per item minus the bare loop's, at C = 64, at most this many µs */
		cpuGuardUs: num('cpu-guard', 400),
		failOnGuard: a['fail-on-guard'] === true,
		rssSizes: list('rss-sizes', quick ? [10000] : [10000, 50000]),
		rssLatency: num('rss-latency', 1),
		rssRuns: num('rss-runs', quick ? 1 : 2),
		rate: num('rate', 300),
		/** the Damai node's error setting in the throughput runs (undefined = n8n's default, stop the workflow) */
		onError: /** @type {'continueRegularOutput' | undefined} */ (a['stop-on-fail'] ? undefined : 'continueRegularOutput'),
		only,
		waitIdle: num('wait-idle', 0),
		waitIdleMax: num('wait-idle-max', 600),
		write: typeof a.write === 'boolean' ? a.write : !quick,
		out: typeof a.out === 'string' ? path.resolve(a.out) : path.join(REPO, 'docs/benchmarks.md'),
		maxMinutes: num('max-minutes', 25),
		help: a.help === true,
	};
	/** @type {Array<[string, number, number, number]>} flag, value, least, most */
	const ranges = [
		['--n', o.n, 1, 200_000],
		['--latency', o.latency, 0, 10_000],
		['--runs', o.runs, 1, 50],
		['--long-runs', o.longRuns, 1, 50],
		['--n8n-runs', o.n8nRuns, 1, 20],
		['--profile-concurrency', o.profileConcurrency, 1, MAX_CONCURRENCY],
		['--cpu-guard', o.cpuGuardUs, 1, 100_000],
		['--rss-latency', o.rssLatency, 0, 1000],
		['--rss-runs', o.rssRuns, 1, 10],
		['--rate', o.rate, 1, 100_000],
		['--max-minutes', o.maxMinutes, 1, 240],
	];
	for (const [flag, value, least, most] of ranges) inRange(flag, value, least, most);
	listInRange('--concurrency', o.concurrency, 1, MAX_CONCURRENCY);
	listInRange('--n8n-concurrency', o.n8nConcurrency, 1, MAX_CONCURRENCY);
	listInRange('--audit-concurrency', o.auditConcurrency, 1, MAX_CONCURRENCY);
	listInRange('--rss-sizes', o.rssSizes, 100, 500_000, true);
	for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`--only: unknown section "${name}" (sections: ${SECTIONS.join(', ')})`);
	return o;
}

/** @typedef {ReturnType<typeof parseOptions>} BenchOptions */

module.exports = { parseOptions, SECTIONS, MAX_CONCURRENCY };
