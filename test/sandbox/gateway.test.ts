import { formatGmt8, signTop } from '../../tooling/sandbox/sign';
import { APP_SECRET, CANCEL, call, cancel, rawRequest, systemParams } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ rateLimit: null, sessions: null, latencyMs: 0, maxSkewSeconds: 600 });

const TIME = 'taobao.time.get';

function expectError(json: any, code: number, msg: string) {
	expect(json.error_response).toBeDefined();
	expect(json.error_response.code).toBe(code);
	expect(json.error_response.msg).toBe(msg);
	expect(json.error_response.request_id).toMatch(/^[0-9a-z]{13}$/);
}

describe('sandbox gateway: start', () => {
	it('listens on 127.0.0.1 with a /router/rest url', () => {
		expect(sb.host).toBe('127.0.0.1');
		expect(sb.port).toBeGreaterThan(0);
		expect(sb.url).toBe(`http://127.0.0.1:${sb.port}/router/rest`);
	});
});

describe('sandbox gateway: checks, in order', () => {
	it('21 Missing method', async () => {
		const p = systemParams(TIME);
		delete p.method;
		expectError((await call(sb, p)).json, 21, 'Missing method');
	});

	it('22 Invalid method', async () => {
		expectError((await call(sb, systemParams('taobao.no.such.method'))).json, 22, 'Invalid method');
	});

	it('method is checked before app_key', async () => {
		const p = systemParams('nope');
		delete p.app_key;
		expectError((await call(sb, p)).json, 22, 'Invalid method');
	});

	it.each([
		{ title: '28 Missing app key / 29 Invalid app key', param: 'app_key', missing: 28, missingMsg: 'Missing app key', value: 'other', invalid: 29, invalidMsg: 'Invalid app key' },
		{ title: '40 Missing required arguments:v / 41 Invalid arguments:v', param: 'v', missing: 40, missingMsg: 'Missing required arguments:v', value: '1.0', invalid: 41, invalidMsg: 'Invalid arguments:v' },
	])('$title', async ({ param, missing, missingMsg, value, invalid, invalidMsg }) => {
		const p = systemParams(TIME);
		delete p[param];
		expectError((await call(sb, p)).json, missing, missingMsg);
		expectError((await call(sb, systemParams(TIME, { [param]: value }))).json, invalid, invalidMsg);
	});

	it('30 Missing timestamp', async () => {
		const p = systemParams(TIME);
		delete p.timestamp;
		expectError((await call(sb, p)).json, 30, 'Missing timestamp');
	});

	it('31 Invalid timestamp: wrong format', async () => {
		const r = await call(sb, systemParams(TIME, { timestamp: new Date().toISOString() }));
		expectError(r.json, 31, 'Invalid timestamp');
		const r2 = await call(sb, systemParams(TIME, { timestamp: String(Date.now()) }));
		expectError(r2.json, 31, 'Invalid timestamp');
	});

	it('31 Invalid timestamp: skew beyond maxSkewSeconds, read as GMT+8', async () => {
		// Host-local / UTC time formatted without the +8h shift is 8 hours off.
		const utc = new Date().toISOString().slice(0, 19).replace('T', ' ');
		const r = await call(sb, systemParams(TIME, { timestamp: utc }));
		expectError(r.json, 31, 'Invalid timestamp');
		expect(r.json.error_response.sub_msg).toMatch(/2880\d seconds|2879\d seconds/);
		// 11 minutes ago fails, 9 minutes ago passes
		const r11 = await call(sb, systemParams(TIME, { timestamp: formatGmt8(new Date(Date.now() - 660_000)) }));
		expectError(r11.json, 31, 'Invalid timestamp');
		const r9 = await call(sb, systemParams(TIME, { timestamp: formatGmt8(new Date(Date.now() - 540_000)) }));
		expect(r9.json.time_get_response).toBeDefined();
		sb.configure({ maxSkewSeconds: 60 });
		const r2 = await call(sb, systemParams(TIME, { timestamp: formatGmt8(new Date(Date.now() + 120_000)) }));
		expectError(r2.json, 31, 'Invalid timestamp');
	});

	it('41 Invalid arguments:sign_method', async () => {
		const p = systemParams(TIME, { sign_method: 'sha1' });
		expectError((await call(sb, p, { sign: 'ABC' })).json, 41, 'Invalid arguments:sign_method');
	});

	it('missing sign_method means md5', async () => {
		const p = systemParams(TIME);
		delete p.sign_method;
		const r = await call(sb, p);
		expect(r.json.time_get_response.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		expect(sb.requests[0].signMethod).toBeNull();
	});

	it('41 Invalid arguments:format, answered in JSON', async () => {
		const r = await call(sb, systemParams(TIME, { format: 'yaml' }));
		expect(r.headers['content-type']).toMatch(/application\/json/);
		expectError(r.json, 41, 'Invalid arguments:format');
	});

	it('missing format means xml', async () => {
		const p = systemParams(TIME);
		delete p.format;
		const r = await call(sb, p);
		expect(r.headers['content-type']).toMatch(/text\/xml/);
		expect(r.text).toMatch(/^<\?xml version="1.0" encoding="utf-8" \?><time_get_response><time>[^<]+<\/time><request_id>[0-9a-z]{13}<\/request_id><\/time_get_response><!--top-sandbox.local-->$/);
	});

	it('24 Missing signature / 25 Invalid signature', async () => {
		expectError((await call(sb, systemParams(TIME), { noSign: true })).json, 24, 'Missing signature');
		expectError((await call(sb, systemParams(TIME), { sign: '0'.repeat(32) })).json, 25, 'Invalid signature');
		expectError((await call(sb, systemParams(TIME), { secret: 'wrong-secret' })).json, 25, 'Invalid signature');
	});

	it('signature with another sign_method than declared is rejected', async () => {
		const p = systemParams(TIME, { sign_method: 'hmac' });
		const md5Sig = signTop(p, APP_SECRET, 'md5');
		expectError((await call(sb, p, { sign: md5Sig })).json, 25, 'Invalid signature');
	});

	it.each(['md5', 'hmac', 'hmac-sha256'])('accepts %s signatures, in upper or lower case', async (m) => {
		const p = systemParams(TIME, { sign_method: m });
		expect((await call(sb, p)).json.time_get_response).toBeDefined();
		const lower = signTop(p, APP_SECRET).toLowerCase();
		expect((await call(sb, p, { sign: lower })).json.time_get_response).toBeDefined();
	});

	it('the signature covers query and body params wherever they travel', async () => {
		const p = systemParams(CANCEL, { param_cancel_stock_lock_request: '{"head":{}}' });
		const allInBody = await call(sb, p, { queryNames: [] });
		expect(allInBody.json.alibaba_damai_yuntoc_order_cancellockstock_response).toBeDefined();
		const allInQuery = await call(sb, p, { queryNames: Object.keys(p).concat('sign') });
		expect(allInQuery.json.alibaba_damai_yuntoc_order_cancellockstock_response).toBeDefined();
		// tampering with a body param breaks the signature
		const sign = signTop(p, APP_SECRET);
		const qs = new URLSearchParams({ ...p, sign });
		qs.delete('param_cancel_stock_lock_request');
		const body = new URLSearchParams({ param_cancel_stock_lock_request: '{"head":{"x":"1"}}' });
		const r = await rawRequest(`${sb.url}?${qs}`, { body: body.toString() });
		expectError(r.json, 25, 'Invalid signature');
	});

	it('empty params are left out of the signature', async () => {
		const p = systemParams(TIME, { partner_id: '', session: '   ' });
		expect((await call(sb, p)).json.time_get_response).toBeDefined();
	});

	it('GET with everything in the query string works too', async () => {
		const r = await call(sb, systemParams(TIME), { httpMethod: 'GET' });
		expect(r.json.time_get_response).toBeDefined();
	});

	it('27 Invalid session only when sessions are configured', async () => {
		expect((await call(sb, systemParams(TIME, { session: 'anything' }))).json.time_get_response).toBeDefined();
		sb.configure({ sessions: ['good-session'] });
		expectError((await call(sb, systemParams(TIME, { session: 'bad' }))).json, 27, 'Invalid session');
		expect((await call(sb, systemParams(TIME, { session: 'good-session' }))).json.time_get_response).toBeDefined();
		expect((await call(sb, systemParams(TIME))).json.time_get_response).toBeDefined();
		sb.configure({ sessions: { 'map-session': true } });
		expect((await call(sb, systemParams(TIME, { session: 'map-session' }))).json.time_get_response).toBeDefined();
	});

	it('XML error answers', async () => {
		const r = await call(sb, systemParams(TIME, { format: 'xml' }), { sign: 'BAD' });
		expect(r.status).toBe(200);
		expect(r.text).toMatch(
			/^<\?xml version="1.0" encoding="utf-8" \?><error_response><code>25<\/code><msg>Invalid signature<\/msg><request_id>[0-9a-z]{13}<\/request_id><\/error_response><!--top-sandbox.local-->$/,
		);
	});

	it('every answer has a fresh request_id', async () => {
		const a = (await call(sb, systemParams(TIME))).json.time_get_response.request_id;
		const b = (await call(sb, systemParams(TIME))).json.time_get_response.request_id;
		expect(a).toMatch(/^[0-9a-z]{13}$/);
		expect(a).not.toBe(b);
	});

	it('taobao.time.get gives GMT+8 time; simplify=true drops the wrapper', async () => {
		const r = await call(sb, systemParams(TIME));
		const t = r.json.time_get_response.time as string;
		expect(formatGmt8() >= t).toBe(true);
		const s = await call(sb, systemParams(TIME, { simplify: 'true' }));
		expect(s.json.time).toBeDefined();
		expect(s.json.request_id).toMatch(/^[0-9a-z]{13}$/);
		expect(s.json.time_get_response).toBeUndefined();
	});
});

describe('sandbox gateway: rate limit', () => {
	it('bans the app after the bucket is empty, with the remaining seconds', async () => {
		sb.configure({ rateLimit: { perSecond: 3, banSeconds: 2 } });
		const answers = [];
		for (let i = 0; i < 5; i++) answers.push((await call(sb, systemParams(TIME))).json);
		expect(answers.slice(0, 3).every((a) => a.time_get_response)).toBe(true);
		for (const a of answers.slice(3)) {
			expectError(a, 7, 'App Call Limited');
			expect(a.error_response.sub_code).toBe('accesscontrol.limited-by-app-access-count');
			expect(a.error_response.sub_msg).toMatch(/^This ban will last for [12] more seconds$/);
		}
		// other apps are not affected
		sb.configure({ apps: { 'sandbox-app-key': APP_SECRET, other: 'other-secret' } });
		const other = await call(sb, systemParams(TIME, { app_key: 'other' }), { secret: 'other-secret' });
		expect(other.json.time_get_response).toBeDefined();
		expect(sb.stats.byOutcome['error:7']).toBe(2);
	});

	it('lifts the ban after banSeconds', async () => {
		sb.configure({ rateLimit: { perSecond: 1, banSeconds: 1 } });
		await call(sb, systemParams(TIME));
		const limited = await call(sb, systemParams(TIME));
		expect(limited.json.error_response.sub_msg).toBe('This ban will last for 1 more seconds');
		await new Promise((r) => setTimeout(r, 1100));
		expect((await call(sb, systemParams(TIME))).json.time_get_response).toBeDefined();
	});

	it('applies only to correctly signed requests', async () => {
		sb.configure({ rateLimit: { perSecond: 1, banSeconds: 5 } });
		await call(sb, systemParams(TIME), { sign: 'BAD' });
		await call(sb, systemParams(TIME), { sign: 'BAD' });
		expect((await call(sb, systemParams(TIME))).json.time_get_response).toBeDefined();
	});
});

describe('sandbox gateway: extra methods (Custom API Call)', () => {
	it('alibaba.damai.yuntoc.order.query echoes the app params, JSON-parsed', async () => {
		const r = await call(sb, systemParams('alibaba.damai.yuntoc.order.query', { param_x: '{"a":[1,2],"b":"<&>"}', plain: 'text' }));
		const res = r.json.alibaba_damai_yuntoc_order_query_response;
		expect(res.request_id).toMatch(/^[0-9a-z]{13}$/);
		expect(res.result.head).toEqual({ return_code: '0', return_desc: 'success' });
		expect(res.result.order_query_result_body.params).toEqual({ param_x: { a: [1, 2], b: '<&>' }, plain: 'text' });
	});

	it('XML conversion: arrays repeat elements, values escaped', async () => {
		const r = await call(sb, systemParams('alibaba.damai.yuntoc.order.query', { format: 'xml', param_x: '{"a":[1,2],"b":"<&>"}' }));
		expect(r.text).toContain('<params><param_x><a>1</a><a>2</a><b>&lt;&amp;&gt;</b></param_x></params>');
		expect(r.text).toMatch(/^<\?xml[^>]*\?><alibaba_damai_yuntoc_order_query_response><result><head>/);
	});

	it('custom extraMethods can be configured', async () => {
		sb.configure({ extraMethods: { 'x.y.z': (p) => ({ got: p.k }) } });
		const r = await call(sb, systemParams('x.y.z', { k: 'v' }));
		expect(r.json.x_y_z_response.got).toBe('v');
		// default echo method stays available
		const q = await call(sb, systemParams('alibaba.damai.yuntoc.order.query'));
		expect(q.json.alibaba_damai_yuntoc_order_query_response).toBeDefined();
		sb.configure({ extraMethods: {} });
	});
});

describe('sandbox gateway: latency', () => {
	it('delays every answer by latencyMs', async () => {
		sb.configure({ latencyMs: 150 });
		sb.reset();
		const t0 = Date.now();
		await Promise.all([call(sb, systemParams(TIME)), cancel(sb, { orderId: 'L-1' })]);
		// a lower bound only (the delay happened); the two waited side by side, not one after the other
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		expect(sb.stats.maxConcurrent).toBe(2);
	});
});
