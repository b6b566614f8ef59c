/**
 * What an operations user sees in the real n8n editor, in a real browser: Debian's Chromium
 * (headless, driven by playwright-core) against n8n 2.41.1 with this package installed the way n8n
 * installs a community package (<user folder>/.n8n/nodes), the sandbox gateway behind it.
 *
 *  1. log in through the sign-in form (the owner is set up through n8n's REST API);
 *  2. the credential dialog: a wrong App Key, Save, and the credential test's own message; the
 *     right key again, Save, "Connection tested successfully";
 *  3. the example workflow: Execute, the node's panel shows the irreversibility notice above the
 *     Order ID, and the output table has one row per order and no "undefined" cell.
 *
 * `npm run test:browser` installs Chromium when it is missing (tooling/scripts/install-system-packages.sh
 * browser, needs root then); CHROMIUM_PATH points at another binary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import * as n8n from '../../tooling/n8n';
import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tooling/n8n/chromium';
import { ITEM_KEYS } from '../helpers/items';

const VERSION = '2.41.1';
const OWNER = { email: 'ops@example.com', firstName: 'Ops', lastName: 'User', password: 'Browser-test-1' };
const DAMAI_NODE = 'Cancel Stock Lock';
/** The example's orders and what the sandbox answers (examples/cancel-stock-locks.workflow.json). */
const ORDERS = ['DM20250601000101', 'DM20250601000102', 'NOTFOUND-DM20250601000103', 'DM20250601000104'];

jest.setTimeout(5 * 60_000);

let sandbox: Sandbox;
let env: n8n.N8nEnv;
let base: string;
let profile: string;
let context: BrowserContext;
let page: Page;
let workflowId: string;
let credentialId: string;

beforeAll(async () => {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm run test:browser installs it (apt-get install chromium), or set CHROMIUM_PATH`);
	await n8n.ensureN8n({ version: VERSION });
	sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
	env = await n8n.createN8nEnv({ version: VERSION, communityPackage: true, env: n8n.VERSIONS[VERSION].quietEnv });
	const credential = n8n.sandboxCredential(sandbox.url);
	credentialId = credential.id;
	await env.importCredential(credential);
	const workflow = n8n.useCredential(n8n.loadExample('cancel-stock-locks'), credential);
	workflowId = workflow.id;
	await env.importWorkflows([workflow]);
	const server = await env.start();
	base = server.url;
	const owner = await n8n.setupOwner(base, OWNER);
	if (owner !== 200) throw new Error(`owner setup: ${owner}`);

	selectors.setTestIdAttribute('data-test-id');
	profile = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-chromium-'));
	context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1600, height: 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(60_000);
}, 15 * 60_000);

afterAll(async () => {
	await context?.close().catch(() => {});
	if (profile) fs.rmSync(profile, { recursive: true, force: true });
	await env?.cleanup();
	await sandbox?.close();
});

describe(`n8n ${VERSION} editor in Chromium, the package installed as a community package`, () => {
	test('log in through the sign-in form', async () => {
		await page.goto(`${base}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(OWNER.email);
		await page.locator('input[name=password]').fill(OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		expect(new URL(page.url()).pathname).not.toMatch(/signin|setup/);
	});

	test('credential dialog: Save with a wrong App Key shows the test\'s "Wrong App Key"; the right key again tests OK', async () => {
		await page.goto(`${base}/home/credentials/${credentialId}`);
		const modal = page.getByTestId('editCredential-modal');
		const appKey = modal.getByTestId('parameter-input-appKey').locator('input');
		await appKey.waitFor();
		// n8n tests a saved credential as the dialog opens
		await modal.getByText('Connection tested successfully').waitFor();
		sandbox.reset();

		await appKey.fill('not-our-app-key');
		await modal.getByTestId('credential-save-button').click();
		await modal.getByText('Couldn’t connect with these settings').waitFor();
		await modal.getByText('More details').click();
		await modal.getByText('Wrong App Key: the gateway does not know this app key').waitFor();
		// the test call reached the gateway, which refused the key (TOP code 29); nothing was cancelled
		expect(sandbox.requests.map((r) => [r.appKey, r.outcome])).toEqual([['not-our-app-key', 'error:29']]);

		await appKey.fill(n8n.SANDBOX_KEYS.appKey);
		await modal.getByTestId('credential-save-button').click();
		await modal.getByText('Connection tested successfully').waitFor();
		expect(sandbox.requests.map((r) => r.outcome)).toEqual(['error:29', 'error:40']);
		expect(sandbox.stats.cancelled).toEqual({});
		// no secret in any field of the dialog
		const values = await modal.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
		for (const secret of [n8n.SANDBOX_KEYS.appSecret, n8n.SANDBOX_KEYS.supplierSecret]) expect(values.join('\n')).not.toContain(secret);
	});

	test('the example workflow: the notice above Order ID, and an output table with no "undefined" cell', async () => {
		sandbox.reset();
		await page.goto(`${base}/workflow/${workflowId}`);
		const node = page.getByTestId('canvas-node').filter({ hasText: DAMAI_NODE });
		await node.waitFor();
		await expect(node.innerText()).resolves.toContain('Order: Cancel Stock Lock');
		await page.getByTestId('execute-workflow-button').click();
		await node.getByTestId('canvas-node-status-success').waitFor();
		expect(Object.keys(sandbox.stats.cancelled).sort()).toEqual(ORDERS.filter((o) => !o.startsWith('NOTFOUND')).sort());

		await node.dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const notice = ndv.getByText('Cancelling releases the locked tickets back to sale and cannot be undone', { exact: false });
		await notice.waitFor();
		const orderIdField = ndv.getByTestId('parameter-input-orderId');
		const [noticeBox, fieldBox] = [await notice.boundingBox(), await orderIdField.boundingBox()];
		expect(noticeBox!.y + noticeBox!.height).toBeLessThanOrEqual(fieldBox!.y);

		const output = ndv.getByTestId('output-panel');
		await output.getByText('Table', { exact: true }).click();
		const table = output.locator('table').first();
		await table.locator('tbody tr').first().waitFor();
		const headers = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
		const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
		expect(headers).toEqual(ITEM_KEYS);
		expect(rows.map((cells) => cells[0])).toEqual(ORDERS);
		for (const cells of rows) {
			expect(cells.slice(0, ITEM_KEYS.length)).toHaveLength(ITEM_KEYS.length);
			expect(cells.filter((c) => /undefined/i.test(c))).toEqual([]);
		}
		const failed = Object.fromEntries(ITEM_KEYS.map((k, i) => [k, rows[2][i]]));
		expect(failed).toMatchObject({ success: 'false', code: '404', errorKind: 'business', returnDesc: 'order not found' });
		expect(failed.msgId).toMatch(/^[0-9a-f-]{36}$/);
		const cancelled = Object.fromEntries(ITEM_KEYS.map((k, i) => [k, rows[0][i]]));
		expect(cancelled).toMatchObject({ success: 'true', returnCode: '0', errorKind: 'null', code: 'null' });
	});
});
