import * as workflow from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { TopClient, type DamaiCredentials, type SleepFn } from '../transport';
import type { NodeOptions } from './options';

/**
 * Waiting for retries and bans goes through n8n's sleep. `sleepWithAbort` (n8n ≥ 1.8x) also ends
 * the wait when the execution is cancelled; older hosts get plain `sleep`.
 */
export const n8nSleep: SleepFn = (ms, signal) => {
	const withAbort = (workflow as { sleepWithAbort?: SleepFn }).sleepWithAbort;
	return withAbort ? withAbort(ms, signal) : workflow.sleep(ms);
};

/** One client (one keep-alive agent, one throttle gate) for the whole execution. */
export function createClient(ctx: IExecuteFunctions, credentials: DamaiCredentials, options: NodeOptions): TopClient {
	const node = ctx.getNode().name;
	return new TopClient({
		gatewayUrl: credentials.gatewayUrl,
		appKey: credentials.appKey,
		appSecret: credentials.appSecret,
		signMethod: credentials.signMethod,
		session: credentials.session,
		extraSecrets: [credentials.supplierSecret],
		format: options.responseFormat,
		timeout: options.timeout,
		maxRetries: options.maxRetries,
		retryDelay: options.retryDelay,
		maxSockets: options.concurrency,
		minIntervalMs: options.minIntervalMs,
		sleep: n8nSleep,
		onRetry: ({ attempt, delayMs, reason, error }) =>
			ctx.logger.debug(`Damai: retrying after ${reason} (attempt ${attempt}, waiting ${delayMs} ms)`, {
				node,
				kind: error.kind,
				code: error.code,
				subCode: error.subCode,
				requestId: error.requestId,
			}),
	});
}
