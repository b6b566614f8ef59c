import { createHash, createHmac } from 'crypto';

import { buildSignString, byCharCode, isBlank, signParams, signText } from '../../nodes/Damai/transport/sign';
import { buildHead, newMsgId, signHead } from '../../nodes/Damai/transport/head';
import type { SignMethod } from '../../nodes/Damai/transport/constants';
import * as sandboxSign from '../../tooling/sandbox/sign';
import { EXPECTED, VECTOR_A, VECTOR_A_S, VECTOR_A_SECRET, VECTOR_B, VECTOR_B_SECRET } from '../helpers/vectors';

const METHODS: SignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

describe('TOP signing: published vectors', () => {
	it('vector A: the sign string is exactly the published S', () => {
		expect(buildSignString(VECTOR_A)).toBe(VECTOR_A_S);
	});

	it("the fixture's computed hmac values are what node:crypto gives for S (not the node's code)", () => {
		const hmac = (algo: string, params: Record<string, string>) =>
			createHmac(algo, VECTOR_A_SECRET).update(Object.keys(params).sort().map((k) => k + params[k]).join(''), 'utf8').digest('hex').toUpperCase();
		expect(hmac('md5', { ...VECTOR_A, sign_method: 'hmac' })).toBe(EXPECTED.aHmac);
		expect(hmac('sha256', { ...VECTOR_A, sign_method: 'hmac-sha256' })).toBe(EXPECTED.aHmacSha256);
		expect(createHash('md5').update(VECTOR_A_SECRET + VECTOR_A_S + VECTOR_A_SECRET, 'utf8').digest('hex').toUpperCase()).toBe(EXPECTED.aMd5);
	});

	it('the fixture holds the published vectors (secrets helloworld / test, 32 and 64 hex digits)', () => {
		expect([VECTOR_A_SECRET, VECTOR_B_SECRET]).toEqual(['helloworld', 'test']);
		expect(Object.keys(VECTOR_B).sort()).toEqual(['app_key', 'fields', 'format', 'method', 'session', 'sign_method', 'timestamp', 'v']);
		expect([EXPECTED.aMd5, EXPECTED.aHmac, EXPECTED.bMd5].every((h) => /^[0-9A-F]{32}$/.test(h))).toBe(true);
		expect(EXPECTED.aHmacSha256).toMatch(/^[0-9A-F]{64}$/);
	});

	it('vector A md5, as the fixture gives it', () => {
		expect(signParams(VECTOR_A, VECTOR_A_SECRET, 'md5')).toBe(EXPECTED.aMd5);
	});

	it('vector A with sign_method=hmac, as the fixture gives it', () => {
		expect(signParams({ ...VECTOR_A, sign_method: 'hmac' }, VECTOR_A_SECRET, 'hmac')).toBe(EXPECTED.aHmac);
	});

	it('vector A with sign_method=hmac-sha256, as the fixture gives it (64 hex chars)', () => {
		const sign = signParams({ ...VECTOR_A, sign_method: 'hmac-sha256' }, VECTOR_A_SECRET, 'hmac-sha256');
		expect(sign).toBe(EXPECTED.aHmacSha256);
		expect(sign).toHaveLength(64);
	});

	it('vector B md5, as the fixture gives it', () => {
		expect(signParams(VECTOR_B, VECTOR_B_SECRET, 'md5')).toBe(EXPECTED.bMd5);
	});

	it('a `sign` parameter already present is not signed', () => {
		expect(buildSignString({ ...VECTOR_A, sign: 'WHATEVER' })).toBe(VECTOR_A_S);
		expect(signParams({ ...VECTOR_A, sign: EXPECTED.aMd5 }, VECTOR_A_SECRET, 'md5')).toBe(EXPECTED.aMd5);
	});

	it('signatures are upper-case hex of the right length', () => {
		for (const method of METHODS) {
			const sign = signParams({ ...VECTOR_A, sign_method: method }, 'helloworld', method);
			expect(sign).toMatch(method === 'hmac-sha256' ? /^[0-9A-F]{64}$/ : /^[0-9A-F]{32}$/);
		}
	});

	it('an unknown sign method is refused', () => {
		expect(() => signText('x', 'secret', 'sha1' as SignMethod)).toThrow(/sign method/i);
	});
});

describe('TOP signing: blank values and order', () => {
	it('empty and whitespace-only values are left out of the string', () => {
		const params = { ...VECTOR_A, partner_id: '', target_app_key: '   ', simplify: '\t\n' };
		expect(buildSignString(params)).toBe(VECTOR_A_S);
		expect(signParams(params, VECTOR_A_SECRET, 'md5')).toBe(EXPECTED.aMd5);
	});

	it('isBlank: only undefined, null, empty and whitespace are blank', () => {
		expect(isBlank(undefined)).toBe(true);
		expect(isBlank(null)).toBe(true);
		expect(isBlank('')).toBe(true);
		expect(isBlank(' \t\r\n')).toBe(true);
		expect(isBlank('0')).toBe(false);
		expect(isBlank(' x ')).toBe(false);
	});

	it('sorts names by character code: upper case before "_" before lower case, "a_b" before "ab"', () => {
		const params = { ab: '1', a_b: '2', Z: '3', b: '4', B: '5', _x: '6', a: '7', A1: '8' };
		// ASCII: 'A'(65) < 'B'(66) < 'Z'(90) < '_'(95) < 'a'(97) < 'b'(98)
		expect(buildSignString(params)).toBe('A18B5Z3_x6a7a_b2ab1b4');
		expect(buildSignString(params)).toBe(sandboxSign.topSignString(params));
		// and differs from a locale-aware order, which is the classic mistake
		const localeOrder = Object.keys(params)
			.sort((x, y) => x.localeCompare(y))
			.map((k) => k + params[k as keyof typeof params])
			.join('');
		expect(buildSignString(params)).not.toBe(localeOrder);
	});

	it('byCharCode is a consistent comparator', () => {
		expect(byCharCode('a', 'b')).toBeLessThan(0);
		expect(byCharCode('b', 'a')).toBeGreaterThan(0);
		expect(byCharCode('a', 'a')).toBe(0);
		expect(byCharCode('Z', 'a')).toBeLessThan(0);
		expect(byCharCode('a_b', 'ab')).toBeLessThan(0);
	});

	it('values are signed raw, not URL-encoded', () => {
		const params = { q: 'a b&c=d/é+%' };
		expect(buildSignString(params)).toBe('qa b&c=d/é+%');
	});

	it('agrees with the sandbox signer for random parameter sets, all three methods', () => {
		let seed = 42;
		const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
		const alphabet = 'abcXYZ_09-. 大麦✓';
		const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
		for (let i = 0; i < 50; i++) {
			const params: Record<string, string> = {};
			const count = 1 + Math.floor(rand() * 8);
			for (let j = 0; j < count; j++) params[word(1 + Math.floor(rand() * 6)).replace(/\s/g, '_')] = rand() < 0.15 ? '  ' : word(Math.floor(rand() * 12));
			for (const method of METHODS) {
				expect(signParams(params, 'sec-' + i, method)).toBe(sandboxSign.signTop(params, 'sec-' + i, method));
			}
		}
	});
});

describe('TOP signing: unicode values are signed as UTF-8', () => {
	const params = { method: 'x.y', order: '大麦票务 ✓ 😀 é', app_key: 'k' };
	const secret = 'sëcret-大';

	it('matches the sandbox signer for all three methods', () => {
		for (const method of METHODS) {
			expect(signParams({ ...params, sign_method: method }, secret, method)).toBe(
				sandboxSign.signTop({ ...params, sign_method: method }, secret, method),
			);
		}
	});

	it('md5/hmac/hmac-sha256 over the UTF-8 bytes, not Latin-1', () => {
		const s = buildSignString(params);
		const utf8 = createHash('md5').update(Buffer.from(secret + s + secret, 'utf8')).digest('hex').toUpperCase();
		const latin1 = createHash('md5').update(Buffer.from(secret + s + secret, 'latin1')).digest('hex').toUpperCase();
		expect(utf8).not.toBe(latin1);
		expect(signParams(params, secret, 'md5')).toBe(utf8);
		expect(signParams(params, secret, 'hmac')).toBe(
			createHmac('md5', Buffer.from(secret, 'utf8')).update(Buffer.from(s, 'utf8')).digest('hex').toUpperCase(),
		);
		expect(signParams(params, secret, 'hmac-sha256')).toBe(
			createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(s, 'utf8')).digest('hex').toUpperCase(),
		);
	});
});

describe('request head signing', () => {
	const base = {
		msgId: 'b5f0c2de-1c1e-4f43-9a51-3f0a3e0c6a11',
		supplierKey: 'supplier-key-1',
		supplierSecret: 'supplier-secret-1',
		version: '1.0',
		now: 1_700_000_000_123,
	};

	it('buildHead fills every field; time_stamp is epoch milliseconds as a string', () => {
		const head = buildHead({ ...base, signMethod: 'md5' });
		expect(head.msg_id).toBe(base.msgId);
		expect(head.supplier_key).toBe(base.supplierKey);
		expect(head.supplier_secret).toBe(base.supplierSecret);
		expect(head.time_stamp).toBe(String(base.now));
		expect(head.version).toBe('1.0');
		expect(typeof head.time_stamp).toBe('string');
	});

	it('buildHead without `now` uses the current time in ms', () => {
		const before = Date.now();
		const head = buildHead({ ...base, now: undefined, signMethod: 'none' });
		const after = Date.now();
		expect(Number(head.time_stamp)).toBeGreaterThanOrEqual(before);
		expect(Number(head.time_stamp)).toBeLessThanOrEqual(after);
	});

	it('md5 = MD5(secret + H + secret) over the fields except signed/supplier_secret, sorted', () => {
		const head = buildHead({ ...base, signMethod: 'md5' });
		const h = `msg_id${base.msgId}supplier_key${base.supplierKey}time_stamp${base.now}version1.0`;
		expect(sandboxSign.headSignString(head as unknown as Record<string, unknown>)).toBe(h);
		const expected = createHash('md5')
			.update(base.supplierSecret + h + base.supplierSecret, 'utf8')
			.digest('hex')
			.toUpperCase();
		expect(head.signed).toBe(expected);
		expect(head.signed).toBe(sandboxSign.signHead(head as unknown as Record<string, unknown>, base.supplierSecret, 'md5'));
	});

	it('hmac-sha256 = HMAC-SHA256(key = secret, H), cross-checked with the sandbox', () => {
		const head = buildHead({ ...base, signMethod: 'hmac-sha256' });
		const h = `msg_id${base.msgId}supplier_key${base.supplierKey}time_stamp${base.now}version1.0`;
		expect(head.signed).toBe(createHmac('sha256', base.supplierSecret).update(h, 'utf8').digest('hex').toUpperCase());
		expect(head.signed).toBe(
			sandboxSign.signHead(head as unknown as Record<string, unknown>, base.supplierSecret, 'hmac-sha256'),
		);
		expect(head.signed).toMatch(/^[0-9A-F]{64}$/);
	});

	it('none leaves `signed` out entirely', () => {
		const head = buildHead({ ...base, signMethod: 'none' });
		expect('signed' in head).toBe(false);
		expect(JSON.parse(JSON.stringify(head))).not.toHaveProperty('signed');
	});

	it('supplier_secret and signed fields do not enter the signed string', () => {
		const head = buildHead({ ...base, signMethod: 'none' });
		for (const method of ['md5', 'hmac-sha256'] as const) {
			const plain = signHead(head, base.supplierSecret, method);
			expect(signHead({ ...head, supplier_secret: 'something else' }, base.supplierSecret, method)).toBe(plain);
			expect(signHead({ ...head, signed: 'OLD' } as typeof head, base.supplierSecret, method)).toBe(plain);
			// but the key does matter, and every other field does
			expect(signHead(head, 'another-key', method)).not.toBe(plain);
			expect(signHead({ ...head, version: '2.0' }, base.supplierSecret, method)).not.toBe(plain);
		}
	});

	it('blank head fields are left out, as the sandbox does', () => {
		const head = buildHead({ ...base, version: '', signMethod: 'md5' });
		const h = `msg_id${base.msgId}supplier_key${base.supplierKey}time_stamp${base.now}`;
		expect(sandboxSign.headSignString(head as unknown as Record<string, unknown>)).toBe(h);
		expect(head.signed).toBe(sandboxSign.signHead(head as unknown as Record<string, unknown>, base.supplierSecret, 'md5'));
	});

	it('unicode in the head is signed as UTF-8 (cross-check)', () => {
		const head = buildHead({ ...base, supplierKey: '供应商-✓', supplierSecret: 'clé-密', signMethod: 'md5' });
		expect(head.signed).toBe(sandboxSign.signHead(head as unknown as Record<string, unknown>, 'clé-密', 'md5'));
		const head2 = buildHead({ ...base, supplierKey: '供应商-✓', supplierSecret: 'clé-密', signMethod: 'hmac-sha256' });
		expect(head2.signed).toBe(sandboxSign.signHead(head2 as unknown as Record<string, unknown>, 'clé-密', 'hmac-sha256'));
	});

	it('newMsgId gives distinct v4 UUIDs', () => {
		const ids = new Set(Array.from({ length: 200 }, () => newMsgId()));
		expect(ids.size).toBe(200);
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
