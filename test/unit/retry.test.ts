import { TopError, type TopErrorFields } from '../../nodes/Damai/transport/errors';
import { backoffDelay, banSeconds, decideRetry, isRetryable, isThrottle, type RetryPolicy } from '../../nodes/Damai/transport/retry';

const gw = (code: number, subCode?: string, subMsg?: string, msg = 'x') =>
	new TopError({ kind: 'gateway', message: 'm', code, subCode, subMsg, msg });
const of = (fields: Partial<TopErrorFields> & Pick<TopErrorFields, 'kind'>) => new TopError({ message: 'm', ...fields });
const policy: RetryPolicy = { maxRetries: 3, retryDelay: 100 };

describe('isRetryable', () => {
	it('isp.* sub-codes are retried', () => {
		expect(isRetryable(gw(15, 'isp.remote-service-unavailable'))).toBe(true);
		expect(isRetryable(gw(50, 'isp.top-remote-connection-timeout'))).toBe(true);
	});

	it('isv.* sub-codes are never retried, even with codes 7, 8, 10, 15', () => {
		for (const code of [7, 8, 10, 15, 50]) expect(isRetryable(gw(code, 'isv.invalid-parameter'))).toBe(false);
		expect(isRetryable(gw(7, 'isv.x', 'This ban will last for 3 more seconds'))).toBe(false);
		expect(decideRetry(gw(10, 'isv.item-not-exist'), 0, policy)).toBeUndefined();
	});

	it('codes 7, 8, 10 are retried', () => {
		for (const code of [7, 8, 10]) expect(isRetryable(gw(code))).toBe(true);
	});

	it('codes 11, 15 (no sub-code), 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 40, 41, 43, 50 are not', () => {
		for (const code of [11, 15, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 40, 41, 43, 50]) {
			expect(isRetryable(gw(code))).toBe(false);
		}
	});

	it('accesscontrol.limited-by-* is retried and is throttling', () => {
		for (const sub of ['accesscontrol.limited-by-app-access-count', 'accesscontrol.limited-by-api-access-count']) {
			const e = gw(7, sub);
			expect(isRetryable(e)).toBe(true);
			expect(isThrottle(e)).toBe(true);
			expect(isRetryable(gw(15, sub))).toBe(true);
			expect(isThrottle(gw(15, sub))).toBe(true);
		}
	});

	it('HTTP 429 and 5xx are retried, other 4xx are not', () => {
		for (const status of [429, 500, 502, 503, 504]) expect(isRetryable(of({ kind: 'http', httpStatus: status }))).toBe(true);
		for (const status of [400, 401, 403, 404, 405, 413]) expect(isRetryable(of({ kind: 'http', httpStatus: status }))).toBe(false);
		expect(isThrottle(of({ kind: 'http', httpStatus: 429 }))).toBe(true);
		expect(isThrottle(of({ kind: 'http', httpStatus: 503 }))).toBe(false);
	});

	it('network errors and timeouts are retried; business, parse, too-large, aborted are not', () => {
		expect(isRetryable(of({ kind: 'network', errno: 'ECONNRESET' }))).toBe(true);
		expect(isRetryable(of({ kind: 'timeout' }))).toBe(true);
		for (const kind of ['business', 'parse', 'too-large', 'aborted'] as const) expect(isRetryable(of({ kind }))).toBe(false);
	});

	it('codes 7 and 8 are throttling, 10 is not', () => {
		expect(isThrottle(gw(7))).toBe(true);
		expect(isThrottle(gw(8))).toBe(true);
		expect(isThrottle(gw(10))).toBe(false);
		expect(isThrottle(gw(15, 'isp.x'))).toBe(false);
	});
});

describe('banSeconds / decideRetry with a ban', () => {
	it('reads N from "This ban will last for N more seconds"', () => {
		expect(banSeconds(gw(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 5 more seconds'))).toBe(5);
		expect(banSeconds(gw(7, undefined, undefined, 'App Call Limited. This ban will last for 1 more second'))).toBe(1);
		expect(banSeconds(gw(7, undefined, 'no ban here'))).toBeUndefined();
	});

	it('waits the ban (plus a small margin), as a throttle for everyone', () => {
		const d = decideRetry(gw(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 5 more seconds'), 0, policy, () => 0);
		expect(d).toBeDefined();
		expect(d!.throttle).toBe(true);
		expect(d!.delayMs).toBeGreaterThanOrEqual(5000);
		expect(d!.delayMs).toBeLessThan(6000);
	});

	it('caps the ban wait at 60 s by default, and at maxBanWait when given', () => {
		const e = gw(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 3600 more seconds');
		const d = decideRetry(e, 0, policy, () => 1);
		expect(d!.delayMs).toBeLessThanOrEqual(60_000);
		expect(d!.delayMs).toBeGreaterThanOrEqual(59_000);
		expect(decideRetry(e, 0, { ...policy, maxBanWait: 2000 })!.delayMs).toBeLessThanOrEqual(2000);
	});
});

describe('decideRetry', () => {
	it('gives up once attempt >= maxRetries', () => {
		const e = gw(15, 'isp.x');
		expect(decideRetry(e, 2, policy)).toBeDefined();
		expect(decideRetry(e, 3, policy)).toBeUndefined();
		expect(decideRetry(e, 4, policy)).toBeUndefined();
		expect(decideRetry(e, 0, { ...policy, maxRetries: 0 })).toBeUndefined();
	});

	it('gives up for what is not retryable', () => {
		expect(decideRetry(gw(25), 0, policy)).toBeUndefined();
		expect(decideRetry(of({ kind: 'business', returnCode: '404' }), 0, policy)).toBeUndefined();
		expect(decideRetry(of({ kind: 'parse' }), 0, policy)).toBeUndefined();
	});

	it('backs off for retryable errors; throttle only for throttling', () => {
		const isp = decideRetry(gw(15, 'isp.x'), 1, policy, () => 0.5)!;
		expect(isp.throttle).toBe(false);
		expect(isp.delayMs).toBe(backoffDelay(1, policy, () => 0.5));
		expect(decideRetry(gw(8), 0, policy)!.throttle).toBe(true);
		expect(decideRetry(of({ kind: 'http', httpStatus: 429 }), 0, policy)!.throttle).toBe(true);
		expect(decideRetry(of({ kind: 'network' }), 0, policy)!.throttle).toBe(false);
	});
});

describe('backoffDelay', () => {
	it('stays within [50%, 100%] of base * 2^attempt', () => {
		for (let attempt = 0; attempt < 6; attempt++) {
			const step = 100 * 2 ** attempt;
			for (const r of [0, 0.001, 0.25, 0.5, 0.75, 0.999999]) {
				const d = backoffDelay(attempt, { maxRetries: 9, retryDelay: 100, maxRetryDelay: 1e9 }, () => r);
				expect(d).toBeGreaterThanOrEqual(Math.floor(step / 2));
				expect(d).toBeLessThanOrEqual(step);
			}
			// with the real Math.random
			for (let i = 0; i < 50; i++) {
				const d = backoffDelay(attempt, { maxRetries: 9, retryDelay: 100, maxRetryDelay: 1e9 });
				expect(d).toBeGreaterThanOrEqual(Math.floor(step / 2));
				expect(d).toBeLessThanOrEqual(step);
			}
		}
	});

	it('grows exponentially and has jitter', () => {
		const p = { maxRetries: 9, retryDelay: 100, maxRetryDelay: 1e9 };
		expect(backoffDelay(3, p, () => 1)).toBe(800);
		expect(backoffDelay(3, p, () => 0)).toBe(400);
		expect(backoffDelay(4, p, () => 0)).toBeGreaterThan(backoffDelay(3, p, () => 1) - 1);
	});

	it('is capped by maxRetryDelay (default 10 s)', () => {
		expect(backoffDelay(30, { maxRetries: 9, retryDelay: 500 }, () => 1)).toBeLessThanOrEqual(10_000);
		expect(backoffDelay(30, { maxRetries: 9, retryDelay: 500 }, () => 0)).toBeGreaterThanOrEqual(5_000);
		const capped = backoffDelay(10, { maxRetries: 9, retryDelay: 500, maxRetryDelay: 3000 }, () => 1);
		expect(capped).toBeLessThanOrEqual(3000);
		expect(capped).toBeGreaterThanOrEqual(1500);
		expect(Number.isFinite(backoffDelay(1e6, { maxRetries: 9, retryDelay: 500 }))).toBe(true);
	});
});
