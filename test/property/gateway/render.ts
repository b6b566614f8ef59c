/**
 * Generated gateway behaviour, part 2: how the fault server renders an answer spec (./spec.ts)
 * for one request — JSON and XML bodies from one tree, content types, mutations, and the
 * transport faults (reset, hang-up, drips, huge answers).
 */
import type { Action, FaultRequest, Headers } from '../faultServer';
import type { Secrets } from '../support';
import { WRAPPER, type ContentType, type Echo, type ErrorSpec, type Fmt, type Mutation, type Spec, type SuccessSpec, type Text } from './spec';

const XML_DECL = '<?xml version="1.0" encoding="utf-8" ?>';
const XML_TRAILER = '<!--top011184081134.na62-->';

// ---------------------------------------------------------------- texts that may echo the request

export interface RenderContext {
	request: FaultRequest;
	secrets: Secrets;
}

export function echoValue(echo: Echo, ctx: RenderContext): string {
	switch (echo) {
		case 'rawBody':
			return ctx.request.rawBody;
		case 'rawQuery':
			return ctx.request.rawQuery;
		case 'paramText':
			return ctx.request.paramText ?? '';
		case 'appSecret':
			return ctx.secrets.appSecret;
		case 'supplierSecret':
			return ctx.secrets.supplierSecret;
		case 'session':
			return ctx.secrets.session;
	}
}

export const renderText = (t: Text, ctx: RenderContext) => (t.echo ? `${t.lit}${echoValue(t.echo, ctx)}` : t.lit);

/** Characters XML 1.0 can carry (others would make any XML answer unparsable). */
// eslint-disable-next-line no-control-regex
const XML_BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
export const xmlEscape = (s: string) =>
	s.replace(XML_BAD, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------- answer trees (JSON and XML from one source)

/** An ordered tree: keys may repeat (duplicate fields) and be dangerous (`__proto__`). */
export type Tree = string | number | boolean | null | Array<[string, Tree]>;

function toJson(tree: Tree): string {
	if (!Array.isArray(tree)) return JSON.stringify(tree);
	return `{${tree.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
}

function toXml(tree: Tree): string {
	if (!Array.isArray(tree)) return tree === null ? '' : xmlEscape(String(tree));
	return tree.map(([k, v]) => `<${k}>${toXml(v)}</${k}>`).join('');
}

export function renderTree(root: Array<[string, Tree]>, format: 'json' | 'xml', comment = true): string {
	return format === 'json' ? toJson(root) : `${XML_DECL}${toXml(root)}${comment ? XML_TRAILER : ''}`;
}

// ---------------------------------------------------------------- an answer spec on the wire

const CONTENT_TYPES: Record<ContentType, string | undefined> = {
	json: 'application/json;charset=UTF-8',
	xml: 'text/xml;charset=UTF-8',
	javascript: 'text/javascript;charset=UTF-8',
	plain: 'text/plain',
	octet: 'application/octet-stream',
	none: undefined,
	html: 'text/html;charset=UTF-8',
};

export interface RenderOptions {
	/** Per-attempt deadline of the client, to size slow drips. */
	timeout: number;
	/** The client's answer cap, to size huge answers. */
	maxBytes: number;
}

const fmtOf = (fmt: Fmt, request: FaultRequest): 'json' | 'xml' => (fmt === 'asked' ? request.format : fmt);

function headersFor(ct: ContentType, format: 'json' | 'xml'): Headers {
	const value = CONTENT_TYPES[ct] ?? undefined;
	if (ct === 'json' && format === 'xml') return { 'content-type': CONTENT_TYPES.xml! };
	return value ? { 'content-type': value } : {};
}

const PROTO_PAYLOAD: Array<[string, Tree]> = [
	['polluted', 'yes'],
	['return_code', 'PWNED'],
	['isAdmin', true],
];

function withProto(pairs: Array<[string, Tree]>, here: boolean): Array<[string, Tree]> {
	if (!here) return pairs;
	return [
		['__proto__', PROTO_PAYLOAD],
		...pairs,
		['constructor', [['prototype', PROTO_PAYLOAD]]],
		['prototype', PROTO_PAYLOAD],
	];
}

export function successTree(spec: SuccessSpec, ctx: RenderContext, format: 'json' | 'xml'): Array<[string, Tree]> {
	const head: Array<[string, Tree]> = [];
	if (spec.returnCode) {
		const value = renderText(spec.returnCode, ctx);
		// Only canonical numbers: "00" sent as a number would be 0, another code.
		const asNumber = spec.returnCode.asNumber && format === 'json' && /^\d{1,9}$/.test(value) && String(Number(value)) === value;
		if (spec.duplicate) head.push(['return_code', 'DECOY']);
		head.push(['return_code', asNumber ? Number(value) : value]);
	}
	if (spec.returnDesc) head.push(['return_desc', renderText(spec.returnDesc, ctx)]);
	const result: Array<[string, Tree]> = [];
	if (spec.missing !== 'head') result.push(['head', withProto(head, spec.proto === 'head')]);
	if (spec.extra) result.push(['extra_info', renderText(spec.extra, ctx)]);
	const inner: Array<[string, Tree]> = [];
	if (spec.missing !== 'result') inner.push(['result', withProto(result, spec.proto === 'result')]);
	if (spec.requestId) inner.push(['request_id', renderText(spec.requestId, ctx)]);
	// XML has one root element: no simplify form, and dangerous keys at the root go one level down.
	const protoRoot = spec.proto === 'root' && format === 'json';
	const wrapped = withProto(inner, spec.proto === 'wrapper' || (spec.proto === 'root' && format === 'xml'));
	if (spec.wrapper === 'none' && format === 'json') return withProto(wrapped, protoRoot);
	const key = spec.wrapper === 'other' ? 'some_other_method_response' : WRAPPER;
	return withProto([[key, wrapped]], protoRoot);
}

export function errorTree(spec: ErrorSpec, ctx: RenderContext, format: 'json' | 'xml'): Array<[string, Tree]> {
	const e: Array<[string, Tree]> = [];
	if (spec.code) e.push(['code', spec.code.asString || format === 'xml' ? String(spec.code.value) : spec.code.value]);
	if (spec.msg) e.push(['msg', renderText(spec.msg, ctx)]);
	if (spec.subCode) e.push(['sub_code', renderText(spec.subCode, ctx)]);
	const subMsg = spec.subMsg ? renderText(spec.subMsg, ctx) : undefined;
	const ban = spec.ban !== undefined ? `This ban will last for ${spec.ban} more seconds` : undefined;
	if (subMsg !== undefined || ban) e.push(['sub_msg', [subMsg, ban].filter((x) => x !== undefined).join(' ')]);
	if (spec.requestId) e.push(['request_id', renderText(spec.requestId, ctx)]);
	return [['error_response', e]];
}

function bodyOf(spec: SuccessSpec | ErrorSpec, ctx: RenderContext): { text: string; format: 'json' | 'xml' } {
	const format = fmtOf(spec.fmt, ctx.request);
	const tree = spec.t === 'success' ? successTree(spec, ctx, format) : errorTree(spec, ctx, format);
	return { text: renderTree(tree, format), format };
}

function mutate(text: string, mutations: Mutation[]): string {
	let out = text;
	for (const mu of mutations) {
		const at = Math.floor(mu.at * out.length);
		switch (mu.m) {
			case 'truncate':
				out = out.slice(0, at);
				break;
			case 'delete':
				out = out.slice(0, at) + out.slice(at + mu.length);
				break;
			case 'insert':
				out = out.slice(0, at) + mu.text + out.slice(at);
				break;
			case 'replace':
				out = out.slice(0, at) + mu.char + out.slice(at + 1);
				break;
		}
	}
	return out;
}

export function render(spec: Spec, ctx: RenderContext, opts: RenderOptions): Action {
	switch (spec.t) {
		case 'success': {
			const { text, format } = bodyOf(spec, ctx);
			return { kind: 'respond', status: 200, headers: headersFor(spec.contentType, format), body: text };
		}
		case 'error': {
			const { text, format } = bodyOf(spec, ctx);
			return { kind: 'respond', status: spec.status, headers: headersFor(spec.contentType, format), body: text };
		}
		case 'raw': {
			const body = spec.echo ? spec.body.replace('%ECHO%', echoValue(spec.echo, ctx)) : spec.body;
			return { kind: 'respond', status: spec.status, headers: headersFor(spec.contentType, 'json'), body };
		}
		case 'mutated': {
			const { text, format } = bodyOf(spec.base, ctx);
			const status = spec.base.t === 'error' ? spec.base.status : 200;
			return { kind: 'respond', status, headers: headersFor(spec.contentType, format), body: mutate(text, spec.mutations) };
		}
		default:
			break;
	}
	const { text, format } = bodyOf(spec.base, ctx);
	const headers = headersFor(spec.base.contentType, format);
	switch (spec.t) {
		case 'reset':
			return { kind: 'reset' };
		case 'never':
			return { kind: 'never' };
		case 'hangup':
			return { kind: 'hangup', status: 200, headers, body: text, afterBytes: Math.floor(spec.fraction * text.length), declareLength: spec.declareLength };
		case 'dripOk': {
			// Well within the deadline: a handful of chunks a few ms apart.
			const chunkBytes = Math.max(1, Math.ceil(text.length / 6));
			return { kind: 'drip', status: 200, headers, body: text, chunkBytes, intervalMs: 2 };
		}
		case 'dripSlow': {
			// The whole answer needs about 4 deadlines; each chunk arrives well before the socket idles.
			const chunks = 12;
			return {
				kind: 'drip',
				status: 200,
				headers,
				body: text.padEnd(chunks * 4, ' '),
				chunkBytes: Math.max(1, Math.ceil(Math.max(text.length, chunks * 4) / chunks)),
				intervalMs: Math.ceil(opts.timeout / 3),
			};
		}
		case 'huge': {
			const totalBytes = Math.ceil(opts.maxBytes * (1 + spec.fraction)) + 1024;
			if (spec.gzip) {
				// A small gzip body that inflates beyond the cap.
				return { kind: 'respond', status: 200, headers, body: `${text.slice(0, -2)}${' '.repeat(totalBytes)}}}`, gzip: true };
			}
			const prefix = format === 'json' ? `{"${WRAPPER}":{"result":{"head":{"return_code":"0","return_desc":"` : `${XML_DECL}<${WRAPPER}><result><head><return_desc>`;
			return { kind: 'stream', status: 200, headers, prefix, fill: 'x', totalBytes, declareLength: spec.declareLength };
		}
	}
}
