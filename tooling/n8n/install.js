// @ts-check
'use strict';

/**
 * Installs a pinned n8n into the git-ignored cache (.cache/n8n/<version>/) from the committed
 * tooling/pinned/<dir>/{package.json,package-lock.json}, once (pinned.js), with the Node.js that version
 * needs (node.js: the Node running us, or a pinned Node 24 installed first into .cache/node/).
 */

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { CACHE_ROOT, VERSIONS, DEFAULT_VERSION } = require('./paths');
const { MARKER, expectedMarkerFor, markerMatches, installPinned, formatDuration } = require('./pinned');
const { ensureNode, isNodeInstalled, runtimeFor } = require('./node');
const { npmCommand } = require('./npm');

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
	const runtime = runtimeFor(version);
	// (versions on the Node running us keep the hash they always had)
	const extra = spec.node ? { npmCiArgs: spec.npmCiArgs, rebuild: spec.rebuild, node: spec.node } : { npmCiArgs: spec.npmCiArgs, rebuild: spec.rebuild };
	return { version, ...expectedMarkerFor({ toolsDir: spec.toolsDir, what: `n8n ${version}`, extra, nodeVersion: runtime.version }) };
}

/** @param {string} version */
function isInstalled(version) {
	try {
		const spec = specFor(version);
		const nodeReady = !spec.node || !runtimeFor(version).pinned || isNodeInstalled(spec.node);
		return nodeReady && markerMatches(installDir(version), expectedMarker(version), binPath(version));
	} catch {
		return false;
	}
}

/**
 * Loads each module of `modules` in dir with the given Node; returns what failed, or null.
 * @param {string} node @param {string} dir @param {string[]} modules
 */
function verifyModules(node, dir, modules) {
	if (!modules.length) return null;
	const script = `for (const m of ${JSON.stringify(modules)}) { try { require(m); } catch (e) { console.error(m + ': ' + e.message.split('\\n')[0]); process.exitCode = 1; } }`;
	const r = spawnSync(node, ['-e', script], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
	return r.status === 0 ? null : `with Node ${node}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`;
}

/**
 * Makes sure the pinned n8n (and the Node.js it needs) is installed in .cache/ and returns its bin
 * script. Run it with `node`, the Node it needs (createN8nEnv does).
 *
 * @param {{ version?: string, log?: (line: string) => void, force?: boolean }} [options]
 * @returns {Promise<{ version: string, bin: string, dir: string, node: string, installed: boolean, durationMs: number }>}
 */
async function ensureN8n(options = {}) {
	const version = options.version ?? DEFAULT_VERSION;
	const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
	const spec = specFor(version);
	const started = Date.now();
	const nodeInstall = spec.node ? await ensureNode({ version: spec.node, log }) : null;
	const runtime = runtimeFor(version);
	const dir = installDir(version);
	const steps = [['ci', '--no-audit', '--no-fund', ...spec.npmCiArgs]];
	// npm 11 warns about (and may one day block) install scripts not listed in allowScripts: the
	// tooling/pinned/ package.json allows exactly the packages rebuilt here, and the flags say it outright.
	if (spec.rebuild.length) steps.push(['rebuild', ...spec.rebuild, '--ignore-scripts=false', '--foreground-scripts']);
	const result = await installPinned({
		what: `n8n ${version}${runtime.pinned ? ` (Node ${runtime.version})` : ''}`,
		toolsDir: spec.toolsDir,
		dir,
		marker: expectedMarker(version),
		entry: binPath(version),
		steps,
		runtime,
		check: () => verifyModules(runtime.node, dir, spec.verify),
		log,
		force: options.force,
	});
	return {
		version,
		bin: binPath(version),
		dir,
		node: runtime.node,
		installed: result.installed || !!nodeInstall?.installed,
		durationMs: Date.now() - started,
	};
}

module.exports = { ensureN8n, isInstalled, installDir, binPath, expectedMarker, verifyModules, formatDuration, npmCommand, MARKER };
