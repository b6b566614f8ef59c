/**
 * Issue 16 in a real n8n: the proxy named ONLY in n8n's environment (HTTPS_PROXY, with basic auth),
 * the sandbox gateway in its HTTPS mode with a throw-away certificate that n8n trusts through
 * NODE_EXTRA_CA_CERTS (the README's advice for a private CA). The credential has no Proxy field.
 * The proxy is Debian's tinyproxy (npm run test:e2e installs it); its log proves the calls went
 * through it, pooled: at most Concurrency tunnels for more items than that. Runs on the newest
 * pinned n8n only (jest.config.js).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy';
import { makeCertificate } from '../helpers/tls';
import {
	EXTENSIONS,
	ON,
	VERSION,
	buildWorkflow,
	codeNode,
	damaiNode,
	expectRunOk,
	expectSuccessItem,
	findSecrets,
	manualTrigger,
	minutes,
	n8n,
} from './helpers';

const PROXY = { user: 'e2e-proxy-user', password: 'e2eProxyPassw0rdX4' };
const CRED = { id: 'E2eProxyCred0001', name: 'E2E proxy from env' };
const WORKFLOW = 'E2eProxyEnv00001';
const ITEMS = 12;
const CONCURRENCY = 3;

let sandbox: Sandbox;
let proxy: Tinyproxy;
let env: n8n.N8nEnv;
let caDir: string;
let run: n8n.ExecuteResult;

beforeAll(async () => {
	await n8n.ensureN8n({ version: VERSION });
	const tls = makeCertificate();
	caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-e2e-ca-'));
	fs.writeFileSync(path.join(caDir, 'ca.pem'), tls.cert);
	[sandbox, proxy] = await Promise.all([startSandbox({ tls }), startTinyproxy({ auth: PROXY })]);
	env = await n8n.createN8nEnv({
		version: VERSION,
		extensions: EXTENSIONS,
		env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: path.join(caDir, 'ca.pem') },
	});
	await env.importCredentials([n8n.sandboxCredential(sandbox.url, CRED)]);
	const orders = Array.from({ length: ITEMS }, (_, i) => ({ orderId: `E2E-PROXY-${i}` }));
	await env.importWorkflows([
		buildWorkflow(
			WORKFLOW,
			'E2E proxy from the environment',
			[manualTrigger(), codeNode('Orders', orders), damaiNode('Damai', CRED, { options: { concurrency: CONCURRENCY } })],
			[
				['Start', 'Orders'],
				['Orders', 'Damai'],
			],
		),
	]);
	run = await env.executeWorkflow(WORKFLOW);
}, minutes(10));

afterAll(async () => {
	await env?.cleanup();
	await Promise.all([sandbox?.close(), proxy?.stop()]);
	if (caDir) fs.rmSync(caDir, { recursive: true, force: true });
});

describe(`${ON} proxy from n8n's environment`, () => {
	test('every call went through the proxy (its log), pooled: at most Concurrency tunnels', () => {
		expectRunOk(run);
		const items = n8n.nodeItems(run.run, 'Damai');
		expect(items).toHaveLength(ITEMS);
		items.forEach((item, i) => expectSuccessItem(item, `E2E-PROXY-${i}`));
		expect(sandbox.stats.total).toBe(ITEMS);
		const tunnels = proxy.tunnelsTo(sandbox.port);
		expect(tunnels).toBeGreaterThanOrEqual(1);
		expect(tunnels).toBeLessThanOrEqual(CONCURRENCY);
		// the gateway saw only the proxy's connections
		expect(sandbox.stats.connections).toBe(tunnels);
	});

	test("the proxy's password is nowhere in what n8n printed or stored", () => {
		expect(findSecrets(env, { proxyPassword: PROXY.password, proxyBasicAuth: Buffer.from(`${PROXY.user}:${PROXY.password}`).toString('base64') })).toEqual([]);
	});
});
