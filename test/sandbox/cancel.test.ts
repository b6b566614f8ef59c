import { createHash } from 'crypto';

import { formatGmt8, signHead, signHeadTemplate } from '../../tooling/sandbox/sign';
import { CANCEL, SUPPLIER_SECRET, call, cancel, cancelHead, headOf, systemParams, RawResponse } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ headSignMethod: 'any', headTemplate: null, timeStampFormat: 'epoch-ms', latencyMs: 0 });

const RESP = 'alibaba_damai_yuntoc_order_cancellockstock_response';

function expectSuccess(r: RawResponse, orderId: string) {
	expect(r.status).toBe(200);
	expect(r.json[RESP].result).toEqual({
		cancel_stock_lock_result_body: { order_id: orderId },
		head: { return_code: '0', return_desc: 'success' },
	});
	expect(r.json[RESP].request_id).toMatch(/^[0-9a-z]{13}$/);
}

function expectTopError(r: RawResponse, code: number, msg: string, subCode?: string, subMsg?: string) {
	expect(r.status).toBe(200);
	const e = r.json.error_response;
	expect(e.code).toBe(code);
	expect(e.msg).toBe(msg);
	expect(e.sub_code).toBe(subCode);
	if (subMsg !== undefined) expect(e.sub_msg).toBe(subMsg);
	expect(e.request_id).toMatch(/^[0-9a-z]{13}$/);
}

describe('cancellockstock: success', () => {
	it('JSON answer', async () => {
		expectSuccess(await cancel(sb, { orderId: '12345' }), '12345');
		expect(sb.stats.cancelled['12345']).toBe(1);
	});

	it('XML answer, values escaped', async () => {
		const r = await cancel(sb, { orderId: 'A<&>"\'1' }, { format: 'xml' });
		expect(r.headers['content-type']).toMatch(/^text\/xml/);
		expect(r.text).toMatch(
			new RegExp(
				'^<\\?xml version="1.0" encoding="utf-8" \\?><alibaba_damai_yuntoc_order_cancellockstock_response><result>' +
					'<cancel_stock_lock_result_body><order_id>A&lt;&amp;&gt;&quot;&apos;1</order_id></cancel_stock_lock_result_body>' +
					'<head><return_code>0</return_code><return_desc>success</return_desc></head></result>' +
					'<request_id>[0-9a-z]{13}</request_id></alibaba_damai_yuntoc_order_cancellockstock_response><!--top-sandbox.local-->$',
			),
		);
	});

	it('simplify=true drops the wrapper in JSON', async () => {
		const r = await cancel(sb, { orderId: 'S-1' }, { simplify: 'true' });
		expect(r.json.result.head.return_code).toBe('0');
		expect(r.json.request_id).toMatch(/^[0-9a-z]{13}$/);
	});

	it.each(['md5', 'hmac', 'hmac-sha256'])('TOP sign_method %s', async (m) => {
		expectSuccess(await cancel(sb, { orderId: `SM-${m}` }, { sign_method: m }), `SM-${m}`);
	});

	it('same order cancelled again with a new msg_id: return_code 0, counted twice', async () => {
		expectSuccess(await cancel(sb, { orderId: 'TWICE-1', msgId: 'a' }), 'TWICE-1');
		expectSuccess(await cancel(sb, { orderId: 'TWICE-1', msgId: 'b' }), 'TWICE-1');
		expect(sb.stats.cancelled['TWICE-1']).toBe(2);
	});

	it('same msg_id again (a retry) answers identically and is not counted twice', async () => {
		const a = await cancel(sb, { orderId: 'RETRY-1', msgId: 'same' });
		const b = await cancel(sb, { orderId: 'RETRY-1', msgId: 'same' });
		expect(b.json[RESP].result).toEqual(a.json[RESP].result);
		expect(sb.stats.cancelled['RETRY-1']).toBe(1);
		expect(sb.stats.attemptsByMsgId.same).toBe(2);
		expect(sb.stats.replays).toBe(1);
		expect(sb.requests[1].replayed).toBe(true);
	});

	it('orderByMsgId: every msg_id received, with its order, answered or not (RESET- gets no answer)', async () => {
		await cancel(sb, { orderId: 'RCV-1', msgId: 'r1' });
		await cancel(sb, { orderId: 'RESET-RCV-2', msgId: 'r2' }).catch(() => undefined);
		expect(sb.stats.orderByMsgId).toEqual({ r1: 'RCV-1', r2: 'RESET-RCV-2' });
		expect(sb.requests.map((r) => [r.msgId, r.outcome])).toEqual([
			['r1', 'success'],
			['r2', 'reset'],
		]);
	});
});

describe('cancellockstock: parameter errors', () => {
	it('missing param → 40 isv.missing-parameter', async () => {
		const r = await call(sb, systemParams(CANCEL));
		expectTopError(r, 40, 'Missing required arguments:param_cancel_stock_lock_request', 'isv.missing-parameter');
	});

	it.each([
		['not JSON', '{head:'],
		['a JSON array', '[]'],
		['a JSON string', '"x"'],
		['head not an object', '{"head":"x"}'],
		['no head', '{"cancel_stock_lock_request_body":{"cancel_stock_lock_req_param":{"order_id":"1"}}}'],
		['body not an object', '{"head":{},"cancel_stock_lock_request_body":5}'],
		['req param not an object', '{"head":{},"cancel_stock_lock_request_body":{"cancel_stock_lock_req_param":[]}}'],
		['head field an object', '{"head":{"msg_id":{}}}'],
	])('%s → 41 isv.invalid-parameter', async (_name, value) => {
		const r = await call(sb, systemParams(CANCEL, { param_cancel_stock_lock_request: value }));
		expectTopError(r, 41, 'Invalid arguments:param_cancel_stock_lock_request', 'isv.invalid-parameter', '非法参数');
	});

	it('XML parameter error', async () => {
		const r = await call(sb, systemParams(CANCEL, { format: 'xml', param_cancel_stock_lock_request: 'nope' }));
		expect(r.text).toMatch(
			/^<\?xml version="1.0" encoding="utf-8" \?><error_response><code>41<\/code><msg>Invalid arguments:param_cancel_stock_lock_request<\/msg><sub_code>isv.invalid-parameter<\/sub_code><sub_msg>非法参数<\/sub_msg><request_id>[0-9a-z]{13}<\/request_id><\/error_response><!--top-sandbox.local-->$/,
		);
	});
});

describe('cancellockstock: head checks (business failures in a success envelope)', () => {
	async function expectHeadFailure(r: RawResponse, code: string, desc: string) {
		expect(r.status).toBe(200);
		expect(r.json.error_response).toBeUndefined();
		expect(headOf(r)).toEqual({ return_code: code, return_desc: desc });
	}

	it('unknown supplier_key → 401', async () => {
		await expectHeadFailure(await cancel(sb, { supplierKey: 'nobody' }), '401', 'supplier key not recognised');
	});

	it('wrong supplier_secret → 401', async () => {
		await expectHeadFailure(await cancel(sb, { supplierSecret: 'wrong', signSecret: SUPPLIER_SECRET }), '401', 'supplier authentication failed');
	});

	it('wrong signed → 403', async () => {
		await expectHeadFailure(await cancel(sb, { signed: 'ABCDEF' }), '403', 'head signature mismatch');
		await expectHeadFailure(await cancel(sb, { signSecret: 'other' }), '403', 'head signature mismatch');
	});

	it("headSignMethod 'any' accepts md5, hmac-sha256 and no signed; lower case accepted", async () => {
		expectSuccess(await cancel(sb, { orderId: 'H-1', signMethod: 'md5' }), 'H-1');
		expectSuccess(await cancel(sb, { orderId: 'H-2', signMethod: 'hmac-sha256' }), 'H-2');
		expectSuccess(await cancel(sb, { orderId: 'H-3', signMethod: 'none' }), 'H-3');
		const head = cancelHead({ signMethod: 'none' });
		const signed = signHead(head, SUPPLIER_SECRET, 'md5').toLowerCase();
		expectSuccess(await cancel(sb, { orderId: 'H-4', msgId: head.msg_id, timeStamp: head.time_stamp, signed }), 'H-4');
	});

	it("headSignMethod 'md5' / 'hmac-sha256' require exactly that", async () => {
		sb.configure({ headSignMethod: 'md5' });
		expectSuccess(await cancel(sb, { orderId: 'M-1', signMethod: 'md5' }), 'M-1');
		await expectHeadFailure(await cancel(sb, { signMethod: 'hmac-sha256' }), '403', 'head signature mismatch');
		await expectHeadFailure(await cancel(sb, { signMethod: 'none' }), '403', 'head signature mismatch');
		sb.configure({ headSignMethod: 'hmac-sha256' });
		expectSuccess(await cancel(sb, { orderId: 'M-2', signMethod: 'hmac-sha256' }), 'M-2');
		await expectHeadFailure(await cancel(sb, { signMethod: 'md5' }), '403', 'head signature mismatch');
	});

	it("headSignMethod 'none' requires signed absent or empty", async () => {
		sb.configure({ headSignMethod: 'none' });
		expectSuccess(await cancel(sb, { orderId: 'N-1', signMethod: 'none' }), 'N-1');
		expectSuccess(await cancel(sb, { orderId: 'N-2', signed: '' }), 'N-2');
		await expectHeadFailure(await cancel(sb, { signMethod: 'md5' }), '403', 'head signature mismatch');
	});

	it('time_stamp must be epoch milliseconds within maxSkewSeconds → 400', async () => {
		await expectHeadFailure(await cancel(sb, { timeStamp: null }), '400', 'invalid time_stamp');
		await expectHeadFailure(await cancel(sb, { timeStamp: '2024-01-01 00:00:00' }), '400', 'invalid time_stamp');
		await expectHeadFailure(await cancel(sb, { timeStamp: String(Date.now() - 700_000) }), '400', 'invalid time_stamp');
		await expectHeadFailure(await cancel(sb, { timeStamp: String(Math.floor(Date.now() / 1000)) }), '400', 'invalid time_stamp');
		expectSuccess(await cancel(sb, { orderId: 'T-1', timeStamp: String(Date.now() - 500_000) }), 'T-1');
	});

	it("timeStampFormat 'epoch-s' and 'gmt8' (issue 16): the format required, within maxSkewSeconds → else 400", async () => {
		const seconds = String(Math.floor(Date.now() / 1000));
		sb.configure({ timeStampFormat: 'epoch-s' });
		expectSuccess(await cancel(sb, { orderId: 'TS-1', timeStamp: seconds }), 'TS-1');
		await expectHeadFailure(await cancel(sb, { timeStamp: String(Date.now()) }), '400', 'invalid time_stamp');
		sb.configure({ timeStampFormat: 'gmt8' });
		expectSuccess(await cancel(sb, { orderId: 'TS-2', timeStamp: formatGmt8(new Date()) }), 'TS-2');
		await expectHeadFailure(await cancel(sb, { timeStamp: seconds }), '400', 'invalid time_stamp');
		await expectHeadFailure(await cancel(sb, { timeStamp: formatGmt8(new Date(Date.now() - 700_000)) }), '400', 'invalid time_stamp');
	});

	it("headSignMethod 'template' (issue 16): the recipe's hash over the filled template, in its hex case exactly", async () => {
		const recipe = { template: 'k={supplier_key}&t={time_stamp}&s={supplier_secret}', hash: 'sha256' as const, hexCase: 'lower' as const };
		sb.configure({ headSignMethod: 'template', headTemplate: recipe });
		const head = cancelHead({ signMethod: 'none' });
		const text = `k=${head.supplier_key}&t=${head.time_stamp}&s=${SUPPLIER_SECRET}`;
		const signed = createHash('sha256').update(text, 'utf8').digest('hex');
		expect(signHeadTemplate(head, SUPPLIER_SECRET, recipe)).toBe(signed);
		expectSuccess(await cancel(sb, { orderId: 'TPL-1', msgId: head.msg_id, timeStamp: head.time_stamp, signed }), 'TPL-1');
		await expectHeadFailure(await cancel(sb, { msgId: head.msg_id, timeStamp: head.time_stamp, signed: signed.toUpperCase() }), '403', 'head signature mismatch');
		await expectHeadFailure(await cancel(sb, { signMethod: 'md5' }), '403', 'head signature mismatch');
		await expectHeadFailure(await cancel(sb, { signMethod: 'none' }), '403', 'head signature mismatch');
	});

	it('missing msg_id → 400', async () => {
		await expectHeadFailure(await cancel(sb, { msgId: null }), '400', 'missing msg_id');
	});

	it('missing order_id → 400', async () => {
		await expectHeadFailure(await cancel(sb, { orderId: null }), '400', 'missing order_id');
	});

	it('head failures are recorded as business outcomes, not counted as cancels', async () => {
		await cancel(sb, { orderId: 'X-1', supplierKey: 'nobody' });
		expect(sb.requests[0].outcome).toBe('business:401');
		expect(sb.stats.cancelled['X-1']).toBeUndefined();
	});
});

describe('cancellockstock: magic order ids', () => {
	it('NOTFOUND- → 404 order not found', async () => {
		const r = await cancel(sb, { orderId: 'NOTFOUND-1' });
		expect(headOf(r)).toEqual({ return_code: '404', return_desc: 'order not found' });
		expect(r.json[RESP].result.cancel_stock_lock_result_body.order_id).toBe('NOTFOUND-1');
		expect(sb.stats.cancelled['NOTFOUND-1']).toBeUndefined();
	});

	it('LOCKED- → 1001', async () => {
		const r = await cancel(sb, { orderId: 'LOCKED-1' });
		expect(headOf(r)).toEqual({ return_code: '1001', return_desc: 'order already paid, lock cannot be cancelled' });
	});

	it('prefixes are case-sensitive', async () => {
		expectSuccess(await cancel(sb, { orderId: 'notfound-1' }), 'notfound-1');
	});

	it('ISV- → 15 isv.invalid-parameter on every attempt', async () => {
		for (let i = 0; i < 2; i++) {
			expectTopError(await cancel(sb, { orderId: 'ISV-1', msgId: 'isv' }), 15, 'Remote service error', 'isv.invalid-parameter', '非法参数');
		}
	});

	it('ISP2- → two isp failures for that msg_id, then success', async () => {
		const h = { orderId: 'ISP2-1', msgId: 'isp-msg' };
		expectTopError(await cancel(sb, h), 15, 'Remote service error', 'isp.remote-service-unavailable', 'backend busy');
		expectTopError(await cancel(sb, h), 15, 'Remote service error', 'isp.remote-service-unavailable', 'backend busy');
		expectSuccess(await cancel(sb, h), 'ISP2-1');
		expectSuccess(await cancel(sb, h), 'ISP2-1');
		expect(sb.stats.cancelled['ISP2-1']).toBe(1);
		expect(sb.stats.attemptsByMsgId['isp-msg']).toBe(4);
		// a different msg_id starts over
		expectTopError(await cancel(sb, { orderId: 'ISP2-1', msgId: 'isp-other' }), 15, 'Remote service error', 'isp.remote-service-unavailable');
	});

	it('THROTTLE1- → code 7 once, then success; the app is not banned', async () => {
		const h = { orderId: 'THROTTLE1-9', msgId: 'thr' };
		expectTopError(await cancel(sb, h), 7, 'App Call Limited', 'accesscontrol.limited-by-app-access-count', 'This ban will last for 1 more seconds');
		expectSuccess(await cancel(sb, { orderId: 'OTHER-1' }), 'OTHER-1');
		expectSuccess(await cancel(sb, h), 'THROTTLE1-9');
	});

	it.each([
		[10, 'Service currently unavailable'],
		[8, 'Call frequency exceeded'],
		[7, 'App Call Limited'],
		[11, 'Insufficient ISV permissions'],
		[99, 'Sandbox error 99'],
	])('CODE%i- → error %i on every attempt, no sub_code', async (code, msg) => {
		for (let i = 0; i < 2; i++) {
			const r = await cancel(sb, { orderId: `CODE${code}-1`, msgId: `code-${code}` });
			expectTopError(r, code, msg as string, undefined);
			expect('sub_code' in r.json.error_response).toBe(false);
		}
	});

	it('HTML502- → HTTP 502 HTML every time', async () => {
		for (let i = 0; i < 2; i++) {
			const r = await cancel(sb, { orderId: 'HTML502-1', msgId: 'h502' });
			expect(r.status).toBe(502);
			expect(r.headers['content-type']).toMatch(/^text\/html/);
			expect(r.text).toContain('<html><head><title>502 Bad Gateway</title>'.replace('<html><head>', '<html>\r\n<head>'));
		}
		expect(sb.requests[0].outcome).toBe('http:502');
		expect(sb.requests[0].httpStatus).toBe(502);
	});

	it('HTML502ONCE- → 502 first, then success', async () => {
		const h = { orderId: 'HTML502ONCE-1', msgId: 'h502once' };
		expect((await cancel(sb, h)).status).toBe(502);
		expectSuccess(await cancel(sb, h), 'HTML502ONCE-1');
		expect(sb.stats.cancelled['HTML502ONCE-1']).toBe(1);
	});

	it('SLOW<ms>- → answers after the delay', async () => {
		const t0 = Date.now();
		expectSuccess(await cancel(sb, { orderId: 'SLOW300-1' }), 'SLOW300-1');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
	});

	it('GARBLED- → HTTP 200 with a truncated body (json and xml)', async () => {
		const j = await cancel(sb, { orderId: 'GARBLED-1' });
		expect(j.status).toBe(200);
		expect(j.json).toBeUndefined();
		expect(j.text.startsWith('{"alibaba_damai_yuntoc_order_cancellockstock_response":')).toBe(true);
		const x = await cancel(sb, { orderId: 'GARBLED-2' }, { format: 'xml' });
		expect(x.status).toBe(200);
		expect(x.text.startsWith('<?xml')).toBe(true);
		expect(x.text).not.toContain('</alibaba_damai_yuntoc_order_cancellockstock_response>');
		expect(sb.stats.cancelled['GARBLED-1']).toBeUndefined();
	});

	it('EMPTY- → HTTP 200 with an empty body', async () => {
		const r = await cancel(sb, { orderId: 'EMPTY-1' });
		expect(r.status).toBe(200);
		expect(r.text).toBe('');
	});

	it('RESET- → the socket is destroyed without an answer', async () => {
		await expect(cancel(sb, { orderId: 'RESET-1' })).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(sb.requests[0].outcome).toBe('reset');
		expect(sb.requests[0].httpStatus).toBe(0);
	});
});
