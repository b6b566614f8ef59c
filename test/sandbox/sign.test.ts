import { signTop, topSignString, signHead, headSignString, formatGmt8, parseGmt8, sameSignature } from '../../tooling/sandbox/sign';
import * as crypto from 'node:crypto';

import { EXPECTED, VECTOR_A as vectorA, VECTOR_A_S, VECTOR_A_SECRET, VECTOR_B, VECTOR_B_SECRET } from '../helpers/vectors';


describe('sandbox TOP signing', () => {
	it('builds the spec string S for vector A', () => {
		expect(topSignString(vectorA)).toBe(VECTOR_A_S);
	});

	it('reproduces vector A (md5, hmac, hmac-sha256)', () => {
		expect(signTop(vectorA, VECTOR_A_SECRET)).toBe(EXPECTED.aMd5);
		expect(signTop({ ...vectorA, sign_method: 'hmac' }, VECTOR_A_SECRET)).toBe(EXPECTED.aHmac);
		expect(signTop({ ...vectorA, sign_method: 'hmac-sha256' }, VECTOR_A_SECRET)).toBe(EXPECTED.aHmacSha256);
	});

	it('reproduces vector B', () => {
		expect(signTop(VECTOR_B, VECTOR_B_SECRET)).toBe(EXPECTED.bMd5);
	});

	it('ignores sign, empty and whitespace-only values; param order does not matter', () => {
		const shuffled = Object.fromEntries(Object.entries(vectorA).reverse());
		expect(signTop({ ...shuffled, sign: 'X', empty: '', blank: '   ' }, VECTOR_A_SECRET)).toBe(EXPECTED.aMd5);
	});

	it('sorts by char code (upper case before lower case, _ after upper case)', () => {
		expect(topSignString({ b: '1', B: '2', a_b: '3', aB: '4', a: '5' })).toBe('B2a5aB4a_b3b1');
	});

	it('signs UTF-8 values', () => {
		const p = { a: '非法参数' };
		const expected = crypto.createHash('md5').update('sa非法参数s', 'utf8').digest('hex').toUpperCase();
		expect(signTop(p, 's', 'md5')).toBe(expected);
	});

	it('compares signatures case-insensitively', () => {
		expect(sameSignature('abcDEF', 'ABCdef')).toBe(true);
		expect(sameSignature('abc', 'abd')).toBe(false);
		expect(sameSignature('abc', 'abcd')).toBe(false);
	});
});

describe('sandbox head signing', () => {
	const head = { version: '1.0', time_stamp: '1700000000000', supplier_key: 'k', msg_id: 'm1', supplier_secret: 's', signed: 'x', empty: '' };

	it('uses every head field except signed and supplier_secret, sorted, blanks skipped', () => {
		expect(headSignString(head)).toBe('msg_idm1supplier_keyktime_stamp1700000000000version1.0');
	});

	it('md5 = MD5(secret + H + secret), hmac-sha256 = HMAC-SHA256(secret, H)', () => {
		const h = 'msg_idm1supplier_keyktime_stamp1700000000000version1.0';
		expect(signHead(head, 'sec', 'md5')).toBe(crypto.createHash('md5').update('sec' + h + 'sec').digest('hex').toUpperCase());
		expect(signHead(head, 'sec', 'hmac-sha256')).toBe(crypto.createHmac('sha256', 'sec').update(h).digest('hex').toUpperCase());
	});
});

describe('GMT+8 timestamps', () => {
	it('formats in GMT+8 regardless of host time zone', () => {
		expect(formatGmt8(new Date(Date.UTC(2016, 0, 1, 4, 0, 0)))).toBe('2016-01-01 12:00:00');
		expect(formatGmt8(new Date(Date.UTC(2016, 11, 31, 20, 5, 9)))).toBe('2017-01-01 04:05:09');
	});

	it('parses as GMT+8 and rejects malformed or impossible dates', () => {
		expect(parseGmt8('2016-01-01 12:00:00')).toBe(Date.UTC(2016, 0, 1, 4, 0, 0));
		expect(parseGmt8('2016-02-30 12:00:00')).toBeNull();
		expect(parseGmt8('2016-01-01T12:00:00')).toBeNull();
		expect(parseGmt8('2016-01-01 24:00:00')).toBeNull();
		expect(parseGmt8('1451620800000')).toBeNull();
	});
});
