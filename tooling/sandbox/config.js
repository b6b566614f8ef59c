// @ts-check
'use strict';

/**
 * The sandbox's settings: defaults, how `configure()` / `POST /__sandbox/config` merge into them,
 * the view of them without secrets, and the method names the gateway answers to.
 */

const CANCEL_METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
const CANCEL_PARAM = 'param_cancel_stock_lock_request';
const TIME_METHOD = 'taobao.time.get';

/**
 * @typedef {{ perSecond: number, banSeconds: number }} RateLimit
 * @typedef {(appParams: Record<string, string>, ctx: { method: string, appKey: string }) => Record<string, unknown>} ExtraMethod
 * @typedef {{
 *   apps: Record<string, string>,
 *   suppliers: Record<string, string>,
 *   headSignMethod: 'any' | 'md5' | 'hmac-sha256' | 'template' | 'none',
 *   headTemplate?: { template: string, hash: 'md5' | 'sha256' | 'hmac-md5' | 'hmac-sha256', hexCase: 'upper' | 'lower' } | null,
 *   timeStampFormat?: 'epoch-ms' | 'epoch-s' | 'gmt8',
 *   maxSkewSeconds: number,
 *   latencyMs: number,
 *   rateLimit: RateLimit | null,
 *   sessions: string[] | Record<string, unknown> | null | undefined,
 *   extraMethods: Record<string, ExtraMethod>,
 *   maxRecordedRequests: number,
 * }} SandboxConfig
 */

/** @returns {Record<string, ExtraMethod>} */
function defaultExtraMethods() {
	return {
		'alibaba.damai.yuntoc.order.query': (appParams) => {
			/** @type {Record<string, unknown>} */
			const params = {};
			for (const [k, v] of Object.entries(appParams)) {
				try {
					params[k] = JSON.parse(v);
				} catch {
					params[k] = v;
				}
			}
			return {
				result: {
					head: { return_code: '0', return_desc: 'success' },
					order_query_result_body: { params },
				},
			};
		},
	};
}

/** @returns {SandboxConfig} */
function defaultConfig() {
	return {
		apps: { 'sandbox-app-key': 'sandbox-app-secret' },
		suppliers: { 'sandbox-supplier-key': 'sandbox-supplier-secret' },
		headSignMethod: 'any',
		headTemplate: null,
		timeStampFormat: 'epoch-ms',
		maxSkewSeconds: 600,
		latencyMs: 0,
		rateLimit: null,
		sessions: null,
		extraMethods: defaultExtraMethods(),
		maxRecordedRequests: 100000,
	};
}

/**
 * Merge top-level keys into `config` in place (an object such as `apps` is replaced, not
 * deep-merged); `extraMethods` always keeps the default echo method.
 * @param {SandboxConfig} config
 * @param {Partial<SandboxConfig>} partial
 * @returns {boolean} whether `rateLimit` was set (its buckets must then start afresh)
 */
function mergeConfig(config, partial) {
	let rateLimitSet = false;
	if (!partial || typeof partial !== 'object') return rateLimitSet;
	const p = /** @type {Record<string, unknown>} */ (partial);
	for (const [k, v] of Object.entries(p)) {
		if (k === 'extraMethods') {
			config.extraMethods = { ...defaultExtraMethods(), ...(/** @type {Record<string, ExtraMethod>} */ (v) ?? {}) };
		} else {
			/** @type {any} */ (config)[k] = v;
		}
		if (k === 'rateLimit') rateLimitSet = true;
	}
	return rateLimitSet;
}

/**
 * What a config patch (and any JSON object the sandbox reads) must be: an object, not an array.
 * @param {unknown} v
 */
function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The config as `GET /__sandbox/config` shows it: key names only for apps, suppliers and methods.
 * @param {SandboxConfig} config
 */
function publicConfig(config) {
	return { ...config, apps: Object.keys(config.apps), suppliers: Object.keys(config.suppliers), extraMethods: Object.keys(config.extraMethods ?? {}) };
}

module.exports = { CANCEL_METHOD, CANCEL_PARAM, TIME_METHOD, defaultConfig, mergeConfig, publicConfig, isPlainObject };
