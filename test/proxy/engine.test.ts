/**
 * The node in n8n's real engine through a real tinyproxy: the credential and the environment as the
 * node reads them (router → resolveCredentials → one client), the proxy's log as the witness.
 */
import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { runDamai } from '../helpers/engine';
import { SECRETS, findSecrets, sandboxCredentials } from '../helpers/sandbox';
import { clearProxyEnv } from '../helpers/no-proxy-env';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy';
import { makeCertificate } from '../helpers/tls';

const AUTH = { user: 'engine-user', password: 'EnginePr0xyPass' };

let secure: Sandbox;
let viaEnv: Tinyproxy;
let fixed: Tinyproxy;

beforeAll(async () => {
	[secure, viaEnv, fixed] = await Promise.all([startSandbox({ tls: makeCertificate() }), startTinyproxy(), startTinyproxy({ auth: AUTH })]);
});
afterAll(async () => {
	await Promise.all([secure?.close(), viaEnv?.stop(), fixed?.stop()]);
});
afterEach(() => {
	clearProxyEnv();
	secure.reset();
});

const credentials = (extra: Record<string, unknown> = {}) => sandboxCredentials(secure, { ignoreSslIssues: true, ...extra });
const tunnels = (proxy: Tinyproxy) => proxy.tunnelsTo(secure.port);
const orders = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ orderId: `${prefix}-${i}` }));

test('HTTPS_PROXY: 20 orders at Concurrency 4 through at most 4 tunnels; NO_PROXY then bypasses it', async () => {
	process.env.HTTPS_PROXY = viaEnv.url;
	const before = tunnels(viaEnv);
	const run = await runDamai(orders(20, 'ENG'), credentials(), { options: { concurrency: 4 } });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].every((item) => item.json.success === true)).toBe(true);
	const used = tunnels(viaEnv) - before;
	expect(used).toBeGreaterThanOrEqual(1);
	expect(used).toBeLessThanOrEqual(4);
	expect(secure.stats.connections).toBe(used);

	process.env.NO_PROXY = 'localhost,127.0.0.1';
	const direct = await runDamai(orders(3, 'ENG-DIRECT'), credentials());
	expect(direct.error).toBeUndefined();
	expect(tunnels(viaEnv) - before).toBe(used);
	expect(secure.stats.total).toBe(23);
});

test("the credential's Proxy (with basic auth) wins over HTTPS_PROXY and NO_PROXY; its password is nowhere in the run", async () => {
	process.env.HTTPS_PROXY = viaEnv.url;
	process.env.NO_PROXY = '127.0.0.1';
	const envBefore = tunnels(viaEnv);
	const fixedBefore = tunnels(fixed);
	const run = await runDamai(orders(5, 'FIXED'), credentials({ proxy: fixed.url }), { options: { concurrency: 2 } });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((item) => item.json.success)).toEqual([true, true, true, true, true]);
	expect(tunnels(fixed) - fixedBefore).toBeGreaterThanOrEqual(1);
	expect(tunnels(fixed) - fixedBefore).toBeLessThanOrEqual(2);
	expect(tunnels(viaEnv)).toBe(envBefore);
	expect(findSecrets(run, [...Object.values(SECRETS), AUTH.password, Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')])).toEqual([]);
});

test('a wrong proxy password in the credential: every item fails with the proxy named, one attempt each, no credentials', async () => {
	const wrong = `http://${AUTH.user}:not-the-password@127.0.0.1:${fixed.port}`;
	const run = await runDamai(orders(3, 'WRONG'), credentials({ proxy: wrong }), { onError: 'continueRegularOutput', options: { concurrency: 2 } });
	expect(run.error).toBeUndefined();
	for (const item of run.outputs[0]) {
		expect(item.json).toMatchObject({ success: false, errorKind: 'http', attempts: 1 });
		expect(String(item.json.errorMessage)).toContain(`The proxy 127.0.0.1:${fixed.port} refused the tunnel to the gateway`);
	}
	expect(findSecrets(run, ['not-the-password', AUTH.user])).toEqual([]);
	expect(secure.stats.total).toBe(0);
});
