// @ts-check
'use strict';

/**
 * The floor of client overhead: a bare axios loop with C lanes over one keep-alive agent
 * (maxSockets = C, keepAliveMsecs 60 s as the node's agent), sending requests signed before the
 * clock starts. No n8n, no parsing beyond a success check on the text, no retries, and no
 * per-request timeout (axios' `timeout` arms a timer per request, which the node no longer does:
 * its deadlines run on one scheduler per client, transport/deadline.ts); each run is bounded from
 * outside instead (tooling/bench/lib/util.js `bounded`).
 */

const http = require('node:http');
const axios = require('axios');
const { transport } = require('./dist');

const SUPPLIER = { supplierKey: 'sandbox-supplier-key', supplierSecret: 'sandbox-supplier-secret', headSignMethod: 'md5', headVersion: '1.0' };
const APP = { appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', signMethod: 'hmac-sha256' };

/** N signed requests (query + body), ready to send. @param {number} count @param {string} prefix */
function presign(count, prefix = 'BARE-') {
	const t = transport();
	const out = new Array(count);
	for (let i = 0; i < count; i++) {
		const param = t.cancelStockLockParam(`${prefix}${i}`, SUPPLIER, t.newMsgId());
		const req = t.buildTopRequest(t.CANCEL_STOCK_LOCK_METHOD, { [t.CANCEL_STOCK_LOCK_PARAM]: param }, APP, 'json');
		out[i] = { query: req.query, body: req.body };
	}
	return out;
}

/**
 * One request signed when its lane takes it (for the RSS baseline, where 50k pre-signed requests
 * would themselves be the memory measured). @param {string} prefix
 */
function signer(prefix) {
	const t = transport();
	return (/** @type {number} */ i) => {
		const param = t.cancelStockLockParam(`${prefix}${i}`, SUPPLIER, t.newMsgId());
		const req = t.buildTopRequest(t.CANCEL_STOCK_LOCK_METHOD, { [t.CANCEL_STOCK_LOCK_PARAM]: param }, APP, 'json');
		return { query: req.query, body: req.body };
	};
}

/**
 * @param {{ url: string, requests: Array<{query: string, body: string}> | { count: number, make: (i: number) => {query: string, body: string} }, concurrency: number, timeoutMs?: number }} o
 *   requests: pre-signed, or a count and a function that signs request i when it is sent;
 *   timeoutMs: an axios timeout per request (default none)
 * @returns {Promise<{ ms: number, ok: number, failed: number, socketsOpened: number }>}
 */
async function runBare(o) {
	const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxSockets: o.concurrency });
	let socketsOpened = 0;
	const create = /** @type {any} */ (agent).createConnection;
	/** @type {any} */ (agent).createConnection = function (...args) {
		socketsOpened++;
		return create.apply(this, args);
	};
	// the same axios settings as the node's TopClient that matter for speed (maxRedirects 0 = no
	// follow-redirects wrapper, the plain http transport)
	const client = axios.create({
		httpAgent: agent,
		proxy: false,
		maxRedirects: 0,
		responseType: 'text',
		transformResponse: [(d) => d],
		validateStatus: () => true,
		...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
	});
	const list = Array.isArray(o.requests) ? o.requests : undefined;
	const count = list ? list.length : /** @type {{ count: number }} */ (o.requests).count;
	const take = list ? (/** @type {number} */ i) => list[i] : /** @type {{ make: (i: number) => {query: string, body: string} }} */ (o.requests).make;
	let next = 0;
	let ok = 0;
	let failed = 0;
	const lane = async () => {
		while (next < count) {
			const r = take(next++);
			try {
				const res = await client.post(`${o.url}?${r.query}`, r.body, {
					headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
				});
				if (res.status === 200 && typeof res.data === 'string' && res.data.includes('"return_code":"0"')) ok++;
				else failed++;
			} catch {
				failed++;
			}
		}
	};
	const started = process.hrtime.bigint();
	await Promise.all(Array.from({ length: Math.min(o.concurrency, count) }, lane));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	agent.destroy();
	return { ms, ok, failed, socketsOpened };
}

module.exports = { presign, signer, runBare, SUPPLIER, APP };
