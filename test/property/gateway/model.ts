/**
 * Generated gateway behaviour, part 4: the model of what the client must do with an answer spec
 * (./spec.ts) — success, which failure, retry or not — and with a script of them over the
 * attempts of one call. Written from the spec (docs/protocol.md, "Gateway error codes"), not from the node's code.
 */
import type { Secrets } from '../support';
import type { Spec, Text } from './spec';

export type Expect =
	| { outcome: 'success'; returnCode: string }
	/** A failure that must end the call: `kinds` are the TopError kinds allowed. */
	| { outcome: 'final'; kinds: string[]; isv?: boolean }
	/** A failure that must be retried while retries are left. */
	| { outcome: 'retry'; kinds: string[] }
	/** A mangled answer: anything but a crash (retries still bounded). */
	| { outcome: 'unknown' }
	/** A valid success whose head is ambiguous (duplicates): success or a final business error. */
	| { outcome: 'success-or-final' };

const numericCode = (v: number | string | undefined): number | undefined => {
	if (v === undefined) return undefined;
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	return /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;
};

/** The protocol's retry table (docs/protocol.md), for a `error_response` answered with HTTP 200. */
export function gatewayRetryable(code: number | undefined, subCode: string | undefined): boolean {
	const sub = subCode ?? '';
	if (sub.startsWith('isv.')) return false;
	if (sub.startsWith('isp.') || sub.startsWith('accesscontrol.limited-by-')) return true;
	return code === 7 || code === 8 || code === 10;
}

export const httpRetryable = (status: number) => status === 429 || status >= 500;

/** What one attempt's answer must lead to. `ctxEcho` resolves echoed texts (they change codes). */
export function expectOf(spec: Spec, successCodes: ReadonlySet<string>, resolve: (t: Text) => string): Expect {
	switch (spec.t) {
		case 'success': {
			// The body decides, whatever the content type (the format asked for is only a hint).
			if (spec.missing !== 'nothing' || !spec.returnCode) return { outcome: 'final', kinds: ['business'] };
			const code = resolve(spec.returnCode).trim();
			if (spec.duplicate) return { outcome: 'success-or-final' };
			return successCodes.has(code) ? { outcome: 'success', returnCode: code } : { outcome: 'final', kinds: ['business'] };
		}
		case 'error': {
			if (spec.status !== 200) return httpRetryable(spec.status) ? { outcome: 'retry', kinds: ['http'] } : { outcome: 'final', kinds: ['http'] };
			const sub = spec.subCode ? resolve(spec.subCode) : undefined;
			const retry = gatewayRetryable(numericCode(spec.code?.value), sub);
			return retry ? { outcome: 'retry', kinds: ['gateway'] } : { outcome: 'final', kinds: ['gateway'], isv: (sub ?? '').startsWith('isv.') };
		}
		case 'raw':
			if (spec.status !== 200) return httpRetryable(spec.status) ? { outcome: 'retry', kinds: ['http'] } : { outcome: 'final', kinds: ['http'] };
			// Not a TOP answer: empty, HTML, text, a bare JSON value or an object without a result head.
			return { outcome: 'final', kinds: ['parse', 'business'] };
		case 'mutated':
			return { outcome: 'unknown' };
		case 'reset':
		case 'hangup':
		case 'never':
		case 'dripSlow':
			return { outcome: 'retry', kinds: ['network', 'timeout'] };
		case 'dripOk': {
			const code = resolve(spec.base.returnCode!).trim();
			return successCodes.has(code) ? { outcome: 'success', returnCode: code } : { outcome: 'final', kinds: ['business'] };
		}
		case 'huge':
			return { outcome: 'final', kinds: ['too-large'] };
	}
}

export interface CallExpect {
	/** Exact attempts, or a range when an answer is `unknown`. */
	minAttempts: number;
	maxAttempts: number;
	final: Expect;
}

/** Plays the script through the retry rule: attempts and the final outcome. */
export function expectCall(script: Spec[], maxRetries: number, successCodes: ReadonlySet<string>, resolve: (t: Text) => string): CallExpect {
	const limit = maxRetries + 1;
	for (let attempt = 1; attempt <= limit; attempt++) {
		const e = expectOf(script[Math.min(attempt - 1, script.length - 1)], successCodes, resolve);
		if (e.outcome === 'unknown') return { minAttempts: attempt, maxAttempts: limit, final: e };
		if (e.outcome === 'retry' && attempt < limit) continue;
		return { minAttempts: attempt, maxAttempts: attempt, final: e };
	}
	/* istanbul ignore next */
	throw new Error('unreachable');
}

/** Resolving echoes needs the request; codes echo only secrets, which the test knows. */
export const resolverFor = (secrets: Secrets) => (t: Text) => {
	if (!t.echo) return t.lit;
	switch (t.echo) {
		case 'appSecret':
		case 'supplierSecret':
		case 'session':
			return t.lit + secrets[t.echo];
		default:
			// Request echoes (raw body, query, param) never form a code that is a success code or
			// starts with isp./isv. by themselves: the literal prefix decides.
			return `${t.lit}\u0000request`;
	}
};
