/**
 * TopClient + cancelStockLock against the real sandbox gateway on 127.0.0.1: success in every sign
 * method and format, business answers, wrong app credentials. Retries are ./retries.test.ts.
 */
import { signHead } from '../../tooling/sandbox/sign';
import type { SignMethod, ResponseFormat, HeadSignMethod } from '../../nodes/Damai/transport/constants';
import { newMsgId } from '../../nodes/Damai/transport/head';
import { parseReturnCodes, type CancelStockLockResult } from '../../nodes/Damai/transport/cancelStockLock';
import {
	METHOD,
	SUPPLIER_SECRET,
	cancel,
	closeClients,
	makeClient,
	rejection,
	signMethodGateway,
	supplier,
} from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ headSignMethod: 'any', latencyMs: 0, sessions: null, rateLimit: null });
afterEach(() => closeClients());

const SIGN_METHODS: SignMethod[] = ['md5', 'hmac', 'hmac-sha256'];
const FORMATS: ResponseFormat[] = ['json', 'xml'];
const recordsFor = (orderId: string) => sb.requests.filter((r) => r.orderId === orderId);
const comparable = (r: CancelStockLockResult) => ({
	...r,
	requestId: undefined,
	msgId: undefined,
	response: { ...r.response, request_id: undefined },
});

describe('success for every sign method and format', () => {
	const combos = SIGN_METHODS.flatMap((m) => FORMATS.map((f) => [m, f] as const));

	it.each(combos)('%s / %s', async (signMethod, format) => {
		const client = makeClient(sb.url, { signMethod, format });
		const orderId = `ORD-${signMethod}-${format}`;
		const msgId = newMsgId();
		const result = await cancel(client, orderId, { msgId });
		expect(result).toMatchObject({ orderId, success: true, returnCode: '0', returnDesc: 'success', msgId, attempts: 1 });
		expect(result.requestId).toMatch(/^[0-9a-z]{13}$/);
		expect(result.response).toEqual({
			result: { cancel_stock_lock_result_body: { order_id: orderId }, head: { return_code: '0', return_desc: 'success' } },
			request_id: result.requestId,
		});
		const [record] = recordsFor(orderId);
		expect(record).toMatchObject({ method: METHOD, signMethod, format, msgId, outcome: 'success', httpStatus: 200 });
		expect(sb.stats.cancelled[orderId]).toBe(1);
	});

	it.each(SIGN_METHODS)('JSON and XML answers give the same result (%s)', async (signMethod) => {
		const json = await cancel(makeClient(sb.url, { signMethod, format: 'json' }), 'SAME-1');
		const xml = await cancel(makeClient(sb.url, { signMethod, format: 'xml' }), 'SAME-1');
		expect(comparable(xml)).toEqual(comparable(json));
		expect(xml.requestId).not.toBe(json.requestId);
		expect(sb.requests.map((r) => r.format)).toEqual(['json', 'xml']);
	});

	it('sends the request head the sandbox expects: msg_id, supplier key, ms time_stamp, version, signed', async () => {
		const client = makeClient(sb.url);
		const msgId = newMsgId();
		const before = Date.now();
		await cancel(client, 'HEAD-1', { msgId, supplier: supplier({ headVersion: '2.5' }) });
		const params = recordsFor('HEAD-1')[0].params as Record<string, any>;
		const head = params.param_cancel_stock_lock_request.head;
		expect(params.param_cancel_stock_lock_request.cancel_stock_lock_request_body).toEqual({ cancel_stock_lock_req_param: { order_id: 'HEAD-1' } });
		expect(head.msg_id).toBe(msgId);
		expect(head.supplier_key).toBe('sandbox-supplier-key');
		expect(head.supplier_secret).toBe('<redacted>'); // it was sent (the sandbox redacts it on record)
		expect(head.version).toBe('2.5');
		expect(head.time_stamp).toMatch(/^\d{13}$/);
		expect(Number(head.time_stamp)).toBeGreaterThanOrEqual(before);
		expect(head.signed).toBe(signHead(head, SUPPLIER_SECRET, 'md5'));
		expect(params.v).toBe('2.0');
		expect(params).not.toHaveProperty('session');
	});

	it.each<[Exclude<HeadSignMethod, 'template'>, 'md5' | 'hmac-sha256' | 'none']>([
		['md5', 'md5'],
		['hmac-sha256', 'hmac-sha256'],
		['none', 'none'],
	])('head signing %s is accepted by a gateway requiring %s', async (headSignMethod, required) => {
		sb.configure({ headSignMethod: required });
		const result = await cancel(makeClient(sb.url), 'HSM-1', { supplier: supplier({ headSignMethod }) });
		expect(result.returnCode).toBe('0');
		const head = (recordsFor('HSM-1')[0].params as any).param_cancel_stock_lock_request.head;
		if (headSignMethod === 'none') expect(head).not.toHaveProperty('signed');
		else expect(head.signed).toBe(signHead(head, SUPPLIER_SECRET, headSignMethod));
	});

	it('a head signed by another method than the gateway requires → business 403, not retried', async () => {
		sb.configure({ headSignMethod: 'hmac-sha256' });
		const e = await rejection(cancel(makeClient(sb.url), 'HSM-2', { supplier: supplier({ headSignMethod: 'md5' }) }));
		expect(e).toMatchObject({ kind: 'business', returnCode: '403', returnDesc: 'head signature mismatch', attempts: 1 });
	});

	it('sends the session when one is configured, and a gateway that rejects it answers 27', async () => {
		sb.configure({ sessions: ['sess-ok'] });
		const ok = await cancel(makeClient(sb.url, { session: 'sess-ok' }), 'SESS-1');
		expect(ok.returnCode).toBe('0');
		const e = await rejection(cancel(makeClient(sb.url, { session: 'sess-bad' }), 'SESS-2'));
		expect(e).toMatchObject({ kind: 'gateway', code: 27, attempts: 1 });
	});

	it('one client serves many orders, each with its own msg_id', async () => {
		const client = makeClient(sb.url);
		const results = await Promise.all(['M-1', 'M-2', 'M-3'].map((id) => cancel(client, id)));
		expect(new Set(results.map((r) => r.msgId)).size).toBe(3);
		expect(new Set(sb.requests.map((r) => r.msgId)).size).toBe(3);
		expect(results.map((r) => r.orderId)).toEqual(['M-1', 'M-2', 'M-3']);
	});
});

describe('business answers', () => {
	it.each(FORMATS)('NOTFOUND-x → business error with returnCode 404 and returnDesc (%s)', async (format) => {
		const e = await rejection(cancel(makeClient(sb.url, { format }), 'NOTFOUND-a'));
		expect(e).toMatchObject({ kind: 'business', returnCode: '404', returnDesc: 'order not found', attempts: 1, httpStatus: 200 });
		expect(e.message).toContain('404');
		expect(e.message).toContain('order not found');
		expect(e.message).toContain('NOTFOUND-a');
		expect(e.requestId).toMatch(/^[0-9a-z]{13}$/);
	});

	it('LOCKED-x → business error 1001', async () => {
		const e = await rejection(cancel(makeClient(sb.url), 'LOCKED-a'));
		expect(e).toMatchObject({ kind: 'business', returnCode: '1001' });
	});

	it('custom successReturnCodes: "0,404" makes NOTFOUND a success, and "200" alone makes 0 a failure', async () => {
		const client = makeClient(sb.url);
		const ok = await cancel(client, 'NOTFOUND-b', { codes: parseReturnCodes('0, 404') });
		expect(ok).toMatchObject({ success: true, returnCode: '404', returnDesc: 'order not found' });
		const e = await rejection(cancel(client, 'PLAIN-b', { codes: parseReturnCodes('200') }));
		expect(e).toMatchObject({ kind: 'business', returnCode: '0' });
	});

	it('a wrong supplier secret → business 401, not retried', async () => {
		const e = await rejection(cancel(makeClient(sb.url, { extraSecrets: ['wrong-supplier-secret'] }), 'SUP-1', { supplier: supplier({ supplierSecret: 'wrong-supplier-secret' }) }));
		expect(e).toMatchObject({ kind: 'business', returnCode: '401', returnDesc: 'supplier authentication failed', attempts: 1 });
	});

	it('an unknown supplier key → business 401', async () => {
		const e = await rejection(cancel(makeClient(sb.url), 'SUP-2', { supplier: supplier({ supplierKey: 'nobody' }) }));
		expect(e).toMatchObject({ kind: 'business', returnCode: '401', returnDesc: 'supplier key not recognised' });
	});
});

describe('wrong app credentials', () => {
	it.each(FORMATS)('an unknown app key → gateway 29, one attempt (%s)', async (format) => {
		const e = await rejection(cancel(makeClient(sb.url, { appKey: 'no-such-key', format }), 'KEY-1'));
		expect(e).toMatchObject({ kind: 'gateway', code: 29, msg: 'Invalid app key', attempts: 1 });
		expect(sb.stats.total).toBe(1);
	});

	it.each(SIGN_METHODS)('a wrong app secret → gateway 25 (%s)', async (signMethod) => {
		const e = await rejection(cancel(makeClient(sb.url, { appSecret: 'not-the-secret', signMethod }), 'SEC-1'));
		expect(e).toMatchObject({ kind: 'gateway', code: 25, msg: 'Invalid signature', attempts: 1 });
	});

	it('a sign method the gateway does not accept → gateway 25; the one it accepts works', async () => {
		const proxy = await signMethodGateway(sb.url, 'hmac-sha256');
		try {
			for (const signMethod of ['md5', 'hmac'] as const) {
				const e = await rejection(cancel(makeClient(proxy.url, { signMethod }), 'SM-1'));
				expect(e).toMatchObject({ kind: 'gateway', code: 25, attempts: 1 });
			}
			expect((await cancel(makeClient(proxy.url, { signMethod: 'hmac-sha256' }), 'SM-2')).returnCode).toBe('0');
		} finally {
			closeClients();
			await proxy.close();
		}
	});

	it('an unknown sign method is a configuration error: the client refuses it, nothing is sent', async () => {
		expect(() => makeClient(sb.url, { signMethod: 'sha1' as SignMethod, maxRetries: 2 })).toThrow(/Unknown sign method "sha1"/);
		expect(sb.stats.total).toBe(0);
	});

	it('a request that cannot be built is a "request" error, sent never and not retried', async () => {
		const client = makeClient(sb.url, { maxRetries: 2 });
		const e = (await rejection(client.call('alibaba.damai.yuntoc.order.query', () => ({ sign: 'forged' })))) as {
			kind: string;
			attempts: number;
			message: string;
		};
		expect(e).toMatchObject({ kind: 'request', attempts: 1 });
		expect(e.message).toMatch(/"sign" is a system parameter/);
		expect(sb.stats.total).toBe(0);
	});
});
