// @ts-check
'use strict';

/**
 * Once per jest project (one per n8n version, the root jest.config.js) before its tests: make sure dist/
 * is built from the current sources (build when it is missing or older than a source file; the
 * second project finds it fresh) and the project's pinned n8n, with the Node.js it needs, is
 * installed in .cache/.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const n8n = require('../../tooling/n8n');

/** @param {string} dir @returns {number} newest mtime of .ts/.json/.svg files below dir */
function newestSource(dir) {
	let newest = 0;
	if (!fs.existsSync(dir)) return newest;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
		else if (/\.(ts|json|svg|png)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
	}
	return newest;
}

/**
 * @param {unknown} _globalConfig
 * @param {{ globals?: Record<string, unknown> }} [projectConfig]
 */
module.exports = async function globalSetup(_globalConfig, projectConfig) {
	const version = String(projectConfig?.globals?.E2E_N8N_VERSION ?? n8n.DEFAULT_VERSION);
	const log = (/** @type {string} */ line) => process.stderr.write(`[e2e n8n ${version}] ${line}\n`);
	// (global setups of all projects run in one process: build at most once)
	if (!process.env.E2E_DIST && !process.env.E2E_BUILT_BY_SETUP) {
		const built = path.join(n8n.DIST_DIR, 'nodes', 'Damai', 'Damai.node.js');
		const sources = Math.max(
			...['nodes', 'credentials'].map((d) => newestSource(path.join(n8n.REPO_ROOT, d))),
			fs.existsSync(path.join(n8n.REPO_ROOT, 'index.ts')) ? fs.statSync(path.join(n8n.REPO_ROOT, 'index.ts')).mtimeMs : 0,
		);
		const stale = !fs.existsSync(built) || fs.statSync(built).mtimeMs < sources;
		if (stale || process.env.E2E_BUILD === '1') {
			log(`${fs.existsSync(built) ? 'dist/ is older than the sources' : 'dist/ is missing'}: running npm run build…`);
			const npm = n8n.npmCommand();
			const r = spawnSync(npm.command, [...npm.prefix, 'run', 'build'], { cwd: n8n.REPO_ROOT, stdio: 'inherit', shell: npm.shell });
			if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
		}
		process.env.E2E_BUILT_BY_SETUP = '1';
	}
	const started = Date.now();
	const result = await n8n.ensureN8n({ version, log });
	if (result.installed) log(`n8n ${result.version} installed in ${n8n.formatDuration(Date.now() - started)}`);
};
