// @ts-check
'use strict';

/** Small helpers of the benchmark: statistics, number formats, logging, time limits, child processes. */

const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { REPO } = require('./sandbox');

/** The median of the finite numbers in xs (NaN when there are none). @param {number[]} xs */
const median = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** @param {number[]} xs */
const max = (xs) => Math.max(...xs);
/** @param {number} x @param {number} [digits] */
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
/** @param {number} x @param {number} [digits] */
const pct = (x, digits = 0) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
/** @param {number} bytes */
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(0);
/** ms, monotonic */
const now = () => Number(process.hrtime.bigint()) / 1e6;
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** the 1/5/15-minute load averages */
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
/** progress goes to stderr; the report to stdout @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * Rejects when `promise` has not settled within ms (the benchmark then stops: nothing runs unbounded).
 * @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>}
 */
function bounded(promise, ms, what) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
		}),
	]);
}

/**
 * Runs `node <args>` and returns its last stdout line parsed as JSON.
 * @param {string[]} args @param {number} timeoutMs @returns {Promise<any>}
 */
function nodeJson(args, timeoutMs) {
	return new Promise((resolve, reject) => {
		execFile(process.execPath, args, { cwd: REPO, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			const last = stdout.trim().split('\n').pop() ?? '';
			try {
				const parsed = JSON.parse(last);
				if (parsed.error) return reject(new Error(`${path.basename(args[args.length - 1] ?? '')}: ${parsed.error}`));
				resolve(parsed);
			} catch {
				reject(new Error(`node ${args.join(' ')} failed: ${error?.message ?? ''} ${stderr.slice(0, 500)}`));
			}
		});
	});
}

module.exports = { median, max, fmt, pct, mb, now, sleep, load, log, bounded, nodeJson };
