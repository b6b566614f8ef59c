#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node tooling/scripts/screenshot.js [--no-build] [--out docs/images] [--n8n-version V]
 *
 * Re-takes the README screenshots from the real n8n editor:
 *  1. starts `npm run demo -- --ui --port <free port>` (builds the package, installs the pinned n8n
 *     on first use, starts the sandbox gateway, imports the "Damai sandbox" credential and the
 *     example workflows into a temporary n8n, creates a throw-away owner and starts the editor);
 *  2. drives Debian's headless Chromium (/usr/bin/chromium, `apt-get install chromium`; another
 *     binary with CHROMIUM_PATH) with playwright-core, in a fresh profile, logged in as the demo's
 *     owner through n8n's /rest/login;
 *  3. saves to docs/images/:
 *       workflow-canvas.png   the example workflow after "Execute workflow" (item counts, checks)
 *       node-panel.png        the Damai node's panel: input, parameters, output items
 *       credential-dialog.png the "Damai sandbox" credential (secrets shown masked by n8n)
 *  4. stops the demo (n8n, the sandbox, the temporary folder) and the browser.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { spawn } = require('node:child_process');

const n8n = require('../n8n');
const { CHROMIUM, CHROMIUM_ARGS } = require('../n8n/chromium');

const DEMO_WORKFLOW_ID = 'DamaiCancelDemo1';
const DAMAI_NODE = 'Cancel Stock Lock';
const { UI_OWNER: OWNER } = require('./demo-ui'); // the demo's throw-away owner

const out = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

// The editor selectors below are checked against n8n 2.41.1's editor (the README's pictures) and
// 2.8.4's (docs/screenshots.md); the browser test (test/browser) uses the same ones.
const USAGE = `usage: node tooling/scripts/screenshot.js [--no-build] [--out docs/images] [--n8n-version V (default ${n8n.LATEST_VERSION})]`;

function parseArgs(/** @type {string[]} */ argv) {
	const { values } = util.parseArgs({
		args: argv,
		strict: true,
		allowNegative: true,
		options: {
			build: { type: 'boolean', default: true },
			out: { type: 'string', default: path.join(n8n.REPO_ROOT, 'docs', 'images') },
			'n8n-version': { type: 'string', default: n8n.LATEST_VERSION },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		out(USAGE);
		process.exit(0);
	}
	return { build: !!values.build, outDir: path.resolve(String(values.out)), version: String(values['n8n-version']) };
}

/**
 * Starts the demo editor in its own process group and resolves with its URL once it says it is
 * ready. `stop()` sends it Ctrl-C (it then stops n8n and the sandbox and deletes its folder).
 * @param {{ port: number, build: boolean, version?: string }} opts
 */
function startDemo(opts) {
	const npm = n8n.npmCommand();
	const args = [
		...npm.prefix,
		...['run', 'demo', '--', '--ui', '--port', String(opts.port)],
		...(opts.build ? [] : ['--no-build']),
		...(opts.version ? ['--n8n-version', opts.version] : []),
	];
	const child = spawn(npm.command, args, {
		cwd: n8n.REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		shell: npm.shell,
		detached: process.platform !== 'win32',
	});
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	let log = '';
	const ready = new Promise((resolve, reject) => {
		const onData = (/** @type {Buffer} */ chunk) => {
			const text = chunk.toString();
			log += text;
			for (const line of text.split('\n')) {
				if (/^(▶|n8n \d|\s+Log in as|\s+Workflow ")/.test(line)) out(`  [demo] ${line.trim()}`);
			}
			const m = /n8n \S+ is ready \([^)]*\): (http:\/\/\S+)/.exec(log);
			if (m) resolve(m[1]);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', (/** @type {Buffer} */ chunk) => (log += chunk.toString()));
		exited.then(({ code }) => reject(new Error(`the demo exited (code ${code}) before the editor was ready:\n${log.slice(-3000)}`)));
	});
	const signalGroup = (/** @type {NodeJS.Signals} */ signal) => {
		try {
			if (child.pid && process.platform !== 'win32') process.kill(-child.pid, signal);
			else child.kill(signal);
		} catch {
			// already gone
		}
	};
	return {
		ready,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			signalGroup('SIGINT');
			const timer = setTimeout(() => signalGroup('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/**
 * Closes toasts, moves the mouse out of the way and lets animations finish.
 * @param {import('playwright-core').Page} page
 */
async function settle(page, ms = 800) {
	await page.locator('.el-notification__closeBtn').evaluateAll((buttons) => buttons.forEach((b) => /** @type {HTMLElement} */ (b).click()));
	await page.mouse.move(1, 1);
	await page.waitForTimeout(ms);
}

/**
 * n8n's credential dialog has a fixed height (750 px) and scrolls; shown taller here so every
 * field of the Damai credential fits in one picture. Nothing else is changed.
 */
const TALL_CREDENTIAL_DIALOG = `
	[data-test-id="editCredential-modal"] { height: auto !important; max-height: none !important; }
	[data-test-id="editCredential-modal"] .el-dialog__body,
	[data-test-id="editCredential-modal"] .modal-content,
	[data-test-id="credential-edit-dialog"],
	[data-test-id="credential-edit-dialog"] > div { height: auto !important; max-height: none !important; overflow: visible !important; }
`;

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	}
	const { chromium, selectors } = require('playwright-core');
	selectors.setTestIdAttribute('data-test-id');
	fs.mkdirSync(opts.outDir, { recursive: true });

	const port = await n8n.getFreePort();
	out(`▶ Starting the demo editor on port ${port} (npm run demo -- --ui)…`);
	const demo = startDemo({ port, build: opts.build, version: opts.version });
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-chromium-'));
	/** @type {import('playwright-core').BrowserContext | undefined} */
	let context;
	const onSignal = () => {
		void demo.stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		const base = await demo.ready;
		out(`▶ Editor ready at ${base}; taking screenshots with ${CHROMIUM}`);
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1200, height: 620 },
			deviceScaleFactor: 1,
			locale: 'en-US',
			timezoneId: 'UTC',
		});
		const login = await context.request.post(`${base}/rest/login`, { data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
		if (!login.ok()) throw new Error(`login as the demo owner failed: HTTP ${login.status()} (did the demo create the owner?)`);
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(60_000);

		// 1. The canvas, after running the example workflow once against the sandbox.
		await page.goto(`${base}/workflow/${DEMO_WORKFLOW_ID}`);
		const damaiNode = page.getByTestId('canvas-node').filter({ hasText: DAMAI_NODE });
		await damaiNode.waitFor();
		await page.getByTestId('execute-workflow-button').click();
		await damaiNode.getByTestId('canvas-node-status-success').waitFor();
		await settle(page);
		// zoom to fit: the button where it exists, else n8n's shortcut "1"
		await page
			.getByTestId('zoom-to-fit')
			.click({ timeout: 5000 })
			.catch(() => page.keyboard.press('1'));
		await settle(page, 1200);
		const canvasFile = path.join(opts.outDir, 'workflow-canvas.png');
		await page.screenshot({ path: canvasFile });
		out(`  ✓ ${path.relative(n8n.REPO_ROOT, canvasFile)}`);

		// 2. The Damai node's panel: input items, its parameters, and its output items.
		await page.setViewportSize({ width: 1600, height: 860 });
		await damaiNode.dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await ndv.getByTestId('ndv-items-count').first().waitFor();
		// the irreversibility notice above Order ID is part of the picture
		await ndv.getByText('cannot be undone', { exact: false }).first().waitFor();
		await settle(page);
		const panelFile = path.join(opts.outDir, 'node-panel.png');
		await page.screenshot({ path: panelFile });
		out(`  ✓ ${path.relative(n8n.REPO_ROOT, panelFile)}`);
		await page.getByTestId('ndv-close-button').click();

		// 3. The credential dialog. n8n never sends password fields back to the browser: they show
		// as dots over a placeholder value. Checked here before the picture is saved.
		await page.setViewportSize({ width: 1280, height: 1500 });
		await page.goto(`${base}/home/credentials/${n8n.SANDBOX_CREDENTIAL_ID}`);
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.getByTestId('parameter-input-supplierSecret').waitFor();
		// n8n tests a saved credential as its dialog opens (the package is installed as a community
		// package, so the editor knows the node's test): the picture shows the answer. A failed test
		// (e.g. a new credential field the sandbox credential does not fill yet) is reported, not fatal.
		const answer = page.getByText(/Connection tested successfully|Couldn’t connect with these settings/).first();
		await answer.waitFor();
		const answered = (await answer.innerText()).trim();
		if (!answered.startsWith('Connection tested successfully')) out(`  ! the credential test did not pass in the dialog: "${answered}"`);
		const inputs = await dialog.locator('input').evaluateAll((els) =>
			els.map((e) => ({ type: /** @type {HTMLInputElement} */ (e).type, value: /** @type {HTMLInputElement} */ (e).value })),
		);
		const secrets = [n8n.SANDBOX_KEYS.appSecret, n8n.SANDBOX_KEYS.supplierSecret];
		const leaked = inputs.filter((i) => secrets.some((s) => i.value.includes(s)));
		if (leaked.length) throw new Error('the credential dialog shows a secret in clear: not saving the screenshot');
		if (inputs.filter((i) => i.type === 'password').length < 3) throw new Error('expected the App Secret, Session and Supplier Secret as password fields');
		await page.addStyleTag({ content: TALL_CREDENTIAL_DIALOG });
		await settle(page);
		const credentialFile = path.join(opts.outDir, 'credential-dialog.png');
		await page.locator('.el-dialog:has([data-test-id="credential-edit-dialog"])').first().screenshot({ path: credentialFile });
		out(`  ✓ ${path.relative(n8n.REPO_ROOT, credentialFile)}`);
		return 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await context?.close().catch(() => {});
		fs.rmSync(profile, { recursive: true, force: true });
		out('▶ Stopping the demo…');
		await demo.stop();
	}
}

n8n.runMain(main, 'screenshot');
