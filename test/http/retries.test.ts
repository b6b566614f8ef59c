/**
 * TopClient + cancelStockLock against the real sandbox gateway on 127.0.0.1: what is retried and
 * how often, always with the same msg_id; bans that hold the client; what is never retried.
 */
import type { ResponseFormat } from '../../nodes/Damai/transport/constants';
import { newMsgId } from '../../nodes/Damai/transport/head';
import { cancel, closeClients, makeClient, rejection, until } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ headSignMethod: 'any', latencyMs: 0, sessions: null, rateLimit: null });
afterEach(() => closeClients());

const FORMATS: ResponseFormat[] = ['json', 'xml'];
const recordsFor = (orderId: string) => sb.requests.filter((r) => r.orderId === orderId);

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
