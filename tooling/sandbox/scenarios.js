// @ts-check
'use strict';

/**
 * Magic order ids: the prefix of the order id a test cancels picks how the gateway answers.
 * One row per prefix in SCENARIOS below; to add a scenario, add a row (and a line to the table in
 * tooling/sandbox/README.md). An order id that matches no row is simply cancelled.
 *
 * A key is a case-sensitive prefix; `<n>` in it stands for a run of digits, handed to the row as
 * a number (`'ISP<n>-'` matches `ISP3-42` with n = 3). A row gets the context below and returns an
 * Answer (see render.js), or a promise of one. Rows are tried in the order written; the first
 * match answers.
 *
 * Only requests that passed the gateway and head checks, and whose msg_id got no final answer
 * yet, reach a row (a msg_id that did is replayed first, see cancel.js).
 */

const { appCallLimited } = require('./checks');
const { badGateway } = require('./render');

/**
 * @typedef {import('./render').Answer} Answer
 * @typedef {{
 *   orderId: string,
 *   attempt: number,
 *   succeed: () => Answer,
 *   business: (code: string, desc: string) => Answer,
 *   body: (code: string, desc: string) => Record<string, unknown>,
 *   delay: (ms: number) => Promise<void>,
 * }} ScenarioContext
 * - attempt: how many times this msg_id has been tried, this time included (1 the first time)
 * - succeed(): cancel the order and answer return_code "0"; a retry of the msg_id replays it
 * - business(code, desc): a business failure (return_code ≠ "0"); a retry of the msg_id replays it
 * - body(code, desc): the cancellockstock result body for this order, remembered by nothing
 * - delay(ms): wait without blocking (close() cuts it short)
 * @typedef {(ctx: ScenarioContext, n: number) => Answer | Promise<Answer>} Scenario
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

/** @type {Record<string, Scenario>} */
const SCENARIOS = {
	'NOTFOUND-': (c) => c.business('404', 'order not found'),
	'LOCKED-': (c) => c.business('1001', 'order already paid, lock cannot be cancelled'),
	'ISV-': () => ({ kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '非法参数' } }),
	'ISP<n>-': (c, n) =>
		c.attempt <= n
			? { kind: 'error', error: { code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-unavailable', sub_msg: 'backend busy' } }
			: c.succeed(),
	'THROTTLE<n>-': (c, seconds) => (c.attempt === 1 ? { kind: 'error', error: appCallLimited(seconds) } : c.succeed()),
	'CODE<n>-': (_c, code) => ({ kind: 'error', error: { code, msg: topMessageFor(code) } }),
	'HTML502ONCE-': (c) => (c.attempt === 1 ? badGateway() : c.succeed()),
	'HTML502-': () => badGateway(),
	'SLOW<n>-': async (c, ms) => {
		await c.delay(Math.min(ms, 600000));
		return c.succeed();
	},
	'GARBLED-': (c) => ({ kind: 'garbled', body: c.body('0', 'success') }),
	'EMPTY-': () => ({ kind: 'empty' }),
	'RESET-': () => ({ kind: 'reset' }),
};

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The keys as anchored regular expressions, `<n>` capturing its digits. */
const ROWS = Object.entries(SCENARIOS).map(([key, answer]) => ({
	re: new RegExp('^' + key.split('<n>').map(escapeRegExp).join('(\\d+)')),
	answer,
}));

/**
 * Answer a cancel that reached the scenarios: the first row whose key the order id starts with,
 * else a plain successful cancel.
 * @param {ScenarioContext} ctx
 * @returns {Answer | Promise<Answer>}
 */
function answerScenario(ctx) {
	for (const { re, answer } of ROWS) {
		const m = re.exec(ctx.orderId);
		if (m) return answer(ctx, Number(m[1]));
	}
	return ctx.succeed();
}

module.exports = { answerScenario };
