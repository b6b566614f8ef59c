// @ts-check
'use strict';

/**
 * `alibaba.damai.yuntoc.order.cancellockstock`, after the gateway checks: read the request
 * param, run the head checks, replay an already-answered msg_id, else hand the order id to the
 * scenarios (scenarios.js), which cancel it or answer otherwise.
 */

const { isBlank } = require('./sign');
const { CANCEL_PARAM, isPlainObject } = require('./config');
const { headChecks } = require('./checks');
const { answerScenario } = require('./scenarios');

/**
 * @typedef {import('./render').Answer} Answer
 * @typedef {import('./render').TopError} TopError
 * @typedef {import('./store').RequestInfo} RequestInfo
 * @typedef {{
 *   config: import('./config').SandboxConfig,
 *   store: ReturnType<typeof import('./store').createStore>,
 *   delay: (ms: number) => Promise<void>,
 * }} CancelDeps
 */

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
 * Business handling of cancellockstock. Fills `info` (msg_id, order id, replayed) for the record.
 * @param {Record<string, string>} params
 * @param {RequestInfo} info
 * @param {CancelDeps} deps
 * @returns {Promise<Answer>}
 */
async function answerCancel(params, info, { config, store, delay }) {
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
	const attempt = store.countAttempt(msgId, orderId);
	const done = store.replay(msgId);
	if (done) {
		info.replayed = true;
		info.orderId = done.orderId;
		return { kind: 'success', body: done.body, outcome: done.outcome };
	}

	/** @param {Record<string, unknown>} body @param {string} outcome @returns {Answer} */
	const remember = (body, outcome) => {
		store.remember(msgId, { body, outcome, orderId });
		return { kind: 'success', body, outcome };
	};
	return answerScenario({
		orderId,
		attempt,
		succeed: () => {
			store.cancelOrder(orderId);
			return remember(cancelBody(orderId, '0', 'success'), 'success');
		},
		business: (code, desc) => remember(cancelBody(orderId, code, desc), `business:${code}`),
		body: (code, desc) => cancelBody(orderId, code, desc),
		delay,
	});
}

module.exports = { answerCancel };
