/** TopClient + cancelStockLock against the real sandbox gateway on 127.0.0.1. */
import { signHead } from '../../sandbox/sign';
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
	until,
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

	it.each<[HeadSignMethod, 'md5' | 'hmac-sha256' | 'none']>([
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

describe('retries', () => {
	it('ISP2-x succeeds on the 3rd attempt, every attempt with the same msg_id', async () => {
		const retries: Array<{ attempt: number; reason: string }> = [];
		const client = makeClient(sb.url, { onRetry: ({ attempt, reason }) => retries.push({ attempt, reason }) });
		const msgId = newMsgId();
		const result = await cancel(client, 'ISP2-a', { msgId });
		expect(result.attempts).toBe(3);
		expect(result.msgId).toBe(msgId);
		expect(sb.stats.attemptsByMsgId).toEqual({ [msgId]: 3 });
		const records = recordsFor('ISP2-a');
		expect(records.map((r) => r.outcome)).toEqual(['error:15', 'error:15', 'success']);
		expect(new Set(records.map((r) => r.msgId))).toEqual(new Set([msgId]));
		expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
		expect(sb.stats.cancelled['ISP2-a']).toBe(1);
	});

	it('ISP2-x also works in XML with md5', async () => {
		const result = await cancel(makeClient(sb.url, { format: 'xml', signMethod: 'md5' }), 'ISP2-b');
		expect(result).toMatchObject({ success: true, attempts: 3, returnCode: '0' });
	});

	it('ISP5-x with maxRetries 2 gives up after 3 attempts with the isp error', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { maxRetries: 2 }), 'ISP5-a', { msgId }));
		expect(e).toMatchObject({ kind: 'gateway', code: 15, subCode: 'isp.remote-service-unavailable', subMsg: 'backend busy', attempts: 3 });
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(3);
	});

	it('THROTTLE1-x waits for the ban to end, then succeeds with the same msg_id', async () => {
		const delays: number[] = [];
		const client = makeClient(sb.url, { onRetry: ({ delayMs }) => delays.push(delayMs) });
		const msgId = newMsgId();
		const result = await cancel(client, 'THROTTLE1-a', { msgId });
		expect(result.attempts).toBe(2);
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(2);
		expect(client.gate.pauses).toBe(1);
		expect(delays).toHaveLength(1);
		expect(delays[0]).toBeGreaterThanOrEqual(1000); // the ban, not the 5 ms backoff
		const [first, second] = recordsFor('THROTTLE1-a');
		expect(first.outcome).toBe('error:7');
		expect(second.outcome).toBe('success');
		expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(900);
	});

	it('a ban holds the other requests of the same client too', async () => {
		const client = makeClient(sb.url);
		const throttled = cancel(client, 'THROTTLE1-b');
		const first = () => recordsFor('THROTTLE1-b')[0];
		await until(() => first() !== undefined);
		// wait until the client has seen the ban and paused its gate
		await until(() => client.gate.pauses === 1);
		const other = await cancel(client, 'PLAIN-after-ban');
		await throttled;
		expect(other.attempts).toBe(1);
		const plain = recordsFor('PLAIN-after-ban')[0];
		expect(Date.parse(plain.at) - Date.parse(first().at)).toBeGreaterThanOrEqual(900);
	});

	it('ISV-x fails after exactly one attempt with isv.invalid-parameter, in JSON and XML alike', async () => {
		const errors = [];
		for (const format of FORMATS) {
			const msgId = newMsgId();
			const e = await rejection(cancel(makeClient(sb.url, { format }), 'ISV-a', { msgId }));
			expect(e).toMatchObject({ kind: 'gateway', code: 15, msg: 'Remote service error', subCode: 'isv.invalid-parameter', subMsg: '非法参数', attempts: 1 });
			expect(e.requestId).toMatch(/^[0-9a-z]{13}$/);
			expect(sb.stats.attemptsByMsgId[msgId]).toBe(1);
			errors.push({ ...e.toJSON(), requestId: undefined, message: e.message.replace(e.requestId!, '') });
		}
		expect(errors[1]).toEqual(errors[0]);
	});

	it('CODE10-x is retried maxRetries times, then fails with code 10', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { maxRetries: 2 }), 'CODE10-a', { msgId }));
		expect(e).toMatchObject({ kind: 'gateway', code: 10, msg: 'Service currently unavailable', attempts: 3 });
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(3);
		expect(recordsFor('CODE10-a')).toHaveLength(3);
	});

	it('CODE7-x (a limit without a ban time) is retried through the gate', async () => {
		const client = makeClient(sb.url, { maxRetries: 2 });
		const e = await rejection(cancel(client, 'CODE7-a'));
		expect(e).toMatchObject({ kind: 'gateway', code: 7, attempts: 3 });
		expect(client.gate.pauses).toBeGreaterThanOrEqual(1);
	});

	it.each([11, 21, 25, 29, 40, 41, 50])('CODE%i-x is not retried', async (code) => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url), `CODE${code}-a`, { msgId }));
		expect(e).toMatchObject({ kind: 'gateway', code, attempts: 1 });
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(1);
	});

	it('HTML502-x → kind http 502, retried, then fails with a short excerpt', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { maxRetries: 2 }), 'HTML502-a', { msgId }));
		expect(e).toMatchObject({ kind: 'http', httpStatus: 502, attempts: 3 });
		expect(e.message).toContain('502');
		expect(e.excerpt).toContain('502 Bad Gateway');
		expect((e.excerpt ?? '').length).toBeLessThanOrEqual(201);
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(3);
	});

	it('HTML502ONCE-x succeeds on the second attempt', async () => {
		const result = await cancel(makeClient(sb.url), 'HTML502ONCE-a');
		expect(result).toMatchObject({ success: true, attempts: 2, returnCode: '0' });
	});

	it.each(FORMATS)('GARBLED-x and EMPTY-x → parse errors, not retried (%s)', async (format) => {
		for (const orderId of ['GARBLED-a', 'EMPTY-a']) {
			const msgId = newMsgId();
			const e = await rejection(cancel(makeClient(sb.url, { format }), orderId, { msgId }));
			expect(e).toMatchObject({ kind: 'parse', httpStatus: 200, attempts: 1 });
			expect(sb.stats.attemptsByMsgId[msgId]).toBe(1);
		}
	});

	it('RESET-x → network error, retried, then fails', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { maxRetries: 2 }), 'RESET-a', { msgId }));
		expect(e.kind).toBe('network');
		expect(e.attempts).toBe(3);
		expect(e.errno).toBe('ECONNRESET');
		expect(e.message).toMatch(/ECONNRESET/);
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(3);
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
