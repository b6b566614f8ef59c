// @ts-check
'use strict';

/**
 * What `/router/rest` answers: the request params (query string and form body), the gateway
 * checks, then the method — cancellockstock (cancel.js), taobao.time.get, or an extra method
 * from the config. The answer is rendered, delayed and recorded by server.js.
 */

const { formatGmt8 } = require('./sign');
const { CANCEL_METHOD, TIME_METHOD, isPlainObject } = require('./config');
const { gatewayChecks } = require('./checks');
const { answerCancel } = require('./cancel');

/** Params the gateway itself reads; an extra method gets every other param. */
const SYSTEM_PARAMS = new Set([
	'method', 'app_key', 'session', 'timestamp', 'format', 'v', 'sign_method', 'sign', 'simplify',
	'partner_id', 'target_app_key',
]);

/**
 * @typedef {import('./render').Answer} Answer
 * @typedef {import('./store').RequestInfo} RequestInfo
 * @typedef {import('./cancel').CancelDeps & { rateLimited: (appKey: string) => number }} GatewayDeps
 */

/**
 * Query-string and `application/x-www-form-urlencoded` body params merged (body wins; the
 * first of a repeated query param counts). Multipart and JSON bodies are not read.
 * @param {URLSearchParams} query
 * @param {string} contentType the request's Content-Type header, lower-cased
 * @param {string} bodyText
 * @returns {Record<string, string>}
 */
function gatewayParams(query, contentType, bodyText) {
	/** @type {Record<string, string>} */
	const params = {};
	for (const [k, v] of query) if (!(k in params)) params[k] = v;
	if (bodyText && !contentType.startsWith('multipart/') && !contentType.startsWith('application/json')) {
		for (const [k, v] of new URLSearchParams(bodyText)) params[k] = v;
	}
	return params;
}

/**
 * An extra method's answer: its result in a success envelope, or the `{code, msg}` it threw,
 * or error 15 for anything else it threw.
 * @param {Record<string, import('./config').ExtraMethod>} extraMethods
 * @param {Record<string, string>} params
 * @param {string} method
 * @returns {Answer}
 */
function answerExtraMethod(extraMethods, params, method) {
	/** @type {Record<string, string>} */
	const appParams = {};
	for (const [k, v] of Object.entries(params)) if (!SYSTEM_PARAMS.has(k)) appParams[k] = v;
	try {
		const fn = extraMethods[method];
		const result = fn(appParams, { method, appKey: params.app_key });
		return { kind: 'success', body: isPlainObject(result) ? result : { result } };
	} catch (e) {
		const err = /** @type {any} */ (e);
		return err && typeof err.code === 'number' && typeof err.msg === 'string'
			? { kind: 'error', error: err }
			: { kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-error', sub_msg: String(err?.message ?? err) } };
	}
}

/**
 * The answer to one gateway request. Fills `info` for the record.
 * @param {Record<string, string>} params
 * @param {RequestInfo} info
 * @param {GatewayDeps} deps
 * @returns {Promise<Answer>}
 */
async function answerGateway(params, info, deps) {
	const { config } = deps;
	const gwError = gatewayChecks(params, config, deps.rateLimited);
	if (gwError) return { kind: 'error', error: gwError };
	const method = params.method;
	if (method === CANCEL_METHOD) return answerCancel(params, info, deps);
	if (method === TIME_METHOD) return { kind: 'success', body: { time: formatGmt8() } };
	return answerExtraMethod(config.extraMethods, params, method);
}

module.exports = { gatewayParams, answerGateway };
