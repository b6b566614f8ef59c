import { createHash, createHmac } from 'crypto';

import type { SignMethod } from './constants';

/** A value the gateway ignores: it is neither sent nor signed. */
export function isBlank(value: string | undefined | null): boolean {
	return value === undefined || value === null || value.trim() === '';
}

/**
 * The string TOP signs: every non-blank parameter except `sign`, sorted by name in char-code
 * order (not locale order), as `name + value` with raw (not URL-encoded) values.
 */
export function buildSignString(params: Record<string, string>): string {
	const names = Object.keys(params)
		.filter((name) => name !== 'sign' && !isBlank(params[name]))
		.sort(byCharCode);
	let out = '';
	for (const name of names) out += name + params[name];
	return out;
}

export function byCharCode(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Upper-case hex signature over `text` with `secret`, by one of TOP's three methods. */
export function signText(text: string, secret: string, method: SignMethod): string {
	switch (method) {
		case 'md5':
			return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
		case 'hmac':
			return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
		case 'hmac-sha256':
			return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
		default:
			throw new TypeError(`Unknown sign method "${String(method)}"`);
	}
}

/** The `sign` system parameter for a full parameter set. */
export function signParams(params: Record<string, string>, secret: string, method: SignMethod): string {
	return signText(buildSignString(params), secret, method);
}
