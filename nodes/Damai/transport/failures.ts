import { ProxyError } from './agents';
import { TopError } from './errors';
import { proxyLabel, type ProxySettings } from './proxy';
import type { Redactor } from './redact';

export interface FailureContext {
	timeout: number;
	maxResponseBytes: number;
	proxy?: ProxySettings;
	redact: Redactor;
}

/** Errors of the connection to a proxy (the client only ever connects to the proxy when it has one). */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A failed attempt (an axios or socket error, never a TopError) as a TopError, built from a minimal
 * view of it: never from axios' config or request, which hold the signed body. Retry classes: a
 * proxy's 407 (401 from some proxies) / 403 are `http` errors that are not retried (a wrong password stays wrong), its
 * 502 / 503 / 504 are `http` errors that are, an unreachable proxy is a `network` error.
 */
export function toTopError(caught: unknown, context: FailureContext): TopError {
	const err = (caught ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
	const proxyError = caught instanceof ProxyError ? caught : err.cause instanceof ProxyError ? err.cause : undefined;
	if (proxyError) return fromProxyError(proxyError, context);
	const errno = typeof err.code === 'string' ? err.code : undefined;
	const rawMessage = typeof err.message === 'string' ? err.message : '';
	if (/maxContentLength/i.test(rawMessage)) {
		return new TopError({
			kind: 'too-large',
			message: `The gateway's answer is larger than the ${context.maxResponseBytes} bytes allowed`,
			description: 'An answer this large is not a TOP answer; check the gateway URL.',
		});
	}
	if (errno === 'ECONNABORTED' || errno === 'ETIMEDOUT') {
		return new TopError({
			kind: 'timeout',
			errno,
			message: `The gateway did not answer within ${context.timeout} ms`,
		});
	}
	const message = context.redact(rawMessage.split('\n')[0].slice(0, 200));
	if (context.proxy && errno && CONNECT_ERRORS.has(errno)) {
		const label = proxyLabel(context.proxy);
		return new TopError({
			kind: 'network',
			errno,
			message: `Could not reach the proxy ${label} (${errno})`,
			description: `The proxy comes from ${context.proxy.source}. Check its host and port.`,
		});
	}
	const through = context.proxy ? ` through the proxy ${proxyLabel(context.proxy)}` : '';
	return new TopError({
		kind: 'network',
		errno,
		message: `Could not reach the gateway${through}${errno ? ` (${errno})` : ''}${message ? `: ${message}` : ''}`,
		description: 'The connection failed or was closed before a complete answer arrived.',
	});
}

function fromProxyError(error: ProxyError, context: FailureContext): TopError {
	const source = context.proxy?.source ?? 'the proxy settings';
	if (error.status === undefined) {
		return new TopError({
			kind: 'network',
			errno: error.errno,
			message: context.redact(error.message),
			description: `The proxy comes from ${source}. Check its host and port.`,
		});
	}
	const hint =
		error.status === 407 || error.status === 401
			? `The proxy wants a user name and password, or refused the ones in ${source}.`
			: error.status === 403
				? 'The proxy does not allow a tunnel to the gateway (its access rules, or the port it allows CONNECT to).'
				: 'The proxy could not reach the gateway.';
	return new TopError({
		kind: 'http',
		httpStatus: error.status,
		message: context.redact(error.message),
		description: hint,
	});
}
