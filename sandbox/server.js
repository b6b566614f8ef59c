// @ts-check
'use strict';

/**
 * A local TOP-compatible (Taobao Open Platform) sandbox gateway for
 * `alibaba.damai.yuntoc.order.cancellockstock`, `taobao.time.get` and configurable extra methods.
 * Node standard library only. See sandbox/README.md.
 */

const http = require('node:http');
const { isBlank, formatGmt8 } = require('./sign');
const { newRequestId, renderAnswer, badGateway, sendJson } = require('./render');
const { CANCEL_METHOD, CANCEL_PARAM, TIME_METHOD, defaultConfig, mergeConfig, publicConfig } = require('./config');
const { createStore } = require('./store');
const { createRateLimiter } = require('./ratelimit');
const { gatewayChecks, headChecks, appCallLimited } = require('./checks');

const SYSTEM_PARAMS = new Set([
	'method', 'app_key', 'session', 'timestamp', 'format', 'v', 'sign_method', 'sign', 'simplify',
	'partner_id', 'target_app_key',
]);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * @typedef {import('./config').SandboxConfig} SandboxConfig
 * @typedef {import('./store').RecordedRequest} RecordedRequest
 * @typedef {import('./render').TopError} TopError
 * @typedef {import('./render').Answer} Answer
 */

/** @param {number} code */
function topMessageFor(code) {
	switch (code) {
		case 7: return 'App Call Limited';
		case 8: return 'Call frequency exceeded';
		case 10: return 'Service currently unavailable';
		case 11: return 'Insufficient ISV permissions';
		case 15: return 'Remote service error';
		default: return `Sandbox error ${code}`;
	}
}

/** @param {unknown} v */
function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Head field as string (strings and numbers accepted), undefined when absent/null, false when of a wrong type.
 * @param {Record<string, unknown>} obj
 * @param {string} key
 * @returns {string | undefined | false}
 */
function stringField(obj, key) {
	const v = obj[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v === 'string') return v;
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	return false;
}

/**
 * Start the sandbox gateway.
 * @param {Partial<SandboxConfig> & { port?: number, host?: string, onRecord?: (r: RecordedRequest) => void }} [options]
 */
async function startSandbox(options = {}) {
	const { port: wantedPort, host: wantedHost, onRecord, ...configOptions } = options;
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
	 * @param {string | null} orderId
	 * @param {string} code
	 * @param {string} desc
	 * @returns {Record<string, unknown>}
	 */
	function cancelBody(orderId, code, desc) {
		/** @type {Record<string, unknown>} */
		const result = {};
		if (orderId !== null) result.cancel_stock_lock_result_body = { order_id: orderId };
		result.head = { return_code: code, return_desc: desc };
		return { result };
	}

	/**
	 * Business handling of cancellockstock.
	 * @param {Record<string, string>} params
	 * @param {{ msgId: string | null, orderId: string | null, replayed?: boolean }} info
	 * @returns {Promise<Answer>}
	 */
	async function handleCancel(params, info) {
		const raw = params[CANCEL_PARAM];
		if (isBlank(raw)) {
			return { kind: 'error', error: { code: 40, msg: `Missing required arguments:${CANCEL_PARAM}`, sub_code: 'isv.missing-parameter' } };
		}
		/** @type {TopError} */
		const invalid = { code: 41, msg: `Invalid arguments:${CANCEL_PARAM}`, sub_code: 'isv.invalid-parameter', sub_msg: '非法参数' };
		/** @type {any} */
		let req;
		try {
			req = JSON.parse(raw);
		} catch {
			return { kind: 'error', error: invalid };
		}
		if (!isPlainObject(req) || !isPlainObject(req.head)) return { kind: 'error', error: invalid };
		const bodyObj = req.cancel_stock_lock_request_body;
		if (bodyObj !== undefined && bodyObj !== null && !isPlainObject(bodyObj)) return { kind: 'error', error: invalid };
		const reqParam = isPlainObject(bodyObj) ? bodyObj.cancel_stock_lock_req_param : undefined;
		if (reqParam !== undefined && reqParam !== null && !isPlainObject(reqParam)) return { kind: 'error', error: invalid };
		/** @type {Record<string, unknown>} */
		const head = req.head;
		/** @type {Record<string, string>} */
		const h = {};
		for (const k of Object.keys(head)) {
			const v = stringField(head, k);
			if (v === false) return { kind: 'error', error: invalid };
			if (v !== undefined) h[k] = v;
		}
		const orderIdField = isPlainObject(reqParam) ? stringField(reqParam, 'order_id') : undefined;
		if (orderIdField === false) return { kind: 'error', error: invalid };
		const orderId = isBlank(orderIdField) ? null : /** @type {string} */ (orderIdField);
		const msgId = isBlank(h.msg_id) ? null : h.msg_id;
		info.msgId = msgId;
		info.orderId = orderId;

		// Head checks: business failures inside a success envelope.
		/** @param {string} code @param {string} desc @returns {Answer} */
		const fail = (code, desc) => ({ kind: 'success', body: cancelBody(orderId, code, desc), outcome: `business:${code}` });
		const refused = headChecks(h, config);
		if (refused) return fail(refused.code, refused.desc);
		if (msgId === null) return fail('400', 'missing msg_id');
		if (orderId === null) return fail('400', 'missing order_id');

		// Attempt counting and replay of an already-answered msg_id.
		const attempt = store.countAttempt(msgId);
		const done = store.replay(msgId);
		if (done) {
			info.replayed = true;
			info.orderId = done.orderId;
			return { kind: 'success', body: done.body, outcome: done.outcome };
		}

		/** @param {Record<string, unknown>} body @param {string} outcome @returns {Answer} */
		const remember = (body, outcome) => {
			store.remember(msgId, { body, outcome, orderId: /** @type {string} */ (orderId) });
			return { kind: 'success', body, outcome };
		};
		const succeed = () => {
			store.cancelOrder(/** @type {string} */ (orderId));
			return remember(cancelBody(orderId, '0', 'success'), 'success');
		};

		/** @type {RegExpExecArray | null} */
		let m;
		if (orderId.startsWith('NOTFOUND-')) return remember(cancelBody(orderId, '404', 'order not found'), 'business:404');
		if (orderId.startsWith('LOCKED-')) return remember(cancelBody(orderId, '1001', 'order already paid, lock cannot be cancelled'), 'business:1001');
		if (orderId.startsWith('ISV-')) {
			return { kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '非法参数' } };
		}
		if ((m = /^ISP(\d+)-/.exec(orderId))) {
			if (attempt <= Number(m[1])) {
				return { kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-unavailable', sub_msg: 'backend busy' } };
			}
			return succeed();
		}
		if ((m = /^THROTTLE(\d+)-/.exec(orderId))) {
			if (attempt === 1) return { kind: 'error', error: appCallLimited(Number(m[1])) };
			return succeed();
		}
		if ((m = /^CODE(\d+)-/.exec(orderId))) {
			const code = Number(m[1]);
			return { kind: 'error', error: { code, msg: topMessageFor(code) } };
		}
		if (orderId.startsWith('HTML502ONCE-')) {
			if (attempt === 1) return badGateway();
			return succeed();
		}
		if (orderId.startsWith('HTML502-')) return badGateway();
		if ((m = /^SLOW(\d+)-/.exec(orderId))) {
			await delay(Math.min(Number(m[1]), 600000));
			return succeed();
		}
		if (orderId.startsWith('GARBLED-')) return { kind: 'garbled', body: cancelBody(orderId, '0', 'success') };
		if (orderId.startsWith('EMPTY-')) return { kind: 'empty' };
		if (orderId.startsWith('RESET-')) return { kind: 'reset' };
		return succeed();
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
		/** @type {{ msgId: string | null, orderId: string | null, replayed?: boolean }} */
		const info = { msgId: null, orderId: null };

		/** @type {Answer} */
		let answer;
		const gwError = gatewayChecks(params, config, limiter.rateLimited);
		if (gwError) {
			answer = { kind: 'error', error: gwError };
		} else if (method === CANCEL_METHOD) {
			answer = await handleCancel(params, info);
		} else if (method === TIME_METHOD) {
			answer = { kind: 'success', body: { time: formatGmt8() } };
		} else {
			/** @type {Record<string, string>} */
			const appParams = {};
			for (const [k, v] of Object.entries(params)) if (!SYSTEM_PARAMS.has(k)) appParams[k] = v;
			try {
				const fn = config.extraMethods[/** @type {string} */ (method)];
				const result = fn(appParams, { method: /** @type {string} */ (method), appKey: params.app_key });
				answer = { kind: 'success', body: isPlainObject(result) ? result : { result } };
			} catch (e) {
				const err = /** @type {any} */ (e);
				answer = err && typeof err.code === 'number' && typeof err.msg === 'string'
					? { kind: 'error', error: err }
					: { kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-error', sub_msg: String(err?.message ?? err) } };
			}
		}

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
				/** @type {Record<string, string>} */
				const params = {};
				for (const [k, v] of url.searchParams) if (!(k in params)) params[k] = v;
				const ctype = String(req.headers['content-type'] ?? '').toLowerCase();
				if (bodyText && !ctype.startsWith('multipart/') && !ctype.startsWith('application/json')) {
					for (const [k, v] of new URLSearchParams(bodyText)) params[k] = v;
				}
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
				if (what === 'health') return sendJson(res, 200, { ok: true });
				if (what === 'stats' && req.method === 'GET') return sendJson(res, 200, stats);
				if (what === 'requests' && req.method === 'GET') return sendJson(res, 200, requests);
				if (what === 'reset' && req.method === 'POST') {
					reset();
					return sendJson(res, 200, { ok: true });
				}
				if (what === 'config' && req.method === 'GET') return sendJson(res, 200, publicConfig(config));
				if (what === 'config' && req.method === 'POST') {
					let patch;
					try {
						patch = bodyText ? JSON.parse(bodyText) : {};
					} catch {
						return sendJson(res, 400, { ok: false, error: 'body must be JSON' });
					}
					if (!isPlainObject(patch)) return sendJson(res, 400, { ok: false, error: 'body must be a JSON object' });
					delete patch.extraMethods; // functions cannot travel over HTTP
					configure(patch);
					return sendJson(res, 200, { ok: true, config: publicConfig(config) });
				}
			}
			sendJson(res, 404, { error: 'not found' });
		});
	}

	const server = http.createServer(onRequest);
	server.keepAliveTimeout = 65000;
	server.headersTimeout = 66000;
	server.on('connection', (socket) => {
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
		url: `http://${host}:${port}/router/rest`,
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
