/** Custom API Call: any TOP method, signed with the same credential, answer parsed the same way. */
import { runDamai } from '../helpers/engine';
import { findSecrets, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

const custom = (method: string, parameters: string, options = {}) => ({
	parameters: { resource: 'custom', operation: 'apiCall', method, parameters },
	options,
});

test.each(['json', 'xml'])('calls another Damai method with object parameters as JSON text (%s)', async (responseFormat) => {
	const { outputs, error } = await runDamai(
		[{ q: 'A-1' }, { q: 'A-2' }],
		sandboxCredentials(sandbox),
		custom('alibaba.damai.yuntoc.order.query', '={{ JSON.stringify({ param_order_query: { order_id: $json.q }, page: 2 }) }}', {
			responseFormat,
		}),
	);
	expect(error).toBeUndefined();
	expect(outputs[0]).toHaveLength(2);
	const [first] = outputs[0];
	expect(first.json).toMatchObject({ method: 'alibaba.damai.yuntoc.order.query', success: true, requestId: expect.any(String) });
	const echoed = (first.json.response as { result: { order_query_result_body: { params: Record<string, unknown> } } }).result
		.order_query_result_body.params;
	expect(echoed.param_order_query).toEqual({ order_id: 'A-1' });
	expect(String(echoed.page)).toBe('2');
	expect(sandbox.requests.map((r) => r.method)).toEqual(['alibaba.damai.yuntoc.order.query', 'alibaba.damai.yuntoc.order.query']);
});

test('adds a signed Damai head to the named parameter, accepted by the sandbox', async () => {
	sandbox.configure({ headSignMethod: 'md5' });
	const { outputs } = await runDamai(
		[{}],
		sandboxCredentials(sandbox),
		custom(
			'alibaba.damai.yuntoc.order.cancellockstock',
			JSON.stringify({ param_cancel_stock_lock_request: { cancel_stock_lock_request_body: { cancel_stock_lock_req_param: { order_id: 'VIA-CUSTOM' } } } }),
			{ headParam: 'param_cancel_stock_lock_request' },
		),
	);
	sandbox.configure({ headSignMethod: 'any' });
	expect(outputs[0][0].json).toMatchObject({ success: true, msgId: expect.any(String) });
	expect((outputs[0][0].json.response as { result: { head: { return_code: string } } }).result.head.return_code).toBe('0');
	expect(sandbox.stats.cancelled['VIA-CUSTOM']).toBe(1);
	expect(findSecrets(outputs)).toEqual([]);
});

test('error_response is mapped; bad method names and parameters are refused by name before sending', async () => {
	const { outputs } = await runDamai(
		[{ m: 'alibaba.no.such.method', p: '{}' }, { m: 'not a method', p: '{}' }, { m: 'taobao.time.get', p: '[1]' }, { m: 'taobao.time.get', p: '{"sign":"x"}' }, { m: 'taobao.time.get', p: '{}' }],
		sandboxCredentials(sandbox),
		{ ...custom('={{ $json.m }}', '={{ $json.p }}'), onError: 'continueRegularOutput' },
	);
	const json = outputs[0].map((item) => item.json);
	expect(json[0]).toMatchObject({ method: 'alibaba.no.such.method', success: false, code: '22', errorKind: 'gateway', response: null });
	expect(json[1].errorMessage).toMatch(/^Item 1: the Method "not a method" is not a TOP method name/);
	expect(json[2].errorMessage).toMatch(/^Item 2: the Parameters \(JSON\) must be a JSON object/);
	expect(json[3].errorMessage).toMatch(/^Item 3: the Parameters \(JSON\) must not set the system parameter "sign"/);
	expect(json[4]).toMatchObject({ success: true, msgId: null, errorMessage: null, response: { time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) } });
	// one shape: the same keys in the same order on every item, `response` last
	for (const item of json) {
		expect(Object.keys(item)).toEqual([
			'method', 'success', 'requestId', 'msgId', 'attempts',
			'errorMessage', 'errorKind', 'code', 'subCode', 'subMsg', 'httpStatus', 'response',
		]);
	}
	expect(sandbox.requests.map((r) => r.method)).toEqual(['alibaba.no.such.method', 'taobao.time.get']);
});
