import { createRedactor, excerpt, REDACTED } from '../../nodes/Damai/transport/redact';

describe('createRedactor', () => {
	const secret = 'Ab3/+= x"y\\z&q';
	const redact = createRedactor([secret, undefined, '', 'sess-ion']);

	it('removes the raw secret', () => {
		const out = redact(`before ${secret} middle ${secret} after`);
		expect(out).not.toContain(secret);
		expect(out).toBe(`before ${REDACTED} middle ${REDACTED} after`);
	});

	it('removes the URL-encoded secret (%20 and + for spaces)', () => {
		const encoded = encodeURIComponent(secret);
		expect(redact(`q=${encoded}&x=1`)).toBe(`q=${REDACTED}&x=1`);
		const plus = encoded.replace(/%20/g, '+');
		expect(redact(`q=${plus}&x=1`)).toBe(`q=${REDACTED}&x=1`);
		// the form encoding URLSearchParams produces
		const form = new URLSearchParams({ q: secret }).toString();
		expect(redact(form)).not.toContain(form.slice(2));
	});

	it('removes the JSON-escaped secret', () => {
		const json = JSON.stringify({ supplier_secret: secret });
		const out = redact(json);
		expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
		expect(out).toBe(`{"supplier_secret":"${REDACTED}"}`);
	});

	it('removes the secret from URL-encoded JSON text (how the form body carries the request head)', () => {
		// param_cancel_stock_lock_request is JSON text, sent form-urlencoded: a gateway echoing the
		// raw body shows encodeURIComponent(JSON text).
		const body = 'param_cancel_stock_lock_request=' + encodeURIComponent(JSON.stringify({ head: { supplier_secret: secret } }));
		const out = redact(body);
		expect(out).not.toContain(encodeURIComponent(JSON.stringify(secret).slice(1, -1)));
		expect(decodeURIComponent(out)).not.toContain(JSON.stringify(secret).slice(1, -1));
	});

	it('handles several secrets and leaves other text alone', () => {
		const out = redact(`a sess-ion b ${secret} c`);
		expect(out).toBe(`a ${REDACTED} b ${REDACTED} c`);
		expect(redact('nothing to hide here')).toBe('nothing to hide here');
	});

	it('a secret that contains another is replaced whole', () => {
		const r = createRedactor(['abc', 'xxabcxx']);
		expect(r('1 xxabcxx 2 abc 3')).toBe(`1 ${REDACTED} 2 ${REDACTED} 3`);
	});

	it('no secrets → identity', () => {
		const r = createRedactor([undefined, '']);
		expect(r('anything abc')).toBe('anything abc');
	});
});

describe('excerpt', () => {
	const secret = 'QzSECRETvalue42';
	const redact = createRedactor([secret]);

	it('is short, single-line and printable', () => {
		const body = 'line1\r\nline2\t\u0000\u0007' + 'x'.repeat(1000);
		const ex = excerpt(body, redact);
		expect(ex.length).toBeLessThanOrEqual(201);
		expect(ex).not.toMatch(/[\u0000-\u001f\u007f]/);
		expect(ex.startsWith('line1 line2')).toBe(true);
		expect(ex.endsWith('…')).toBe(true);
		expect(excerpt('short', redact)).toBe('short');
		expect(excerpt('a'.repeat(50), redact, 10)).toBe('a'.repeat(10) + '…');
	});

	it('never leaves a prefix of a secret at its cut, wherever the secret straddles it', () => {
		for (let start = 180; start <= 205; start++) {
			const body = 'x'.repeat(start) + secret + 'y'.repeat(300);
			const ex = excerpt(body, redact);
			expect(ex.length).toBeLessThanOrEqual(201);
			for (let k = 2; k <= secret.length; k++) expect(ex).not.toContain(secret.slice(0, k));
		}
	});

	it('never leaves a prefix of a URL-encoded secret at its cut', () => {
		const s = 'a/b+c=d/e+f=g/h';
		const r = createRedactor([s]);
		const enc = encodeURIComponent(s);
		for (let start = 185; start <= 201; start++) {
			const ex = excerpt('x'.repeat(start) + enc + 'y'.repeat(100), r);
			for (let k = 4; k <= enc.length; k++) expect(ex).not.toContain(enc.slice(0, k));
		}
	});
});
