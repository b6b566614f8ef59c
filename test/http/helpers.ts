/** Shared helpers for the HTTP tests: a TopClient factory, in-test servers and a secret scanner. */
import * as http from 'http';
import * as net from 'net';
import { inspect } from 'util';
import { sleepWithAbort } from 'n8n-workflow';

import { TopClient, type TopClientOptions } from '../../nodes/Damai/transport/client';
import { cancelStockLock, parseReturnCodes, type SupplierIdentity } from '../../nodes/Damai/transport/cancelStockLock';
import { TopError } from '../../nodes/Damai/transport/errors';
import { newMsgId } from '../../nodes/Damai/transport/head';
import type { SleepFn } from '../../nodes/Damai/transport/gate';

export const APP_KEY = 'sandbox-app-key';
export const APP_SECRET = 'sandbox-app-secret';
export const SUPPLIER_KEY = 'sandbox-supplier-key';
export const SUPPLIER_SECRET = 'sandbox-supplier-secret';
export const METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
export const SUCCESS_CODES = parseReturnCodes('0,200');

export const sleep: SleepFn = (ms, signal) => sleepWithAbort(ms, signal);

const open: TopClient[] = [];

/** A client against `url` with the sandbox's default credentials; closed by closeClients(). */
export function makeClient(url: string, overrides: Partial<TopClientOptions> = {}): TopClient {
	const client = new TopClient({
		gatewayUrl: url,
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		signMethod: 'hmac-sha256',
		format: 'json',
		timeout: 5000,
		maxRetries: 3,
		retryDelay: 5,
		maxSockets: 4,
		extraSecrets: [SUPPLIER_SECRET],
		sleep,
		...overrides,
	});
	open.push(client);
	return client;
}

export function closeClients(): void {
	for (const client of open.splice(0)) client.close();
}

export function supplier(overrides: Partial<SupplierIdentity> = {}): SupplierIdentity {
	return { supplierKey: SUPPLIER_KEY, supplierSecret: SUPPLIER_SECRET, headSignMethod: 'md5', headVersion: '1.0', ...overrides };
}

export interface CancelOptions {
	msgId?: string;
	supplier?: SupplierIdentity;
	codes?: ReadonlySet<string>;
	signal?: AbortSignal;
}

export function cancel(client: TopClient, orderId: string, options: CancelOptions = {}) {
	return cancelStockLock(
		client,
		orderId,
		options.msgId ?? newMsgId(),
		options.supplier ?? supplier(),
		options.codes ?? SUCCESS_CODES,
		{ signal: options.signal },
	);
}

/** The TopError a promise rejects with (fails the test when it resolves or rejects otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<TopError> {
	try {
		await promise;
	} catch (error) {
		if (!(error instanceof TopError)) throw new Error(`expected a TopError, got ${inspect(error)}`);
		return error;
	}
	throw new Error('expected the call to fail');
}

export interface TestServer {
	url: string;
	port: number;
	server: http.Server;
	close(): Promise<void>;
}

/** A throw-away HTTP server on 127.0.0.1 whose handler receives the full request body. */
export async function startServer(
	handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<TestServer> {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/router/rest`,
		port,
		server,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A port on 127.0.0.1 where nothing listens (a server was started there and closed). */
export async function deadPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * A gateway that only accepts `sign_method=required`: anything else gets TOP's 25 Invalid signature
 * (as a gateway expecting another method would answer); the rest is forwarded to `target`.
 */
export function signMethodGateway(target: string, required: string): Promise<TestServer> {
	const targetUrl = new URL(target);
	return startServer((req, res, body) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const format = url.searchParams.get('format') === 'json' ? 'json' : 'xml';
		if (url.searchParams.get('sign_method') !== required) {
			const error = { code: 25, msg: 'Invalid signature', request_id: 'proxy0000001' };
			res.writeHead(200, { 'Content-Type': format === 'json' ? 'application/json' : 'text/xml' });
			res.end(
				format === 'json'
					? JSON.stringify({ error_response: error })
					: '<?xml version="1.0" encoding="utf-8" ?><error_response><code>25</code><msg>Invalid signature</msg><request_id>proxy0000001</request_id></error_response>',
			);
			return;
		}
		const forward = http.request(
			{ host: targetUrl.hostname, port: targetUrl.port, path: targetUrl.pathname + url.search, method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => res.destroy());
		forward.end(body);
	});
}

/** Resolves once `predicate` holds (polling every 5 ms), rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error('condition not reached');
		await new Promise((r) => setTimeout(r, 5));
	}
}

/**
 * Every place a secret could surface in an error: JSON form, message, description, each own
 * property and util.inspect (which shows all of them and the stack). Returns what leaked where.
 */
export function findSecrets(error: unknown, secrets: string[]): string[] {
	const e = error as Record<string, unknown>;
	const places: Record<string, string> = {
		json: JSON.stringify(error),
		message: String(e.message ?? ''),
		description: String(e.description ?? ''),
		inspect: inspect(error, { depth: 10 }),
	};
	for (const key of Object.keys(e)) places[`field:${key}`] = typeof e[key] === 'string' ? (e[key] as string) : JSON.stringify(e[key]) ?? '';
	const leaks: string[] = [];
	for (const secret of secrets) {
		const forms = new Set([secret, encodeURIComponent(secret), encodeURIComponent(JSON.stringify(secret).slice(1, -1)), JSON.stringify(secret).slice(1, -1)]);
		for (const [place, text] of Object.entries(places)) {
			for (const form of forms) if (text.includes(form)) leaks.push(`${place} contains ${JSON.stringify(form)}`);
		}
	}
	return leaks;
}
