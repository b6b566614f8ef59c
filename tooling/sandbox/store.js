// @ts-check
'use strict';

/**
 * What the sandbox remembers between requests: the order store, the msg_id answers it replays
 * to a retry, the stats, and the recorded requests (secrets redacted). `reset()` forgets it all.
 */

const { isBlank } = require('./sign');
const { CANCEL_PARAM } = require('./config');

/**
 * @typedef {{
 *   at: string, method: string | null, appKey: string | null, format: string, signMethod: string | null,
 *   msgId: string | null, orderId: string | null, outcome: string, httpStatus: number,
 *   params: Record<string, unknown>, replayed?: boolean,
 * }} RecordedRequest
 * @typedef {{
 *   total: number, byOutcome: Record<string, number>, connections: number, openConnections: number,
 *   cancelled: Record<string, number>, attemptsByMsgId: Record<string, number>,
 *   orderByMsgId: Record<string, string>,
 *   maxConcurrent: number, inFlight: number, replays: number,
 * }} SandboxStats
 * @typedef {{ body: Record<string, unknown>, outcome: string, orderId: string }} FinalAnswer
 * the answer a msg_id got (success, 404, 1001), replayed to its retries
 * @typedef {{ msgId: string | null, orderId: string | null, replayed?: boolean }} RequestInfo
 * what the cancel handling learnt about a request, for its record
 */

/** @returns {SandboxStats} */
function emptyStats() {
	return {
		total: 0,
		byOutcome: {},
		connections: 0,
		openConnections: 0,
		cancelled: {},
		attemptsByMsgId: {},
		orderByMsgId: {},
		maxConcurrent: 0,
		inFlight: 0,
		replays: 0,
	};
}

/**
 * Redact secrets out of request params for recording.
 * @param {Record<string, string>} params
 */
function redactParams(params) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [k, v] of Object.entries(params)) {
		if (k === 'sign' || k === 'session') continue;
		if (k === CANCEL_PARAM) {
			try {
				const parsed = JSON.parse(v);
				if (parsed && typeof parsed === 'object' && parsed.head && typeof parsed.head === 'object' && 'supplier_secret' in parsed.head) {
					parsed.head.supplier_secret = '<redacted>';
				}
				out[k] = parsed;
			} catch {
				out[k] = String(v).replace(/("supplier_secret"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\s]*)/g, '$1"<redacted>"');
			}
			continue;
		}
		out[k] = v;
	}
	return out;
}

/**
 * @param {{ maxRecordedRequests: number }} config read live: configure() may change it
 * @param {((r: RecordedRequest) => void) | undefined} onRecord
 */
function createStore(config, onRecord) {
	/** @type {RecordedRequest[]} */
	const requests = [];
	const stats = emptyStats();
	/** msg_id → answer of its first success/business outcome (a retry replays it) */
	/** @type {Map<string, FinalAnswer>} */
	const doneByMsgId = new Map();

	/** Forget everything; the live counters (open sockets, in-flight requests) stay true. */
	function reset() {
		requests.length = 0;
		const open = stats.openConnections;
		const inFlight = stats.inFlight;
		Object.assign(stats, emptyStats());
		stats.openConnections = open;
		stats.inFlight = inFlight;
		doneByMsgId.clear();
	}

	/**
	 * Count one more attempt of msg_id (one that passed the head checks), received for order
	 * `orderId` (kept in orderByMsgId: what the gateway received, answered or not); returns the count.
	 * @param {string} msgId
	 * @param {string} orderId
	 */
	function countAttempt(msgId, orderId) {
		if (!(msgId in stats.orderByMsgId)) stats.orderByMsgId[msgId] = orderId;
		return (stats.attemptsByMsgId[msgId] = (stats.attemptsByMsgId[msgId] ?? 0) + 1);
	}

	/**
	 * The final answer msg_id already got, counted as a replay; undefined when it got none yet.
	 * @param {string} msgId
	 */
	function replay(msgId) {
		const done = doneByMsgId.get(msgId);
		if (done) stats.replays++;
		return done;
	}

	/**
	 * Keep msg_id's final answer, so a retry replays it.
	 * @param {string} msgId
	 * @param {FinalAnswer} answer
	 */
	function remember(msgId, answer) {
		doneByMsgId.set(msgId, answer);
	}

	/** @param {string} orderId */
	function cancelOrder(orderId) {
		stats.cancelled[orderId] = (stats.cancelled[orderId] ?? 0) + 1;
	}

	/**
	 * Record one gateway request (and tell onRecord).
	 * @param {Record<string, string>} params
	 * @param {{ method: string | null, format: string, outcome: string, httpStatus: number, info: RequestInfo }} what
	 */
	function record(params, { method, format, outcome, httpStatus, info }) {
		/** @type {RecordedRequest} */
		const rec = {
			at: new Date().toISOString(),
			method,
			appKey: isBlank(params.app_key) ? null : params.app_key,
			format,
			signMethod: isBlank(params.sign_method) ? null : params.sign_method,
			msgId: info.msgId,
			orderId: info.orderId,
			outcome,
			httpStatus,
			params: redactParams(params),
			...(info.replayed ? { replayed: true } : {}),
		};
		stats.total++;
		stats.byOutcome[rec.outcome] = (stats.byOutcome[rec.outcome] ?? 0) + 1;
		requests.push(rec);
		const max = config.maxRecordedRequests;
		if (max > 0 && requests.length > max) requests.splice(0, requests.length - max);
		if (onRecord) {
			try {
				onRecord(rec);
			} catch {
				/* ignore */
			}
		}
	}

	return { stats, requests, reset, countAttempt, replay, remember, cancelOrder, record };
}

module.exports = { createStore };
