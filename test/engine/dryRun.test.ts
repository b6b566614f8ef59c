/**
 * Dry Run (issue 16) in n8n's real engine, against a "gateway" and a "proxy" that fail the test
 * when anything connects to them: per item, the signed request that would be sent, secrets masked.
 * The output is checked against the sandbox's OWN signing code: with the masked secrets put back,
 * the system parameters' sign and the head's signed are what the sandbox computes.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { runDamai } from '../helpers/engine';
import { SECRETS, findSecrets, sandboxCredentials } from '../helpers/sandbox';
import { signHead, signHeadTemplate, signTop } from '../../tooling/sandbox/sign';

const PROXY_PASSWORD = 'dry-run-proxy-Pa55';
const MASK = '[redacted]';

/** A server that records every connection: any connection fails the test. */
async function tripwire() {
	const connections: string[] = [];
	const server = http.createServer((req, res) => {
		connections.push(`${req.method} ${req.url}`);
		res.end();
	});
	server.on('connection', () => connections.push('connection'));
	server.on('connect', (req, socket) => {
		connections.push(`CONNECT ${req.url}`);
		socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { port, connections, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let gateway: Awaited<ReturnType<typeof tripwire>>;
let proxy: Awaited<ReturnType<typeof tripwire>>;

beforeAll(async () => {
	[gateway, proxy] = await Promise.all([tripwire(), tripwire()]);
});
afterAll(async () => {
	await Promise.all([gateway.close(), proxy.close()]);
});
afterEach(() => {
	// nothing may ever reach the wire in a dry run
	expect(gateway.connections).toEqual([]);
	expect(proxy.connections).toEqual([]);
});

const credentials = (extra: IDataObject = {}) =>
	sandboxCredentials(
		{ url: `http://127.0.0.1:${gateway.port}/router/rest` },
		{ proxy: `http://dry-user:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`, ...extra },
	);

const unmask = (text: string) => text.split(MASK).join(SECRETS.supplierSecret);

describe('Dry Run', () => {
	test('per item: the signed request, every secret masked, nothing sent', async () => {
		const run = await runDamai([{ orderId: 'DRY-1' }, { orderId: 'DRY-2' }], credentials(), { options: { dryRun: true } });
		expect(run.error).toBeUndefined();
		const [main] = run.outputs;
		expect(main).toHaveLength(2);
		expect(main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [i, item] of main.entries()) {
			const json = item.json as Record<string, any>;
			expect(json.orderId).toBe(`DRY-${i + 1}`);
			expect(json.dryRun).toBe(true);
			expect(json.httpMethod).toBe('POST');
			expect(json.gatewayUrl).toBe(`http://127.0.0.1:${gateway.port}/router/rest`);
			expect(json.proxy).toBe(`http://***:***@127.0.0.1:${proxy.port}`);
			expect(json.proxySource).toMatch(/Proxy field/);
			expect(json.systemParams).toMatchObject({
				method: 'alibaba.damai.yuntoc.order.cancellockstock',
				app_key: 'sandbox-app-key',
				format: 'json',
				v: '2.0',
				sign_method: 'hmac-sha256',
				session: MASK,
				sign: expect.stringMatching(/^[0-9A-F]{64}$/),
			});
			const paramText = json.appParams.param_cancel_stock_lock_request as string;
			const param = JSON.parse(paramText);
			expect(param.cancel_stock_lock_request_body.cancel_stock_lock_req_param.order_id).toBe(`DRY-${i + 1}`);
			expect(param.head).toMatchObject({ msg_id: json.msgId, supplier_key: 'sandbox-supplier-key', supplier_secret: MASK, version: '1.0' });
			// the head's string-to-sign for md5: secret + sorted fields + secret, the secret masked
			expect(json.headStringToSign).toBe(
				`${MASK}msg_id${json.msgId}supplier_keysandbox-supplier-keytime_stamp${param.head.time_stamp}version1.0${MASK}`,
			);
			// with the secrets put back, the sandbox's own code signs exactly this request
			const head = JSON.parse(unmask(paramText)).head;
			expect(param.head.signed).toBe(signHead(head, SECRETS.supplierSecret, 'md5'));
			const all = { ...json.systemParams, session: SECRETS.session, param_cancel_stock_lock_request: unmask(paramText) };
			expect(json.systemParams.sign).toBe(signTop(all, SECRETS.appSecret));
			expect(json.stringToSign).toContain('param_cancel_stock_lock_request');
		}
		expect(findSecrets(run, [...Object.values(SECRETS), PROXY_PASSWORD, Buffer.from(`dry-user:${PROXY_PASSWORD}`).toString('base64')])).toEqual([]);
	});

	test('a template recipe in GMT+8: the template filled, the secret masked, signed as the sandbox signs it', async () => {
		const template = '{supplier_key}|{time_stamp}|{supplier_secret}';
		const run = await runDamai([{ orderId: 'DRY-T' }], credentials({
			headSignMethod: 'template',
			headSignTemplate: template,
			headSignHash: 'hmac-sha256',
			headSignCase: 'lower',
			timeStampFormat: 'gmt8',
		}), { options: { dryRun: true } });
		expect(run.error).toBeUndefined();
		const json = run.outputs[0][0].json as Record<string, any>;
		const head = JSON.parse(json.appParams.param_cancel_stock_lock_request).head;
		expect(head.time_stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(json.headStringToSign).toBe(`sandbox-supplier-key|${head.time_stamp}|${MASK}`);
		expect(head.signed).toBe(signHeadTemplate({ ...head, supplier_secret: SECRETS.supplierSecret }, SECRETS.supplierSecret, { template, hash: 'hmac-sha256', hexCase: 'lower' }));
		expect(findSecrets(run, [...Object.values(SECRETS), PROXY_PASSWORD, Buffer.from(`dry-user:${PROXY_PASSWORD}`).toString('base64')])).toEqual([]);
	});

	test('Custom API Call with a head: the same, for any method', async () => {
		const { outputs, error } = await runDamai([{ x: 1 }], credentials(), {
			parameters: {
				resource: 'custom',
				operation: 'apiCall',
				method: 'alibaba.damai.yuntoc.order.query',
				parameters: JSON.stringify({ param_order_query_request: { order_id: 'Q-1' } }),
			},
			options: { dryRun: true, headParam: 'param_order_query_request' },
		});
		expect(error).toBeUndefined();
		const json = outputs[0][0].json as Record<string, any>;
		expect(json.systemParams.method).toBe('alibaba.damai.yuntoc.order.query');
		const param = JSON.parse(json.appParams.param_order_query_request);
		expect(param.order_id).toBe('Q-1');
		expect(param.head.supplier_secret).toBe(MASK);
		expect(json.headStringToSign).toContain(MASK);
	});
});
