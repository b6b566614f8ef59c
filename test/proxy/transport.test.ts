/**
 * The client through a REAL forward proxy (Debian's tinyproxy on loopback, test/helpers/tinyproxy.ts)
 * to the sandbox gateway, plain and HTTPS (a throw-away certificate made now). The proxy's own log
 * proves what went through it. Slow project `proxy` (`npm run test:proxy`): needs tinyproxy.
 */
import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { parseProxyUrl, resolveProxy } from '../../nodes/Damai/transport/proxy';
import { resolveCredentials } from '../../nodes/Damai/transport/config';
import { SUPPLIER_SECRET, APP_SECRET, cancel, closeClients, makeClient, rejection } from '../http/helpers';
import { clearProxyEnv } from '../helpers/no-proxy-env';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy';
import { makeCertificate } from '../helpers/tls';

const PROXY_USER = 'damai-user';
const PROXY_PASSWORD = 'Pr0xy-Pa55w0rd.x7';

let tls: { key: string; cert: string };
let plain: Sandbox;
let secure: Sandbox;
let open: Tinyproxy;
let guarded: Tinyproxy;


beforeAll(async () => {
	tls = makeCertificate();
	[plain, secure, open, guarded] = await Promise.all([
		startSandbox(),
		startSandbox({ tls }),
		startTinyproxy(),
		startTinyproxy({ auth: { user: PROXY_USER, password: PROXY_PASSWORD } }),
	]);
});

afterAll(async () => {
	await Promise.all([plain?.close(), secure?.close(), open?.stop(), guarded?.stop()]);
});

beforeEach(() => {
	plain.reset();
	secure.reset();
});

afterEach(() => {
	closeClients();
	clearProxyEnv();
});

const tunnelsTo = (proxy: Tinyproxy, sandbox: Sandbox) => proxy.tunnelsTo(sandbox.port);
const noSecretIn = (text: string) => {
	for (const secret of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')]) {
		expect(text).not.toContain(secret);
	}
};

describe('HTTPS gateway through the proxy: a CONNECT tunnel, pooled', () => {
	it('every call goes through tunnels, at most Concurrency of them, reused (keep-alive)', async () => {
		const concurrency = 4;
		const proxy = parseProxyUrl(open.url, 'test');
		// (the throw-away certificate is trusted through Ignore SSL Issues)
		const trusting = makeClient(secure.url, { proxy, maxSockets: concurrency, ignoreSslIssues: true });
		const before = open.connections();
		const orders = Array.from({ length: 40 }, (_, i) => `TUN-${i}`);
		const results = await Promise.all(orders.map((orderId) => cancel(trusting, orderId)));
		expect(results.map((r) => r.returnCode)).toEqual(orders.map(() => '0'));
		expect(secure.stats.total).toBe(40);
		// the proxy's log: tunnels to the sandbox's port, no more than Concurrency connections for 40 calls
		const tunnels = tunnelsTo(open, secure);
		expect(tunnels).toBeGreaterThanOrEqual(1);
		expect(tunnels).toBeLessThanOrEqual(concurrency);
		expect(open.connections() - before).toBe(tunnels);
		expect(trusting.socketsOpened).toBe(tunnels);
		// the gateway saw only the proxy's connections, one per tunnel
		expect(secure.stats.connections).toBe(tunnels);
	});

	it('a certificate that cannot be verified is refused unless Ignore SSL Issues is on', async () => {
		const proxy = parseProxyUrl(open.url, 'test');
		const e = await rejection(cancel(makeClient(secure.url, { proxy, maxRetries: 0 }), 'TLS-1'));
		expect(e.kind).toBe('network');
		expect(e.message).toMatch(/self-signed|certificate/i);
		expect(secure.stats.total).toBe(0);
	});

	it('the same without a proxy: Ignore SSL Issues is what lets the call through', async () => {
		const refused = await rejection(cancel(makeClient(secure.url, { maxRetries: 0 }), 'TLS-2'));
		expect(refused.message).toMatch(/self-signed|certificate/i);
		const before = tunnelsTo(open, secure);
		const ok = await cancel(makeClient(secure.url, { ignoreSslIssues: true }), 'TLS-3');
		expect(ok.returnCode).toBe('0');
		expect(tunnelsTo(open, secure)).toBe(before);
	});

	it('with basic auth: the password reaches the proxy (the call succeeds) and no output holds it', async () => {
		const before = tunnelsTo(guarded, secure);
		const proxy = parseProxyUrl(guarded.url, 'test');
		const result = await cancel(makeClient(secure.url, { proxy, ignoreSslIssues: true }), 'AUTH-1');
		expect(result.returnCode).toBe('0');
		expect(tunnelsTo(guarded, secure)).toBe(before + 1);
		noSecretIn(JSON.stringify(result));
	});
});

describe('proxy refusals: a clear error naming the proxy host, never its credentials, the right retry class', () => {
	it('a wrong password on a tunnel (tinyproxy answers a CONNECT with 401, others 407): http 4xx, not retried, no credentials in the error', async () => {
		const proxy = parseProxyUrl(guarded.url.replace(encodeURIComponent(PROXY_PASSWORD), 'wrong-password'), 'the test');
		const client = makeClient(secure.url, { proxy, ignoreSslIssues: true, maxRetries: 3 });
		const e = await rejection(cancel(client, 'P407-1'));
		expect(e.kind).toBe('http');
		expect([401, 407]).toContain(e.httpStatus);
		expect(e.attempts).toBe(1);
		expect(e.message).toContain(`The proxy 127.0.0.1:${guarded.port} refused the tunnel to the gateway: HTTP ${e.httpStatus}`);
		expect(e.description).toMatch(/user name and password/);
		const text = JSON.stringify({ ...e.toJSON(), description: e.description, stack: e.stack });
		expect(text).not.toContain('wrong-password');
		expect(text).not.toContain(PROXY_USER);
		expect(secure.stats.total).toBe(0);
	});

	it('refused tunnels do not hold the pool: 6 calls on 2 sockets all end with the refusal, none by a timeout', async () => {
		const proxy = parseProxyUrl(`http://127.0.0.1:${guarded.port}`, 'test');
		const client = makeClient(secure.url, { proxy, ignoreSslIssues: true, maxSockets: 2, maxRetries: 0, timeout: 20000 });
		const started = Date.now();
		const errors = await Promise.all(Array.from({ length: 6 }, (_, i) => rejection(cancel(client, `PQ-${i}`))));
		expect(errors.map((e) => e.kind)).toEqual(errors.map(() => 'http'));
		expect(errors.every((e) => e.httpStatus === 401 || e.httpStatus === 407)).toBe(true);
		expect(Date.now() - started).toBeLessThan(10000);
	});

	it('407 / 401 (no credentials) on an http:// gateway: naming the proxy, not retried', async () => {
		const proxy = parseProxyUrl(`http://127.0.0.1:${guarded.port}`, 'test');
		const e = await rejection(cancel(makeClient(plain.url, { proxy, maxRetries: 3 }), 'P407-2'));
		expect(e.kind).toBe('http');
		expect([401, 407]).toContain(e.httpStatus);
		expect(e.attempts).toBe(1);
		expect(e.message).toContain(`proxy 127.0.0.1:${guarded.port}`);
		expect(plain.stats.total).toBe(0);
	});

	it('403 (the proxy allows CONNECT only to port 443, as many do): http 403, not retried, naming the proxy', async () => {
		const strict = await startTinyproxy({ connectPorts: [443] });
		try {
			const proxy = parseProxyUrl(strict.url, 'test');
			const e = await rejection(cancel(makeClient(secure.url, { proxy, ignoreSslIssues: true, maxRetries: 3 }), 'P403-1'));
			expect(e.kind).toBe('http');
			expect(e.httpStatus).toBe(403);
			expect(e.attempts).toBe(1);
			expect(e.message).toContain(`The proxy 127.0.0.1:${strict.port} refused the tunnel to the gateway: HTTP 403`);
			expect(e.description).toMatch(/does not allow a tunnel/);
			expect(strict.requests()).toContain(`CONNECT 127.0.0.1:${secure.port} HTTP/1.1`);
			expect(secure.stats.total).toBe(0);
		} finally {
			await strict.stop();
		}
	});

	it('the proxy cannot reach the gateway (a closed port): a 5xx from the proxy, retried, naming the proxy', async () => {
		const proxy = parseProxyUrl(open.url, 'test');
		const closed = await startSandbox({ tls });
		const url = closed.url;
		await closed.close();
		const e = await rejection(cancel(makeClient(url, { proxy, ignoreSslIssues: true, maxRetries: 2, retryDelay: 1 }), 'P5XX-1'));
		expect(e.kind).toBe('http');
		expect(e.httpStatus).toBeGreaterThanOrEqual(500);
		expect(e.attempts).toBe(3);
		expect(e.message).toContain(`proxy 127.0.0.1:${open.port}`);
	});

	it('an unreachable proxy: network error naming the proxy, retried', async () => {
		const stopped = await startTinyproxy();
		const port = stopped.port;
		await stopped.stop();
		for (const url of [secure.url, plain.url]) {
			const proxy = parseProxyUrl(`http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`, 'test');
			const e = await rejection(cancel(makeClient(url, { proxy, ignoreSslIssues: true, maxRetries: 1, retryDelay: 1 }), 'PDOWN-1'));
			expect(e.kind).toBe('network');
			expect(e.errno).toBe('ECONNREFUSED');
			expect(e.attempts).toBe(2);
			expect(e.message).toContain(`proxy 127.0.0.1:${port}`);
			noSecretIn(JSON.stringify({ ...e.toJSON(), description: e.description, stack: e.stack }));
		}
	});
});

describe('deadline and cancel through a tunnel', () => {
	it('the whole-answer deadline holds (a slow gateway behind the proxy)', async () => {
		secure.configure({ latencyMs: 3000 });
		try {
			const proxy = parseProxyUrl(open.url, 'test');
			const started = Date.now();
			const e = await rejection(cancel(makeClient(secure.url, { proxy, ignoreSslIssues: true, timeout: 300, maxRetries: 0 }), 'SLOW-1'));
			expect(e.kind).toBe('timeout');
			expect(Date.now() - started).toBeLessThan(2500);
		} finally {
			secure.configure({ latencyMs: 0 });
		}
	});

	it('the answer size cap holds (a 3 MB answer through the tunnel, a 1 MB cap)', async () => {
		secure.configure({ extraMethods: { 'test.huge.answer': () => ({ result: { blob: 'x'.repeat(3 * 1024 * 1024) } }) } });
		const proxy = parseProxyUrl(open.url, 'test');
		const client = makeClient(secure.url, { proxy, ignoreSslIssues: true, maxRetries: 2, maxResponseBytes: 1024 * 1024 });
		const e = await rejection(client.call('test.huge.answer', () => ({})));
		expect(e.kind).toBe('too-large');
		expect(e.attempts).toBe(1);
		// and the pool still works afterwards
		expect((await cancel(client, 'AFTER-HUGE-1')).returnCode).toBe('0');
	});

	it('cancel ends the calls in flight at once', async () => {
		secure.configure({ latencyMs: 3000 });
		try {
			const proxy = parseProxyUrl(open.url, 'test');
			const client = makeClient(secure.url, { proxy, ignoreSslIssues: true, timeout: 10000, maxSockets: 2 });
			const controller = new AbortController();
			const started = Date.now();
			const calls = Array.from({ length: 4 }, (_, i) => rejection(cancel(client, `ABORT-${i}`, { signal: controller.signal })));
			setTimeout(() => controller.abort(), 200);
			const errors = await Promise.all(calls);
			expect(errors.map((e) => e.kind)).toEqual(['aborted', 'aborted', 'aborted', 'aborted']);
			expect(Date.now() - started).toBeLessThan(2500);
		} finally {
			secure.configure({ latencyMs: 0 });
		}
	});
});

describe('HTTP gateway through the proxy', () => {
	it('also through CONNECT tunnels, pooled: at most Concurrency connections; the proxy never sees the query string', async () => {
		const proxy = parseProxyUrl(guarded.url, 'test');
		const before = tunnelsTo(guarded, plain);
		plain.configure({ latencyMs: 30 });
		const client = makeClient(plain.url, { proxy, maxSockets: 3 });
		const results = await Promise.all(Array.from({ length: 12 }, (_, i) => cancel(client, `FWD-${i}`)));
		plain.configure({ latencyMs: 0 });
		expect(results.every((r) => r.returnCode === '0')).toBe(true);
		const tunnels = tunnelsTo(guarded, plain) - before;
		expect(tunnels).toBeGreaterThanOrEqual(1);
		expect(tunnels).toBeLessThanOrEqual(3);
		expect(plain.stats.connections).toBe(tunnels);
		expect(plain.stats.total).toBe(12);
		expect(plain.stats.maxConcurrent).toBeLessThanOrEqual(3);
		expect(guarded.log()).not.toContain('router/rest');
		// nor the proxy's own credentials, in any form
		noSecretIn(guarded.log());
	});
});

describe("the environment, as n8n reads it, and the credential's Proxy winning over it", () => {
	const credentials = (gatewayUrl: string, extra: Record<string, unknown> = {}) => ({
		environment: 'custom',
		gatewayUrl,
		appKey: 'sandbox-app-key',
		appSecret: APP_SECRET,
		supplierKey: 'sandbox-supplier-key',
		supplierSecret: SUPPLIER_SECRET,
		...extra,
	});

	it('HTTPS_PROXY carries an https:// gateway; NO_PROXY bypasses it (proven by the log)', async () => {
		process.env.HTTPS_PROXY = open.url;
		const viaEnv = resolveCredentials(credentials(secure.url, { ignoreSslIssues: true }));
		expect(viaEnv.proxy).toMatchObject({ host: '127.0.0.1', port: open.port });
		const before = tunnelsTo(open, secure);
		await cancel(makeClient(secure.url, { proxy: viaEnv.proxy, ignoreSslIssues: true }), 'ENV-1');
		expect(tunnelsTo(open, secure)).toBe(before + 1);

		process.env.no_proxy = '127.0.0.1';
		const bypassed = resolveCredentials(credentials(secure.url, { ignoreSslIssues: true }));
		expect(bypassed.proxy).toBeUndefined();
		await cancel(makeClient(secure.url, { proxy: bypassed.proxy, ignoreSslIssues: true }), 'ENV-2');
		expect(tunnelsTo(open, secure)).toBe(before + 1);
		expect(secure.stats.total).toBe(2);
	});

	it('http_proxy (lower case) carries an http:// gateway; ALL_PROXY too', async () => {
		process.env.http_proxy = open.url;
		const before = tunnelsTo(open, plain);
		const one = resolveCredentials(credentials(plain.url));
		await cancel(makeClient(plain.url, { proxy: one.proxy }), 'ENV-3');
		delete process.env.http_proxy;
		process.env.ALL_PROXY = open.url;
		const two = resolveCredentials(credentials(plain.url));
		await cancel(makeClient(plain.url, { proxy: two.proxy }), 'ENV-4');
		expect(tunnelsTo(open, plain)).toBe(before + 2);
	});

	it("the credential's Proxy wins over HTTPS_PROXY and over NO_PROXY", async () => {
		process.env.HTTPS_PROXY = open.url;
		process.env.NO_PROXY = '127.0.0.1';
		const resolved = resolveCredentials(credentials(secure.url, { proxy: guarded.url, ignoreSslIssues: true }));
		expect(resolved.proxy).toMatchObject({ port: guarded.port, username: PROXY_USER, password: PROXY_PASSWORD });
		const openBefore = tunnelsTo(open, secure);
		const guardedBefore = tunnelsTo(guarded, secure);
		await cancel(makeClient(secure.url, { proxy: resolved.proxy, ignoreSslIssues: true }), 'WIN-1');
		expect(tunnelsTo(guarded, secure)).toBe(guardedBefore + 1);
		expect(tunnelsTo(open, secure)).toBe(openBefore);
	});

	it('resolveProxy with nothing set: no proxy', () => {
		expect(resolveProxy(secure.url, '')).toBeUndefined();
	});
});
