import {
	CredentialConfigError,
	isLoopbackHost,
	resolveCredentials,
	resolveGatewayUrl,
} from '../../nodes/Damai/transport/config';
import { parseReturnCodes } from '../../nodes/Damai/transport/cancelStockLock';
import { TopError } from '../../nodes/Damai/transport/errors';
import { judgeTestOutcome } from '../../nodes/Damai/methods/credentialTest';

function configError(fn: () => unknown): CredentialConfigError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(CredentialConfigError);
		return error as CredentialConfigError;
	}
	throw new Error('expected a CredentialConfigError');
}

describe('resolveGatewayUrl', () => {
	it('maps the environments to the spec\'s URLs', () => {
		expect(resolveGatewayUrl('production', '', false)).toBe('https://gw.api.taobao.com/router/rest');
		expect(resolveGatewayUrl('overseas', '', false)).toBe('https://api.taobao.com/router/rest');
		expect(resolveGatewayUrl('sandbox', '', false)).toBe('https://gw.api.tbsandbox.com/router/rest');
		// the custom field is ignored for a named environment
		expect(resolveGatewayUrl('production', 'http://evil.example/', false)).toBe('https://gw.api.taobao.com/router/rest');
	});

	it('an unknown environment is an error naming the field', () => {
		for (const env of ['moon', '', 'Production']) {
			expect(configError(() => resolveGatewayUrl(env, '', false)).field).toBe('environment');
		}
	});

	it('environment names that are Object.prototype members are unknown too', () => {
		for (const env of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
			expect(configError(() => resolveGatewayUrl(env, '', false)).field).toBe('environment');
		}
	});

	it('custom https URLs are accepted (trimmed)', () => {
		expect(resolveGatewayUrl('custom', ' https://gw.example.com/router/rest ', false)).toBe('https://gw.example.com/router/rest');
		expect(resolveGatewayUrl('custom', 'https://10.0.0.5:8443/router/rest?x=1', false)).toBe('https://10.0.0.5:8443/router/rest?x=1');
	});

	it('custom http off loopback is refused unless allowInsecureHttp', () => {
		for (const url of ['http://gw.example.com/router/rest', 'http://10.1.2.3/router/rest', 'http://127.0.0.1.nip.io/r', 'http://localhost.evil.com/r']) {
			const e = configError(() => resolveGatewayUrl('custom', url, false));
			expect(e.field).toBe('gatewayUrl');
			expect(e.message).toMatch(/HTTPS/);
			expect(resolveGatewayUrl('custom', url, true)).toBe(url);
		}
	});

	it('loopback http is fine: 127.0.0.1, 127.x.y.z, localhost, [::1]', () => {
		for (const url of ['http://127.0.0.1:8080/router/rest', 'http://127.3.4.5/router/rest', 'http://localhost:1234/router/rest', 'http://LOCALHOST/r', 'http://[::1]:9/router/rest']) {
			expect(resolveGatewayUrl('custom', url, false)).toBe(url);
		}
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('128.0.0.1')).toBe(false);
		expect(isLoopbackHost('localhost.example')).toBe(false);
	});

	it('missing, invalid, non-http(s) or credential-carrying URLs are errors naming gatewayUrl', () => {
		for (const url of ['', '   ', 'not a url', 'gw.example.com/router/rest', 'ftp://gw.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@gw.example.com/']) {
			expect(configError(() => resolveGatewayUrl('custom', url, false)).field).toBe('gatewayUrl');
		}
	});
});

describe('resolveCredentials', () => {
	const good = {
		environment: 'custom',
		gatewayUrl: 'http://127.0.0.1:9999/router/rest',
		appKey: ' app-key ',
		appSecret: 'app secret ',
		signMethod: 'md5',
		session: '  ',
		supplierKey: 'supplier-key',
		supplierSecret: 'supplier-secret',
		headSignMethod: 'hmac-sha256',
	};

	it('normalises a good credential', () => {
		expect(resolveCredentials(good)).toEqual({
			gatewayUrl: 'http://127.0.0.1:9999/router/rest',
			appKey: 'app-key',
			appSecret: 'app secret ', // secrets are used exactly as typed
			signMethod: 'md5',
			session: undefined,
			supplierKey: 'supplier-key',
			supplierSecret: 'supplier-secret',
			headSignMethod: 'hmac-sha256',
			// today's recipe is the default: epoch milliseconds
			headRecipe: { signMethod: 'hmac-sha256', timeStampFormat: 'epoch-ms' },
			proxy: undefined,
			ignoreSslIssues: false,
		});
	});

	it('defaults: production, hmac-sha256, md5 head signing; session kept when given', () => {
		const c = resolveCredentials({ appKey: 'k', appSecret: 's', supplierKey: 'sk', supplierSecret: 'ss', session: 'sess' });
		expect(c.gatewayUrl).toBe('https://gw.api.taobao.com/router/rest');
		expect(c.signMethod).toBe('hmac-sha256');
		expect(c.headSignMethod).toBe('md5');
		expect(c.session).toBe('sess');
	});

	it.each([
		['appKey', 'App Key'],
		['appSecret', 'App Secret'],
		['supplierKey', 'Supplier Key'],
		['supplierSecret', 'Supplier Secret'],
	])('missing %s → CredentialConfigError naming it', (field, label) => {
		for (const value of [undefined, '', null]) {
			const e = configError(() => resolveCredentials({ ...good, [field]: value }));
			expect(e.field).toBe(field);
			expect(e.message).toContain(label);
		}
	});

	it('unknown sign methods name their field', () => {
		expect(configError(() => resolveCredentials({ ...good, signMethod: 'sha1' })).field).toBe('signMethod');
		expect(configError(() => resolveCredentials({ ...good, headSignMethod: 'hmac' })).field).toBe('headSignMethod');
	});

	it('custom http off loopback needs allowInsecureHttp === true', () => {
		const insecure = { ...good, gatewayUrl: 'http://gw.example.com/router/rest' };
		expect(configError(() => resolveCredentials(insecure)).field).toBe('gatewayUrl');
		expect(configError(() => resolveCredentials({ ...insecure, allowInsecureHttp: 'true' })).field).toBe('gatewayUrl');
		expect(resolveCredentials({ ...insecure, allowInsecureHttp: true }).gatewayUrl).toBe('http://gw.example.com/router/rest');
	});

	it('custom without a URL names gatewayUrl', () => {
		expect(configError(() => resolveCredentials({ ...good, gatewayUrl: undefined })).field).toBe('gatewayUrl');
	});
});

describe('parseReturnCodes', () => {
	it('splits, trims and drops blanks', () => {
		expect(parseReturnCodes('0,200')).toEqual(new Set(['0', '200']));
		expect(parseReturnCodes(' 0 , 200 ,, 404 ,')).toEqual(new Set(['0', '200', '404']));
		expect(parseReturnCodes('')).toEqual(new Set());
		expect(parseReturnCodes('  ')).toEqual(new Set());
		expect(parseReturnCodes('0,0')).toEqual(new Set(['0']));
	});
});

describe('judgeTestOutcome', () => {
	const gw = (code: number, subCode?: string) => new TopError({ kind: 'gateway', message: 'm', code, subCode });

	it('no error → OK', () => {
		expect(judgeTestOutcome(undefined).status).toBe('OK');
	});

	it('29 / 28 → Wrong App Key', () => {
		expect(judgeTestOutcome(gw(29))).toEqual({ status: 'Error', message: expect.stringMatching(/^Wrong App Key/) });
		expect(judgeTestOutcome(gw(28)).message).toMatch(/^Wrong App Key/);
	});

	it('25 / 24 → Wrong App Secret or Sign Method', () => {
		expect(judgeTestOutcome(gw(25))).toEqual({ status: 'Error', message: expect.stringMatching(/^Wrong App Secret or Sign Method/) });
		expect(judgeTestOutcome(gw(24)).message).toMatch(/^Wrong App Secret or Sign Method/);
	});

	it('network and timeout → Gateway unreachable', () => {
		const net = new TopError({ kind: 'network', errno: 'ECONNREFUSED', message: 'Could not reach the gateway (ECONNREFUSED)' });
		expect(judgeTestOutcome(net)).toEqual({ status: 'Error', message: expect.stringMatching(/^Gateway unreachable/) });
		expect(judgeTestOutcome(new TopError({ kind: 'timeout', message: 't' })).message).toMatch(/^Gateway unreachable/);
	});

	it('an isv.* refusal of the empty test call means key and signature were accepted → OK', () => {
		expect(judgeTestOutcome(gw(40, 'isv.missing-parameter')).status).toBe('OK');
	});

	it('other failures are errors with their message', () => {
		expect(judgeTestOutcome(gw(7)).status).toBe('Error');
		expect(judgeTestOutcome(gw(27)).status).toBe('Error');
		expect(judgeTestOutcome(gw(31)).status).toBe('Error');
		const http = new TopError({ kind: 'http', httpStatus: 404, message: 'The gateway answered HTTP 404' });
		expect(judgeTestOutcome(http)).toEqual({ status: 'Error', message: 'The gateway answered HTTP 404' });
	});

	it('21 / 22 (missing / invalid method) are checked before the app key: not proof of a good credential', () => {
		expect(judgeTestOutcome(gw(22)).status).toBe('Error');
		expect(judgeTestOutcome(gw(21)).status).toBe('Error');
	});
});

describe('TopError', () => {
	it('toJSON keeps only defined, user-facing fields plus attempts', () => {
		const e = new TopError({ kind: 'gateway', message: 'msg', code: 15, subCode: 'isp.x', msg: '', requestId: 'r1' });
		e.attempts = 3;
		expect(e.toJSON()).toEqual({ kind: 'gateway', message: 'msg', code: 15, subCode: 'isp.x', requestId: 'r1', attempts: 3 });
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('TopError');
	});
});
