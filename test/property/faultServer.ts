/**
 * An in-process, scriptable hostile gateway on 127.0.0.1 for the property suite.
 *
 * Every request is parsed like TOP would (query + form body); the `head.msg_id` and the order id of
 * `param_cancel_stock_lock_request` are read so attempts can be counted per msg_id. The test sets a
 * `script` that turns each request into an `Action`: any status / headers / body, a slow drip,
 * a reset, a hang-up in the middle of the answer, an endless answer, or no answer at all.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import * as zlib from 'zlib';

export interface FaultRequest {
	/** 1-based, over the server's life. */
	seq: number;
	method: string;
	path: string;
	/** The raw query string (without `?`), as sent: holds `session` and `sign`. */
	rawQuery: string;
	/** The raw form body, as sent: holds `supplier_secret` inside the URL-encoded JSON. */
	rawBody: string;
	query: URLSearchParams;
	form: URLSearchParams;
	/** `param_cancel_stock_lock_request` as sent (JSON text), if any. */
	paramText?: string;
	/** The parsed param, if it was JSON. */
	param?: { head?: Record<string, unknown>; cancel_stock_lock_request_body?: { cancel_stock_lock_req_param?: { order_id?: unknown } } };
	msgId?: string;
	orderId?: string;
	/** `format` asked for (json when missing). */
	format: 'json' | 'xml';
	/** 1-based attempt number of this msg_id (1 when there is none). */
	attempt: number;
	/** The answer body the server sent (or began to send), as text. */
	sent?: string;
}

export type Headers = Record<string, string>;

export type Action =
	/** A complete answer. `gzip` compresses it (and says so). */
	| { kind: 'respond'; status: number; headers?: Headers; body: string | Buffer; gzip?: boolean }
	/** Headers at once, then the body `chunkBytes` at a time every `intervalMs`. */
	| { kind: 'drip'; status: number; headers?: Headers; body: string; chunkBytes: number; intervalMs: number }
	/** Headers, then `totalBytes` of `fill` (repeated) streamed as fast as the client reads. */
	| { kind: 'stream'; status: number; headers?: Headers; prefix?: string; fill: string; totalBytes: number; declareLength?: boolean }
	/** The socket is destroyed before anything is written. */
	| { kind: 'reset' }
	/** Headers (with the full Content-Length when `declareLength`) and the first `afterBytes` bytes, then the socket is destroyed. */
	| { kind: 'hangup'; status: number; headers?: Headers; body: string; afterBytes: number; declareLength: boolean }
	/** Nothing, ever: the request stays open until the client gives up (or the server closes). */
	| { kind: 'never' };

export type Script = (request: FaultRequest) => Action;

const METHOD_PARAM = 'param_cancel_stock_lock_request';

export const defaultScript: Script = (request) => ({
	kind: 'respond',
	status: 200,
	headers: { 'content-type': 'application/json;charset=UTF-8' },
	body: JSON.stringify({
		alibaba_damai_yuntoc_order_cancellockstock_response: {
			result: { head: { return_code: '0', return_desc: 'success' } },
			request_id: `fault${request.seq}`,
		},
	}),
});

export class FaultServer {
	script: Script = defaultScript;
	readonly requests: FaultRequest[] = [];
	readonly attemptsByMsgId = new Map<string, number>();
	/** How many script failures (exceptions in the script itself) there were: must stay 0. */
	scriptErrors: unknown[] = [];
	connections = 0;
	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private seq = 0;
	url = '';

	async start(): Promise<this> {
		const server = http.createServer((req, res) => this.handle(req, res));
		server.keepAliveTimeout = 60_000;
		server.on('connection', (socket: Socket) => {
			this.connections++;
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			// A client that goes away mid-answer must not crash the server.
			socket.on('error', () => undefined);
		});
		server.on('clientError', (_err, socket) => socket.destroy());
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.server = server;
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`;
		return this;
	}

	/** Forgets requests and counters (not the script). */
	reset(): void {
		this.requests.length = 0;
		this.attemptsByMsgId.clear();
		this.scriptErrors = [];
	}

	/** Requests of one msg_id. */
	attempts(msgId: string): number {
		return this.attemptsByMsgId.get(msgId) ?? 0;
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private later(ms: number, fn: () => void) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
		return timer;
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse) {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('error', () => undefined);
		res.on('error', () => undefined);
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const url = req.url ?? '/';
			const q = url.indexOf('?');
			const rawQuery = q >= 0 ? url.slice(q + 1) : '';
			const query = new URLSearchParams(rawQuery);
			const form = new URLSearchParams(rawBody);
			const paramText = form.get(METHOD_PARAM) ?? query.get(METHOD_PARAM) ?? undefined;
			let param: FaultRequest['param'];
			try {
				param = paramText !== undefined ? JSON.parse(paramText) : undefined;
			} catch {
				param = undefined;
			}
			const msgIdRaw = param?.head?.msg_id;
			const msgId = typeof msgIdRaw === 'string' ? msgIdRaw : undefined;
			const orderRaw = param?.cancel_stock_lock_request_body?.cancel_stock_lock_req_param?.order_id;
			const orderId = typeof orderRaw === 'string' || typeof orderRaw === 'number' ? String(orderRaw) : undefined;
			let attempt = 1;
			if (msgId !== undefined) {
				attempt = (this.attemptsByMsgId.get(msgId) ?? 0) + 1;
				this.attemptsByMsgId.set(msgId, attempt);
			}
			const request: FaultRequest = {
				seq: ++this.seq,
				method: req.method ?? 'GET',
				path: q >= 0 ? url.slice(0, q) : url,
				rawQuery,
				rawBody,
				query,
				form,
				paramText,
				param,
				msgId,
				orderId,
				format: (query.get('format') ?? form.get('format')) === 'xml' ? 'xml' : 'json',
				attempt,
			};
			this.requests.push(request);
			let action: Action;
			try {
				action = this.script(request);
			} catch (error) {
				this.scriptErrors.push(error);
				action = { kind: 'respond', status: 599, body: 'fault server script failed' };
			}
			if (action.kind === 'respond') request.sent = typeof action.body === 'string' ? action.body : action.body.toString('utf8');
			else if (action.kind === 'drip' || action.kind === 'hangup') request.sent = action.body;
			else if (action.kind === 'stream') request.sent = action.prefix ?? '';
			this.act(action, req, res);
		});
	}

	private act(action: Action, req: http.IncomingMessage, res: http.ServerResponse) {
		const socket = req.socket;
		switch (action.kind) {
			case 'respond': {
				let body = typeof action.body === 'string' ? Buffer.from(action.body, 'utf8') : action.body;
				const headers: Headers = { ...(action.headers ?? {}) };
				if (action.gzip) {
					body = zlib.gzipSync(body);
					headers['content-encoding'] = 'gzip';
				}
				headers['content-length'] = String(body.length);
				res.writeHead(action.status, headers);
				res.end(body);
				return;
			}
			case 'drip': {
				const body = Buffer.from(action.body, 'utf8');
				res.writeHead(action.status, { ...(action.headers ?? {}), 'content-length': String(body.length) });
				let offset = 0;
				const step = () => {
					if (res.destroyed || res.writableEnded) return;
					const next = body.subarray(offset, offset + Math.max(1, action.chunkBytes));
					offset += next.length;
					if (offset >= body.length) res.end(next);
					else {
						res.write(next);
						this.later(action.intervalMs, step);
					}
				};
				// Headers first, so the client knows an answer is coming, then the drip.
				res.flushHeaders();
				this.later(action.intervalMs, step);
				return;
			}
			case 'stream': {
				const headers: Headers = { ...(action.headers ?? {}) };
				const prefix = Buffer.from(action.prefix ?? '', 'utf8');
				if (action.declareLength) headers['content-length'] = String(action.totalBytes);
				res.writeHead(action.status, headers);
				const fill = Buffer.from(action.fill.repeat(Math.max(1, Math.ceil(65536 / Math.max(1, action.fill.length)))), 'utf8');
				let sent = 0;
				const pump = () => {
					while (!res.destroyed && sent < action.totalBytes) {
						let chunk = sent === 0 && prefix.length ? prefix : fill;
						if (sent + chunk.length > action.totalBytes) chunk = chunk.subarray(0, action.totalBytes - sent);
						sent += chunk.length;
						if (!res.write(chunk)) {
							res.once('drain', pump);
							return;
						}
					}
					if (!res.destroyed && !res.writableEnded) res.end();
				};
				pump();
				return;
			}
			case 'reset':
				socket.destroy();
				return;
			case 'hangup': {
				const body = Buffer.from(action.body, 'utf8');
				const headers: Headers = { ...(action.headers ?? {}) };
				if (action.declareLength) headers['content-length'] = String(body.length);
				res.writeHead(action.status, headers);
				const cut = Math.max(0, Math.min(action.afterBytes, body.length - 1));
				if (cut > 0) res.write(body.subarray(0, cut));
				// Let the bytes reach the client, then drop the connection mid-answer.
				this.later(2, () => socket.destroy());
				return;
			}
			case 'never':
				// Keep the socket; the client's deadline (or close()) ends it.
				return;
		}
	}
}

export async function startFaultServer(): Promise<FaultServer> {
	return await new FaultServer().start();
}
