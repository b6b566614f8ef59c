// @ts-check
'use strict';

/**
 * Who may call: the gateway checks 1-8 of tooling/sandbox/README.md (method, app key, timestamp, v,
 * sign_method/format, TOP signature, session, rate limit) and the cancellockstock head checks
 * (supplier key and secret, head `signed`, `time_stamp`). The signing itself is in sign.js.
 */

const { TOP_SIGN_METHODS, isBlank, signTop, signHead, signHeadTemplate, sameSignature, parseGmt8 } = require('./sign');
const { CANCEL_METHOD, TIME_METHOD } = require('./config');

/**
 * @typedef {import('./config').SandboxConfig} SandboxConfig
 * @typedef {import('./render').TopError} TopError
 */

/**
 * Error 7 as the real gateway sends it when an app is banned.
 * @param {number} seconds
 * @returns {TopError}
 */
function appCallLimited(seconds) {
	return {
		code: 7,
		msg: 'App Call Limited',
		sub_code: 'accesscontrol.limited-by-app-access-count',
		sub_msg: `This ban will last for ${seconds} more seconds`,
	};
}

/**
 * @param {SandboxConfig} config
 * @returns {Set<string> | null}
 */
function sessionSet(config) {
	const s = config.sessions;
	if (s === null || s === undefined) return null;
	if (Array.isArray(s)) return new Set(s.map(String));
	if (s instanceof Set) return new Set([...s].map(String));
	if (s instanceof Map) return new Set([...s.keys()].map(String));
	if (typeof s === 'object') return new Set(Object.keys(s));
	return null;
}

/**
 * The gateway checks 1-8, in order. Returns the first failure, or null.
 * @param {Record<string, string>} params
 * @param {SandboxConfig} config
 * @param {(appKey: string) => number} rateLimited check 8: ban seconds left, 0 when the app may call
 * @returns {TopError | null}
 */
function gatewayChecks(params, config, rateLimited) {
	const method = params.method;
	if (isBlank(method)) return { code: 21, msg: 'Missing method' };
	if (method !== CANCEL_METHOD && method !== TIME_METHOD && !Object.prototype.hasOwnProperty.call(config.extraMethods ?? {}, method)) {
		return { code: 22, msg: 'Invalid method' };
	}
	const appKey = params.app_key;
	if (isBlank(appKey)) return { code: 28, msg: 'Missing app key' };
	if (!Object.prototype.hasOwnProperty.call(config.apps, appKey)) return { code: 29, msg: 'Invalid app key' };
	const ts = params.timestamp;
	if (isBlank(ts)) return { code: 30, msg: 'Missing timestamp' };
	const t = parseGmt8(ts);
	if (t === null) {
		return { code: 31, msg: 'Invalid timestamp', sub_msg: 'timestamp must be yyyy-MM-dd HH:mm:ss in GMT+8' };
	}
	const skew = Math.round((Date.now() - t) / 1000);
	if (Math.abs(skew) > config.maxSkewSeconds) {
		return {
			code: 31,
			msg: 'Invalid timestamp',
			sub_msg: `timestamp is ${Math.abs(skew)} seconds ${skew > 0 ? 'behind' : 'ahead of'} the gateway clock (GMT+8); at most ${config.maxSkewSeconds} allowed`,
		};
	}
	if (isBlank(params.v)) return { code: 40, msg: 'Missing required arguments:v' };
	if (params.v !== '2.0') return { code: 41, msg: 'Invalid arguments:v' };
	const signMethod = isBlank(params.sign_method) ? 'md5' : params.sign_method;
	if (!TOP_SIGN_METHODS.includes(/** @type {any} */ (signMethod))) return { code: 41, msg: 'Invalid arguments:sign_method' };
	if (!isBlank(params.format) && params.format !== 'json' && params.format !== 'xml') {
		return { code: 41, msg: 'Invalid arguments:format' };
	}
	if (isBlank(params.sign)) return { code: 24, msg: 'Missing signature' };
	const expected = signTop(params, config.apps[appKey], signMethod);
	if (!sameSignature(expected, params.sign.trim())) return { code: 25, msg: 'Invalid signature' };
	const sessions = sessionSet(config);
	if (sessions && !isBlank(params.session) && !sessions.has(params.session)) return { code: 27, msg: 'Invalid session' };
	const ban = rateLimited(appKey);
	if (ban > 0) return appCallLimited(ban);
	return null;
}

/**
 * head.time_stamp as epoch ms, read in the configured format, or null when it is not in it:
 * 'epoch-ms' (13 digits), 'epoch-s' (10 digits), 'gmt8' (`yyyy-MM-dd HH:mm:ss` in GMT+8).
 * @param {string | undefined} text
 * @param {'epoch-ms' | 'epoch-s' | 'gmt8'} format
 * @returns {number | null}
 */
function headTimeStamp(text, format) {
	if (isBlank(text)) return null;
	const t = String(text);
	if (format === 'gmt8') return parseGmt8(t);
	if (format === 'epoch-s') return /^\d{10}$/.test(t) ? Number(t) * 1000 : null;
	return /^\d{13}$/.test(t) ? Number(t) : null;
}

/**
 * The cancellockstock head checks, in order (supplier key, supplier secret, `signed`,
 * `time_stamp`). Returns the business failure to answer, or null.
 * @param {Record<string, string>} h the head, every field as a string
 * @param {SandboxConfig} config
 * @returns {{ code: string, desc: string } | null}
 */
function headChecks(h, config) {
	const supplierKey = h.supplier_key;
	if (isBlank(supplierKey) || !Object.prototype.hasOwnProperty.call(config.suppliers, supplierKey)) {
		return { code: '401', desc: 'supplier key not recognised' };
	}
	const supplierSecret = config.suppliers[supplierKey];
	if (h.supplier_secret === undefined || !sameSignature(Buffer.from(h.supplier_secret).toString('hex'), Buffer.from(supplierSecret).toString('hex'))) {
		return { code: '401', desc: 'supplier authentication failed' };
	}
	const signed = isBlank(h.signed) ? '' : h.signed.trim();
	const hsm = config.headSignMethod ?? 'any';
	let signOk;
	if (hsm === 'none') signOk = signed === '';
	else if (hsm === 'template') {
		// exact hex case: the recipe names it
		const recipe = config.headTemplate;
		signOk = !!recipe && signed !== '' && signed === signHeadTemplate(h, supplierSecret, recipe);
	} else if (hsm === 'md5' || hsm === 'hmac-sha256') signOk = signed !== '' && sameSignature(signed, signHead(h, supplierSecret, hsm));
	else signOk = signed === '' || sameSignature(signed, signHead(h, supplierSecret, 'md5')) || sameSignature(signed, signHead(h, supplierSecret, 'hmac-sha256'));
	if (!signOk) return { code: '403', desc: 'head signature mismatch' };
	const at = headTimeStamp(h.time_stamp, config.timeStampFormat ?? 'epoch-ms');
	if (at === null || Math.abs(Date.now() - at) > config.maxSkewSeconds * 1000) {
		return { code: '400', desc: 'invalid time_stamp' };
	}
	return null;
}

module.exports = { gatewayChecks, headChecks, appCallLimited };
