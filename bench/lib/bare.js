// @ts-check
'use strict';

/**
 * The floor of client overhead: a bare axios loop with C lanes over one keep-alive agent
 * (maxSockets = C), sending requests signed before the clock starts. No n8n, no parsing beyond a
 * success check on the text, no retries.
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
 * @param {{ url: string, requests: Array<{query: string, body: string}>, concurrency: number, timeoutMs?: number }} o
 * @returns {Promise<{ ms: number, ok: number, failed: number, socketsOpened: number }>}
 */
async function runBare(o) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
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
		timeout: o.timeoutMs ?? 10_000,
	});
	let next = 0;
	let ok = 0;
	let failed = 0;
	const lane = async () => {
		while (next < o.requests.length) {
			const r = o.requests[next++];
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
	await Promise.all(Array.from({ length: Math.min(o.concurrency, o.requests.length) }, lane));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	agent.destroy();
	return { ms, ok, failed, socketsOpened };
}

module.exports = { presign, runBare, SUPPLIER, APP };
