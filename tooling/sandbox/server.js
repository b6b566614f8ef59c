// @ts-check
'use strict';

/**
 * A local TOP-compatible (Taobao Open Platform) sandbox gateway for
 * `alibaba.damai.yuntoc.order.cancellockstock`, `taobao.time.get` and configurable extra methods.
 * Node standard library only. See tooling/sandbox/README.md ("Where things are").
 *
 * This file is the HTTP glue: listen, read bodies, route to the gateway (gateway.js) or the
 * control channel (control.js), apply the latency, count connections and requests in flight,
 * write the rendered answer (render.js), close.
 */

const http = require('node:http');
const https = require('node:https');
const { isBlank } = require('./sign');
const { newRequestId, renderAnswer, sendJson } = require('./render');
const { CANCEL_METHOD, TIME_METHOD, defaultConfig, mergeConfig } = require('./config');
const { createStore } = require('./store');
const { createRateLimiter } = require('./ratelimit');
const { gatewayParams, answerGateway } = require('./gateway');
const { handleControl } = require('./control');

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * @typedef {import('./config').SandboxConfig} SandboxConfig
 * @typedef {import('./store').RecordedRequest} RecordedRequest
 */

/**
 * Start the sandbox gateway. With `tls` (a PEM key and certificate) it speaks HTTPS.
 * @param {Partial<SandboxConfig> & { port?: number, host?: string, tls?: { key: string | Buffer, cert: string | Buffer }, onRecord?: (r: RecordedRequest) => void }} [options]
 */
async function startSandbox(options = {}) {
	const { port: wantedPort, host: wantedHost, onRecord, tls, ...configOptions } = options;
	const host = wantedHost ?? '127.0.0.1';
	/** @type {SandboxConfig} */
	const config = { ...defaultConfig(), ...configOptions };

	const store = createStore(config, onRecord);
	const { stats, requests } = store;
	const limiter = createRateLimiter(config);
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closed = false;

	function reset() {
		store.reset();
		limiter.clear();
	}

	/** @param {Partial<SandboxConfig>} partial */
	function configure(partial) {
		if (mergeConfig(config, partial)) limiter.clear();
	}

	/** @param {number} ms @returns {Promise<void>} */
	function delay(ms) {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {Record<string, string>} params
	 */
	async function handleGateway(req, res, params) {
		const requestId = newRequestId();
		const fmtParam = params.format;
		/** @type {'json' | 'xml'} */
		const format = isBlank(fmtParam) || fmtParam === 'xml' ? 'xml' : 'json';
		const simplify = params.simplify === 'true';
		const method = isBlank(params.method) ? null : params.method;
		/** @type {import('./store').RequestInfo} */
		const info = { msgId: null, orderId: null };

		const answer = await answerGateway(params, info, { config, store, delay, rateLimited: limiter.rateLimited });

		await delay(config.latencyMs);
		if (closed || res.destroyed || res.writableEnded) return;

		const { status, contentType, body, outcome } = renderAnswer(answer, { method, format, simplify, requestId });

		store.record(params, { method, format, outcome, httpStatus: status, info });

		if (body === null) {
			req.socket.destroy();
			return;
		}
		const buf = Buffer.from(body, 'utf8');
		res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': buf.length, 'top-sandbox-request-id': requestId });
		res.end(buf);
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	function onRequest(req, res) {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) {
				tooBig = true;
				req.socket.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => {
			if (tooBig) return;
			const bodyText = Buffer.concat(chunks).toString('utf8');
			if (url.pathname === '/router/rest') {
				const params = gatewayParams(url.searchParams, String(req.headers['content-type'] ?? '').toLowerCase(), bodyText);
				stats.inFlight++;
				if (stats.inFlight > stats.maxConcurrent) stats.maxConcurrent = stats.inFlight;
				let finished = false;
				const done = () => {
					if (!finished) {
						finished = true;
						stats.inFlight--;
					}
				};
				res.on('close', done);
				handleGateway(req, res, params).then(done, (e) => {
					done();
					if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: String(e?.message ?? e) });
				});
				return;
			}
			if (url.pathname.startsWith('/__sandbox/')) {
				const what = url.pathname.slice('/__sandbox/'.length);
				if (handleControl(req, res, what, bodyText, { config, stats, requests, reset, configure })) return;
			}
			sendJson(res, 404, { error: 'not found' });
		});
	}

	const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
	server.keepAliveTimeout = 65000;
	server.headersTimeout = 66000;
	server.on(tls ? 'secureConnection' : 'connection', (socket) => {
		stats.connections++;
		stats.openConnections++;
		socket.on('close', () => {
			stats.openConnections--;
		});
	});
	server.on('clientError', (_err, socket) => {
		if (!socket.destroyed) socket.destroy();
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(wantedPort ?? 0, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
	const port = addr.port;

	return {
		url: `${tls ? 'https' : 'http'}://${host}:${port}/router/rest`,
		port,
		host,
		get config() {
			return config;
		},
		get stats() {
			return stats;
		},
		get requests() {
			return requests;
		},
		reset,
		configure,
		/** @returns {Promise<void>} */
		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startSandbox, defaultConfig, CANCEL_METHOD, TIME_METHOD };
