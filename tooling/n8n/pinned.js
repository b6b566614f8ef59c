// @ts-check
'use strict';

/**
 * Installs a pinned tooling/pinned/<dir>/{package.json,package-lock.json} into a git-ignored cache folder
 * with `npm ci`, once. A marker file holds a hash of both files (plus whatever else shapes the
 * install) and the Node major version, so a changed lock (or Node) reinstalls and everything else
 * is instant. Safe to call from several processes at once (a lock directory serialises installs).
 * Used for n8n (install.js) and for Node.js itself (node.js).
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { REPO_ROOT } = require('./paths');
const { runNpm } = require('./npm');

const MARKER = '.n8n-nodes-damai-install.json';
const LOCK_STALE_MS = 30 * 60 * 1000;

/** @param {number} ms */
function formatDuration(ms) {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} file */
const rel = (file) => path.relative(REPO_ROOT, file) || file;

/**
 * What the marker of an install from toolsDir must say.
 * @param {{ toolsDir: string, what: string, extra: unknown, nodeVersion: string }} o
 */
function expectedMarkerFor(o) {
	const hash = crypto.createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const full = path.join(o.toolsDir, file);
		if (!fs.existsSync(full)) throw new Error(`${rel(full)} is missing: ${o.what} cannot be installed`);
		hash.update(file).update('\0').update(fs.readFileSync(full)).update('\0');
	}
	hash.update(JSON.stringify(o.extra));
	return {
		lockHash: hash.digest('hex'),
		nodeMajor: o.nodeVersion.split('.')[0],
		platform: `${process.platform}-${process.arch}`,
	};
}

/**
 * @param {string} dir
 * @param {{ lockHash: string, nodeMajor: string, platform: string }} want
 * @param {string} entry a file the install must contain
 */
function markerMatches(dir, want, entry) {
	try {
		const have = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		return have.lockHash === want.lockHash && have.nodeMajor === want.nodeMajor && have.platform === want.platform && fs.existsSync(entry);
	} catch {
		return false;
	}
}

/** @param {string} lockDir @param {string} what @param {(line: string) => void} log */
async function acquireLock(lockDir, what, log) {
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid}\n`);
			return;
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
		}
		try {
			if (Date.now() - fs.statSync(lockDir).mtimeMs > LOCK_STALE_MS) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
		} catch {
			continue;
		}
		if (!told) {
			log(`Waiting for another process to finish installing ${what} (${rel(lockDir)})…`);
			told = true;
		}
		await delay(2000);
	}
}

/**
 * @typedef {{ node?: string | null, binDir?: string | null, nodedir?: string | null }} NpmRuntime
 * @typedef {{
 *   what: string,
 *   toolsDir: string,
 *   dir: string,
 *   marker: { lockHash: string, nodeMajor: string, platform: string } & Record<string, unknown>,
 *   entry: string,
 *   steps: string[][],
 *   runtime?: NpmRuntime,
 *   check?: (dir: string) => string | null,
 *   log: (line: string) => void,
 *   force?: boolean,
 * }} InstallOptions
 */

/**
 * Installs `what` into dir (copying toolsDir's package.json and lock there and running the npm
 * steps, e.g. [['ci', …], ['rebuild', 'sqlite3']]) unless the marker says it is already there.
 * `check` runs after the steps and returns an error message (or null) before the marker is written.
 * npm's output goes to <dir>/install.log; a progress line is logged every 30 s.
 * @param {InstallOptions} o
 * @returns {Promise<{ installed: boolean, durationMs: number }>}
 */
async function installPinned(o) {
	const started = Date.now();
	const done = (/** @type {boolean} */ installed) => ({ installed, durationMs: Date.now() - started });
	if (!o.force && markerMatches(o.dir, o.marker, o.entry)) return done(false);

	fs.mkdirSync(path.dirname(o.dir), { recursive: true });
	const lockDir = `${o.dir}.installing`;
	await acquireLock(lockDir, o.what, o.log);
	try {
		if (!o.force && markerMatches(o.dir, o.marker, o.entry)) return done(false);
		o.log(`Installing ${o.what} into ${rel(o.dir)} (first run only, takes a few minutes)…`);
		fs.mkdirSync(o.dir, { recursive: true });
		fs.rmSync(path.join(o.dir, MARKER), { force: true });
		for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(o.toolsDir, file), path.join(o.dir, file));
		const logFile = path.join(o.dir, 'install.log');
		const logFd = fs.openSync(logFile, 'w');
		const ticker = setInterval(() => {
			o.log(`  … still installing ${o.what} (${formatDuration(Date.now() - started)}; log: ${rel(logFile)})`);
		}, 30_000);
		const tail = () => fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
		try {
			for (const args of o.steps) {
				const stepStarted = Date.now();
				fs.writeSync(logFd, `\n$ npm ${args.join(' ')}   (${new Date(stepStarted).toISOString()}${o.runtime?.node ? `, node ${o.runtime.node}` : ''})\n`);
				const code = await runNpm(args, { cwd: o.dir, logFd, ...(o.runtime ?? {}) });
				fs.writeSync(logFd, `\n(npm ${args[0]}: exit ${code} after ${formatDuration(Date.now() - stepStarted)})\n`);
				if (code !== 0) throw new Error(`npm ${args.join(' ')} failed with exit code ${code} in ${rel(o.dir)}. Last lines of ${logFile}:\n${tail()}`);
			}
		} finally {
			clearInterval(ticker);
			fs.closeSync(logFd);
		}
		if (!fs.existsSync(o.entry)) throw new Error(`${o.what} installed but ${o.entry} is missing`);
		const problem = o.check?.(o.dir);
		if (problem) throw new Error(`${o.what} installed but does not work: ${problem}`);
		fs.writeFileSync(path.join(o.dir, MARKER), JSON.stringify({ ...o.marker, installedAt: new Date().toISOString() }, null, 2) + '\n');
		const result = done(true);
		o.log(`Installed ${o.what} in ${formatDuration(result.durationMs)}.`);
		return result;
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

module.exports = { MARKER, expectedMarkerFor, markerMatches, installPinned, formatDuration };
