import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';

import { proxyAuthorization, proxyLabel, type ProxySettings } from './proxy';

/**
 * The sockets of one client: keep-alive agents holding at most `maxSockets` connections, to the
 * gateway, or to the proxy when one carries the calls. Through a proxy, each pooled connection is
 * a CONNECT tunnel to the gateway (with TLS inside it for an https:// gateway), kept open by the
 * pool like a direct socket. An http:// gateway is tunnelled too, not forwarded in absolute form:
 * the proxy then never sees the query string (it holds the session) in its access log, a tunnel
 * outlives proxies that close a forwarding connection after each answer (tinyproxy does), and a
 * refusal is the CONNECT's answer, never mistaken for the gateway's.
 */
export interface AgentOptions {
	maxSockets: number;
	/** false = accept any certificate (the credential's Ignore SSL Issues). */
	rejectUnauthorized: boolean;
	proxy?: ProxySettings;
	/** How long the proxy may take to answer a CONNECT, in ms. */
	connectTimeout: number;
	/** Called for every connection opened (to the gateway or to the proxy). */
	onConnection: () => void;
}

/** A proxy that refused or could not be reached: names the proxy's host, never its credentials. */
export class ProxyError extends Error {
	constructor(
		message: string,
		readonly proxy: string,
		/** The proxy's HTTP status for a refused CONNECT (407, 403, 502, …); absent when unreachable. */
		readonly status?: number,
		readonly errno?: string,
	) {
		super(message);
		this.name = 'ProxyError';
	}
}

export interface Agents {
	http: http.Agent;
	https: https.Agent;
	destroy(): void;
}

type CreateConnection = (options: Record<string, unknown>, callback: (error: Error | null, socket?: net.Socket) => void) => net.Socket | undefined;

function countConnections(agent: http.Agent, onConnection: () => void) {
	const target = agent as unknown as { createConnection: CreateConnection };
	const create = target.createConnection;
	target.createConnection = function (this: unknown, options, callback) {
		onConnection();
		return create.call(this, options, callback);
	};
}

export function createAgents(options: AgentOptions): Agents {
	// keepAliveMsecs = the 60 s axios sets on every request's socket: with the agent's default
	// (1 s) the two alternate, and each change is two setsockopt calls per request.
	const agentOptions = { keepAlive: true, keepAliveMsecs: 60_000, maxSockets: Math.max(1, options.maxSockets) };
	const httpAgent = new http.Agent(agentOptions);
	const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: options.rejectUnauthorized });
	const pending = new Set<http.ClientRequest>();
	const proxy = options.proxy;
	if (proxy) {
		for (const [agent, secure] of [
			[httpAgent, false],
			[httpsAgent, true],
		] as const) {
			(agent as unknown as { createConnection: CreateConnection }).createConnection = (connectionOptions, callback) => {
				tunnel(proxy, connectionOptions, secure, options, pending, callback);
				return undefined;
			};
			holdSlotsWhileConnecting(agent);
		}
	}
	countConnections(httpAgent, options.onConnection);
	countConnections(httpsAgent, options.onConnection);
	return {
		http: httpAgent,
		https: httpsAgent,
		destroy() {
			for (const request of pending) request.destroy();
			pending.clear();
			httpAgent.destroy();
			httpsAgent.destroy();
		},
	};
}

type SocketCallback = (error: Error | null, socket?: net.Socket) => void;
type CreateSocket = (req: QueuedRequest, options: Record<string, unknown>, callback: SocketCallback) => void;
interface QueuedRequest {
	onSocket(socket: net.Socket | undefined, error?: Error): void;
}
interface AgentInternals {
	createSocket: CreateSocket;
	getName(options: Record<string, unknown>): string;
	sockets: Record<string, unknown[] | undefined>;
	requests: Record<string, QueuedRequest[] | undefined>;
	totalSocketCount: number;
}

/**
 * Node's agent counts a socket against maxSockets only once it exists, so while tunnels are being
 * opened (asynchronously) every waiting request would open one more. A placeholder holds the slot
 * until the tunnel stands (agent-base, behind n8n's proxy agents, does the same). When a tunnel
 * fails, its request gets the proxy's error, the slot is freed, and the next request waiting for a
 * socket gets a tunnel of its own (Node's agent would hand a failed creation's slot to no one).
 */
function holdSlotsWhileConnecting(agent: http.Agent) {
	const internals = agent as unknown as AgentInternals;
	const createSocket = internals.createSocket;
	const wrapped: CreateSocket = function (this: AgentInternals, req, socketOptions, callback) {
		const name = this.getName(socketOptions);
		// (agent.destroy() destroys every socket it holds: the pending tunnel is ended by ours)
		const placeholder = { destroy: () => undefined };
		(this.sockets[name] ??= []).push(placeholder);
		this.totalSocketCount++;
		const release = () => {
			const list = this.sockets[name];
			const index = list ? list.indexOf(placeholder) : -1;
			if (index === -1) return;
			list!.splice(index, 1);
			if (list!.length === 0) delete this.sockets[name];
			this.totalSocketCount--;
		};
		createSocket.call(this, req, socketOptions, (error, socket) => {
			release();
			callback(error, socket);
			if (error) serveNext(this, name, socketOptions);
		});
	};
	const serveNext = (self: AgentInternals, name: string, socketOptions: Record<string, unknown>) => {
		const queue = self.requests[name];
		if (!queue || queue.length === 0) return;
		const next = queue[0];
		wrapped.call(self, next, socketOptions, (error, socket) => {
			if (!error) {
				// (as Node does: a free socket goes to the first request waiting for one)
				socket!.emit('free');
				return;
			}
			const waiting = self.requests[name];
			const index = waiting ? waiting.indexOf(next) : -1;
			if (index !== -1) {
				waiting!.splice(index, 1);
				if (waiting!.length === 0) delete self.requests[name];
			}
			next.onSocket(undefined, error);
		});
	};
	internals.createSocket = wrapped;
}

/**
 * Opens a CONNECT tunnel to the gateway through the proxy (and starts TLS inside it for an https://
 * gateway); the agent pools the socket like a direct one. Any failure is a ProxyError naming the proxy.
 */
function tunnel(
	proxy: ProxySettings,
	target: Record<string, unknown>,
	secure: boolean,
	options: AgentOptions,
	pending: Set<http.ClientRequest>,
	callback: (error: Error | null, socket?: net.Socket) => void,
) {
	const label = proxyLabel(proxy);
	const host = String(target.host ?? target.hostname ?? 'localhost');
	const port = Number(target.port) || (secure ? 443 : 80);
	const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
	const headers: http.OutgoingHttpHeaders = { host: authority };
	const authorization = proxyAuthorization(proxy);
	if (authorization) headers['proxy-authorization'] = authorization;
	const connect = http.request({
		host: proxy.host,
		port: proxy.port,
		method: 'CONNECT',
		path: authority,
		headers,
		agent: false,
	});
	pending.add(connect);
	// (the idle timer of the socket to the proxy; cleared once the tunnel stands)
	connect.setTimeout(options.connectTimeout, () =>
		connect.destroy(Object.assign(new Error('the proxy did not answer the CONNECT in time'), { code: 'ETIMEDOUT' })),
	);
	let done = false;
	const finish = (error: Error | null, socket?: net.Socket) => {
		pending.delete(connect);
		if (done) {
			socket?.destroy();
			return;
		}
		done = true;
		callback(error, socket);
	};
	connect.once('connect', (response: http.IncomingMessage, socket: net.Socket) => {
		socket.setTimeout(0);
		const status = response.statusCode ?? 0;
		if (status !== 200) {
			socket.destroy();
			finish(
				new ProxyError(
					`The proxy ${label} refused the tunnel to the gateway: HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
					label,
					status,
				),
			);
			return;
		}
		if (!secure) {
			finish(null, socket);
			return;
		}
		const servername = typeof target.servername === 'string' && target.servername ? target.servername : net.isIP(host) ? undefined : host;
		const tlsSocket = tls.connect({
			socket,
			servername,
			rejectUnauthorized: options.rejectUnauthorized,
			ca: target.ca as tls.ConnectionOptions['ca'],
		});
		finish(null, tlsSocket);
	});
	connect.once('error', (error: Error & { code?: string }) => {
		finish(new ProxyError(`Could not reach the proxy ${label}${error.code ? ` (${error.code})` : ''}`, label, undefined, error.code));
	});
	connect.end();
}
