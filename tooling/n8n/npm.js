// @ts-check
'use strict';

/**
 * Running npm for the pinned installs: with the Node that runs us, or with a pinned Node (then npm's
 * own JavaScript runs on that Node, its bin folder comes first on PATH so install scripts and
 * node-gyp use it too, and npm_config_nodedir points node-gyp at its headers instead of whatever
 * ~/.npmrc says).
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

/**
 * npm's entry script: the npm that runs us (`npm run …` sets npm_execpath), else the `npm` on PATH
 * (a symlink to npm-cli.js on Linux and macOS), else the one installed next to this Node.
 * @returns {string | null}
 */
function npmCliPath() {
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.js$/.test(execPath) && fs.existsSync(execPath)) return execPath;
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		try {
			const real = fs.realpathSync(path.join(dir, 'npm'));
			if (/npm-cli\.js$/.test(real)) return real;
		} catch {
			/* not in this folder */
		}
	}
	const besideNode = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	return fs.existsSync(besideNode) ? besideNode : null;
}

/**
 * How to run npm: by default the npm that runs us (or the one on PATH); with `node`, npm's
 * npm-cli.js on that Node.
 * @param {{ node?: string }} [options]
 * @returns {{ command: string, prefix: string[], shell: boolean }}
 */
function npmCommand(options = {}) {
	if (options.node) {
		const cli = npmCliPath();
		if (!cli) throw new Error('cannot find npm-cli.js to run npm with a pinned Node (set npm_execpath)');
		return { command: options.node, prefix: [cli], shell: false };
	}
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.js$/.test(execPath) && fs.existsSync(execPath)) {
		return { command: process.execPath, prefix: [execPath], shell: false };
	}
	return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [], shell: process.platform === 'win32' };
}

/**
 * The environment of an npm run for a pinned install.
 * @param {{ binDir?: string | null, nodedir?: string | null }} runtime
 */
function npmEnv(runtime) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env };
	// Settings inherited from an outer `npm run` must not leak into this install.
	for (const key of Object.keys(env)) {
		if (/^npm_config_(ignore_scripts|global|prefix|production|omit|include|dry_run|workspaces?|save|nodedir)/i.test(key)) delete env[key];
	}
	// No install-time telemetry (@scarf/scarf in n8n's tree honours these).
	env.SCARF_ANALYTICS = 'false';
	env.DO_NOT_TRACK = '1';
	if (runtime.binDir) env.PATH = [runtime.binDir, env.PATH].filter(Boolean).join(path.delimiter);
	if (runtime.nodedir) env.npm_config_nodedir = runtime.nodedir;
	return env;
}

/**
 * Runs `npm <args>` in cwd, its output appended to logFd.
 * @param {string[]} args
 * @param {{ cwd: string, logFd: number, node?: string | null, binDir?: string | null, nodedir?: string | null }} options
 * @returns {Promise<number>} the exit code
 */
function runNpm(args, options) {
	const npm = npmCommand({ node: options.node ?? undefined });
	return new Promise((resolve, reject) => {
		const child = spawn(npm.command, [...npm.prefix, ...args], {
			cwd: options.cwd,
			env: npmEnv(options),
			shell: npm.shell,
			stdio: ['ignore', options.logFd, options.logFd],
		});
		child.on('error', reject);
		child.on('close', (code) => resolve(code ?? 1));
	});
}

module.exports = { npmCliPath, npmCommand, npmEnv, runNpm };
