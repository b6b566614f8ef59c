// @ts-check
'use strict';

/**
 * This package installed into an n8n user folder the way n8n installs a community package
 * (Settings → Community Nodes → Install, or `npm install` in ~/.n8n/nodes), so n8n loads it from
 * <user folder>/.n8n/nodes like a user's would — not through N8N_CUSTOM_EXTENSIONS. Used by the
 * package test (test/e2e/package.test.ts, which describes the steps of n8n 2.8's and 2.41's
 * community-packages service in detail and checks the result) and by every process of the queue
 * cluster (tooling/queue).
 */

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { REPO_ROOT, DIST_DIR } = require('./paths');
const { npmCommand } = require('./npm');

const PACKAGE = 'n8n-nodes-damai';

/** @param {string[]} args @param {string} cwd @returns {string} */
function npm(args, cwd) {
	const { command, prefix, shell } = npmCommand();
	return execFileSync(command, [...prefix, ...args], {
		cwd,
		encoding: 'utf8',
		shell,
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 5 * 60_000,
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
	});
}

/**
 * `npm pack` of the repository (dist/ must be built): the tarball a user would download.
 * @param {string} destDir
 * @returns {{ tarball: string, version: string }}
 */
function packPackage(destDir) {
	const built = path.join(DIST_DIR, 'nodes', 'Damai', 'Damai.node.js');
	if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
	const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', destDir], REPO_ROOT));
	return { tarball: path.join(destDir, packed.filename), version: packed.version };
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes/node_modules/n8n-nodes-damai as n8n does:
 * nodes/package.json, untar, drop dev/peer/optional dependencies, `npm install` its runtime
 * dependencies (no scripts, no lock file, shallow), record it in nodes/package.json.
 * @param {string} tarball
 * @param {string} userFolder
 * @returns {string} the package folder
 */
function installCommunityPackage(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const manifest = path.join(nodesDir, 'package.json');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

	const pkgFile = path.join(packageDir, 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	delete pkg.devDependencies;
	delete pkg.peerDependencies;
	delete pkg.optionalDependencies;
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));

	const registry = process.env.N8N_COMMUNITY_PACKAGES_REGISTRY || 'https://registry.npmjs.org';
	npm(
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', `--registry=${registry}`],
		packageDir,
	);

	const installed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	installed.dependencies = { ...(installed.dependencies ?? {}), [PACKAGE]: pkg.version };
	fs.writeFileSync(manifest, JSON.stringify(installed, null, 2));
	return packageDir;
}

module.exports = { PACKAGE, packPackage, installCommunityPackage };
