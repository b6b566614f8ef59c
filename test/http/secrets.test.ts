/**
 * No secret (app secret, supplier secret, session) in any TopError field, whatever went wrong,
 * including gateways that echo the request back into their error texts.
 */
import * as http from 'http';

import type { ResponseFormat } from '../../nodes/Damai/transport/constants';
import type { TopClientOptions } from '../../nodes/Damai/transport/client';
import {
	APP_KEY,
	SUPPLIER_KEY,
	cancel,
	closeClients,
	deadPort,
	findSecrets,
	makeClient,
	rejection,
	startServer,
	supplier,
	type TestServer,
} from './helpers';
import { useSandbox } from '../helpers/sandbox';

// Secrets with characters that URL-encoding changes (/ + = space &), so every form is exercised.
const APP_SECRET_X = 'app/Secret+= 1~&x';
const SUPPLIER_SECRET_X = 'sup/Secret+=&2 y';
const SESSION_X = 'sess/ion+= 3&z';
const SECRETS = [APP_SECRET_X, SUPPLIER_SECRET_X, SESSION_X];

const sb = useSandbox({ apps: { [APP_KEY]: APP_SECRET_X }, suppliers: { [SUPPLIER_KEY]: SUPPLIER_SECRET_X } });
afterEach(() => closeClients());

function client(url: string, overrides: Partial<TopClientOptions> = {}) {
	return makeClient(url, {
		appSecret: APP_SECRET_X,
		session: SESSION_X,
		extraSecrets: [SUPPLIER_SECRET_X],
		maxRetries: 1,
		retryDelay: 1,
		timeout: 2000,
		...overrides,
	});
}
const sup = supplier({ supplierSecret: SUPPLIER_SECRET_X });

const FORMATS: ResponseFormat[] = ['json', 'xml'];

describe('sandbox failure scenarios leak no secret', () => {
	const scenarios: Array<[string, string, Partial<TopClientOptions>]> = [
		['isv', 'ISV-s', {}],
		['code 10 (retried)', 'CODE10-s', {}],
		['code 11', 'CODE11-s', {}],
		['isp (retries exhausted)', 'ISP9-s', {}],
		['business 404', 'NOTFOUND-s', {}],
		['business 1001', 'LOCKED-s', {}],
		['HTML 502', 'HTML502-s', {}],
		['garbled', 'GARBLED-s', {}],
		['empty', 'EMPTY-s', {}],
		['reset', 'RESET-s', {}],
		['timeout', 'SLOW2000-s', { timeout: 300, maxRetries: 0 }],
	];
	const cases = scenarios.flatMap(([name, orderId, options]) => FORMATS.map((format) => [name, format, orderId, options] as const));

	it.each(cases)('%s (%s)', async (_name, format, orderId, options) => {
		const e = await rejection(cancel(client(sb.url, { format, ...options }), orderId, { supplier: sup }));
		expect(findSecrets(e, SECRETS)).toEqual([]);
	});

	it('the sandbox accepted these secrets (the scenarios above were really signed and sent)', async () => {
		const ok = await cancel(client(sb.url), 'OK-s', { supplier: sup });
		expect(ok.returnCode).toBe('0');
	});

	it('wrong app key, wrong app secret, wrong supplier secret', async () => {
		const wrongKey = await rejection(cancel(client(sb.url, { appKey: 'nope' }), 'W-1', { supplier: sup }));
		expect(wrongKey.code).toBe(29);
		expect(findSecrets(wrongKey, SECRETS)).toEqual([]);

		const WRONG_APP = 'wrong/App+= secret';
		const wrongSecret = await rejection(cancel(client(sb.url, { appSecret: WRONG_APP }), 'W-2', { supplier: sup }));
		expect(wrongSecret.code).toBe(25);
		expect(findSecrets(wrongSecret, [...SECRETS, WRONG_APP])).toEqual([]);

		const WRONG_SUP = 'wrong/Sup+= secret';
		const wrongSup = await rejection(
			cancel(client(sb.url, { extraSecrets: [WRONG_SUP] }), 'W-3', { supplier: supplier({ supplierSecret: WRONG_SUP }) }),
		);
		expect(wrongSup).toMatchObject({ kind: 'business', returnCode: '401' });
		expect(findSecrets(wrongSup, [...SECRETS, WRONG_SUP])).toEqual([]);
	});

	it('dead port', async () => {
		const port = await deadPort();
		const e = await rejection(cancel(client(`http://127.0.0.1:${port}/router/rest`), 'D-1', { supplier: sup }));
		expect(e.kind).toBe('network');
		expect(findSecrets(e, SECRETS)).toEqual([]);
	});
});

/** Echoes the request (raw query, raw body, decoded body) into what it answers. */
type EchoMode = 'error_response' | 'html500' | 'text200' | 'business' | 'truncated' | 'badxml' | 'toolarge';

function echoServer(mode: EchoMode): Promise<TestServer> {
	return startServer((req, res, body) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const format = url.searchParams.get('format') === 'xml' ? 'xml' : 'json';
		const decoded = new URLSearchParams(body).get('param_cancel_stock_lock_request') ?? '';
		const echo = `query=${url.search} body=${body} decoded=${decoded} session=${url.searchParams.get('session')}`;
		const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		const send = (status: number, type: string, text: string) => {
			res.writeHead(status, { 'Content-Type': type });
			res.end(text);
		};
		switch (mode) {
			case 'error_response': {
				const error = { code: 15, msg: `Remote service error ${url.search}`, sub_code: `isv.echo ${decoded}`, sub_msg: echo, request_id: body.slice(0, 400) };
				if (format === 'json') return send(200, 'application/json', JSON.stringify({ error_response: error }));
				const inner = Object.entries(error).map(([k, v]) => `<${k}>${xmlText(String(v))}</${k}>`).join('');
				return send(200, 'text/xml', `<?xml version="1.0" encoding="utf-8" ?><error_response>${inner}</error_response><!--top-echo-->`);
			}
			case 'html500':
				return send(500, 'text/html', `<html><body><pre>${body}</pre><p>${decoded}</p><p>${url.search}</p></body></html>`);
			case 'text200':
				return send(200, 'text/plain', `${body} ${decoded} ${url.search}`);
			case 'business': {
				const answer = { alibaba_damai_yuntoc_order_cancellockstock_response: { result: { head: { return_code: '500', return_desc: echo } }, request_id: 'x' } };
				return send(200, 'application/json', JSON.stringify(answer));
			}
			case 'truncated':
				return send(200, 'application/json', `{"error_response":{"code":15,"sub_msg":"${echo.replace(/"/g, "'")}`);
			case 'badxml':
				return send(200, 'text/xml', `<error_response><sub_msg>${xmlText(echo)}</sub_msg><unclosed>`);
			case 'toolarge':
				return send(200, 'application/json', JSON.stringify({ error_response: { code: 15, sub_msg: echo.repeat(2000) } }));
		}
	});
}

describe('a gateway that echoes the request back', () => {
	const modes: EchoMode[] = ['error_response', 'html500', 'text200', 'business', 'truncated', 'badxml', 'toolarge'];
	const cases = modes.flatMap((mode) => FORMATS.map((format) => [mode, format] as const));

	it.each(cases)('%s (%s): the echoed secrets are redacted', async (mode, format) => {
		const server = await echoServer(mode);
		try {
			const e = await rejection(cancel(client(server.url, { format, maxResponseBytes: 64 * 1024 }), 'ECHO-1', { supplier: sup }));
			expect(findSecrets(e, SECRETS)).toEqual([]);
			// the echo did arrive: the error still carries the redacted text
			if (mode === 'error_response') {
				expect(e.kind).toBe('gateway');
				expect(e.subMsg).toContain('[redacted]');
				expect(e.subMsg).toContain('ECHO-1');
			}
			if (mode === 'business') {
				expect(e.kind).toBe('business');
				expect(e.returnDesc).toContain('[redacted]');
			}
			if (mode === 'html500' || mode === 'text200') expect(e.excerpt).toBeDefined();
		} finally {
			closeClients();
			await server.close();
		}
	});

	it('supplier secrets with a quote or backslash are redacted too (JSON-escaped, then URL-encoded in the body)', async () => {
		const QUOTED = 'q"uote\\back/+= s';
		const server = await echoServer('error_response');
		try {
			const e = await rejection(
				cancel(client(server.url, { extraSecrets: [QUOTED] }), 'ECHO-2', { supplier: supplier({ supplierSecret: QUOTED }) }),
			);
			expect(e.kind).toBe('gateway');
			expect(findSecrets(e, [QUOTED, APP_SECRET_X, SESSION_X])).toEqual([]);
		} finally {
			closeClients();
			await server.close();
		}
	});

	it('the echo server is an honest echo: without redaction the secrets would be there', async () => {
		const server = await echoServer('error_response');
		try {
			const text = await new Promise<string>((resolve, reject) => {
				const body = `param_cancel_stock_lock_request=${encodeURIComponent(JSON.stringify({ head: { supplier_secret: SUPPLIER_SECRET_X } }))}`;
				const req = http.request(`${server.url}?format=json&session=${encodeURIComponent(SESSION_X)}`, { method: 'POST' }, (res) => {
					let data = '';
					res.on('data', (c) => (data += c));
					res.on('end', () => resolve(data));
				});
				req.on('error', reject);
				req.end(body);
			});
			expect(JSON.parse(text).error_response.sub_msg).toContain(SUPPLIER_SECRET_X);
			expect(JSON.parse(text).error_response.sub_msg).toContain(SESSION_X);
		} finally {
			await server.close();
		}
	});
});
