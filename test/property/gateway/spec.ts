/**
 * Generated gateway behaviour, part 1: the answer "specs" — plain data describing what the
 * gateway answers to one attempt, so that fast-check prints and shrinks them. How a spec becomes
 * bytes on the wire is ./render.ts, how specs are generated ./arbitraries.ts, and what the client
 * must make of them (success, which failure, retry or not) ./model.ts — written from the spec
 * (docs/protocol.md, "Gateway error codes"), not from the node's code.
 */

export const METHOD = 'alibaba.damai.yuntoc.order.cancellockstock';
export const WRAPPER = 'alibaba_damai_yuntoc_order_cancellockstock_response';

// ---------------------------------------------------------------- texts that may echo the request

/** What a misbehaving gateway echoes back: the raw request, the decoded param, or a secret itself. */
export type Echo = 'rawBody' | 'rawQuery' | 'paramText' | 'appSecret' | 'supplierSecret' | 'session';

export interface Text {
	lit: string;
	echo?: Echo;
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
