/**
 * Order ids (issue 5), in n8n's real engine against the sandbox gateway: ids that are too long,
 * have control characters or are empty are refused before any request; unicode ids and numbers
 * from expressions go through, signed correctly.
 */
import type { IDataObject } from 'n8n-workflow';

import { runDamai } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { expectNoSecretsAnywhere, expectOneOutputPerInput, sandboxCredentials, useCrashGuard } from './engineChecks';

jest.setTimeout(60_000);

useCrashGuard();
const sandbox = useSandbox();

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
		expect(String(out[1].json.errorMessage)).toContain('Item 1');
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
