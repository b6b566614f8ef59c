// @ts-check
'use strict';

/**
 * The sandbox's OWN implementation of TOP gateway signing and of the Damai request-head
 * signature. Deliberately independent of the project's nodes/ code: it is a cross-check.
 */

const crypto = require('node:crypto');

/** @typedef {'md5' | 'hmac' | 'hmac-sha256'} TopSignMethod */
/** @typedef {'md5' | 'hmac-sha256'} HeadSignMethod */

const TOP_SIGN_METHODS = /** @type {const} */ (['md5', 'hmac', 'hmac-sha256']);

/**
 * True when a value is absent, empty or whitespace only (such params are neither signed nor sent).
 * @param {unknown} value
 */
function isBlank(value) {
	return value === undefined || value === null || String(value).trim() === '';
}

/**
 * Sorted (by char code) concatenation of name+value for every param except the excluded ones
 * and the blank ones.
 * @param {Record<string, unknown>} params
 * @param {string[]} exclude
 * @returns {string}
 */
function concatSorted(params, exclude) {
	const names = Object.keys(params)
		.filter((name) => !exclude.includes(name) && !isBlank(params[name]))
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // UTF-16 code-unit order (ASCII order for ASCII names)
	let s = '';
	for (const name of names) s += name + String(params[name]);
	return s;
}

/**
 * The TOP string S: every param except `sign`, blank values left out, sorted by name, name+value raw.
 * @param {Record<string, unknown>} params
 */
function topSignString(params) {
	return concatSorted(params, ['sign']);
}

/**
 * TOP signature, upper-case hex.
 * md5: MD5(secret + S + secret); hmac: HMAC-MD5(secret, S); hmac-sha256: HMAC-SHA256(secret, S).
 * @param {Record<string, unknown>} params
 * @param {string} secret
 * @param {string} [signMethod] defaults to params.sign_method, then md5
 * @returns {string}
 */
function signTop(params, secret, signMethod) {
	const method = signMethod ?? (isBlank(params.sign_method) ? 'md5' : String(params.sign_method));
	const s = topSignString(params);
	switch (method) {
		case 'md5':
			return crypto.createHash('md5').update(secret + s + secret, 'utf8').digest('hex').toUpperCase();
		case 'hmac':
			return crypto.createHmac('md5', Buffer.from(secret, 'utf8')).update(s, 'utf8').digest('hex').toUpperCase();
		case 'hmac-sha256':
			return crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(s, 'utf8').digest('hex').toUpperCase();
		default:
			throw new Error(`unsupported sign_method: ${method}`);
	}
}

/**
 * The inner head string: name+value for every head field except `signed` and `supplier_secret`,
 * blank values left out, sorted by name (char code).
 * @param {Record<string, unknown>} head
 */
function headSignString(head) {
	return concatSorted(head, ['signed', 'supplier_secret']);
}

/**
 * Head signature, upper-case hex.
 * md5: MD5(supplierSecret + H + supplierSecret); hmac-sha256: HMAC-SHA256(key = supplierSecret, H)
 * where H = headSignString(head) (no secret wrapped around it for hmac-sha256).
 * @param {Record<string, unknown>} head
 * @param {string} supplierSecret
 * @param {HeadSignMethod} method
 */
function signHead(head, supplierSecret, method) {
	const h = headSignString(head);
	if (method === 'md5') {
		return crypto.createHash('md5').update(supplierSecret + h + supplierSecret, 'utf8').digest('hex').toUpperCase();
	}
	if (method === 'hmac-sha256') {
		return crypto.createHmac('sha256', Buffer.from(supplierSecret, 'utf8')).update(h, 'utf8').digest('hex').toUpperCase();
	}
	throw new Error(`unsupported head sign method: ${method}`);
}

/**
 * A template recipe's head signature, computed here from the head as received: every `{name}` in
 * the template replaced by head[name] (the supplier secret from the sandbox's own table for
 * `{supplier_secret}`), then hashed; hex in the recipe's case.
 * @param {Record<string, unknown>} head
 * @param {string} supplierSecret
 * @param {{ template: string, hash: 'md5' | 'sha256' | 'hmac-md5' | 'hmac-sha256', hexCase: 'upper' | 'lower' }} recipe
 */
function signHeadTemplate(head, supplierSecret, recipe) {
	let text = '';
	const t = recipe.template;
	for (let i = 0; i < t.length; i++) {
		if (t[i] === '{') {
			const close = t.indexOf('}', i);
			const name = t.slice(i + 1, close);
			text += name === 'supplier_secret' ? supplierSecret : head[name] === undefined ? '' : String(head[name]);
			i = close;
		} else {
			text += t[i];
		}
	}
	const key = Buffer.from(supplierSecret, 'utf8');
	const digest = {
		md5: () => crypto.createHash('md5').update(text, 'utf8').digest('hex'),
		sha256: () => crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
		'hmac-md5': () => crypto.createHmac('md5', key).update(text, 'utf8').digest('hex'),
		'hmac-sha256': () => crypto.createHmac('sha256', key).update(text, 'utf8').digest('hex'),
	}[recipe.hash];
	if (!digest) throw new Error(`unsupported head template hash: ${recipe.hash}`);
	const hex = digest();
	return recipe.hexCase === 'lower' ? hex.toLowerCase() : hex.toUpperCase();
}

/**
 * Constant-time, case-insensitive comparison of two hex signatures.
 * @param {string} a
 * @param {string} b
 */
function sameSignature(a, b) {
	const x = Buffer.from(String(a).toUpperCase(), 'utf8');
	const y = Buffer.from(String(b).toUpperCase(), 'utf8');
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Format a Date as `yyyy-MM-dd HH:mm:ss` in GMT+8 (Asia/Shanghai, fixed +08:00), whatever the host zone.
 * @param {Date} [date]
 */
function formatGmt8(date = new Date()) {
	const d = new Date(date.getTime() + 8 * 3600 * 1000);
	const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
	return (
		`${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
		`${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
	);
}

/**
 * Parse `yyyy-MM-dd HH:mm:ss` read as GMT+8. Returns epoch ms, or null when malformed.
 * @param {string} text
 * @returns {number | null}
 */
function parseGmt8(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
	if (
		local.getUTCFullYear() !== y ||
		local.getUTCMonth() !== mo - 1 ||
		local.getUTCDate() !== d ||
		local.getUTCHours() !== h ||
		local.getUTCMinutes() !== mi ||
		local.getUTCSeconds() !== s
	) {
		return null;
	}
	return local.getTime() - 8 * 3600 * 1000;
}

module.exports = {
	TOP_SIGN_METHODS,
	isBlank,
	topSignString,
	signTop,
	headSignString,
	signHead,
	signHeadTemplate,
	sameSignature,
	formatGmt8,
	parseGmt8,
};
