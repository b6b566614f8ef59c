import { buildTopRequest, toParamValue, type AppIdentity } from '../../nodes/Damai/transport/request';
import { formatTopTimestamp } from '../../nodes/Damai/transport/timestamp';
import type { SignMethod } from '../../nodes/Damai/transport/constants';
import { signTop, parseGmt8 } from '../../tooling/sandbox/sign';

const identity: AppIdentity = { appKey: 'app-key-1', appSecret: 'app-secret-1', signMethod: 'hmac-sha256' };
const NOW = new Date(Date.UTC(2024, 4, 1, 2, 3, 4));
const SYSTEM = ['method', 'app_key', 'timestamp', 'format', 'v', 'sign_method', 'sign'];

const toRecord = (s: string) => Object.fromEntries(new URLSearchParams(s));

describe('buildTopRequest', () => {
	const appParams = {
		param_cancel_stock_lock_request: { head: { msg_id: 'm1', version: '1.0' }, body: { order_id: '123', n: 5 } },
		text: 'a b&c=d+é/大麦',
		num: 42,
		flag: false,
		blank: '   ',
		empty: '',
		nothing: null,
		missing: undefined,
	};

	it('puts system parameters in the query and application parameters in the body', () => {
		const req = buildTopRequest('alibaba.damai.yuntoc.order.cancellockstock', appParams, identity, 'json', NOW);
		const query = toRecord(req.query);
		const body = toRecord(req.body);
		expect(Object.keys(query).sort()).toEqual([...SYSTEM].sort());
		expect(Object.keys(body).sort()).toEqual(['flag', 'num', 'param_cancel_stock_lock_request', 'text']);
		expect(query.method).toBe('alibaba.damai.yuntoc.order.cancellockstock');
		expect(query.app_key).toBe('app-key-1');
		expect(query.format).toBe('json');
		expect(query.v).toBe('2.0');
		expect(query.sign_method).toBe('hmac-sha256');
		expect(query.timestamp).toBe(formatTopTimestamp(NOW));
		expect(parseGmt8(query.timestamp)).toBe(Math.floor(NOW.getTime() / 1000) * 1000);
	});

	it('sends objects as their JSON text, numbers and booleans as text, blank values not at all', () => {
		const req = buildTopRequest('m.x', appParams, identity, 'xml', NOW);
		const body = toRecord(req.body);
		expect(body.param_cancel_stock_lock_request).toBe(JSON.stringify(appParams.param_cancel_stock_lock_request));
		expect(JSON.parse(body.param_cancel_stock_lock_request)).toEqual(appParams.param_cancel_stock_lock_request);
		expect(body.text).toBe('a b&c=d+é/大麦');
		expect(body.num).toBe('42');
		expect(body.flag).toBe('false');
		for (const name of ['blank', 'empty', 'nothing', 'missing']) {
			expect(body).not.toHaveProperty(name);
			expect(req.params).not.toHaveProperty(name);
		}
		expect(toRecord(req.query).format).toBe('xml');
	});

	it('toParamValue', () => {
		expect(toParamValue(undefined)).toBeUndefined();
		expect(toParamValue(null)).toBeUndefined();
		expect(toParamValue('x')).toBe('x');
		expect(toParamValue(1.5)).toBe('1.5');
		expect(toParamValue(true)).toBe('true');
		expect(toParamValue({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
	});

	it.each<SignMethod>(['md5', 'hmac', 'hmac-sha256'])('the sign (%s) verifies with the sandbox signer over query + body', (signMethod) => {
		const req = buildTopRequest('m.x', appParams, { ...identity, signMethod }, 'json', NOW);
		const query = toRecord(req.query);
		const all = { ...query, ...toRecord(req.body) };
		expect(query.sign).toBe(signTop(all, identity.appSecret, signMethod));
		expect(query.sign).toBe(signTop(all, identity.appSecret)); // by the sign_method param itself
		expect(req.params.sign).toBe(query.sign);
		// a different secret does not verify
		expect(query.sign).not.toBe(signTop(all, 'other-secret', signMethod));
	});

	it('the URL encoding round-trips every value exactly (what is signed is what is sent)', () => {
		const req = buildTopRequest('m.x', appParams, identity, 'json', NOW);
		const sent = { ...toRecord(req.query), ...toRecord(req.body) };
		expect(sent).toEqual(req.params);
		// spaces are not sent as '+', which a form decoder would read as a plus anyway
		expect(req.body).not.toMatch(/[ ]/);
	});

	it('sends `session` only when one is given', () => {
		const without = toRecord(buildTopRequest('m.x', {}, identity, 'json', NOW).query);
		expect(without).not.toHaveProperty('session');
		const blank = toRecord(buildTopRequest('m.x', {}, { ...identity, session: '  ' }, 'json', NOW).query);
		expect(blank).not.toHaveProperty('session');
		const withSession = buildTopRequest('m.x', {}, { ...identity, session: 'sess-1' }, 'json', NOW);
		const query = toRecord(withSession.query);
		expect(query.session).toBe('sess-1');
		expect(query.sign).toBe(signTop(query, identity.appSecret, 'hmac-sha256'));
	});

	it('never sends the app secret', () => {
		const req = buildTopRequest('m.x', appParams, identity, 'json', NOW);
		expect(req.query + req.body).not.toContain('app-secret-1');
		expect(JSON.stringify(req.params)).not.toContain('app-secret-1');
	});
});
