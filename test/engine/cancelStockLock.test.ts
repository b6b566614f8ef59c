/**
 * The node in n8n's real execution engine (n8n-core WorkflowExecute), against the sandbox
 * gateway over real HTTP on 127.0.0.1.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runDamai } from '../helpers/engine';
import { ITEM_KEYS, NO_FAILURE } from '../helpers/items';
import { SECRETS, findSecrets, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

const ids = (n: number, prefix = 'ORD') => Array.from({ length: n }, (_, i) => ({ orderId: `${prefix}-${i}` }));
const pairedIndexes = (items: INodeExecutionData[]) =>
	items.map((item) => (item.pairedItem as { item: number }).item);

describe('Cancel Stock Lock in the n8n engine', () => {
	test('200 orders at concurrency 8: one output per input, in order, paired, each cancelled once', async () => {
		const input = ids(200);
		const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency: 8 } });
		expect(error).toBeUndefined();
		const [main] = outputs;
		expect(main).toHaveLength(200);
		expect(main.map((item) => item.json.orderId)).toEqual(input.map((i) => i.orderId));
		expect(pairedIndexes(main)).toEqual(input.map((_, i) => i));
		for (const item of main) {
			expect(item.json).toEqual({
				orderId: expect.any(String),
				success: true,
				returnCode: '0',
				returnDesc: 'success',
				requestId: expect.stringMatching(/^\w+$/),
				msgId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				attempts: 1,
				...NO_FAILURE,
			});
		}
		expect(new Set(main.map((item) => item.json.msgId)).size).toBe(200);
		for (const { orderId } of input) expect(sandbox.stats.cancelled[orderId]).toBe(1);
		expect(sandbox.stats.total).toBe(200);
		expect(sandbox.stats.maxConcurrent).toBeLessThanOrEqual(8);
	});

	test('the order id comes from an expression; numbers become text; ids are trimmed', async () => {
		const { outputs } = await runDamai([{ id: 123456789 }, { id: '  ABC-9  ' }], sandboxCredentials(sandbox), {
			orderId: '={{ $json.id }}',
		});
		expect(outputs[0].map((item) => item.json.orderId)).toEqual(['123456789', 'ABC-9']);
		expect(sandbox.requests.map((r) => r.orderId)).toEqual(['123456789', 'ABC-9']);
	});

	test('the request is what the spec says: param JSON, head fields, v, format, sign method', async () => {
		await runDamai([{ orderId: 'SPEC-1' }], sandboxCredentials(sandbox, { signMethod: 'md5' }), {
			options: { headVersion: '2.1', responseFormat: 'xml' },
		});
		const [record] = sandbox.requests;
		expect(record.outcome).toBe('success');
		expect(record.signMethod).toBe('md5');
		expect(record.format).toBe('xml');
		const params = record.params as Record<string, unknown>;
		expect(params.v).toBe('2.0');
		expect(params.method).toBe('alibaba.damai.yuntoc.order.cancellockstock');
		// the sandbox records the parsed param, with supplier_secret redacted
		const param = params.param_cancel_stock_lock_request as { cancel_stock_lock_request_body: unknown; head: Record<string, string> };
		expect(param.cancel_stock_lock_request_body).toEqual({ cancel_stock_lock_req_param: { order_id: 'SPEC-1' } });
		expect(param.head).toMatchObject({
			supplier_key: 'sandbox-supplier-key',
			version: '2.1',
			msg_id: record.msgId,
			signed: expect.stringMatching(/^[0-9A-F]{32}$/),
		});
		expect(param.head.time_stamp).toMatch(/^\d{13}$/);
		expect(Math.abs(Number(param.head.time_stamp) - Date.now())).toBeLessThan(60_000);
	});

	test.each([
		['md5', 'json'],
		['md5', 'xml'],
		['hmac', 'json'],
		['hmac', 'xml'],
		['hmac-sha256', 'json'],
		['hmac-sha256', 'xml'],
	])('sign method %s with %s answers gives the same items', async (signMethod, responseFormat) => {
		const { outputs } = await runDamai([{ orderId: 'FMT-1' }, { orderId: 'NOTFOUND-2' }], sandboxCredentials(sandbox, { signMethod }), {
			onError: 'continueRegularOutput',
			options: { responseFormat },
		});
		const strip = (item: INodeExecutionData) => ({ ...item.json, requestId: undefined, msgId: undefined });
		expect(outputs[0].map(strip)).toEqual([
			{
				orderId: 'FMT-1',
				success: true,
				returnCode: '0',
				returnDesc: 'success',
				requestId: undefined,
				msgId: undefined,
				attempts: 1,
				...NO_FAILURE,
			},
			expect.objectContaining({ orderId: 'NOTFOUND-2', success: false, code: '404', returnDesc: 'order not found' }),
		]);
	});

	test('head sign methods md5, hmac-sha256 and none are each accepted by a gateway requiring them', async () => {
		for (const method of ['md5', 'hmac-sha256', 'none'] as const) {
			sandbox.configure({ headSignMethod: method });
			const { outputs, error } = await runDamai([{ orderId: `HEAD-${method}` }], sandboxCredentials(sandbox, { headSignMethod: method }));
			expect(error).toBeUndefined();
			expect(outputs[0][0].json.success).toBe(true);
		}
		// …and a mismatch is a business failure, not a silent success.
		sandbox.configure({ headSignMethod: 'hmac-sha256' });
		const { outputs } = await runDamai([{ orderId: 'HEAD-X' }], sandboxCredentials(sandbox, { headSignMethod: 'md5' }), {
			onError: 'continueRegularOutput',
		});
		expect(outputs[0][0].json).toMatchObject({ success: false, code: '403' });
		sandbox.configure({ headSignMethod: 'any' });
	});

	test('Continue On Fail (regular output): every kind of failure is an error item in its place', async () => {
		const input = [
			{ orderId: 'OK-1' },
			{ orderId: 'NOTFOUND-1' },
			{ orderId: 'ISV-1' },
			{ orderId: 'ISP2-1' },
			{ orderId: 'THROTTLE1-1' },
			{ orderId: 'CODE11-1' },
			{ orderId: '' },
			{ orderId: 'OK-2' },
		];
		const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), {
			onError: 'continueRegularOutput',
			options: { retryDelay: 10, concurrency: 3 },
		});
		expect(error).toBeUndefined();
		const main = outputs[0];
		expect(main).toHaveLength(input.length);
		expect(pairedIndexes(main)).toEqual(input.map((_, i) => i));
		const byId = (i: number) => main[i].json;
		expect(byId(0)).toMatchObject({ orderId: 'OK-1', success: true });
		expect(byId(1)).toMatchObject({ orderId: 'NOTFOUND-1', success: false, code: '404', returnCode: '404', returnDesc: 'order not found' });
		expect(byId(1).requestId).toEqual(expect.any(String));
		expect(byId(2)).toMatchObject({
			orderId: 'ISV-1',
			success: false,
			code: '15',
			subCode: 'isv.invalid-parameter',
			subMsg: '非法参数',
			requestId: expect.any(String),
		});
		expect(byId(3)).toMatchObject({ orderId: 'ISP2-1', success: true });
		expect(byId(4)).toMatchObject({ orderId: 'THROTTLE1-1', success: true });
		expect(byId(5)).toMatchObject({ orderId: 'CODE11-1', success: false, code: '11' });
		expect(byId(6)).toMatchObject({ success: false, errorKind: 'input' });
		expect(String(byId(6).errorMessage)).toMatch(/Item 6: the Order ID is empty/);
		expect(byId(6)).toMatchObject({ orderId: null, msgId: null, attempts: 0, requestId: null, code: null });
		expect(byId(7)).toMatchObject({ orderId: 'OK-2', success: true });
		for (const item of main) {
			expect(typeof item.json.errorMessage === 'string' ? item.json.errorMessage : '').not.toMatch(/\[object Object\]/);
		}
		// retries kept their msg_id; isv and code 11 were sent once; the empty id never
		const attempts = (orderId: string) => {
			const msgIds = new Set(sandbox.requests.filter((r) => r.orderId === orderId).map((r) => r.msgId));
			expect(msgIds.size).toBe(1);
			return sandbox.stats.attemptsByMsgId[[...msgIds][0] as string];
		};
		expect(attempts('ISP2-1')).toBe(3);
		expect(attempts('THROTTLE1-1')).toBe(2);
		expect(attempts('ISV-1')).toBe(1);
		expect(attempts('CODE11-1')).toBe(1);
		expect(sandbox.requests.filter((r) => r.orderId === '' || r.orderId === null)).toHaveLength(0);
	});

	test('error output: failures on output 2, successes on output 1, each input once, pairedItem kept', async () => {
		const input = [{ orderId: 'A' }, { orderId: 'NOTFOUND-B' }, { orderId: 'C' }, { orderId: 'ISV-D' }, { orderId: 'E' }];
		const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), { onError: 'continueErrorOutput' });
		expect(error).toBeUndefined();
		const [ok, failed] = outputs;
		expect(ok.map((i) => i.json.orderId)).toEqual(['A', 'C', 'E']);
		expect(pairedIndexes(ok)).toEqual([0, 2, 4]);
		expect(pairedIndexes(failed)).toEqual([1, 3]);
		// n8n keeps {error, message} and merges the input item in: the whole error item is under `error`
		expect(failed.map((i) => i.json.orderId)).toEqual(['NOTFOUND-B', 'ISV-D']);
		const [notFound, isv] = failed.map((i) => i.json.error as Record<string, unknown>);
		expect(notFound).toMatchObject({ orderId: 'NOTFOUND-B', success: false, code: '404', errorKind: 'business', returnCode: '404' });
		expect(notFound.errorMessage).toMatch(/return code 404 \(order not found\)/);
		expect(failed[0].json.message).toBe(notFound.errorMessage);
		expect(isv).toMatchObject({ code: '15', subCode: 'isv.invalid-parameter', subMsg: '非法参数', errorKind: 'gateway', attempts: 1 });
		expect(isv.requestId).toEqual(expect.stringMatching(/^\w+$/));
		expect(isv.msgId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
		// the same keys in the same order as the items on the regular output
		expect(Object.keys(isv)).toEqual(Object.keys(ok[0].json));
	});

	test('one output shape: success and failure items have the same keys in the same order, each key one type', async () => {
		const input = ['OK-1', 'NOTFOUND-1', 'ISV-1', 'HTML502-1', '', 'OK-2'].map((orderId) => ({ orderId }));
		for (const includeRawResponse of [false, true]) {
			const { outputs } = await runDamai(input, sandboxCredentials(sandbox), {
				onError: 'continueRegularOutput',
				options: { maxRetries: 0, includeRawResponse },
			});
			const items = outputs[0].map((item) => item.json);
			expect(items.map((json) => json.success)).toEqual([true, false, false, false, false, true]);
			const keys = Object.keys(items[0]);
			expect(keys).toEqual([...ITEM_KEYS, ...(includeRawResponse ? ['response'] : [])]);
			for (const json of items) {
				expect(Object.keys(json)).toEqual(keys);
				// n8n 2.8 and 1.x read any `error` key of the first item as a failed run (Retry On Fail)
				expect('error' in json).toBe(false);
				for (const key of ['code', 'returnCode', 'returnDesc', 'requestId', 'msgId', 'errorMessage', 'errorKind', 'subCode', 'subMsg']) {
					expect({ key, type: json[key] === null ? 'null' : typeof json[key] }).toEqual({ key, type: expect.stringMatching(/^(string|null)$/) });
				}
				for (const key of ['httpStatus', 'attempts']) {
					expect({ key, type: json[key] === null ? 'null' : typeof json[key] }).toEqual({ key, type: expect.stringMatching(/^(number|null)$/) });
				}
			}
			// every item that was sent has its msg_id
			expect(items.filter((json) => json.attempts !== 0).every((json) => typeof json.msgId === 'string')).toBe(true);
			expect(items[1]).toMatchObject({ code: '404', errorKind: 'business' });
			expect(items[2]).toMatchObject({ code: '15', errorKind: 'gateway' });
			expect(items[3]).toMatchObject({ code: null, errorKind: 'http', httpStatus: 502 });
			expect(items[4]).toMatchObject({ errorKind: 'input', attempts: 0, msgId: null });
			if (includeRawResponse) expect(items[1].response).toBeNull();
		}
	});

	test('without Continue On Fail the first failure stops the node with a NodeApiError naming the item', async () => {
		const input = [{ orderId: 'S-1' }, { orderId: 'ISV-2' }, { orderId: 'S-3' }];
		const { error, nodeError } = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency: 1 } });
		expect(error).toBeDefined();
		const e = nodeError as unknown as { name: string; message: string; description: string; context: { itemIndex: number } };
		expect(e.name).toBe('NodeApiError');
		expect(e.context.itemIndex).toBe(1);
		expect(e.message).toMatch(/code 15, isv.invalid-parameter.*非法参数/);
		expect(e.description).toMatch(/request_id: \w+/);
		// sequential: nothing after the failing item was sent
		expect(sandbox.requests.map((r) => r.orderId)).toEqual(['S-1', 'ISV-2']);
	});

	test('bad input stops the run before any request is sent', async () => {
		const { nodeError } = await runDamai([{ orderId: 'GOOD' }, { orderId: '   ' }], sandboxCredentials(sandbox));
		const e = nodeError as unknown as { name: string; message: string; context: { itemIndex: number } };
		expect(e.name).toBe('NodeOperationError');
		expect(e.message).toBe('Item 1: the Order ID is empty');
		expect(e.context.itemIndex).toBe(1);
		expect(sandbox.stats.total).toBe(0);
	});

	test.each([
		[{ nested: true }, /must be text or a number, not object/],
		['x'.repeat(65), /65 characters long/],
		['A\u0000B', /control characters/],
	])('order id %p is rejected by name', async (orderId, message) => {
		const { outputs } = await runDamai([{ orderId }], sandboxCredentials(sandbox), { onError: 'continueRegularOutput' });
		expect(outputs[0][0].json.errorMessage).toMatch(message);
		expect(outputs[0][0].json.errorMessage).toMatch(/^Item 0: the Order ID/);
		expect(sandbox.stats.total).toBe(0);
	});

	test('HTML 502 from a proxy is a NodeApiError with the status and a short excerpt', async () => {
		const { outputs } = await runDamai([{ orderId: 'HTML502-1' }], sandboxCredentials(sandbox), {
			onError: 'continueRegularOutput',
			options: { maxRetries: 1, retryDelay: 1 },
		});
		const json = outputs[0][0].json;
		expect(json).toMatchObject({ success: false, httpStatus: 502, errorKind: 'http', attempts: 2 });
		expect(json.errorMessage).toMatch(/HTTP 502 with an HTML page/);
	});

	test('includeRawResponse adds the parsed answer', async () => {
		const { outputs } = await runDamai([{ orderId: 'RAW-1' }], sandboxCredentials(sandbox), {
			options: { includeRawResponse: true },
		});
		expect(outputs[0][0].json.response).toMatchObject({
			result: { cancel_stock_lock_result_body: { order_id: 'RAW-1' }, head: { return_code: '0' } },
		});
	});

	test('successReturnCodes decides what a business answer means', async () => {
		const { outputs } = await runDamai([{ orderId: 'NOTFOUND-OK' }], sandboxCredentials(sandbox), {
			options: { successReturnCodes: '0, 404' },
		});
		expect(outputs[0][0].json).toMatchObject({ success: true, returnCode: '404' });
	});

	test('no secret in any output item, error item, error message, description or context', async () => {
		const input = ['OK', 'NOTFOUND-1', 'ISV-1', 'HTML502-1', 'GARBLED-1', 'EMPTY-1', 'CODE25-1', 'RESET-1'].map((orderId) => ({ orderId }));
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			const run = await runDamai(input, sandboxCredentials(sandbox), { onError, options: { maxRetries: 1, retryDelay: 1 } });
			expect(run.outputs.flat()).toHaveLength(input.length);
			expect(findSecrets(run.run)).toEqual([]);
		}
		for (const orderId of ['ISV-1', 'HTML502-1', 'RESET-1']) {
			const run = await runDamai([{ orderId }], sandboxCredentials(sandbox), { options: { maxRetries: 0 } });
			expect(run.nodeError).toBeDefined();
			expect(findSecrets(run.nodeError)).toEqual([]);
			expect(findSecrets(run.run)).toEqual([]);
		}
		// the scan itself finds a secret where there is one
		expect(findSecrets({ a: `x${SECRETS.supplierSecret}y` })).toEqual([SECRETS.supplierSecret]);
	});

	test('a wrong app secret is a clear gateway error (code 25), not retried', async () => {
		const { nodeError } = await runDamai([{ orderId: 'X' }], sandboxCredentials(sandbox, { appSecret: 'wrong-secret' }));
		expect((nodeError as Error).message).toMatch(/code 25.*Invalid signature/i);
		expect(sandbox.stats.total).toBe(1);
	});

	test('a custom gateway over plain http to a non-loopback host is refused before any request', async () => {
		const { nodeError } = await runDamai([{ orderId: 'X' }], sandboxCredentials(sandbox, { gatewayUrl: 'http://gateway.example.com/router/rest' }));
		expect((nodeError as Error).message).toMatch(/plain HTTP to gateway.example.com/);
		expect((nodeError as { description?: string }).description).toMatch(/gatewayUrl/);
	});
});
