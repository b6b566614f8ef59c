// @ts-check
'use strict';

/**
 * Gateway check 8: a token bucket per app_key (`config.rateLimit` = { perSecond, banSeconds }).
 * An app that runs out of tokens is banned for banSeconds; every request during the ban is refused.
 */

/**
 * @param {{ rateLimit: import('./config').RateLimit | null }} config read live: configure() may change it
 */
function createRateLimiter(config) {
	/** app_key → token bucket */
	/** @type {Map<string, { tokens: number, last: number, banUntil: number }>} */
	const buckets = new Map();

	/**
	 * Take a token for appKey. Returns remaining ban seconds when limited, else 0.
	 * @param {string} appKey
	 */
	function rateLimited(appKey) {
		const rl = config.rateLimit;
		if (!rl || !(rl.perSecond > 0)) return 0;
		const now = Date.now();
		let b = buckets.get(appKey);
		if (!b) {
			b = { tokens: rl.perSecond, last: now, banUntil: 0 };
			buckets.set(appKey, b);
		}
		if (b.banUntil > now) return Math.max(1, Math.ceil((b.banUntil - now) / 1000));
		if (b.banUntil) {
			b.banUntil = 0;
			b.tokens = rl.perSecond;
			b.last = now;
		}
		b.tokens = Math.min(rl.perSecond, b.tokens + ((now - b.last) / 1000) * rl.perSecond);
		b.last = now;
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		const banSeconds = Math.max(0, Number(rl.banSeconds) || 0);
		b.banUntil = now + banSeconds * 1000;
		return Math.max(1, Math.ceil(banSeconds));
	}

	/** Every app starts again with a full bucket and no ban. */
	function clear() {
		buckets.clear();
	}

	return { rateLimited, clear };
}

module.exports = { createRateLimiter };
