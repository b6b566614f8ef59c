import { Parser } from 'xml2js';

import { TopError } from './errors';
import { excerpt, type Redactor } from './redact';

/** A parsed TOP answer that is not an `error_response`. */
export interface TopAnswer {
	/** The answer with the `<method>_response` wrapper removed (or as sent with simplify=true). */
	body: Record<string, unknown>;
	requestId?: string;
}

export interface RawAnswer {
	status: number;
	contentType?: string;
	body: string;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The wrapper TOP puts around a method's answer: `a.b.c` → `a_b_c_response`. */
export function responseKey(method: string): string {
	return `${method.replace(/\./g, '_')}_response`;
}

/**
 * Rebuilds a parsed value with plain objects only, without keys that could reach a prototype
 * (`__proto__`, `constructor`, `prototype`), so nothing downstream can be polluted by an answer,
 * and with every key and text scrubbed of secrets (a gateway may echo a request back).
 */
export function sanitize(value: unknown, redact: Redactor = (t) => t, depth = 0): unknown {
	if (depth > 64) return undefined;
	if (typeof value === 'string') return redact(value);
	if (Array.isArray(value)) return value.map((v) => sanitize(v, redact, depth + 1));
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			if (UNSAFE_KEYS.has(key)) continue;
			out[redact(key)] = sanitize((value as Record<string, unknown>)[key], redact, depth + 1);
		}
		return out;
	}
	return value;
}

const xmlParser = new Parser({
	explicitArray: false,
	explicitRoot: true,
	ignoreAttrs: true,
	emptyTag: '',
	async: false,
	strict: true,
});

function parseXml(text: string): unknown {
	let result: unknown;
	let failure: unknown;
	// With async: false xml2js calls back synchronously.
	xmlParser.parseString(text, (error: unknown, parsed: unknown) => {
		if (error) failure ??= error;
		else if (parsed !== undefined) result = parsed;
	});
	xmlParser.reset();
	if (failure) throw failure instanceof Error ? failure : new Error('invalid XML');
	if (result === undefined || result === null) throw new Error('empty XML document');
	return result;
}

function looksLikeHtml(text: string, contentType?: string): boolean {
	if (contentType && /text\/html/i.test(contentType)) return true;
	return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

const str = (v: unknown): string | undefined =>
	v === undefined || v === null || typeof v === 'object' ? undefined : String(v);

/**
 * Turns the raw HTTP answer into a TopAnswer, or throws a TopError (kinds `http`, `parse`,
 * `gateway`). JSON and XML forms of the same answer give the same result; the format that was
 * asked for is only a hint, the body decides.
 */
export function parseAnswer(
	raw: RawAnswer,
	method: string,
	redact: Redactor,
): TopAnswer {
	const text = raw.body ?? '';
	const trimmed = text.trim();

	if (raw.status !== 200) {
		const html = looksLikeHtml(text, raw.contentType);
		throw new TopError({
			kind: 'http',
			httpStatus: raw.status,
			message: `The gateway answered HTTP ${raw.status}${html ? ' with an HTML page' : ''}`,
			description: trimmed ? `Answer starts: ${excerpt(text, redact)}` : 'The answer body was empty.',
			excerpt: trimmed ? excerpt(text, redact) : undefined,
		});
	}
	if (trimmed === '') {
		throw new TopError({
			kind: 'parse',
			httpStatus: raw.status,
			message: 'The gateway sent an empty answer',
			description: 'HTTP 200 with no body: the gateway or a proxy in front of it failed.',
		});
	}
	// Judged by the body alone: some gateways and proxies label every answer text/html.
	if (looksLikeHtml(trimmed)) {
		throw new TopError({
			kind: 'parse',
			httpStatus: raw.status,
			message: 'The gateway sent an HTML page instead of a TOP answer',
			description: `Check the gateway URL. Answer starts: ${excerpt(text, redact)}`,
			excerpt: excerpt(text, redact),
		});
	}

	let document: unknown;
	// The parsers' own messages quote pieces of the body (which may hold an echoed secret), so
	// only a fixed reason is given; the excerpt is redacted.
	let reason = 'neither JSON nor XML';
	try {
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			reason = 'invalid or truncated JSON';
			document = JSON.parse(trimmed);
		} else if (trimmed.startsWith('<')) {
			reason = 'invalid or truncated XML';
			document = parseXml(trimmed);
		} else throw new Error(reason);
	} catch {
		throw new TopError({
			kind: 'parse',
			httpStatus: raw.status,
			message: `The gateway sent an answer that could not be parsed (${reason})`,
			description: `Answer starts: ${excerpt(text, redact)}`,
			excerpt: excerpt(text, redact),
		});
	}
	document = sanitize(document, redact);
	if (document === null || typeof document !== 'object' || Array.isArray(document)) {
		throw unexpected(text, redact, 'the answer is not an object');
	}
	const root = document as Record<string, unknown>;

	if ('error_response' in root) {
		throw gatewayError(root.error_response, redact);
	}
	const wrapped = root[responseKey(method)];
	let body: unknown = root;
	if (wrapped !== undefined) body = wrapped;
	else {
		const keys = Object.keys(root);
		if (keys.length === 1 && keys[0].endsWith('_response')) body = root[keys[0]];
	}
	if (body === '' || body === undefined) body = {};
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw unexpected(text, redact, 'the answer has no object inside its wrapper');
	}
	const answer = body as Record<string, unknown>;
	return { body: answer, requestId: str(answer.request_id) };
}

function unexpected(text: string, redact: Redactor, why: string): TopError {
	return new TopError({
		kind: 'parse',
		httpStatus: 200,
		message: `The gateway sent an unexpected answer: ${why}`,
		description: `Answer starts: ${excerpt(text, redact)}`,
		excerpt: excerpt(text, redact),
	});
}

/** `error_response` → TopError carrying code, msg, sub_code, sub_msg and request_id. */
export function gatewayError(value: unknown, redact: Redactor): TopError {
	const e = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
	const rawCode = str(e.code);
	const numeric = rawCode !== undefined && /^-?\d+$/.test(rawCode.trim()) ? Number(rawCode) : undefined;
	const code = numeric ?? (rawCode !== undefined ? redact(rawCode) : undefined);
	const msg = str(e.msg) !== undefined ? redact(str(e.msg)!) : undefined;
	const subCode = str(e.sub_code) !== undefined ? redact(str(e.sub_code)!) : undefined;
	const subMsg = str(e.sub_msg) !== undefined ? redact(str(e.sub_msg)!) : undefined;
	const requestId = str(e.request_id) !== undefined ? redact(str(e.request_id)!) : undefined;
	const head = [code !== undefined ? `code ${code}` : undefined, subCode].filter(Boolean).join(', ');
	const text = [msg, subMsg].filter(Boolean).join(': ') || 'no message';
	return new TopError({
		kind: 'gateway',
		message: `The gateway refused the call (${head || 'no code'}): ${text}`,
		description: [
			code !== undefined ? `code: ${code}` : undefined,
			msg ? `msg: ${msg}` : undefined,
			subCode ? `sub_code: ${subCode}` : undefined,
			subMsg ? `sub_msg: ${subMsg}` : undefined,
			requestId ? `request_id: ${requestId}` : undefined,
		]
			.filter(Boolean)
			.join('\n'),
		code,
		msg,
		subCode,
		subMsg,
		requestId,
		httpStatus: 200,
	});
}
