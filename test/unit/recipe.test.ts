/**
 * The head recipe and the proxy in the credential: what resolveCredentials accepts and refuses
 * (the credential test and every run go through it), and the head's time stamp formats.
 */
import { resolveCredentials, CredentialConfigError } from '../../nodes/Damai/transport/config';
import { buildHead, checkHeadTemplate, formatHeadTimeStamp, headStringToSign } from '../../nodes/Damai/transport/head';
import { maskProxy, parseProxyUrl, proxyAuthorization, proxySecrets, ProxyConfigError } from '../../nodes/Damai/transport/proxy';
import { createRedactor } from '../../nodes/Damai/transport/redact';
import { formatGmt8, parseGmt8, signHeadTemplate } from '../../tooling/sandbox/sign';

const base = { environment: 'custom', gatewayUrl: 'https://gw.example.test/router/rest', appKey: 'k', appSecret: 's', supplierKey: 'sk', supplierSecret: 'ss' };

function refusal(raw: Record<string, unknown>): CredentialConfigError {
	try {
		resolveCredentials(raw);
	} catch (error) {
		if (error instanceof CredentialConfigError) return error;
		throw error;
	}
	throw new Error('expected the credential to be refused');
}

describe('Head Sign Template', () => {
	it('an unknown placeholder is refused, naming it and the field', () => {
		const e = refusal({ ...base, headSignMethod: 'template', headSignTemplate: '{supplier_key}{timestamp}{supplier_secret}' });
		expect(e.field).toBe('headSignTemplate');
		expect(e.message).toContain('unknown placeholder {timestamp}');
		expect(e.message).toContain('{time_stamp}');
	});

	it('a stray brace, an empty template and one without placeholders are refused', () => {
		expect(refusal({ ...base, headSignMethod: 'template', headSignTemplate: '{supplier_key}}' }).message).toMatch(/does not close/);
		expect(refusal({ ...base, headSignMethod: 'template', headSignTemplate: '' }).message).toMatch(/empty/);
		expect(refusal({ ...base, headSignMethod: 'template', headSignTemplate: 'abc' }).message).toMatch(/no placeholder/);
	});

	it('the message never repeats the template (a supplier may have pasted the secret into it)', () => {
		const e = refusal({ ...base, headSignMethod: 'template', headSignTemplate: 'MY-SECRET-VALUE{nope}' });
		expect(e.message).not.toContain('MY-SECRET-VALUE');
	});

	it('a secret typed inside braces is not quoted back, not even its first 40 characters', () => {
		const supplierSecret = 'supplier-secret-that-is-longer-than-forty-characters-0123456789';
		const e = refusal({ ...base, supplierSecret, headSignMethod: 'template', headSignTemplate: `{supplier_key}{${supplierSecret}}` });
		expect(e.message).toContain('unknown placeholder {[redacted]}');
		expect(e.message).not.toContain(supplierSecret.slice(0, 20));
	});

	it('a good template resolves with its hash and case (defaults md5, upper)', () => {
		const c = resolveCredentials({ ...base, headSignMethod: 'template', headSignTemplate: '{supplier_key}{time_stamp}{supplier_secret}' });
		expect(c.headRecipe).toEqual({
			signMethod: 'template',
			timeStampFormat: 'epoch-ms',
			template: '{supplier_key}{time_stamp}{supplier_secret}',
			hash: 'md5',
			hexCase: 'upper',
		});
		expect(() => checkHeadTemplate('x{msg_id}-{version}')).not.toThrow();
	});

	it('unknown hash, case and time stamp format are refused', () => {
		const t = { ...base, headSignMethod: 'template', headSignTemplate: '{time_stamp}' };
		expect(refusal({ ...t, headSignHash: 'sha1' }).field).toBe('headSignHash');
		expect(refusal({ ...t, headSignCase: 'mixed' }).field).toBe('headSignCase');
		expect(refusal({ ...base, timeStampFormat: 'iso' }).field).toBe('timeStampFormat');
	});
});

describe('head.time_stamp formats', () => {
	const now = Date.UTC(2025, 11, 5, 2, 0, 7, 123); // 10:00:07 in GMT+8

	it('epoch ms (default), epoch s, GMT+8 text: read back by the sandbox to the same second', () => {
		expect(formatHeadTimeStamp(now)).toBe(String(now));
		expect(formatHeadTimeStamp(now, 'epoch-s')).toBe(String(Math.floor(now / 1000)));
		expect(formatHeadTimeStamp(now, 'gmt8')).toBe('2025-12-05 10:00:07');
		expect(formatHeadTimeStamp(now, 'gmt8')).toBe(formatGmt8(new Date(now)));
		expect(parseGmt8(formatHeadTimeStamp(now, 'gmt8'))).toBe(Math.floor(now / 1000) * 1000);
	});

	it('buildHead writes the format and signs what it wrote', () => {
		const head = buildHead({
			msgId: 'm', supplierKey: 'sk', supplierSecret: 'ss', version: '1.0', now,
			signMethod: 'template', timeStampFormat: 'epoch-s', template: '{supplier_key}{time_stamp}{supplier_secret}', hash: 'hmac-sha256', hexCase: 'lower',
		});
		expect(head.time_stamp).toBe(String(Math.floor(now / 1000)));
		expect(head.signed).toBe(signHeadTemplate({ ...head }, 'ss', { template: '{supplier_key}{time_stamp}{supplier_secret}', hash: 'hmac-sha256', hexCase: 'lower' }));
		expect(head.signed).toMatch(/^[0-9a-f]{64}$/);
		expect(headStringToSign(head, 'ss', { signMethod: 'template', template: '{supplier_key}{time_stamp}{supplier_secret}' })).toBe(`sk${head.time_stamp}ss`);
	});
});

describe('Proxy field', () => {
	it('parses http://user:password@host:port, percent-decoded', () => {
		const p = parseProxyUrl('http://us%40er:p%3Ass@proxy.example.test:3128', 'x');
		expect(p).toMatchObject({ host: 'proxy.example.test', port: 3128, username: 'us@er', password: 'p:ss' });
		expect(maskProxy(p)).toBe('http://***:***@proxy.example.test:3128');
		expect(proxyAuthorization(p)).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
		expect(maskProxy(parseProxyUrl('http://10.0.0.1', 'x'))).toBe('http://10.0.0.1:80');
	});

	it('refuses other schemes, paths and non-URLs without repeating the text', () => {
		for (const text of ['socks5://u:TOPSECRET@h:1080', 'https://u:TOPSECRET@h:443', 'http://u:TOPSECRET@h:1/path', 'u:TOPSECRET@h:1 x']) {
			let error: unknown;
			try {
				parseProxyUrl(text, 'the field');
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(ProxyConfigError);
			expect((error as Error).message).not.toContain('TOPSECRET');
		}
	});

	it("the credential's Proxy: a bad one is refused naming the field", () => {
		const e = refusal({ ...base, proxy: 'ftp://proxy:21' });
		expect(e.field).toBe('proxy');
	});

	it('the redactor scrubs the password raw, URL-encoded, JSON-escaped and as the Basic header', () => {
		const password = 'p@ss "w/ord"+&';
		const p = parseProxyUrl(`http://alice:${encodeURIComponent(password)}@h:1`, 'x');
		const redact = createRedactor(proxySecrets(p));
		const forms = [password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1), Buffer.from(`alice:${password}`).toString('base64'), proxyAuthorization(p)!];
		for (const form of forms) expect(redact(`before ${form} after`)).not.toContain(form);
	});
});
