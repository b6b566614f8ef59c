// @ts-check
'use strict';

/**
 * Answer rendering: turns an Answer (what the gateway decided) into the bytes the real gateway
 * would send — JSON or XML envelopes, the 13-character request id, the nginx HTML 502, the
 * half-body of GARBLED-, the empty body of EMPTY-. Also the plain JSON replies of the control
 * channel and of the server's 404/500.
 */

const crypto = require('node:crypto');

const XML_DECL = '<?xml version="1.0" encoding="utf-8" ?>';
const XML_TRAILER = '<!--top-sandbox.local-->';

/**
 * @typedef {{ code: number, msg: string, sub_code?: string, sub_msg?: string }} TopError
 * @typedef {{
 *   kind: 'success', body: Record<string, unknown>, outcome?: string,
 * } | {
 *   kind: 'error', error: TopError,
 * } | {
 *   kind: 'raw', status: number, contentType: string, body: string,
 * } | {
 *   kind: 'garbled', body: Record<string, unknown>,
 * } | {
 *   kind: 'empty',
 * } | {
 *   kind: 'reset',
 * }} Answer
 * `garbled` carries the success body that gets cut in half.
 */

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** 13 random base36 characters. */
function newRequestId() {
	const bytes = crypto.randomBytes(13);
	let id = '';
	for (let i = 0; i < 13; i++) id += BASE36[bytes[i] % 36];
	return id;
}

/** @param {unknown} value */
function xmlEscape(value) {
	return String(value).replace(/[&<>"']/g, (c) =>
		c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
	);
}

/** @param {string} name */
function xmlName(name) {
	let n = String(name).replace(/[^A-Za-z0-9_.\-]/g, '_');
	if (!/^[A-Za-z_]/.test(n)) n = '_' + n;
	return n;
}

/**
 * Simple recursive object → XML (arrays become repeated elements).
 * @param {string} name
 * @param {unknown} value
 * @returns {string}
 */
function toXml(name, value) {
	const tag = xmlName(name);
	if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
	if (value === null || value === undefined) return `<${tag}></${tag}>`;
	if (typeof value === 'object') {
		let inner = '';
		for (const [k, v] of Object.entries(/** @type {Record<string, unknown>} */ (value))) inner += toXml(k, v);
		return `<${tag}>${inner}</${tag}>`;
	}
	return `<${tag}>${xmlEscape(value)}</${tag}>`;
}

/**
 * @param {string} method
 * @param {Record<string, unknown>} body object placed inside `<method>_response` (request_id appended)
 * @param {'json' | 'xml'} format
 * @param {boolean} simplify
 * @param {string} requestId
 */
function renderSuccess(method, body, format, simplify, requestId) {
	// Like the real gateway: `taobao.` is dropped (taobao.time.get → time_get_response), other dots become `_`.
	const wrapper = method.replace(/^taobao\./, '').replace(/\./g, '_') + '_response';
	const inner = { ...body, request_id: requestId };
	if (format === 'xml') return XML_DECL + toXml(wrapper, inner) + XML_TRAILER;
	return JSON.stringify(simplify ? inner : { [wrapper]: inner });
}

/**
 * @param {TopError} error
 * @param {'json' | 'xml'} format
 * @param {string} requestId
 */
function renderError(error, format, requestId) {
	/** @type {Record<string, unknown>} */
	const e = { code: error.code, msg: error.msg };
	if (error.sub_code !== undefined) e.sub_code = error.sub_code;
	if (error.sub_msg !== undefined) e.sub_msg = error.sub_msg;
	e.request_id = requestId;
	if (format === 'xml') return XML_DECL + toXml('error_response', e) + XML_TRAILER;
	return JSON.stringify({ error_response: e });
}

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
	'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** @returns {Answer} nginx's HTTP 502 HTML page, as a proxy in front of the gateway sends it. */
function badGateway() {
	return { kind: 'raw', status: 502, contentType: 'text/html', body: HTML_502 };
}

/**
 * What goes on the wire for an answer. `body` null means: destroy the socket, answer nothing.
 * @param {Answer} answer
 * @param {{ method: string | null, format: 'json' | 'xml', simplify: boolean, requestId: string }} how
 * @returns {{ status: number, contentType: string, body: string | null, outcome: string }}
 */
function renderAnswer(answer, { method, format, simplify, requestId }) {
	const contentType = format === 'json' ? 'application/json;charset=UTF-8' : 'text/xml;charset=UTF-8';
	switch (answer.kind) {
		case 'success':
			return {
				status: 200,
				contentType,
				body: renderSuccess(/** @type {string} */ (method), answer.body, format, simplify, requestId),
				outcome: answer.outcome ?? 'success',
			};
		case 'error':
			return { status: 200, contentType, body: renderError(answer.error, format, requestId), outcome: `error:${answer.error.code}` };
		case 'raw':
			return { status: answer.status, contentType: answer.contentType, body: answer.body, outcome: `http:${answer.status}` };
		case 'garbled': {
			const full = renderSuccess(/** @type {string} */ (method), answer.body, format, simplify, requestId);
			return { status: 200, contentType, body: full.slice(0, Math.floor(full.length / 2)), outcome: 'garbled' };
		}
		case 'empty':
			return { status: 200, contentType, body: '', outcome: 'empty' };
		case 'reset':
		default:
			return { status: 0, contentType, body: null, outcome: 'reset' };
	}
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 */
function sendJson(res, status, value) {
	const buf = Buffer.from(JSON.stringify(value), 'utf8');
	res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': buf.length });
	res.end(buf);
}

module.exports = { newRequestId, renderAnswer, badGateway, sendJson };
