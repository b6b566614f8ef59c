/** The credential test (`damaiApiTest`) against the real sandbox and against dead / insecure gateways. */
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';

import { damaiApiTest } from '../../nodes/Damai/methods/credentialTest';
import { APP_KEY, APP_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, deadPort, signMethodGateway } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox();

function credential(data: Record<string, unknown>): ICredentialsDecrypted {
	return {
		id: '1',
		name: 'x',
		type: 'damaiApi',
		data: {
			environment: 'custom',
			gatewayUrl: sb.url,
			appKey: APP_KEY,
			appSecret: APP_SECRET,
			signMethod: 'hmac-sha256',
			supplierKey: SUPPLIER_KEY,
			supplierSecret: SUPPLIER_SECRET,
			headSignMethod: 'md5',
			...data,
		} as ICredentialsDecrypted['data'],
	};
}
const run = (data: Record<string, unknown>) => damaiApiTest.call({} as ICredentialTestFunctions, credential(data));

describe('damaiApiTest', () => {
	it('refuses a Head Sign Template with an unknown placeholder before anything is sent (issue 16)', async () => {
		const result = await run({ headSignMethod: 'template', headSignTemplate: '{supplier_key}{timestamp}' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('unknown placeholder {timestamp}');
		expect(sb.stats.total).toBe(0);
	});

	it('a good template recipe tests OK', async () => {
		const result = await run({ headSignMethod: 'template', headSignTemplate: '{supplier_key}{time_stamp}{supplier_secret}' });
		expect(result.status).toBe('OK');
		expect(sb.stats.total).toBe(1);
	});

	it.each(['md5', 'hmac', 'hmac-sha256'])('OK against the sandbox (%s), and cancels nothing', async (signMethod) => {
		const result = await run({ signMethod });
		expect(result.status).toBe('OK');
		expect(sb.stats.total).toBe(1);
		expect(sb.requests[0]).toMatchObject({ appKey: APP_KEY, signMethod, format: 'json' });
		// the gateway checked key and signature, then refused the empty business call
		expect(sb.requests[0].outcome).toBe('error:40');
		expect(sb.stats.cancelled).toEqual({});
	});

	it('"Wrong App Key" for an unknown key', async () => {
		const result = await run({ appKey: 'unknown-app-key' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Wrong App Key/);
		expect(sb.requests[0].outcome).toBe('error:29');
	});

	it.each(['md5', 'hmac', 'hmac-sha256'])('"Wrong App Secret or Sign Method" for a wrong secret (%s)', async (signMethod) => {
		const result = await run({ appSecret: 'not-the-secret', signMethod });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Wrong App Secret or Sign Method/);
		expect(result.message).not.toContain('not-the-secret');
		expect(sb.requests[0].outcome).toBe('error:25');
	});

	it('"Wrong App Secret or Sign Method" for a sign method the gateway does not accept', async () => {
		const proxy = await signMethodGateway(sb.url, 'hmac-sha256');
		try {
			const wrong = await run({ gatewayUrl: proxy.url, signMethod: 'md5' });
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toMatch(/^Wrong App Secret or Sign Method/);
			const right = await run({ gatewayUrl: proxy.url, signMethod: 'hmac-sha256' });
			expect(right.status).toBe('OK');
		} finally {
			await proxy.close();
		}
	});

	it('"Gateway unreachable" for a dead port', async () => {
		const port = await deadPort();
		const result = await run({ gatewayUrl: `http://127.0.0.1:${port}/router/rest` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Gateway unreachable/);
		expect(result.message).toContain('ECONNREFUSED');
	});

	it('a configuration error for an http:// URL off loopback; nothing is sent', async () => {
		const result = await run({ gatewayUrl: 'http://gw.example.com/router/rest' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTPS/);
		expect(sb.stats.total).toBe(0);
	});

	it('configuration errors name the missing field', async () => {
		const noKey = await run({ appKey: '' });
		expect(noKey.status).toBe('Error');
		expect(noKey.message).toContain('App Key');
		const noUrl = await run({ gatewayUrl: '' });
		expect(noUrl.status).toBe('Error');
		expect(noUrl.message).toMatch(/Gateway URL/);
		expect(sb.stats.total).toBe(0);
	});

	it('never puts a secret into its message', async () => {
		const port = await deadPort();
		for (const data of [{}, { appKey: 'x' }, { appSecret: 'bad/Secret+=' }, { gatewayUrl: `http://127.0.0.1:${port}/router/rest` }]) {
			const result = await run(data);
			for (const secret of [APP_SECRET, SUPPLIER_SECRET, 'bad/Secret+=']) expect(result.message).not.toContain(secret);
		}
	});
});
