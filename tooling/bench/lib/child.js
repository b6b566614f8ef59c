// @ts-check
'use strict';

/**
 * How a benchmark child process (tooling/bench/rss-child.js, tooling/bench/profile-child.js) ends: main()'s result
 * is printed as one JSON line and the process exits 0; an exception, or no result within
 * maxSeconds, is printed as { error } and the process exits 1 (tooling/bench/lib/util.js nodeJson and
 * tooling/bench/sections/profile.js read that line). n8n-core leaves something alive after a run (see
 * jest.config.js), so the process always ends explicitly.
 * @param {() => Promise<object>} main @param {number} maxSeconds
 */
function runChild(main, maxSeconds) {
	/** @param {object} value @param {number} code */
	const end = (value, code) => {
		clearTimeout(guard);
		process.stdout.write(JSON.stringify(value) + '\n');
		process.exit(code);
	};
	const guard = setTimeout(() => end({ error: `no result within ${maxSeconds} s` }, 1), maxSeconds * 1000);
	main().then(
		(result) => end(result, 0),
		(e) => end({ error: String(e?.stack ?? e) }, 1),
	);
}

module.exports = { runChild };
