import { gatewayError, parseAnswer, responseKey, sanitize } from '../../nodes/Damai/transport/parse';
import { TopError } from '../../nodes/Damai/transport/errors';
import { createRedactor } from '../../nodes/Damai/transport/redact';

const METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
const WRAP = 'alibaba_damai_yuntoc_order_cancellockstock_response';
const SECRET = 'Sup3r-Secret+/=';
const redact = createRedactor([SECRET]);
const XML_DECL = '<?xml version="1.0" encoding="utf-8" ?>';

function parse(body: string, status = 200, contentType?: string) {
	return parseAnswer({ status, body, contentType }, METHOD, redact);
}
function failure(body: string, status = 200, contentType?: string): TopError {
	try {
		parse(body, status, contentType);
	} catch (error) {
		expect(error).toBeInstanceOf(TopError);
		return error as TopError;
	}
	throw new Error('expected parseAnswer to throw');
}

describe('parseAnswer: success answers, JSON and XML', () => {
	const json = JSON.stringify({
		[WRAP]: {
			result: {
				cancel_stock_lock_result_body: { order_id: '12345' },
				head: { return_code: '0', return_desc: '成功 & <ok>' },
			},
			request_id: 'r8ls2yqg1xbp',
		},
	});
	const xml =
		XML_DECL +
		`<${WRAP}><result><cancel_stock_lock_result_body><order_id>12345</order_id></cancel_stock_lock_result_body>` +
		'<head><return_code>0</return_code><return_desc>成功 &amp; &lt;ok&gt;</return_desc></head></result>' +
		`<request_id>r8ls2yqg1xbp</request_id></${WRAP}><!--top011184081134.na62-->`;

	it('JSON: unwraps <method>_response and reads request_id', () => {
		const answer = parse(json);
		expect(answer.requestId).toBe('r8ls2yqg1xbp');
		expect(answer.body).toEqual({
			result: { cancel_stock_lock_result_body: { order_id: '12345' }, head: { return_code: '0', return_desc: '成功 & <ok>' } },
			request_id: 'r8ls2yqg1xbp',
		});
	});

	it('XML with a trailing <!--top…--> comment gives the same result as JSON', () => {
		expect(parse(xml, 200, 'text/xml;charset=UTF-8')).toEqual(parse(json, 200, 'application/json'));
	});

	it('the spec\'s pretty-printed XML example equals its JSON form', () => {
		const pretty = `<${WRAP}>\n    <result>\n        <cancel_stock_lock_result_body>\n            <order_id>1</order_id>\n        </cancel_stock_lock_result_body>\n        <head>\n            <return_code>1</return_code>\n            <return_desc>1</return_desc>\n        </head>\n    </result>\n</${WRAP}>\n`;
		const same = { [WRAP]: { result: { cancel_stock_lock_result_body: { order_id: '1' }, head: { return_code: '1', return_desc: '1' } } } };
		expect(parse(pretty)).toEqual(parse(JSON.stringify(same)));
		expect(parse(pretty).requestId).toBeUndefined();
	});

	it('empty XML elements equal empty JSON strings', () => {
		const j = JSON.stringify({ [WRAP]: { result: { head: { return_code: '0', return_desc: '' } } } });
		const x = `<${WRAP}><result><head><return_code>0</return_code><return_desc/></head></result></${WRAP}>`;
		expect(parse(x)).toEqual(parse(j));
	});

	it('simplify=true (no wrapper) gives the same body', () => {
		const inner = JSON.parse(json)[WRAP];
		expect(parse(JSON.stringify(inner))).toEqual(parse(json));
	});

	it('leading whitespace / BOM is tolerated', () => {
		expect(parse('\uFEFF\n  ' + json)).toEqual(parse(json));
		expect(parse('\n' + xml + '\n')).toEqual(parse(json));
	});

	it('a TOP answer labelled text/html (Express res.send(string) does that) is still read by its body', () => {
		expect(parse(json, 200, 'text/html; charset=utf-8')).toEqual(parse(json));
		expect(parse(xml, 200, 'text/html; charset=utf-8')).toEqual(parse(json));
		const e = failure(JSON.stringify({ error_response: { code: 29, msg: 'Invalid app key' } }), 200, 'text/html; charset=utf-8');
		expect(e.kind).toBe('gateway');
		expect(e.code).toBe(29);
	});

	it('responseKey', () => {
		expect(responseKey(METHOD)).toBe(WRAP);
	});

	it('a broken XML answer does not break the parser for the next one', () => {
		for (const broken of [`<${WRAP}><result>`, '<a><b></a>', '<a>&bogus;</a>', `<${WRAP}>x</${WRAP}><second/>`]) {
			expect(failure(broken).kind).toBe('parse');
			expect(parse(xml)).toEqual(parse(json));
		}
	});
});

describe('parseAnswer: error_response', () => {
	const fields = { code: 50, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '非法参数', request_id: 'abc123xyz' };
	const json = JSON.stringify({ error_response: fields });
	const xml =
		XML_DECL +
		'<error_response><code>50</code><msg>Remote service error</msg><sub_code>isv.invalid-parameter</sub_code>' +
		'<sub_msg>非法参数</sub_msg><request_id>abc123xyz</request_id></error_response><!--top011184081134.na62-->';

	it.each([
		['JSON', json],
		['XML', xml],
	])('%s → TopError kind gateway with numeric code, msg, subCode, subMsg, requestId', (_name, body) => {
		const e = failure(body);
		expect(e.kind).toBe('gateway');
		expect(e.code).toBe(50);
		expect(typeof e.code).toBe('number');
		expect(e.msg).toBe('Remote service error');
		expect(e.subCode).toBe('isv.invalid-parameter');
		expect(e.subMsg).toBe('非法参数');
		expect(e.requestId).toBe('abc123xyz');
		expect(e.httpStatus).toBe(200);
		expect(e.message).toContain('50');
		expect(e.message).toContain('isv.invalid-parameter');
		expect(e.message).toContain('非法参数');
		expect(e.description).toContain('request_id: abc123xyz');
	});

	it('JSON and XML errors give identical errors', () => {
		const a = failure(json);
		const b = failure(xml);
		expect(b.toJSON()).toEqual(a.toJSON());
		expect(b.description).toBe(a.description);
	});

	it('an error_response with only code and msg', () => {
		const e = failure(JSON.stringify({ error_response: { code: 7, msg: 'App Call Limited' } }));
		expect(e.code).toBe(7);
		expect(e.subCode).toBeUndefined();
		expect(e.subMsg).toBeUndefined();
		expect(e.requestId).toBeUndefined();
	});

	it('gatewayError redacts secrets echoed in every text field', () => {
		const e = gatewayError(
			{ code: 15, msg: `bad ${SECRET}`, sub_code: `isv.${SECRET}`, sub_msg: `echo ${encodeURIComponent(SECRET)}`, request_id: SECRET },
			redact,
		);
		const all = JSON.stringify(e) + e.message + e.description;
		expect(all).not.toContain(SECRET);
		expect(all).not.toContain(encodeURIComponent(SECRET));
		expect(e.code).toBe(15);
	});
});

describe('parseAnswer: not a TOP answer', () => {
	const nginx502 =
		'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

	it('HTML 502 → kind http, status in the message, short single-line excerpt', () => {
		const e = failure(nginx502 + 'x'.repeat(5000), 502, 'text/html');
		expect(e.kind).toBe('http');
		expect(e.httpStatus).toBe(502);
		expect(e.message).toContain('502');
		expect(e.message).toMatch(/HTML/);
		expect(e.excerpt).toBeDefined();
		expect((e.excerpt as string).length).toBeLessThanOrEqual(201);
		expect(e.excerpt).not.toMatch(/[\r\n]/);
		expect(e.excerpt).toContain('502 Bad Gateway');
		expect((e.description as string).length).toBeLessThan(300);
	});

	it('non-200 with a plain body → kind http naming the status', () => {
		for (const status of [400, 404, 429, 500, 503]) {
			const e = failure('Service Unavailable', status, 'text/plain');
			expect(e.kind).toBe('http');
			expect(e.httpStatus).toBe(status);
			expect(e.message).toContain(String(status));
		}
	});

	it('non-200 with an empty body → kind http, says the body was empty', () => {
		const e = failure('', 503);
		expect(e.kind).toBe('http');
		expect(e.message).toContain('503');
		expect(e.excerpt).toBeUndefined();
		expect(e.description).toMatch(/empty/i);
	});

	it('HTML with 200 → kind parse', () => {
		const e = failure('<!DOCTYPE html><html><body>Login</body></html>', 200, 'text/html');
		expect(e.kind).toBe('parse');
		expect(e.httpStatus).toBe(200);
		expect(e.message).toMatch(/HTML/);
		const e2 = failure('<html><body>portal</body></html>'); // no content type
		expect(e2.kind).toBe('parse');
		expect(e2.message).toMatch(/HTML/);
	});

	it('empty / whitespace body with 200 → kind parse', () => {
		for (const body of ['', '   \n']) {
			const e = failure(body);
			expect(e.kind).toBe('parse');
			expect(e.httpStatus).toBe(200);
			expect(e.message).toMatch(/empty/i);
		}
	});

	it('truncated JSON → kind parse with a short excerpt', () => {
		const full = JSON.stringify({ [WRAP]: { result: { head: { return_code: '0', return_desc: 'y'.repeat(1000) } } } });
		const e = failure(full.slice(0, Math.floor(full.length / 2)));
		expect(e.kind).toBe('parse');
		expect(e.httpStatus).toBe(200);
		expect((e.excerpt as string).length).toBeLessThanOrEqual(201);
		expect(e.excerpt).toContain(WRAP);
	});

	it('broken XML → kind parse', () => {
		const e = failure(`${XML_DECL}<${WRAP}><result><head><return_code>0</return_code>`);
		expect(e.kind).toBe('parse');
		expect(e.description).toBeDefined();
	});

	it('plain text, JSON arrays and scalars → kind parse', () => {
		expect(failure('OK').kind).toBe('parse');
		expect(failure('[1,2]').kind).toBe('parse');
		expect(failure(JSON.stringify({ [WRAP]: 'text' })).kind).toBe('parse');
	});

	it('the excerpt and description of a parse error carry no secret', () => {
		const e = failure(`{"broken": "${SECRET}" ${encodeURIComponent(SECRET)}`);
		expect(e.kind).toBe('parse');
		const all = JSON.stringify(e) + e.message + e.description;
		expect(all).not.toContain(SECRET);
		expect(all).not.toContain(encodeURIComponent(SECRET));
		const h = failure(`<html><body>${SECRET}</body></html>`, 500, 'text/html');
		expect(JSON.stringify(h) + h.description).not.toContain(SECRET);
	});
});

describe('parseAnswer: prototype pollution', () => {
	afterEach(() => {
		// in case a test failed half-way, do not leak into others
		delete (Object.prototype as Record<string, unknown>).polluted;
	});

	it('JSON __proto__/constructor/prototype keys are dropped and pollute nothing', () => {
		const body =
			`{"${WRAP}":{"__proto__":{"polluted":"yes"},"result":{"constructor":{"prototype":{"polluted":"yes"}},` +
			`"prototype":{"polluted":"yes"},"head":{"return_code":"0","__proto__":{"polluted":"yes"}}}},"__proto__":{"polluted":"yes"}}`;
		const answer = parse(body);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		expect(answer.body).toEqual({ result: { head: { return_code: '0' } } });
		const result = answer.body.result as Record<string, unknown>;
		expect(Object.prototype.hasOwnProperty.call(answer.body, '__proto__')).toBe(false);
		expect(Object.prototype.hasOwnProperty.call(result, 'constructor')).toBe(false);
		expect(Object.prototype.hasOwnProperty.call(result, 'prototype')).toBe(false);
		expect(Object.getPrototypeOf(answer.body)).toBe(Object.prototype);
		expect(Object.getPrototypeOf(result.head)).toBe(Object.prototype);
		expect((answer.body as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('XML __proto__/constructor/prototype elements are dropped and pollute nothing', () => {
		const body =
			`<${WRAP}><__proto__><polluted>yes</polluted></__proto__><result><constructor><prototype><polluted>yes</polluted></prototype></constructor>` +
			`<prototype><polluted>yes</polluted></prototype><head><return_code>0</return_code><__proto__><polluted>yes</polluted></__proto__></head></result></${WRAP}>`;
		const answer = parse(body);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(answer.body).toEqual({ result: { head: { return_code: '0' } } });
		const result = answer.body.result as Record<string, unknown>;
		expect(Object.getPrototypeOf(answer.body)).toBe(Object.prototype);
		expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
		expect(Object.getPrototypeOf(result.head)).toBe(Object.prototype);
		expect((result.head as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('an error_response hidden under __proto__ is not taken for a gateway error', () => {
		const answer = parse('{"__proto__":{"error_response":{"code":7,"msg":"x"}},"' + WRAP + '":{"ok":"1"}}');
		expect(answer.body).toEqual({ ok: '1' });
	});

	it('sanitize rebuilds plain objects and arrays', () => {
		const input = JSON.parse('{"a":[{"__proto__":{"x":1},"b":2}],"constructor":3}');
		expect(sanitize(input)).toEqual({ a: [{ b: 2 }] });
	});
});
