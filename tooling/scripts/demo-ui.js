// @ts-check
'use strict';

/**
 * `npm run demo -- --ui`: the n8n editor of the demo's temporary instance on
 * http://localhost:<port>, with a throw-away owner account, until Ctrl-C (tooling/scripts/demo.js has set
 * up the sandbox, the instance and the imports).
 */

const n8n = require('../n8n');

const out = (/** @type {string} */ line = '') => process.stdout.write(`${line}\n`);
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;

/** The demo's owner account (tooling/scripts/screenshot.js logs in with it). */
const UI_OWNER = { email: 'demo@example.com', firstName: 'Damai', lastName: 'Demo', password: 'Damai-demo-1' };

/**
 * The editor on http://localhost:<port> until Ctrl-C.
 * @param {any} env @param {any} sandbox @param {any[]} workflows
 * @param {{ port: number, version: string }} opts
 * @param {Promise<number>} interrupted
 */
async function runUi(env, sandbox, workflows, opts, interrupted) {
	out(`▶ Starting the n8n ${opts.version} editor on port ${opts.port} (takes a few seconds)…`);
	const t = Date.now();
	const server = await env.start({
		onOutput: (/** @type {string} */ chunk) => {
			for (const line of chunk.split('\n')) {
				if (line.trim() && !n8n.isNoise(line)) out(`  [n8n] ${line}`);
			}
		},
	});
	// n8n asks for an owner account on first visit; create a throw-away one so the user can log in.
	const ownerStatus = await n8n.setupOwner(server.url, UI_OWNER);
	const ownerOk = ownerStatus === 200;
	if (!ownerOk) out(`  (could not pre-create the owner account: ${ownerStatus}; n8n will ask you to create one)`);
	const base = `http://localhost:${opts.port}`;
	out('');
	out(`n8n ${opts.version} is ready (${seconds(Date.now() - t)}): ${base}`);
	if (ownerOk) out(`  Log in as ${UI_OWNER.email} / ${UI_OWNER.password} (owner of this temporary instance only).`);
	out(`  Credential "Damai sandbox" points at the sandbox gateway ${sandbox.url}.`);
	for (const wf of workflows) out(`  Workflow "${wf.name}": ${base}/workflow/${wf.id}`);
	out('  Open the first one and click "Execute workflow"; the sandbox logs each request below.');
	out('  Press Ctrl-C to stop n8n and the sandbox (the temporary n8n folder is deleted).');
	out('');
	const exit = await Promise.race([interrupted, server.exited.then(() => -1)]);
	if (exit === -1) {
		out('n8n stopped by itself.');
		return 1;
	}
	await server.stop();
	return 0;
}

module.exports = { runUi, UI_OWNER };
