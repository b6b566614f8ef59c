/** The API page's own examples (test/fixtures/api-page.json) against the node's request builder and parser. */
import page from '../fixtures/api-page.json';
import { cancelStockLockParam } from '../../nodes/Damai/transport/cancelStockLock';
import { CANCEL_STOCK_LOCK_METHOD, CANCEL_STOCK_LOCK_PARAM } from '../../nodes/Damai/transport/constants';
import { parseAnswer } from '../../nodes/Damai/transport/parse';
import { TopError } from '../../nodes/Damai/transport/errors';
import { createRedactor } from '../../nodes/Damai/transport/redact';

const redact = createRedactor(['supplier-secret-x']);

/** The keys of an object, nested, as `a.b.c` paths (values left out). */
function shape(value: unknown, prefix = ''): string[] {
	if (value === null || typeof value !== 'object') return [prefix];
	return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k)).sort();
}

describe("the API page's facts", () => {
	it('method and parameter names are the ones the node sends', () => {
		expect(CANCEL_STOCK_LOCK_METHOD).toBe(page.method);
		expect(CANCEL_STOCK_LOCK_PARAM).toBe(page.requestParameter);
	});

	it("the node's request object has exactly the page's fields, nested the same way", () => {
		const param = cancelStockLockParam('12345', { supplierKey: 'k', supplierSecret: 'supplier-secret-x', headSignMethod: 'md5', headVersion: '1.0' }, 'm-1', 0);
		expect(shape(param)).toEqual(shape(page.requestShape));
	});

	it("the page's XML answer parses to its result, unwrapped", () => {
		const parsed = parseAnswer({ status: 200, body: page.responseXmlExample, contentType: 'text/xml' }, page.method, redact);
		expect(parsed.body.result).toEqual({ cancel_stock_lock_result_body: { order_id: '1' }, head: { return_code: '1', return_desc: '1' } });
	});

	it("the page's error example becomes a TopError with its code, sub-code and messages", () => {
		let caught: unknown;
		try {
			parseAnswer({ status: 200, body: page.errorXmlExample, contentType: 'text/xml' }, page.method, redact);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TopError);
		const error = caught as TopError;
		expect([error.code, error.subCode, error.subMsg]).toEqual([50, 'isv.invalid-parameter', '非法参数']);
		expect(error.message).toContain('Remote service error');
	});
});
