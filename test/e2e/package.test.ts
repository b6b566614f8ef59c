/**
 * The package as users install it: `npm pack`, then installed into a fresh
 * `<user folder>/.n8n/nodes` exactly the way n8n's community-package install does it, then
 * loaded by the real n8n from there (no N8N_CUSTOM_EXTENSIONS) as `n8n-nodes-damai.damai` and run
 * against the sandbox.
 *
 * n8n 2.8.4 and 2.41.1 (the same steps in both: dist/modules/community-packages/
 * community-packages.service.js, downloadPackage), for a package `<pkg>@<version>`:
 *  1. ensures `~/.n8n/nodes/package.json` = { name: 'installed-nodes', private: true, dependencies: {} };
 *  2. `npm pack <pkg>@<version> --registry=<registry> --quiet` in ~/.n8n/nodes (here: the tarball
 *     `npm pack` made from this repository, as a user who downloaded it would have it);
 *  3. `tar -xzf <tarball> -C ~/.n8n/nodes/node_modules/<pkg> --strip-components=1`;
 *  4. removes devDependencies, peerDependencies and optionalDependencies from its package.json;
 *  5. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *     --ignore-scripts=true --package-lock=false --registry=<registry>` in the package folder
 *     (the registry: N8N_COMMUNITY_PACKAGES_REGISTRY, default https://registry.npmjs.org);
 *  6. records `<pkg>: <version>` in ~/.n8n/nodes/package.json's dependencies.
 * At start, n8n loads every `n8n-nodes-*` folder of ~/.n8n/nodes/node_modules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { DAMAI_TYPE, buildWorkflow, codeNode, damaiNode, expectEachInputOnce, expectRunOk, expectSuccessItem, findSecrets, manualTrigger, minutes, n8n, ON, VERSION } from './helpers';

const PACKAGE = n8n.PACKAGE_NAME;
const ORDERS = ['PKG-1', 'PKG-2', 'PKG-3'];

let tmp: string;
let sandbox: Sandbox;
let env: n8n.N8nEnv;
let packageDir: string;
let version: string;
let run: n8n.ExecuteResult;
const credential = () => n8n.sandboxCredential(sandbox.url);

beforeAll(async () => {
	await n8n.ensureN8n({ version: VERSION });
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-package-'));
	sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
	// No N8N_CUSTOM_EXTENSIONS: the node can only come from ~/.n8n/nodes.
	env = await n8n.createN8nEnv({ version: VERSION, extensions: false });

	// The tarball a user would download (dist/ is built by the e2e global setup), installed by the
	// steps above (tooling/n8n/community-package.js).
	const packed = n8n.packPackage(tmp);
	version = packed.version;
	packageDir = n8n.installCommunityPackage(packed.tarball, env.userFolder);

	// A workflow as a user builds it: Manual Trigger → Code (order ids) → Damai.
	const cred = credential();
	await env.importCredential(cred);
	const workflow = buildWorkflow(
		'PkgInstall0000001',
		'Package install: cancel stock locks',
		[manualTrigger('Start'), codeNode('Orders', ORDERS.map((orderId) => ({ orderId }))), damaiNode('Cancel', cred)],
		[
			['Start', 'Orders'],
			['Orders', 'Cancel'],
		],
	);
	await env.importWorkflow(workflow, { rewriteNodeTypes: false });
	run = await env.executeWorkflow(workflow.id);
}, minutes(20));

afterAll(async () => {
	await env?.cleanup();
	await sandbox?.close();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe(`${ON}: the installed package`, () => {
	test('installs like a community package: runtime dependencies only, no n8n, no dev tools', () => {
		const modules = fs.readdirSync(path.join(packageDir, 'node_modules'));
		expect(modules).toEqual(expect.arrayContaining(['axios', 'xml2js']));
		// n8n-workflow is a peer dependency: n8n removes it before installing and provides its own.
		for (const absent of ['n8n-workflow', 'n8n-core', 'typescript', 'jest', 'eslint', 'gulp', 'playwright-core']) {
			expect({ absent, installed: modules.includes(absent) }).toEqual({ absent, installed: false });
		}
		expect(fs.existsSync(path.join(packageDir, 'package-lock.json'))).toBe(false);
		expect(JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'))).toMatchObject({ name: PACKAGE, version });
	});

	test(`n8n loads it from ~/.n8n/nodes as ${DAMAI_TYPE} and runs it against the sandbox`, () => {
		expectRunOk(run);
		const items = n8n.nodeItems(run.run, 'Cancel');
		expect(items).toHaveLength(ORDERS.length);
		items.forEach((item, i) => expectSuccessItem(item, ORDERS[i]));
		expectEachInputOnce([items], ORDERS.length);
		expect(sandbox.stats.cancelled).toEqual(Object.fromEntries(ORDERS.map((o) => [o, 1])));
		// Not through N8N_CUSTOM_EXTENSIONS (whose nodes n8n names CUSTOM.*).
		expect(env.env.N8N_CUSTOM_EXTENSIONS).toBeUndefined();
		expect(run.stdout + run.stderr).not.toMatch(/Unrecognized node type/i);
	});

	test('the editor lists the node, its AI tool variant and the credential', async () => {
		const server = await env.start();
		try {
			// The type lists need a login: create the owner (n8n answers /healthz before its REST routes
			// exist, so retry for a while), then use its session cookie.
			let cookie = '';
			const deadline = Date.now() + 60_000;
			while (!cookie) {
				const res = await fetch(`${server.url}/rest/owner/setup`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ email: 'package-test@example.com', firstName: 'Package', lastName: 'Test', password: 'Package-test-1' }),
				});
				await res.arrayBuffer();
				if (res.ok) cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
				else if (Date.now() > deadline || (res.status !== 404 && res.status < 500)) throw new Error(`owner setup: HTTP ${res.status}`);
				else await new Promise((r) => setTimeout(r, 500));
			}
			// n8n writes the type lists in the background after start-up (FrontendService:
			// `void this.generateTypes()`): wait until the list is complete JSON with entries.
			const get = async (url: string) => {
				const until = Date.now() + 60_000;
				for (;;) {
					const res = await fetch(`${server.url}${url}`, { headers: { cookie } });
					const text = await res.text();
					let list: unknown = null;
					try {
						list = JSON.parse(text);
					} catch {
						/* not written yet, or half-written */
					}
					if (res.status === 200 && Array.isArray(list) && list.length > 0) {
						return list as Array<{ name: string; usableAsTool?: boolean; outputs?: unknown }>;
					}
					if (Date.now() > until) throw new Error(`${url}: HTTP ${res.status}, ${text.slice(0, 200)}`);
					await new Promise((r) => setTimeout(r, 500));
				}
			};
			const nodes = await get('/types/nodes.json');
			expect(nodes.find((n) => n.name === DAMAI_TYPE)).toMatchObject({ usableAsTool: true });
			// n8n generates `<type>Tool` for a node that is usable as a tool.
			expect(nodes.find((n) => n.name === `${DAMAI_TYPE}Tool`)).toMatchObject({ outputs: ['ai_tool'] });
			const credentials = await get('/types/credentials.json');
			expect(credentials.map((c) => c.name)).toContain('damaiApi');
		} finally {
			await server.stop();
		}
	});

	test('nothing it stored or printed holds a secret', () => {
		const leaks = findSecrets(env, {
			appSecret: n8n.SANDBOX_KEYS.appSecret,
			supplierSecret: n8n.SANDBOX_KEYS.supplierSecret,
		});
		// The credential is stored encrypted; the executions and logs must not show the secrets either.
		expect(leaks).toEqual([]);
	});
});
