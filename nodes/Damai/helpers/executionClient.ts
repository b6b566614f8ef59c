import * as workflow from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { TopClient, type DamaiCredentials, type SleepFn } from '../transport';
import type { NodeOptions } from './options';

/**
 * Waiting for retries and bans goes through n8n's sleep, ended early when the execution is
 * cancelled. n8n-workflow 1.8x–2.x early lines have `sleepWithAbort(ms, signal)` beside a plain
 * `sleep(ms)`; newer lines (2.4x) dropped `sleepWithAbort` and `sleep(ms, signal)` takes the signal.
 * An installed community node runs with the n8n-workflow of the n8n that loads it, so both occur.
 */
export const n8nSleep: SleepFn = (ms, signal) => {
	const withAbort = (workflow as { sleepWithAbort?: SleepFn }).sleepWithAbort;
	return withAbort ? withAbort(ms, signal) : (workflow.sleep as SleepFn)(ms, signal);
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
		proxy: credentials.proxy,
		ignoreSslIssues: credentials.ignoreSslIssues,
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
