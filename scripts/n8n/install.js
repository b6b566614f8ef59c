// @ts-check
'use strict';

/**
 * Installs a pinned n8n into the git-ignored cache (.cache/n8n/<version>/) from the committed
 * tools/<dir>/{package.json,package-lock.json}, once. A marker file holds a hash of both files and
 * the Node major version, so a changed lock (or Node) reinstalls and everything else is instant.
 * Safe to call from several processes at once (a lock directory serialises installs).
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { CACHE_ROOT, REPO_ROOT, VERSIONS, DEFAULT_VERSION } = require('./paths');

const MARKER = '.n8n-nodes-damai-install.json';
const LOCK_STALE_MS = 30 * 60 * 1000;

/** @param {string} version */
function specFor(version) {
	const spec = VERSIONS[version];
	if (!spec) {
		throw new Error(`n8n ${version} is not pinned here (known: ${Object.keys(VERSIONS).join(', ')})`);
	}
	return spec;
}

/** @param {string} version */
function installDir(version) {
	return path.join(CACHE_ROOT, version);
}

/** @param {string} version */
function binPath(version) {
	return path.join(installDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** @param {string} version */
function expectedMarker(version) {
	const spec = specFor(version);
	const hash = crypto.createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const full = path.join(spec.toolsDir, file);
		if (!fs.existsSync(full)) {
			throw new Error(`${path.relative(REPO_ROOT, full)} is missing: the pinned n8n ${version} cannot be installed`);
		}
		hash.update(file).update('\0').update(fs.readFileSync(full)).update('\0');
	}
	hash.update(JSON.stringify({ npmCiArgs: spec.npmCiArgs, rebuild: spec.rebuild }));
	return {
		version,
		lockHash: hash.digest('hex'),
		nodeMajor: process.versions.node.split('.')[0],
		platform: `${process.platform}-${process.arch}`,
	};
}

/** @param {string} version */
function isInstalled(version) {
	try {
		const want = expectedMarker(version);
		const have = JSON.parse(fs.readFileSync(path.join(installDir(version), MARKER), 'utf8'));
		return (
			have.lockHash === want.lockHash &&
			have.nodeMajor === want.nodeMajor &&
			have.platform === want.platform &&
			fs.existsSync(binPath(version))
		);
	} catch {
		return false;
	}
}

/**
 * How to run npm: the npm that runs us (`npm run demo` sets npm_execpath) or the one on PATH.
 * @returns {{ command: string, prefix: string[], shell: boolean }}
 */
function npmCommand() {
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.js$/.test(execPath) && fs.existsSync(execPath)) {
		return { command: process.execPath, prefix: [execPath], shell: false };
	}
	return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [], shell: process.platform === 'win32' };
}

/**
 * @param {string[]} args
 * @param {string} cwd
 * @param {number} logFd
 * @returns {Promise<number>}
 */
function runNpm(args, cwd, logFd) {
	const npm = npmCommand();
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env };
	// Settings inherited from an outer `npm run` must not leak into this install.
	for (const key of Object.keys(env)) {
		if (/^npm_config_(ignore_scripts|global|prefix|production|omit|include|dry_run|workspaces?|save)/i.test(key)) delete env[key];
	}
	// No install-time telemetry (@scarf/scarf in n8n's tree honours these).
	env.SCARF_ANALYTICS = 'false';
	env.DO_NOT_TRACK = '1';
	return new Promise((resolve, reject) => {
		const child = spawn(npm.command, [...npm.prefix, ...args], {
			cwd,
			env,
			shell: npm.shell,
			stdio: ['ignore', logFd, logFd],
		});
		child.on('error', reject);
		child.on('close', (code) => resolve(code ?? 1));
	});
}

/** @param {number} ms */
function formatDuration(ms) {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {string} lockDir
 * @param {(line: string) => void} log
 */
async function acquireLock(lockDir, log) {
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
			const age = Date.now() - fs.statSync(lockDir).mtimeMs;
			if (age > LOCK_STALE_MS) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
		} catch {
			continue;
		}
		if (!told) {
			log(`Waiting for another process to finish installing n8n (${path.relative(REPO_ROOT, lockDir)})…`);
			told = true;
		}
		await delay(2000);
	}
}

/**
 * Makes sure the pinned n8n is installed in .cache/n8n/<version>/ and returns its bin script.
 * Run it with `node <bin> …` (process.execPath), which works the same on every platform.
 *
 * @param {{ version?: string, log?: (line: string) => void, force?: boolean }} [options]
 * @returns {Promise<{ version: string, bin: string, dir: string, installed: boolean, durationMs: number }>}
 */
async function ensureN8n(options = {}) {
	const version = options.version ?? DEFAULT_VERSION;
	const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
	const spec = specFor(version);
	const dir = installDir(version);
	const started = Date.now();
	if (!options.force && isInstalled(version)) {
		return { version, bin: binPath(version), dir, installed: false, durationMs: Date.now() - started };
	}

	fs.mkdirSync(CACHE_ROOT, { recursive: true });
	const lockDir = path.join(CACHE_ROOT, `${version}.installing`);
	await acquireLock(lockDir, log);
	try {
		if (!options.force && isInstalled(version)) {
			return { version, bin: binPath(version), dir, installed: false, durationMs: Date.now() - started };
		}
		const rel = path.relative(REPO_ROOT, dir) || dir;
		log(`Installing n8n ${version} into ${rel} (first run only, takes a few minutes)…`);
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(path.join(dir, MARKER), { force: true });
		for (const file of ['package.json', 'package-lock.json']) {
			fs.copyFileSync(path.join(spec.toolsDir, file), path.join(dir, file));
		}
		const logFile = path.join(dir, 'install.log');
		const logFd = fs.openSync(logFile, 'w');
		const ticker = setInterval(() => {
			log(`  … still installing n8n ${version} (${formatDuration(Date.now() - started)}; log: ${path.relative(REPO_ROOT, logFile)})`);
		}, 30_000);
		try {
			const steps = [['ci', '--no-audit', '--no-fund', ...spec.npmCiArgs]];
			if (spec.rebuild.length) steps.push(['rebuild', ...spec.rebuild]);
			for (const args of steps) {
				fs.writeSync(logFd, `\n$ npm ${args.join(' ')}\n`);
				const code = await runNpm(args, dir, logFd);
				if (code !== 0) {
					const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
					throw new Error(`npm ${args.join(' ')} failed with exit code ${code} in ${rel}. Last lines of ${logFile}:\n${tail}`);
				}
			}
		} finally {
			clearInterval(ticker);
			fs.closeSync(logFd);
		}
		if (!fs.existsSync(binPath(version))) {
			throw new Error(`n8n ${version} installed but ${binPath(version)} is missing`);
		}
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({ ...expectedMarker(version), installedAt: new Date().toISOString() }, null, 2) + '\n',
		);
		const durationMs = Date.now() - started;
		log(`Installed n8n ${version} in ${formatDuration(durationMs)}.`);
		return { version, bin: binPath(version), dir, installed: true, durationMs };
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

module.exports = { ensureN8n, isInstalled, installDir, binPath, expectedMarker, formatDuration, npmCommand, MARKER };
