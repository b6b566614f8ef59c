/**
 * The package entry. n8n loads the node and the credential through the `n8n` section of
 * package.json; a script outside n8n uses the TOP client below (README, "Without n8n"). This list
 * is the public surface: test/unit/publicApi.test.ts pins it. Everything else under nodes/ is
 * internal and may change in any release.
 */
export { Damai } from './nodes/Damai/Damai.node';
export { DamaiApi } from './credentials/DamaiApi.credentials';

/** Make a client: one gateway, one application, its own keep-alive sockets; `close()` when done. */
export { createTopClient, timerSleep, type CreateTopClientOptions } from './nodes/Damai/transport/standalone';
export { TopClient, type TopClientOptions, type TopResult, type CallOptions } from './nodes/Damai/transport/client';
/** Cancel one order's stock lock (one signed call, retried when a retry can help). */
export {
	cancelStockLock,
	parseReturnCodes,
	type CancelStockLockResult,
	type SupplierIdentity,
} from './nodes/Damai/transport/cancelStockLock';
/** Sign a TOP parameter set (md5, hmac, hmac-sha256), and a msg_id for the request head. */
export { signParams, buildSignString } from './nodes/Damai/transport/sign';
export { newMsgId } from './nodes/Damai/transport/head';
/** The one error type the client throws: kind, gateway code, sub-code, message, request id. */
export { TopError, type TopErrorKind } from './nodes/Damai/transport/errors';
export {
	CANCEL_STOCK_LOCK_METHOD,
	GATEWAY_URLS,
	type Environment,
	type HeadSignMethod,
	type ResponseFormat,
	type SignMethod,
} from './nodes/Damai/transport/constants';
