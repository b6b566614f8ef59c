/**
 * The TOP client for a script outside n8n (the package entry, index.ts, exports this): the same
 * TopClient the node uses, with the node's defaults and a plain timer for waiting, so a caller
 * gives only the gateway and the application's identity.
 */
import { setTimeout as delay } from 'node:timers/promises';

import { TopClient, type TopClientOptions } from './client';
import { DEFAULTS, GATEWAY_URLS, type Environment } from './constants';
import type { SleepFn } from './gate';

/** Waits `ms`, or rejects at once with an AbortError when `signal` aborts (node:timers/promises). */
export const timerSleep: SleepFn = async (ms, signal) => {
	await delay(ms, undefined, signal ? { signal } : undefined);
};

export type CreateTopClientOptions = Omit<TopClientOptions, 'gatewayUrl' | 'format' | 'timeout' | 'maxRetries' | 'retryDelay' | 'sleep'> &
	Partial<Pick<TopClientOptions, 'format' | 'timeout' | 'maxRetries' | 'retryDelay' | 'sleep'>> & {
		/** A gateway URL, or one of the known environments ('production', 'overseas', 'sandbox'). */
		gateway: string | Exclude<Environment, 'custom'>;
	};

/**
 * A client for one gateway and application. Defaults as in the node: JSON answers, 10 s per
 * attempt, 3 retries from 500 ms, 5 connections. Call `close()` when done: it frees the sockets.
 */
export function createTopClient(options: CreateTopClientOptions): TopClient {
	const { gateway, ...rest } = options;
	const gatewayUrl = gateway in GATEWAY_URLS ? GATEWAY_URLS[gateway as keyof typeof GATEWAY_URLS] : gateway;
	return new TopClient({
		format: 'json',
		timeout: DEFAULTS.timeout,
		maxRetries: DEFAULTS.maxRetries,
		retryDelay: DEFAULTS.retryDelay,
		maxSockets: DEFAULTS.concurrency,
		sleep: timerSleep,
		...rest,
		gatewayUrl,
	});
}
