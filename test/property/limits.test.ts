/**
 * Limits (issue 5), in n8n's real engine against the fault server: an answer over the 5 MB cap
 * (plain, chunked and gzip-bombed), a slow drip, an answer that never comes, a hang-up and a reset;
 * and the client alone under its own cap.
 */
import type { IDataObject } from 'n8n-workflow';

import { TopClient, TopError, cancelStockLock } from '../../nodes/Damai/transport';
import { runDamai } from '../helpers/engine';
import { expectNoSecretsAnywhere, expectOneOutputPerInput, sandboxCredentials, useCrashGuard } from './engineChecks';
import { startFaultServer, type FaultServer } from './faultServer';
import { sleep } from './support';

jest.setTimeout(60_000);

useCrashGuard();

describe('limits', () => {
	let fault: FaultServer;
	beforeAll(async () => {
		fault = await startFaultServer();
	});
	afterAll(async () => {
		await fault.close();
	});
	beforeEach(() => fault.reset());

	const faultCredentials = () => sandboxCredentials(fault.url);
	const WRAPPED_PREFIX = '{"alibaba_damai_yuntoc_order_cancellockstock_response":{"result":{"head":{"return_code":"0","return_desc":"';

	async function oneItem(options: IDataObject) {
		const started = Date.now();
		const run = await runDamai([{ orderId: 'LIMIT-1' }], faultCredentials(), { onError: 'continueRegularOutput', options: { retryDelay: 1, ...options } });
		expect(run.error).toBeUndefined();
		expectOneOutputPerInput(run.outputs[0], 1);
		expectNoSecretsAnywhere(run);
		return { json: run.outputs[0][0].json, elapsed: Date.now() - started };
	}

	test('a 6 MB answer is a clear too-large error (not an out-of-memory), and is not retried', async () => {
		fault.script = () => ({ kind: 'stream', status: 200, headers: { 'content-type': 'application/json' }, prefix: WRAPPED_PREFIX, fill: 'x', totalBytes: 6 * 1024 * 1024, declareLength: true });
		const { json } = await oneItem({ timeout: 20_000, maxRetries: 3 });
		expect(json.success).toBe(false);
		expect(json.errorKind).toBe('too-large');
		expect(String(json.errorMessage)).toMatch(/larger than the 5242880 bytes/);
		expect(json.attempts).toBe(1);
		expect(fault.requests).toHaveLength(1);
	});

	test('a 6 MB answer without Content-Length (chunked) is cut off at the cap too', async () => {
		fault.script = () => ({ kind: 'stream', status: 200, headers: { 'content-type': 'application/json' }, prefix: WRAPPED_PREFIX, fill: 'y', totalBytes: 6 * 1024 * 1024, declareLength: false });
		const { json } = await oneItem({ timeout: 20_000, maxRetries: 0 });
		expect(json.errorKind).toBe('too-large');
	});

	test('a gzip bomb (60 KB that inflates to 60 MB) is cut off at the cap', async () => {
		const body = `${WRAPPED_PREFIX}${' '.repeat(60 * 1024 * 1024)}"}}}}`;
		fault.script = () => ({ kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body, gzip: true });
		const before = process.memoryUsage().rss;
		const { json } = await oneItem({ timeout: 20_000, maxRetries: 0 });
		expect(json.errorKind).toBe('too-large');
		// Nothing near the inflated size was kept.
		expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
	});

	test('a slow drip beyond the timeout is a timeout error after about one deadline per attempt, not after the drip', async () => {
		const body = `${WRAPPED_PREFIX}ok"}},"request_id":"drip"}}`;
		// The whole answer would take 60 × 100 ms = 6 s; each chunk comes well before an idle timer would fire.
		fault.script = () => ({ kind: 'drip', status: 200, headers: { 'content-type': 'application/json' }, body: body.padEnd(60, ' '), chunkBytes: 1, intervalMs: 100 });
		const timeout = 400;
		const { json, elapsed } = await oneItem({ timeout, maxRetries: 1 });
		expect(json.success).toBe(false);
		expect(json.errorKind).toBe('timeout');
		expect(String(json.errorMessage)).toBe(`The gateway did not answer within ${timeout} ms`);
		expect(json.attempts).toBe(2);
		expect(elapsed).toBeGreaterThanOrEqual(2 * timeout - 50);
		expect(elapsed).toBeLessThan(2 * timeout + 1500);
	});

	test('an answer that never comes is a timeout error, retried, and bounded', async () => {
		fault.script = () => ({ kind: 'never' });
		const timeout = 200;
		const { json, elapsed } = await oneItem({ timeout, maxRetries: 2 });
		expect(json.errorKind).toBe('timeout');
		expect(json.attempts).toBe(3);
		expect(fault.requests).toHaveLength(3);
		expect(new Set(fault.requests.map((r) => r.msgId)).size).toBe(1);
		expect(elapsed).toBeLessThan(3 * timeout + 1500);
	});

	test('a hang-up mid-answer and a reset are network errors, retried with the same msg_id', async () => {
		let n = 0;
		fault.script = () =>
			++n === 1
				? { kind: 'hangup', status: 200, headers: { 'content-type': 'application/json' }, body: `${WRAPPED_PREFIX}x"}}}}`, afterBytes: 20, declareLength: true }
				: n === 2
					? { kind: 'reset' }
					: { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: `${WRAPPED_PREFIX}ok"}},"request_id":"r3"}}` };
		const { json } = await oneItem({ timeout: 2000, maxRetries: 3 });
		expect(json.success).toBe(true);
		expect(json.requestId).toBe('r3');
		expect(fault.requests).toHaveLength(3);
		expect(new Set(fault.requests.map((r) => r.msgId)).size).toBe(1);
	});

	test('the client alone: TopClient honours maxResponseBytes and its deadline', async () => {
		fault.script = () => ({ kind: 'stream', status: 200, prefix: WRAPPED_PREFIX, fill: 'z', totalBytes: 2 * 1024 * 1024, declareLength: false });
		const client = new TopClient({
			gatewayUrl: fault.url,
			appKey: 'k',
			appSecret: 's'.repeat(32),
			signMethod: 'md5',
			format: 'json',
			timeout: 5000,
			maxRetries: 3,
			retryDelay: 1,
			maxResponseBytes: 1024 * 1024,
			sleep,
		});
		try {
			const error = await cancelStockLock(client, 'X', 'msg-1', { supplierKey: 'sk', supplierSecret: 'ss', headSignMethod: 'md5', headVersion: '1.0' }, new Set(['0'])).then(
				() => undefined,
				(e: unknown) => e,
			);
			expect(error).toBeInstanceOf(TopError);
			expect((error as TopError).kind).toBe('too-large');
			expect((error as TopError).message).toContain('1048576');
		} finally {
			client.close();
		}
	});
});
