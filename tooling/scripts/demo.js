#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run demo [-- --no-build] [-- --ui [--port 5678]] [-- --n8n-version 2.8.4]
 *
 * Runs this package's main job in a real n8n against the embedded sandbox gateway:
 *  1. builds the package (npm run build), unless --no-build;
 *  2. installs the pinned n8n into .cache/n8n/<version>, and the Node.js it needs into
 *     .cache/node/<version> (first run only; the newest pinned n8n by default);
 *  3. starts the sandbox gateway on a free loopback port;
 *  4. in a temporary n8n user folder, installs the package as n8n installs a community package
 *     (~/.n8n/nodes, so the editor offers the credential test), imports the "Damai sandbox" credential and
 *     examples/cancel-stock-locks.workflow.json;
 *  5. runs it with `n8n execute --id … --rawOutput` and prints a table and a summary
 *     (exit code 1 when n8n itself failed);
 *  6. stops everything and deletes the temporary folder.
 * With --ui it starts the n8n editor instead (http://localhost:5678) until Ctrl-C.
 */

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { spawn } = require('node:child_process');
const n8n = require('../n8n');

const { runUi } = require('./demo-ui');

const DEMO_EXAMPLE = 'cancel-stock-locks';

function usage() {
	return [
		'usage: npm run demo [-- options]',
		'',
		'  --no-build            use the existing dist/ (skip npm run build)',
		'  --ui                  start the n8n editor with the credential and workflows imported, until Ctrl-C',
		'  --port N              editor port for --ui (default 5678)',
		`  --n8n-version V       pinned n8n to use: ${Object.keys(n8n.VERSIONS).join(', ')}, a major (2, 1) or "latest" (default ${n8n.LATEST_VERSION})`,
		'  -h, --help            this text',
	].join('\n');
}

/**
 * A pinned version by exact version, major ("2": the newest pinned 2.x) or "latest".
 * @param {string} wanted
 */
function resolveVersion(wanted) {
	if (wanted === 'latest') return n8n.LATEST_VERSION;
	// VERSIONS lists the newest first
	const match = Object.keys(n8n.VERSIONS).find((k) => k === wanted || k.split('.')[0] === wanted);
	if (!match) throw new Error(`--n8n-version: ${wanted} is not pinned (${Object.keys(n8n.VERSIONS).join(', ')})`);
	return match;
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const { values } = util.parseArgs({
		args: argv,
		strict: true,
		allowPositionals: false,
		allowNegative: true,
		options: {
			build: { type: 'boolean', default: true },
			ui: { type: 'boolean', default: false },
			port: { type: 'string', default: '5678' },
			'n8n-version': { type: 'string', default: n8n.LATEST_VERSION },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	const port = Number(values.port);
	if (!/^\d+$/.test(String(values.port)) || port < 1 || port > 65535) throw new Error('--port needs a port number');
	return {
		build: /** @type {boolean} */ (values.build),
		ui: /** @type {boolean} */ (values.ui),
		port,
		version: resolveVersion(/** @type {string} */ (values['n8n-version'])),
		help: /** @type {boolean} */ (values.help),
	};
}

class Interrupted extends Error {}

const out = (/** @type {string} */ line = '') => process.stdout.write(`${line}\n`);
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;

/** @returns {Promise<number>} */
function runBuild() {
	const npm = n8n.npmCommand();
	return new Promise((resolve, reject) => {
		const child = spawn(npm.command, [...npm.prefix, 'run', 'build'], {
			cwd: n8n.REPO_ROOT,
			stdio: 'inherit',
			shell: npm.shell,
		});
		child.on('error', reject);
		child.on('close', (code) => resolve(code ?? 1));
	});
}

/**
 * One row per Damai output item. The order id falls back to the input item the output item is
 * paired with, should an error item not carry it.
 * @param {Array<{ json: any, pairedItem?: any }>} items
 * @param {Array<{ json: any }>} inputs
 */
function resultRows(items, inputs) {
	return items.map(({ json, pairedItem }) => {
		const ok = json.success === true;
		const code = ok ? json.returnCode : (json.returnCode ?? json.code);
		const desc = ok ? json.returnDesc : (json.returnDesc ?? json.subMsg ?? '');
		const paired = Array.isArray(pairedItem) ? pairedItem[0] : pairedItem;
		const index = typeof paired === 'number' ? paired : paired?.item;
		const orderId = json.orderId ?? (index !== undefined ? inputs[index]?.json?.orderId : undefined);
		return [
			String(orderId ?? ''),
			ok ? 'yes' : 'no',
			[code, desc].filter((v) => v !== undefined && v !== null && v !== '').join(' '),
			String(json.requestId ?? ''),
			ok ? '' : String(json.errorMessage ?? ''),
		];
	});
}

async function main() {
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`${/** @type {Error} */ (e).message}\n\n${usage()}\n`);
		return 2;
	}
	if (opts.help) {
		out(usage());
		return 0;
	}

	const started = Date.now();
	/** @type {Record<string, number>} */
	const timings = {};
	/** @type {Array<() => Promise<void>>} */
	const stops = [];
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		for (const stop of stops.reverse()) {
			await stop().catch((e) => process.stderr.write(`cleanup: ${e.message}\n`));
		}
	};
	/** @type {(code: number) => void} */
	let interrupt = () => {};
	/** @type {Promise<number>} */
	const interrupted = new Promise((resolve) => (interrupt = resolve));
	let interruptCode = 0;
	const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
		if (stopping || interruptCode) return;
		out(`\n${signal}: stopping n8n and the sandbox…`);
		interruptCode = signal === 'SIGINT' ? 130 : 143;
		interrupt(interruptCode);
	};
	/** Waits for a step, or stops waiting at Ctrl-C (whatever the step started is stopped by stopAll). */
	const guard = /** @type {<T>(p: Promise<T>) => Promise<T>} */ (
		(p) => Promise.race([p, interrupted.then(() => Promise.reject(new Interrupted()))])
	);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		// 1. build
		if (opts.build) {
			out('▶ Building the package (npm run build)…');
			const t = Date.now();
			const code = await guard(runBuild());
			timings.build = Date.now() - t;
			if (code !== 0) {
				process.stderr.write(`npm run build failed (exit ${code})\n`);
				return 1;
			}
		}
		const nodeFile = path.join(n8n.DIST_DIR, 'nodes', 'Damai', 'Damai.node.js');
		if (!fs.existsSync(nodeFile)) {
			process.stderr.write(`${path.relative(n8n.REPO_ROOT, nodeFile)} is missing: run without --no-build (or npm run build)\n`);
			return 1;
		}

		// 2. n8n
		const installed = await guard(
			n8n.ensureN8n({ version: opts.version, log: (line) => out(line.startsWith(' ') ? line : `▶ ${line}`) }),
		);
		timings.install = installed.durationMs;
		const runtime = n8n.runtimeFor(opts.version);
		const onNode = runtime.pinned ? ` on Node ${runtime.version} (.cache/node/${runtime.version})` : '';
		out(`▶ n8n ${opts.version}${onNode}: ${installed.installed ? `installed in ${n8n.formatDuration(installed.durationMs)}` : 'already installed'} (${path.relative(n8n.REPO_ROOT, installed.dir)})`);

		// 3. sandbox
		const { startSandbox } = require(path.join(n8n.REPO_ROOT, 'tooling', 'sandbox', 'server.js'));
		const sandbox = await startSandbox({
			port: 0,
			host: '127.0.0.1',
			onRecord: opts.ui
				? (/** @type {any} */ r) => out(`  [sandbox] ${String(r.method ?? '?').split('.').pop()} order=${r.orderId ?? '-'} → ${r.outcome}${r.replayed ? ' (replayed)' : ''}`)
				: undefined,
		});
		stops.push(() => sandbox.close());
		out(`▶ Sandbox gateway listening on ${sandbox.url}`);

		// 4. temporary n8n instance + imports
		if (opts.ui && !(await n8n.isPortFree(opts.port))) {
			process.stderr.write(`Port ${opts.port} is in use: stop what runs there or pass --port N\n`);
			return 1;
		}
		// Installed as n8n installs a community package (not N8N_CUSTOM_EXTENSIONS): only then does the
		// editor offer the credential test (tooling/n8n/env.js).
		// quietEnv: no start-up notes a newcomer need not act on (tooling/n8n/paths.js).
		const t3 = Date.now();
		const env = await n8n.createN8nEnv({
			version: opts.version,
			port: opts.ui ? opts.port : undefined,
			communityPackage: true,
			env: n8n.VERSIONS[opts.version].quietEnv,
		});
		stops.push(() => env.cleanup());
		timings.package = Date.now() - t3;
		out(`▶ Installed ${n8n.PACKAGE_NAME} into the temporary n8n as a community package (${seconds(timings.package)})`);
		const credential = n8n.sandboxCredential(sandbox.url);
		const t4 = Date.now();
		await guard(env.importCredential(credential));
		const demo = n8n.useCredential(n8n.loadExample(DEMO_EXAMPLE), credential);
		const workflows = opts.ui
			? [demo, ...n8n.listExamples().map((f) => n8n.loadExample(f)).filter((w) => w.id !== demo.id).map((w) => n8n.useCredential(w, credential))]
			: [demo];
		await guard(env.importWorkflows(workflows));
		timings.import = Date.now() - t4;
		out(`▶ Temporary n8n folder ${env.userFolder}: imported credential "${credential.name}" and ${workflows.length === 1 ? `workflow "${demo.name}"` : `${workflows.length} workflows`} (${seconds(timings.import)})`);

		if (opts.ui) return await runUi(env, sandbox, workflows, opts, interrupted);

		// 5. execute
		out(`▶ Running "${demo.name}" with n8n execute --id=${demo.id} --rawOutput…`);
		const t5 = Date.now();
		const result = await guard(env.executeWorkflow(demo.id));
		timings.execute = Date.now() - t5;

		const damaiNode = n8n.damaiNodes(demo)[0];
		const items = result.run ? n8n.nodeItems(result.run, damaiNode.name) : [];
		const sourceName = Object.keys(demo.connections).find((from) =>
			demo.connections[from].main?.some((/** @type {any[]} */ targets) => targets?.some((t) => t.node === damaiNode.name)),
		);
		const inputs = result.run && sourceName ? n8n.nodeItems(result.run, sourceName) : [];
		out('');
		if (items.length) {
			out(n8n.formatTable(['order', 'success', 'return code / description', 'request id', 'error'], resultRows(items, inputs), { maxWidth: 80 }));
			out('');
		}
		const cancelled = items.filter((i) => i.json?.success === true).length;
		const failed = items.length - cancelled;
		const timingText = [
			timings.build !== undefined ? `build ${seconds(timings.build)}` : null,
			`n8n install ${installed.installed ? n8n.formatDuration(timings.install) : 'cached'}`,
			`package install ${seconds(timings.package)}`,
			`imports ${seconds(timings.import)}`,
			`n8n execute ${seconds(timings.execute)}`,
			`total ${seconds(Date.now() - started)}`,
		]
			.filter(Boolean)
			.join(', ');
		if (!result.ok) {
			out(`✗ n8n failed: ${result.error}`);
			const tail = `${result.stderr}\n${result.stdout}`
				.split('\n')
				.filter((l) => l.trim() && !n8n.isNoise(l) && !l.startsWith('  ') && !/^[{}[\]]/.test(l) && !String(result.error).includes(l.trim()))
				.slice(-15)
				.join('\n');
			if (tail) out(tail);
			out(`  (${timingText})`);
			return 1;
		}
		if (!items.length) {
			out(`✗ n8n ran but the node "${damaiNode.name}" produced no items (${timingText})`);
			return 1;
		}
		out(
			`Summary: ${items.length} orders — ${cancelled} stock lock${cancelled === 1 ? '' : 's'} cancelled, ${failed} failed — ` +
				`in a real n8n ${opts.version} against the sandbox (${sandbox.stats.total} gateway requests). Timings: ${timingText}.`,
		);
		return 0;
	} catch (e) {
		if (e instanceof Interrupted) return interruptCode;
		throw e;
	} finally {
		await stopAll();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

n8n.runMain(main, 'demo');
