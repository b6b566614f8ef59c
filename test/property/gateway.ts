/**
 * Generated gateway behaviour: answer "specs" (plain data, so fast-check prints and shrinks them),
 * how the fault server renders a spec for one request, and the model of what the client must do
 * with it (success, which failure, retry or not) — written from the spec (issue 2 and
 * top-protocol.md), not from the node's code.
 */
import fc from 'fast-check';

import type { Action, FaultRequest, Headers } from './faultServer';
import type { Secrets } from './support';

export const METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
export const WRAPPER = 'alibaba_damai_yuntoc_order_cancellockstock_response';
const XML_DECL = '<?xml version="1.0" encoding="utf-8" ?>';
const XML_TRAILER = '<!--top011184081134.na62-->';

// ---------------------------------------------------------------- texts that may echo the request

/** What a misbehaving gateway echoes back: the raw request, the decoded param, or a secret itself. */
export type Echo = 'rawBody' | 'rawQuery' | 'paramText' | 'appSecret' | 'supplierSecret' | 'session';

export interface Text {
	lit: string;
	echo?: Echo;
}

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

// ---------------------------------------------------------------- answer specs

export type Fmt = 'asked' | 'json' | 'xml';
export type ContentType =
	| 'json'
	| 'xml'
	| 'javascript'
	| 'plain'
	| 'octet'
	| 'none'
	/** A TOP body labelled as HTML. */
	| 'html';

const CONTENT_TYPES: Record<ContentType, string | undefined> = {
	json: 'application/json;charset=UTF-8',
	xml: 'text/xml;charset=UTF-8',
	javascript: 'text/javascript;charset=UTF-8',
	plain: 'text/plain',
	octet: 'application/octet-stream',
	none: undefined,
	html: 'text/html;charset=UTF-8',
};

/** Keys that would reach a prototype if an answer were merged naively. */
export type ProtoAt = 'none' | 'root' | 'wrapper' | 'result' | 'head';

export interface SuccessSpec {
	t: 'success';
	fmt: Fmt;
	contentType: ContentType;
	/** method: `<method>_response` wrapper; none: simplify=true; other: a single `x_response` key. */
	wrapper: 'method' | 'none' | 'other';
	/** undefined = the field is missing; `asNumber` sends it as a JSON number. */
	returnCode?: Text & { asNumber?: boolean };
	returnDesc?: Text;
	requestId?: Text;
	/** Which part is missing. */
	missing: 'nothing' | 'result' | 'head';
	/** return_code sent twice (a decoy first). */
	duplicate: boolean;
	proto: ProtoAt;
	extra?: Text;
}

export interface ErrorSpec {
	t: 'error';
	fmt: Fmt;
	status: number;
	contentType: ContentType;
	code?: { value: number | string; asString: boolean };
	msg?: Text;
	subCode?: Text;
	subMsg?: Text;
	requestId?: Text;
	/** Appends "This ban will last for N more seconds" to sub_msg. */
	ban?: number;
}

/** A non-TOP answer: HTML, empty, text, stray JSON or XML. */
export interface RawSpec {
	t: 'raw';
	status: number;
	contentType: ContentType;
	body: string;
	echo?: Echo;
}

export type Mutation =
	| { m: 'truncate'; at: number }
	| { m: 'delete'; at: number; length: number }
	| { m: 'insert'; at: number; text: string }
	| { m: 'replace'; at: number; char: string };

export interface MutatedSpec {
	t: 'mutated';
	base: SuccessSpec | ErrorSpec;
	mutations: Mutation[];
	contentType: ContentType;
}

export interface TransportSpec {
	t: 'reset' | 'never' | 'hangup' | 'dripSlow' | 'dripOk' | 'huge';
	/** hangup: where to cut (0…1); huge: how many times the cap. */
	fraction: number;
	declareLength: boolean;
	gzip: boolean;
	base: SuccessSpec;
}

export type Spec = SuccessSpec | ErrorSpec | RawSpec | MutatedSpec | TransportSpec;

/** Answers that take a whole deadline (never, slow drip). */
export const isSlow = (spec: Spec) => spec.t === 'never' || spec.t === 'dripSlow';

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

// ---------------------------------------------------------------- arbitraries

export interface ArbConfig {
	/** Whether texts may echo the request or a secret (for the leak properties). */
	echo?: boolean;
	/** Whether TOP bodies may be labelled text/html. */
	html?: boolean;
	/** Weight of answers that cost a deadline (never, slow drip); 0 = none. */
	slow?: number;
	/** Whether answers over the cap are generated. */
	huge?: boolean;
	/** Whether error answers may carry a ban ("This ban will last for N more seconds", N ≤ 3). */
	ban?: boolean;
}

const HTML_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<p>%ECHO%</p><hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ m: fc.constant<'truncate'>('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
	fc.record({ m: fc.constant<'delete'>('delete'), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 20 }) }),
	fc.record({
		m: fc.constant<'insert'>('insert'),
		at: fc.double({ min: 0, max: 1, noNaN: true }),
		text: fc.oneof(fc.constantFrom('"', '{', '}', '<', '>', '</x>', ',', ':', '\\', '\u0000', ']]>', '&', '<!--', '\ud800'), fc.string({ maxLength: 8 })),
	}),
	fc.record({
		m: fc.constant<'replace'>('replace'),
		at: fc.double({ min: 0, max: 1, noNaN: true }),
		char: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
	}),
);

export function arbs(cfg: ArbConfig = {}) {
	const echoArb: fc.Arbitrary<Echo> = fc.constantFrom('rawBody', 'rawQuery', 'paramText', 'appSecret', 'supplierSecret', 'session');
	const wordArb = fc.oneof(
		fc.constantFrom('success', 'Remote service error', 'backend busy', '非法参数', 'order not found', 'ok', 'Invalid arguments:order_id'),
		fc.string({ maxLength: 30 }),
		fc.string({ unit: 'grapheme', maxLength: 20 }),
		fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '\\', '/', '{', '}', '[', ']', ':', ',', '\n', ' ', 'a', '1'), maxLength: 12 }),
	);
	/** A text field; with `echo` the gateway often echoes the request or a secret into it. */
	const textArb: fc.Arbitrary<Text> = cfg.echo
		? fc.oneof({ weight: 1, arbitrary: wordArb.map((lit) => ({ lit })) }, { weight: 2, arbitrary: fc.record({ lit: wordArb, echo: echoArb }) })
		: wordArb.map((lit) => ({ lit }));

	const fmtArb: fc.Arbitrary<Fmt> = fc.oneof(
		{ weight: 4, arbitrary: fc.constant<Fmt>('asked') },
		{ weight: 1, arbitrary: fc.constantFrom<Fmt>('json', 'xml') },
	);
	const contentTypeArb: fc.Arbitrary<ContentType> = fc.oneof(
		{ weight: 8, arbitrary: fc.constant<ContentType>('json') },
		{ weight: 3, arbitrary: fc.constantFrom<ContentType>('xml', 'javascript', 'plain', 'octet', 'none') },
		...(cfg.html ? [{ weight: 2, arbitrary: fc.constant<ContentType>('html') }] : []),
	);
	const returnCodeArb: fc.Arbitrary<Text & { asNumber?: boolean }> = fc.oneof(
		{ weight: 6, arbitrary: fc.record({ lit: fc.constantFrom('0', '200'), asNumber: fc.boolean() }) },
		{ weight: 1, arbitrary: fc.record({ lit: fc.constantFrom(' 0 ', '0\n', '\t200') }) },
		{
			weight: 3,
			arbitrary: fc.record({ lit: fc.constantFrom('404', '1001', '401', '403', '500', '-1', 'FAIL', '00', '0.0'), asNumber: fc.boolean() }),
		},
		{ weight: 1, arbitrary: fc.record({ lit: fc.string({ maxLength: 6 }) }) },
		...(cfg.echo ? [{ weight: 2, arbitrary: fc.record({ lit: fc.constantFrom('E', '9'), echo: echoArb }) }] : []),
	);
	const successArb = (clean = false): fc.Arbitrary<SuccessSpec> =>
		clean
			? fc.record({
					t: fc.constant<'success'>('success'),
					fmt: fmtArb,
					contentType: fc.constant<ContentType>('json'),
					wrapper: fc.constant<'method'>('method'),
					returnCode: fc.record({ lit: fc.constantFrom('0', '200') }),
					returnDesc: fc.constant({ lit: 'success' }),
					requestId: fc.constant({ lit: 'req1' }),
					missing: fc.constant<'nothing'>('nothing'),
					duplicate: fc.constant(false),
					proto: fc.constant<ProtoAt>('none'),
				})
			: fc.record(
					{
						t: fc.constant<'success'>('success'),
						fmt: fmtArb,
						contentType: contentTypeArb,
						wrapper: fc.oneof(
							{ weight: 6, arbitrary: fc.constant<'method'>('method') },
							{ weight: 1, arbitrary: fc.constantFrom<'none' | 'other'>('none', 'other') },
						),
						returnCode: fc.option(returnCodeArb, { freq: 12, nil: undefined }),
						returnDesc: fc.option(textArb, { freq: 6, nil: undefined }),
						requestId: fc.option(textArb, { freq: 6, nil: undefined }),
						missing: fc.oneof(
							{ weight: 10, arbitrary: fc.constant<'nothing'>('nothing') },
							{ weight: 1, arbitrary: fc.constantFrom<'result' | 'head'>('result', 'head') },
						),
						duplicate: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
						proto: fc.oneof(
							{ weight: 5, arbitrary: fc.constant<ProtoAt>('none') },
							{ weight: 1, arbitrary: fc.constantFrom<ProtoAt>('root', 'wrapper', 'result', 'head') },
						),
						extra: textArb,
					},
					{ requiredKeys: ['t', 'fmt', 'contentType', 'wrapper', 'missing', 'duplicate', 'proto'] },
				);
	const subCodeArb: fc.Arbitrary<Text> = fc.oneof(
		fc
			.constantFrom(
				'isp.remote-service-unavailable',
				'isp.top-remote-connection-timeout',
				'isp.unknown-error',
				'isv.invalid-parameter',
				'isv.missing-parameter',
				'isv.order-not-exist',
				'accesscontrol.limited-by-app-access-count',
				'accesscontrol.limited-by-api-access-count',
				'ISV.upper',
				'isvx',
				'',
			)
			.map((lit) => ({ lit })),
		fc.tuple(fc.constantFrom('isp.', 'isv.', 'accesscontrol.limited-by-', ''), fc.string({ maxLength: 12 })).map(([p, s]) => ({ lit: p + s })),
		...(cfg.echo ? [fc.record({ lit: fc.constantFrom('isv.', 'isp.'), echo: echoArb })] : []),
	);
	const codeArb = fc.oneof(
		fc.record({ value: fc.constantFrom<number | string>(7, 8, 10, 11, 15, 21, 22, 25, 27, 29, 31, 40, 41, 43, 50), asString: fc.boolean() }),
		fc.record({ value: fc.integer({ min: -5, max: 100000 }), asString: fc.boolean() }),
		fc.record({ value: fc.constantFrom<number | string>('abc', ' 7 ', '07', '', '1e1', '７'), asString: fc.constant(true) }),
	);
	const errorArb = (opts: { status?: fc.Arbitrary<number> } = {}): fc.Arbitrary<ErrorSpec> =>
		fc.record(
			{
				t: fc.constant<'error'>('error'),
				fmt: fmtArb,
				status: opts.status ?? fc.oneof({ weight: 9, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(400, 429, 500, 502, 503) }),
				contentType: contentTypeArb,
				code: codeArb,
				msg: textArb,
				subCode: subCodeArb,
				subMsg: textArb,
				requestId: textArb,
				ban: cfg.ban ? fc.integer({ min: 0, max: 3 }) : fc.constant(undefined),
			},
			{ requiredKeys: ['t', 'fmt', 'status', 'contentType'] },
		);
	const statusArb = fc.oneof(
		{ weight: 6, arbitrary: fc.constant(200) },
		{ weight: 4, arbitrary: fc.constantFrom(201, 202, 301, 302, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504, 520) },
	);
	const rawArb: fc.Arbitrary<RawSpec> = fc.record(
		{
			t: fc.constant<'raw'>('raw'),
			status: statusArb,
			contentType: cfg.html ? contentTypeArb : fc.oneof(contentTypeArb, fc.constant<ContentType>('html')),
			body: fc.oneof(
				fc.constantFrom('', ' ', '\r\n', HTML_PAGE, `<!DOCTYPE html>${HTML_PAGE}`, 'Bad Gateway %ECHO%', 'null', '[]', '"error"', '42', '<', '{', '<?xml version="1.0"?>'),
				fc.string({ maxLength: 200 }),
				fc.string({ unit: 'binary', maxLength: 100 }),
				fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
				fc.tuple(fc.constantFrom('{', '<a>', '<html>'), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
			),
			echo: cfg.echo ? echoArb : fc.constant(undefined),
		},
		{ requiredKeys: ['t', 'status', 'contentType', 'body'] },
	);
	const mutatedArb: fc.Arbitrary<MutatedSpec> = fc.record({
		t: fc.constant<'mutated'>('mutated'),
		base: fc.oneof(successArb(), errorArb()),
		mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
		contentType: contentTypeArb,
	});
	const transportArb = (kinds: Array<TransportSpec['t']>): fc.Arbitrary<TransportSpec> =>
		fc.record({
			t: fc.constantFrom(...kinds),
			fraction: fc.double({ min: 0, max: 1, noNaN: true }),
			declareLength: fc.boolean(),
			gzip: fc.boolean(),
			base: successArb(true),
		});
	const fast: Array<TransportSpec['t']> = cfg.huge === false ? ['reset', 'hangup', 'dripOk'] : ['reset', 'hangup', 'dripOk', 'huge'];
	/** One answer, for one attempt. Slow kinds (never, slow drip) are rarer: each costs a deadline. */
	const specArb: fc.Arbitrary<Spec> = fc.oneof(
		{ weight: 30, arbitrary: successArb() },
		{ weight: 24, arbitrary: errorArb() },
		{ weight: 10, arbitrary: rawArb },
		{ weight: 10, arbitrary: mutatedArb },
		{ weight: 6, arbitrary: transportArb(fast) },
		...((cfg.slow ?? 2) > 0 ? [{ weight: cfg.slow ?? 2, arbitrary: transportArb(['never', 'dripSlow']) }] : []),
	);
	/** What the gateway does on attempt 1, 2, … (the last one repeats). */
	const scriptArb = fc.array(specArb, { minLength: 1, maxLength: 4 });
	return { textArb, echoArb, fmtArb, contentTypeArb, successArb, errorArb, rawArb, mutatedArb, transportArb, specArb, scriptArb };
}

// ---------------------------------------------------------------- the model

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

/** The spec's retry table (top-protocol.md, issue 2), for a `error_response` answered with HTTP 200. */
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
