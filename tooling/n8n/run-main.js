// @ts-check
'use strict';

/**
 * How the command-line scripts built on this library (tooling/scripts/demo.js, tooling/scripts/screenshot.js) run
 * their main(): the number it resolves with is the exit code; an exception is printed with its
 * stack and gives exit code 1.
 * @param {() => Promise<number>} main
 * @param {string} name for the message, e.g. 'demo'
 */
function runMain(main, name) {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			process.stderr.write(`${name} failed: ${error && error.stack ? error.stack : error}\n`);
			process.exitCode = 1;
		},
	);
}

module.exports = { runMain };
