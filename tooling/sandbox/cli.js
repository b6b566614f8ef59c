#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node tooling/sandbox/cli.js [--port N] [--host H] [--latency MS] [--rate-limit PER_SECOND] [--ban-seconds S]
 *                     [--head-sign-method any|md5|hmac-sha256|none] [--config file.json] [--quiet]
 * Prints one JSON line to stdout when listening, then one short line per request to stderr.
 */

const fs = require('node:fs');
const { startSandbox } = require('./server');

/** @param {string} msg */
function usage(msg) {
	process.stderr.write(
		`${msg ? msg + '\n' : ''}usage: node tooling/sandbox/cli.js [--port N] [--host H] [--latency MS] [--rate-limit PER_SECOND] ` +
			'[--ban-seconds S] [--head-sign-method any|md5|hmac-sha256|none] [--max-skew SECONDS] [--config file.json] [--quiet]\n',
	);
	process.exit(2);
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, any>} */
	const options = {};
	let quiet = false;
	/** @type {number | undefined} */
	let rate;
	let ban = 1;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) usage(`missing value for ${name}`);
			return /** @type {string} */ (v);
		};
		const num = () => {
			const v = Number(value());
			if (!Number.isFinite(v) || v < 0) usage(`${name} needs a non-negative number`);
			return v;
		};
		switch (name) {
			case '--port': options.port = num(); break;
			case '--host': options.host = value(); break;
			case '--latency': options.latencyMs = num(); break;
			case '--rate-limit': rate = num(); break;
			case '--ban-seconds': ban = num(); break;
			case '--max-skew': options.maxSkewSeconds = num(); break;
			case '--head-sign-method': options.headSignMethod = value(); break;
			case '--config': {
				const file = value();
				let parsed;
				try {
					parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
				} catch (e) {
					usage(`cannot read config ${file}: ${/** @type {Error} */ (e).message}`);
				}
				Object.assign(options, parsed);
				break;
			}
			case '--quiet': quiet = true; break;
			case '--help': case '-h': usage(''); break;
			default: usage(`unknown argument ${arg}`);
		}
	}
	if (rate !== undefined) options.rateLimit = rate > 0 ? { perSecond: rate, banSeconds: ban } : null;
	return { options, quiet };
}

async function main() {
	const { options, quiet } = parseArgs(process.argv.slice(2));
	if (!quiet) {
		options.onRecord = (/** @type {import('./server').RecordedRequest} */ r) => {
			const order = r.orderId ? ` order=${r.orderId}` : '';
			const msg = r.msgId ? ` msg=${r.msgId}` : '';
			process.stderr.write(`${r.at} ${r.method ?? '-'}${order}${msg} -> ${r.outcome}${r.replayed ? ' (replay)' : ''} [${r.httpStatus || 'reset'}]\n`);
		};
	}
	const sandbox = await startSandbox(options);
	process.stdout.write(JSON.stringify({ event: 'listening', url: sandbox.url, port: sandbox.port }) + '\n');
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`sandbox failed to start: ${e?.message ?? e}\n`);
	process.exit(1);
});
