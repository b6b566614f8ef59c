/** Facts of the TOP gateway and of the Damai method (docs/protocol.md says what is published and what is not). */

export const CANCEL_STOCK_LOCK_METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
export const CANCEL_STOCK_LOCK_PARAM = 'param_cancel_stock_lock_request';

export const GATEWAY_URLS = {
	production: 'https://gw.api.taobao.com/router/rest',
	overseas: 'https://api.taobao.com/router/rest',
	sandbox: 'https://gw.api.tbsandbox.com/router/rest',
} as const;

export type Environment = keyof typeof GATEWAY_URLS | 'custom';
export type SignMethod = 'md5' | 'hmac' | 'hmac-sha256';
export type HeadSignMethod = 'md5' | 'hmac-sha256' | 'template' | 'none';
/** head.time_stamp: epoch milliseconds, epoch seconds, or `yyyy-MM-dd HH:mm:ss` in GMT+8. */
export type TimeStampFormat = 'epoch-ms' | 'epoch-s' | 'gmt8';
/** The hash of a template recipe; the HMACs are keyed with the supplier secret. */
export type HeadSignHash = 'md5' | 'sha256' | 'hmac-md5' | 'hmac-sha256';
export type HexCase = 'upper' | 'lower';
export type ResponseFormat = 'json' | 'xml';

export const SIGN_METHODS: readonly SignMethod[] = ['md5', 'hmac', 'hmac-sha256'];
export const HEAD_SIGN_METHODS: readonly HeadSignMethod[] = ['md5', 'hmac-sha256', 'template', 'none'];
export const TIME_STAMP_FORMATS: readonly TimeStampFormat[] = ['epoch-ms', 'epoch-s', 'gmt8'];
export const HEAD_SIGN_HASHES: readonly HeadSignHash[] = ['md5', 'sha256', 'hmac-md5', 'hmac-sha256'];
export const HEX_CASES: readonly HexCase[] = ['upper', 'lower'];
/** The placeholders a head sign template may use: the head's fields. */
export const HEAD_TEMPLATE_FIELDS: readonly string[] = ['msg_id', 'supplier_key', 'supplier_secret', 'time_stamp', 'version'];

export const API_VERSION = '2.0';

/** Parameters the client sets itself; application parameters may not use these names. */
export const SYSTEM_PARAMS: readonly string[] = [
	'method',
	'app_key',
	'session',
	'timestamp',
	'format',
	'v',
	'sign_method',
	'sign',
	'simplify',
	'partner_id',
	'target_app_key',
];

export const DEFAULTS = {
	timeout: 10_000,
	maxRetries: 3,
	retryDelay: 500,
	maxRetryDelay: 10_000,
	maxBanWait: 60_000,
	successReturnCodes: '0,200',
	headVersion: '1.0',
	concurrency: 5,
	/** The most the Concurrency option allows (where one n8n process becomes CPU-bound: docs/benchmarks.md). */
	maxConcurrency: 256,
	minIntervalMs: 0,
	maxResponseBytes: 5 * 1024 * 1024,
	maxOrderIdLength: 64,
} as const;
