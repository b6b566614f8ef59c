import * as http from 'node:http';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { APP_SECRET, SUPPLIER_SECRET, call, cancel, rawRequest, systemParams } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ latencyMs: 0, rateLimit: null });
let base: string;
beforeAll(() => {
	base = `http://127.0.0.1:${sb.port}`;
});

describe('control endpoints', () => {
	it('GET /__sandbox/health', async () => {
		const r = await rawRequest(`${base}/__sandbox/health`, { method: 'GET' });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ ok: true });
	});

	it('GET /__sandbox/stats and /__sandbox/requests, POST /__sandbox/reset', async () => {
		await cancel(sb, { orderId: 'C-1', msgId: 'c1' });
		await cancel(sb, { orderId: 'NOTFOUND-2', msgId: 'c2' });
		const stats = (await rawRequest(`${base}/__sandbox/stats`, { method: 'GET' })).json;
		expect(stats.total).toBe(2);
		expect(stats.byOutcome).toEqual({ success: 1, 'business:404': 1 });
		expect(stats.cancelled).toEqual({ 'C-1': 1 });
		expect(stats.attemptsByMsgId).toEqual({ c1: 1, c2: 1 });
		const reqs = (await rawRequest(`${base}/__sandbox/requests`, { method: 'GET' })).json;
		expect(reqs.map((x: any) => x.orderId)).toEqual(['C-1', 'NOTFOUND-2']);
		expect(reqs[0]).toMatchObject({ method: 'alibaba.damai.yuntoc.order.cancellockstock', appKey: 'sandbox-app-key', format: 'json', signMethod: 'md5', msgId: 'c1', outcome: 'success', httpStatus: 200 });
		expect(typeof reqs[0].at).toBe('string');

		expect((await rawRequest(`${base}/__sandbox/reset`, { body: '' })).json).toEqual({ ok: true });
		expect(sb.requests).toHaveLength(0);
		expect(sb.stats.total).toBe(0);
		expect(sb.stats.cancelled).toEqual({});
		// order store and msg_id counters are cleared too: an ISP1 msg_id fails again
		await cancel(sb, { orderId: 'ISP1-1', msgId: 'again' });
		sb.reset();
		const r = await cancel(sb, { orderId: 'ISP1-1', msgId: 'again' });
		expect(r.json.error_response.sub_code).toBe('isp.remote-service-unavailable');
	});

	it('POST /__sandbox/config merges JSON into the config', async () => {
		const r = await rawRequest(`${base}/__sandbox/config`, {
			body: JSON.stringify({ latencyMs: 20, rateLimit: { perSecond: 100, banSeconds: 1 } }),
			contentType: 'application/json',
		});
		expect(r.json.ok).toBe(true);
		expect(sb.config.latencyMs).toBe(20);
		expect(sb.config.rateLimit).toEqual({ perSecond: 100, banSeconds: 1 });
		expect(sb.config.apps['sandbox-app-key']).toBe(APP_SECRET);
		const shown = (await rawRequest(`${base}/__sandbox/config`, { method: 'GET' })).json;
		expect(JSON.stringify(shown)).not.toContain(APP_SECRET);
		expect(JSON.stringify(shown)).not.toContain(SUPPLIER_SECRET);
		const bad = await rawRequest(`${base}/__sandbox/config`, { body: '{nope', contentType: 'application/json' });
		expect(bad.status).toBe(400);
	});

	it('unknown paths → 404', async () => {
		expect((await rawRequest(`${base}/elsewhere`, { method: 'GET' })).status).toBe(404);
	});

	it('control requests are not recorded as gateway requests', async () => {
		await rawRequest(`${base}/__sandbox/health`, { method: 'GET' });
		expect(sb.stats.total).toBe(0);
	});
});

describe('recording never keeps secrets', () => {
	it('strips sign and session and redacts supplier_secret', async () => {
		await cancel(sb, { orderId: 'SEC-1' }, { session: 'user-session-token' });
		await call(sb, systemParams('alibaba.damai.yuntoc.order.cancellockstock', { param_cancel_stock_lock_request: `{"head":{"supplier_secret":"${SUPPLIER_SECRET}"` }));
		const dump = JSON.stringify(sb.requests);
		expect(dump).not.toContain(SUPPLIER_SECRET);
		expect(dump).not.toContain(APP_SECRET);
		expect(dump).not.toContain('user-session-token');
		const rec = sb.requests[0];
		expect(rec.params.sign).toBeUndefined();
		expect(rec.params.session).toBeUndefined();
		expect((rec.params.param_cancel_stock_lock_request as any).head.supplier_secret).toBe('<redacted>');
		expect((rec.params.param_cancel_stock_lock_request as any).head.supplier_key).toBe('sandbox-supplier-key');
		const http = JSON.stringify((await rawRequest(`${base}/__sandbox/requests`, { method: 'GET' })).json);
		expect(http).not.toContain(SUPPLIER_SECRET);
	});
});

describe('connections and concurrency', () => {
	it('counts TCP connections: keep-alive reuses one socket', async () => {
		const own = await startSandbox();
		try {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			for (let i = 0; i < 5; i++) await cancel(own, { orderId: `KA-${i}` }, {}, { agent });
			expect(own.stats.connections).toBe(1);
			expect(own.stats.openConnections).toBe(1);
			agent.destroy();
			await new Promise((r) => setTimeout(r, 50));
			expect(own.stats.openConnections).toBe(0);
		} finally {
			await own.close();
		}
	});

	it('counts TCP connections: no keep-alive opens one per request', async () => {
		const agent = new http.Agent({ keepAlive: false });
		for (let i = 0; i < 3; i++) await cancel(sb, { orderId: `NKA-${i}` }, {}, { agent });
		expect(sb.stats.connections).toBe(3);
	});

	it('tracks maxConcurrent and inFlight', async () => {
		// long enough for all 20 to be in flight together even on a loaded machine
		sb.configure({ latencyMs: 1500 });
		const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
		await Promise.all(Array.from({ length: 20 }, (_, i) => cancel(sb, { orderId: `CC-${i}` }, {}, { agent })));
		expect(sb.stats.maxConcurrent).toBe(20);
		expect(sb.stats.inFlight).toBe(0);
		expect(Object.keys(sb.stats.cancelled)).toHaveLength(20);
		agent.destroy();
	});

	it('answers a burst of 1000 requests at latency 20 ms, each once, over at most 100 sockets', async () => {
		sb.configure({ latencyMs: 20 });
		const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
		const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => cancel(sb, { orderId: `B-${i}` }, {}, { agent })));
		expect(results.every((r) => r.json.alibaba_damai_yuntoc_order_cancellockstock_response.result.head.return_code === '0')).toBe(true);
		expect(Object.keys(sb.stats.cancelled).filter((id) => id.startsWith('B-'))).toHaveLength(1000);
		expect(sb.stats.connections).toBeLessThanOrEqual(100);
		agent.destroy();
	});
});

describe('lifecycle', () => {
	it('close() destroys keep-alive and in-flight sockets and resolves without waiting for answers', async () => {
		const own = await startSandbox({ latencyMs: 60_000 });
		const agent = new http.Agent({ keepAlive: true });
		const pending = cancel(own, { orderId: 'P-1' }, {}, { agent }).catch((e: Error) => e);
		for (let i = 0; i < 200 && own.stats.inFlight < 1; i++) await new Promise((r) => setTimeout(r, 25));
		expect(own.stats.inFlight).toBe(1);
		// close() must not wait for the in-flight answer: with latency 60 s, waiting would outlast
		// this test's timeout
		await own.close();
		expect(String(await pending)).toMatch(/socket hang up|ECONNRESET/);
		agent.destroy();
	}, 20_000);

	it('options override the defaults', async () => {
		const own = await startSandbox({ apps: { k: 's' }, suppliers: { sk: 'ss' }, headSignMethod: 'none', maxSkewSeconds: 30 });
		try {
			const r = await cancel(own, { orderId: 'O-1', supplierKey: 'sk', supplierSecret: 'ss', signMethod: 'none' }, { app_key: 'k' }, { secret: 's' });
			expect(r.json.alibaba_damai_yuntoc_order_cancellockstock_response.result.head.return_code).toBe('0');
			expect((await call(own, systemParams('taobao.time.get'))).json.error_response.code).toBe(29);
		} finally {
			await own.close();
		}
	});

	it('cli.js prints one listening line, logs requests to stderr without secrets, stops on SIGTERM', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, '../../tooling/sandbox/cli.js'), '--port', '0', '--latency', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const line: string = await new Promise((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (c: Buffer) => {
				out += c.toString();
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.on('exit', () => reject(new Error('cli exited early: ' + stderr)));
		});
		const info = JSON.parse(line);
		expect(info).toEqual({ event: 'listening', url: `http://127.0.0.1:${info.port}/router/rest`, port: info.port });
		const fake = { url: info.url } as Sandbox;
		const r = await cancel(fake, { orderId: 'CLI-1' }, { session: 'sess-secret' });
		expect(r.json.alibaba_damai_yuntoc_order_cancellockstock_response.result.head.return_code).toBe('0');
		await new Promise((r2) => setTimeout(r2, 50));
		expect(stderr).toMatch(/alibaba\.damai\.yuntoc\.order\.cancellockstock order=CLI-1 .*-> success/);
		expect(stderr).not.toContain(SUPPLIER_SECRET);
		expect(stderr).not.toContain('sess-secret');
		const code = await new Promise((resolve) => {
			child.on('exit', (c) => resolve(c));
			child.kill('SIGTERM');
		});
		expect(code).toBe(0);
	});
});
