import { DEFAULTS } from './constants';
import type { TopError } from './errors';

export interface RetryPolicy {
	maxRetries: number;
	/** Base of the exponential backoff, in ms. */
	retryDelay: number;
	maxRetryDelay?: number;
	/** Longest wait for a gateway ban (code 7), in ms. */
	maxBanWait?: number;
}

export interface RetryDecision {
	delayMs: number;
	/** Throttling: every request to this gateway should wait, not only this one. */
	throttle: boolean;
	reason: string;
}

const BAN_PATTERN = /ban will last for (\d+) more seconds?/i;

/** Whether the gateway said it is throttling this app. */
export function isThrottle(error: TopError): boolean {
	if (error.kind === 'http') return error.httpStatus === 429;
	if (error.kind !== 'gateway') return false;
	return (
		error.code === 7 ||
		error.code === 8 ||
		(typeof error.subCode === 'string' && error.subCode.startsWith('accesscontrol.limited-by-'))
	);
}

/** Seconds of a TOP ban, read from `This ban will last for N more seconds`. */
export function banSeconds(error: TopError): number | undefined {
	const match = BAN_PATTERN.exec(`${error.subMsg ?? ''} ${error.msg ?? ''}`);
	return match ? Number(match[1]) : undefined;
}

/**
 * Whether a failure may succeed when tried again. `isv.*` (the caller's or a business error) and
 * every code not listed as retryable in docs/protocol.md's table are final.
 */
export function isRetryable(error: TopError): boolean {
	switch (error.kind) {
		case 'gateway': {
			const sub = typeof error.subCode === 'string' ? error.subCode : '';
			if (sub.startsWith('isv.')) return false;
			if (sub.startsWith('isp.') || sub.startsWith('accesscontrol.limited-by-')) return true;
			return error.code === 7 || error.code === 8 || error.code === 10;
		}
		case 'http':
			return error.httpStatus === 429 || (error.httpStatus ?? 0) >= 500;
		case 'network':
		case 'timeout':
			return true;
		default:
			return false;
	}
}

/** Exponential backoff with full jitter in [50%, 100%] of the step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const cap = policy.maxRetryDelay ?? DEFAULTS.maxRetryDelay;
	const step = Math.min(cap, policy.retryDelay * 2 ** Math.min(attempt, 20));
	return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * What to do after attempt number `attempt` (0-based) failed with `error`: undefined = give up.
 * A ban (code 7 with "This ban will last for N more seconds") waits N seconds, capped.
 */
export function decideRetry(
	error: TopError,
	attempt: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision | undefined {
	if (attempt >= policy.maxRetries || !isRetryable(error)) return undefined;
	const throttle = isThrottle(error);
	const ban = banSeconds(error);
	if (ban !== undefined) {
		const capMs = policy.maxBanWait ?? DEFAULTS.maxBanWait;
		// A small margin so the first request after the ban does not race its end.
		return { delayMs: Math.min(capMs, ban * 1000 + 100), throttle: true, reason: `ban of ${ban}s` };
	}
	return {
		delayMs: backoffDelay(attempt, policy, random),
		throttle,
		reason: throttle ? 'throttled' : `retryable ${error.kind} error`,
	};
}
