/**
 * Faults mid-batch and limits (issue 5), in n8n's real engine:
 * - the gateway process dies (SIGKILL) or freezes (SIGSTOP) halfway through a batch;
 * - an answer over the 5 MB cap (plain and gzip-bombed), a slow drip, an answer that never comes;
 * - order ids that are too long / have control characters / are empty, unicode ids, numbers.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { TopClient, TopError, cancelStockLock } from '../../nodes/Damai/transport';
import { runDamai, type EngineRun } from '../helpers/engine';
import { FaultServer, startFaultServer } from './faultServer';
import { expectNoLeak, expectReadable, installCrashGuard, sleep, type CrashGuard } from './support';

jest.setTimeout(60_000);

const SANDBOX_SECRETS = { appSecret: 'sandbox-app-secret', supplierSecret: 'sandbox-supplier-secret', session: 'sandbox-session-6100aa77bb88cc99dd' };

const sandboxCredentials = (url: string, extra: IDataObject = {}) => ({
	environment: 'custom',
	gatewayUrl: url,
	appKey: 'sandbox-app-key',
	appSecret: SANDBOX_SECRETS.appSecret,
	signMethod: 'hmac-sha256',
	supplierKey: 'sandbox-supplier-key',
	supplierSecret: SANDBOX_SECRETS.supplierSecret,
	headSignMethod: 'md5',
	session: SANDBOX_SECRETS.session,
	...extra,
});

let guard: CrashGuard;
beforeAll(() => {
	guard = installCrashGuard();
});
afterAll(() => guard.uninstall());
afterEach(() => expect(guard.problems).toEqual([]));

function expectNoSecretsAnywhere(run: EngineRun) {
	expectNoLeak('outputs', run.outputs, SANDBOX_SECRETS);
	expectNoLeak('node error', run.nodeError, SANDBOX_SECRETS);
	expectNoLeak('run data', run.run, SANDBOX_SECRETS);
}

function expectOneOutputPerInput(items: INodeExecutionData[], n: number) {
	expect(items).toHaveLength(n);
	items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
}

// ----------------------------------------------------------------------------- the gateway dies

interface SandboxProcess {
	child: ChildProcess;
	url: string;
	stats(): Promise<{ total: number }>;
}

async function spawnSandbox(): Promise<SandboxProcess> {
	const child = spawn(process.execPath, [path.join(__dirname, '../../sandbox/cli.js'), '--port', '0', '--latency', '5', '--quiet'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => reject(new Error('the sandbox did not start')), 10_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n')) {
				clearTimeout(timer);
				try {
					resolve((JSON.parse(line) as { url: string }).url);
				} catch (error) {
					reject(error);
				}
			}
		});
		child.on('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
	});
	const base = url.replace(/\/router\/rest$/, '');
	const agent = new http.Agent({ keepAlive: false });
	const stats = () =>
		new Promise<{ total: number }>((resolve, reject) => {
			const req = http.get(`${base}/__sandbox/stats`, { agent }, (res) => {
				let text = '';
				res.on('data', (c: Buffer) => (text += c.toString('utf8')));
				res.on('end', () => {
					try {
						resolve(JSON.parse(text));
					} catch (error) {
						reject(error);
					}
				});
			});
			req.on('error', reject);
			req.setTimeout(1000, () => req.destroy(new Error('stats timeout')));
		});
	return { child, url, stats };
}

function kill(child: ChildProcess, signal: NodeJS.Signals) {
	if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** Calls `act` once the sandbox has answered `after` requests. */
async function when(sb: SandboxProcess, after: number, act: () => void, stop: { done: boolean }) {
	while (!stop.done) {
		try {
			if ((await sb.stats()).total >= after) {
				act();
				return Date.now();
			}
		} catch {
			// busy: ask again
		}
		await sleep(3);
	}
	return undefined;
}

describe('faults mid-batch', () => {
	test('the gateway process is killed halfway through 200 items: every item gets an output, the later ones clear network errors, promptly', async () => {
		const sb = await spawnSandbox();
		const n = 200;
		const maxRetries = 2;
		const timeout = 300;
		const concurrency = 2;
		try {
			const items = Array.from({ length: n }, (_, i) => ({ orderId: `MID-${i}` }));
			const stop = { done: false };
			const killedAt = when(sb, n / 2, () => kill(sb.child, 'SIGKILL'), stop);
			const started = Date.now();
			const run = await runDamai(items, sandboxCredentials(sb.url), {
				onError: 'continueRegularOutput',
				options: { timeout, maxRetries, retryDelay: 1, concurrency },
			});
			const ended = Date.now();
			stop.done = true;
			const killed = await killedAt;
			expect(killed).toBeDefined();

			expect(run.error).toBeUndefined();
			expect(run.outputs).toHaveLength(1);
			const out = run.outputs[0];
			expectOneOutputPerInput(out, n);
			const ok = out.map((item, i) => (item.json.success === true ? i : -1)).filter((i) => i >= 0);
			const failed = out.map((item, i) => (item.json.success === false ? i : -1)).filter((i) => i >= 0);
			expect(ok.length + failed.length).toBe(n);
			expect(ok.length).toBeGreaterThanOrEqual(n / 2 - concurrency * 2);
			expect(failed.length).toBeGreaterThan(n / 4);
			// The successes are the items before the kill (give or take the calls in flight).
			expect(Math.max(...ok)).toBeLessThan(Math.min(...failed) + concurrency + 1);
			for (const i of failed) {
				const json = out[i].json;
				expect(json.orderId).toBe(`MID-${i}`);
				expect(['network', 'timeout']).toContain(json.errorKind);
				expectReadable(`item ${i}`, json.error);
				expect(String(json.error)).toMatch(/Could not reach the gateway|did not answer/);
				expect(json.attempts).toBeLessThanOrEqual(maxRetries + 1);
			}
			// Items started after the kill found nothing listening: all their attempts were used.
			for (const i of failed.filter((i) => i > Math.max(...ok) + concurrency)) expect(out[i].json.attempts).toBe(maxRetries + 1);
			// Promptly: a refused connection fails at once; at worst each lane waits out one deadline per attempt.
			expect(ended - killed!).toBeLessThan(Math.ceil(concurrency * (maxRetries + 1) * timeout) + 3000);
			expect(new Set(ok.map((i) => out[i].json.msgId)).size).toBe(ok.length);
			expectNoSecretsAnywhere(run);
			console.log(`gateway killed after ${killed! - started} ms: ${ok.length} ok, ${failed.length} network errors, the rest took ${ended - killed!} ms`);
		} finally {
			kill(sb.child, 'SIGKILL');
		}
	});

	test('the gateway process freezes halfway (SIGSTOP): later items time out within timeout × attempts, no hang', async () => {
		const sb = await spawnSandbox();
		const n = 24;
		const maxRetries = 1;
		const timeout = 300;
		const concurrency = 3;
		try {
			const items = Array.from({ length: n }, (_, i) => ({ orderId: `FREEZE-${i}` }));
			const stop = { done: false };
			const frozenAt = when(sb, n / 2, () => kill(sb.child, 'SIGSTOP'), stop);
			const run = await runDamai(items, sandboxCredentials(sb.url), {
				onError: 'continueRegularOutput',
				options: { timeout, maxRetries, retryDelay: 1, concurrency },
			});
			const ended = Date.now();
			stop.done = true;
			const frozen = await frozenAt;
			expect(frozen).toBeDefined();
			const out = run.outputs[0];
			expectOneOutputPerInput(out, n);
			const failed = out.filter((item) => item.json.success === false);
			expect(failed.length).toBeGreaterThan(0);
			for (const item of failed) {
				expect(item.json.errorKind).toBe('timeout');
				expect(String(item.json.error)).toContain(`${timeout} ms`);
				expect(item.json.attempts).toBe(maxRetries + 1);
			}
			// Bounded: the frozen items run `concurrency` at a time, each for (maxRetries+1) deadlines.
			const rounds = Math.ceil(failed.length / concurrency) + 1;
			expect(ended - frozen!).toBeLessThan(rounds * (maxRetries + 1) * (timeout + 50) + 2000);
			expectNoSecretsAnywhere(run);
		} finally {
			kill(sb.child, 'SIGCONT');
			kill(sb.child, 'SIGKILL');
		}
	});
});

// ----------------------------------------------------------------------------- limits

describe('limits', () => {
	let fault: FaultServer;
	let sandbox: Sandbox;
	beforeAll(async () => {
		fault = await startFaultServer();
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await fault.close();
		await sandbox.close();
	});
	beforeEach(() => {
		fault.reset();
		sandbox.reset();
	});

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
		expect(String(json.error)).toMatch(/larger than the 5242880 bytes/);
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
		expect(String(json.error)).toBe(`The gateway did not answer within ${timeout} ms`);
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

	describe('order ids', () => {
		const bad: Array<[string, unknown]> = [
			['65 characters', '1'.repeat(65)],
			['300 characters', 'A'.repeat(300)],
			['a NUL inside', '123\u0000456'],
			['a line feed inside', '123\n456'],
			['an escape sequence', '\u001b[31m123'],
			['a C1 control', '123\u0085'],
			['a line separator inside', '123\u2028456'],
			['a lone surrogate', '123\ud800'],
			['empty', ''],
			['whitespace only', ' \t\u3000 '],
			['null', null],
			['an object', { id: 1 }],
			['an array', ['1']],
			['a boolean', true],
		];
		test.each(bad)('an id with %s → NodeOperationError naming the item and "Order ID"; no request sent', async (_what, raw) => {
			const items = [{ orderId: 'GOOD-1' }, { orderId: raw }, { orderId: 'GOOD-2' }];
			const run = await runDamai(items as IDataObject[], sandboxCredentials(sandbox.url), { options: { retryDelay: 1 } });
			const err = run.nodeError as { name?: string; message?: string; context?: { itemIndex?: number } };
			expect(err?.name).toBe('NodeOperationError');
			expect(err.message).toContain('Item 1');
			expect(err.message).toContain('Order ID');
			expect(err.context?.itemIndex).toBe(1);
			// All ids are checked first: not even the good ones before it were sent.
			expect(sandbox.stats.total).toBe(0);
			expectNoSecretsAnywhere(run);
		});

		test.each(bad)('… with Continue On Fail, an id with %s is that item’s error and the others go through', async (_what, raw) => {
			const items = [{ orderId: 'GOOD-1' }, { orderId: raw }, { orderId: 'GOOD-2' }];
			const run = await runDamai(items as IDataObject[], sandboxCredentials(sandbox.url), { onError: 'continueRegularOutput', options: { retryDelay: 1 } });
			const out = run.outputs[0];
			expectOneOutputPerInput(out, 3);
			expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
			expect(out[1].json.errorKind).toBe('input');
			expect(String(out[1].json.error)).toContain('Item 1');
			expect(sandbox.requests.map((r) => r.orderId)).toEqual(expect.arrayContaining(['GOOD-1', 'GOOD-2']));
			expect(sandbox.requests).toHaveLength(2);
		});

		const unicode = ['订单-2025-①', 'Zürich-ß-Ωmega', '😀🎫-42', 'مرحبا-7', '  \u3000 7788-前后空白 \t', "a'b\"c\\d&e<f>%2B+", '1'.repeat(64)];
		test.each([
			['md5', 'md5', 'json'],
			['hmac', 'hmac-sha256', 'xml'],
			['hmac-sha256', 'none', 'json'],
			['hmac-sha256', 'md5', 'xml'],
		])('unicode ids pass trimmed and are signed correctly (sign %s, head %s, %s): the sandbox verifies every signature', async (signMethod, headSignMethod, responseFormat) => {
			const run = await runDamai(
				unicode.map((orderId) => ({ orderId })),
				sandboxCredentials(sandbox.url, { signMethod, headSignMethod }),
				{ options: { retryDelay: 1, responseFormat } },
			);
			expect(run.nodeError).toBeUndefined();
			const out = run.outputs[0];
			expectOneOutputPerInput(out, unicode.length);
			out.forEach((item, i) => {
				expect(item.json).toMatchObject({ success: true, orderId: unicode[i].trim(), returnCode: '0' });
			});
			expect(sandbox.requests.map((r) => r.outcome)).toEqual(unicode.map(() => 'success'));
			expect(sandbox.requests.map((r) => r.orderId).sort()).toEqual(unicode.map((u) => u.trim()).sort());
			expectNoSecretsAnywhere(run);
		});

		test('numbers from expressions become their text', async () => {
			const items = [{ n: 2025112900012345 }, { n: 7 }, { n: 0 }];
			const run = await runDamai(items, sandboxCredentials(sandbox.url), { orderId: '={{ $json.n }}', options: { retryDelay: 1 } });
			expect(run.nodeError).toBeUndefined();
			const out = run.outputs[0];
			expect(out.map((o) => o.json.orderId)).toEqual(['2025112900012345', '7', '0']);
			for (const o of out) expect(typeof o.json.orderId).toBe('string');
			expect(sandbox.requests.map((r) => r.orderId).sort()).toEqual(['0', '2025112900012345', '7']);
			// In the signed JSON param the id is a string too.
			for (const r of sandbox.requests) {
				const param = r.params.param_cancel_stock_lock_request as { cancel_stock_lock_request_body: { cancel_stock_lock_req_param: { order_id: unknown } } };
				expect(typeof param.cancel_stock_lock_request_body.cancel_stock_lock_req_param.order_id).toBe('string');
			}
			const computed = await runDamai([{}], sandboxCredentials(sandbox.url), { orderId: '={{ 1000 + 234 }}', options: { retryDelay: 1 } });
			expect(computed.outputs[0][0].json.orderId).toBe('1234');
		});
	});
});
