/**
 * The credential's Proxy in n8n's real engine (issue 16): a proxy that cannot be reached fails the
 * item with an error naming the proxy's host and port, never its user name or password, anywhere in
 * what n8n keeps. (Calls through a real proxy: test/proxy, the slow `proxy` project.)
 */
import { runDamai } from '../helpers/engine';
import { SECRETS, findSecrets, sandboxCredentials } from '../helpers/sandbox';
import { deadPort } from '../http/helpers';

const PROXY_USER = 'proxy-user-7f3a';
const PROXY_PASSWORD = 'proxy-Pa55word-9c1e';

test('an unreachable proxy: the error names the proxy, is retried as a network error, and holds no credentials', async () => {
	const port = await deadPort();
	const run = await runDamai(
		[{ orderId: 'PX-1' }],
		sandboxCredentials({ url: 'https://127.0.0.1:9/router/rest' }, { proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}` }),
		{ onError: 'continueRegularOutput', options: { maxRetries: 1, retryDelay: 1 } },
	);
	expect(run.error).toBeUndefined();
	const json = run.outputs[0][0].json;
	expect(json).toMatchObject({ orderId: 'PX-1', success: false, errorKind: 'network', attempts: 2 });
	expect(String(json.errorMessage)).toContain(`Could not reach the proxy 127.0.0.1:${port} (ECONNREFUSED)`);
	expect(findSecrets(run, [...Object.values(SECRETS), PROXY_PASSWORD, PROXY_USER, Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')])).toEqual([]);
});

test("a malformed Proxy in the credential: refused before anything is sent, naming the field, not its text", async () => {
	const run = await runDamai([{ orderId: 'PX-2' }], {
		environment: 'custom',
		gatewayUrl: 'https://127.0.0.1:9/router/rest',
		appKey: 'k',
		appSecret: SECRETS.appSecret,
		supplierKey: 'sk',
		supplierSecret: SECRETS.supplierSecret,
		proxy: `socks5://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:1080`,
	});
	expect(run.error).toBeDefined();
	expect(run.error!.message).toMatch(/only http:\/\/ proxies/);
	expect((run.error as { description?: string }).description).toContain('"proxy"');
	expect(findSecrets(run, [PROXY_PASSWORD])).toEqual([]);
});
