// @ts-check
'use strict';

/**
 * Which n8n the cluster runs, and with which Node binary.
 *
 * - n8n version: `version` option, else QUEUE_N8N_VERSION, else the newest version pinned in
 *   scripts/n8n (VERSIONS). Installed through scripts/n8n's ensureN8n (into .cache/n8n/<version>).
 * - Node binary: QUEUE_NODE_BIN, else the one scripts/n8n names for that version (a `node` /
 *   `nodeBin` path in what ensureN8n returns or in VERSIONS[version]), else the Node running this
 *   script. It must satisfy the lower bound of n8n's `engines.node` (checked, with a clear error).
 */

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const n8n = require('../n8n');

/** @param {string} a @param {string} b */
function compareVersions(a, b) {
	const pa = a.split(/[.-]/).map((x) => Number(x) || 0);
	const pb = b.split(/[.-]/).map((x) => Number(x) || 0);
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const d = (pa[i] ?? 0) - (pb[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

/** The newest n8n version pinned in scripts/n8n. */
function newestPinned() {
	const versions = Object.keys(n8n.VERSIONS);
	if (!versions.length) throw new Error('scripts/n8n pins no n8n version');
	return versions.sort(compareVersions).at(-1);
}

/** @param {string} [version] */
function chooseVersion(version) {
	const chosen = version ?? process.env.QUEUE_N8N_VERSION ?? newestPinned();
	if (!n8n.VERSIONS[chosen]) {
		throw new Error(`n8n ${chosen} is not pinned in scripts/n8n (pinned: ${Object.keys(n8n.VERSIONS).join(', ')})`);
	}
	return /** @type {string} */ (chosen);
}

/** @param {unknown} candidate @returns {string | undefined} */
function existingFile(candidate) {
	return typeof candidate === 'string' && path.isAbsolute(candidate) && fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * @param {string} version
 * @param {Record<string, unknown>} ensured what ensureN8n returned
 */
function chooseNode(version, ensured) {
	const spec = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (n8n.VERSIONS[version]));
	const node =
		process.env.QUEUE_NODE_BIN ??
		existingFile(ensured.node) ??
		existingFile(ensured.nodeBin) ??
		existingFile(spec.node) ??
		existingFile(spec.nodeBin) ??
		process.execPath;
	const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
	const n8nPackage = JSON.parse(fs.readFileSync(path.join(n8n.installDir(version), 'node_modules', 'n8n', 'package.json'), 'utf8'));
	const range = String(n8nPackage.engines?.node ?? '');
	const lower = /^>=\s*v?(\d+(?:\.\d+)*)/.exec(range)?.[1];
	if (lower && compareVersions(nodeVersion, lower) < 0) {
		throw new Error(`n8n ${version} needs Node ${range}, but ${node} is ${nodeVersion}: set QUEUE_NODE_BIN to a suitable node binary`);
	}
	return { node, nodeVersion };
}

/**
 * Installs (once) and resolves the n8n and Node to run.
 * @param {{ version?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ version: string, bin: string, node: string, nodeVersion: string }>}
 */
async function resolveRuntime(options = {}) {
	const version = chooseVersion(options.version);
	const ensured = /** @type {Record<string, unknown> & { bin: string }} */ (/** @type {unknown} */ (await n8n.ensureN8n({ version, log: options.log })));
	const { node, nodeVersion } = chooseNode(version, ensured);
	return { version, bin: ensured.bin, node, nodeVersion };
}

module.exports = { resolveRuntime, chooseVersion, newestPinned, compareVersions };
