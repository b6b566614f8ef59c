import * as http from 'node:http';
import { signTop, signHead, formatGmt8 } from '../../tooling/sandbox/sign';
import type { Sandbox } from '../../tooling/sandbox/server';

export const APP_KEY = 'sandbox-app-key';
export const APP_SECRET = 'sandbox-app-secret';
export const SUPPLIER_KEY = 'sandbox-supplier-key';
export const SUPPLIER_SECRET = 'sandbox-supplier-secret';
export const CANCEL = 'alibaba.damai.yuntoc.order.cancellockstock';

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: any;
}

/** Plain node:http request; rejects when the socket is reset. */
export function rawRequest(
	url: string,
	opts: { method?: string; body?: string; contentType?: string; agent?: http.Agent } = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const body = opts.body ?? '';
		const req = http.request(
			url,
			{
				method: opts.method ?? 'POST',
				agent: opts.agent,
				headers:
					opts.method === 'GET'
						? {}
						: {
								'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8',
								'Content-Length': Buffer.byteLength(body),
							},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: any;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		if (opts.method !== 'GET') req.write(body);
		req.end();
	});
}

export function systemParams(method: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
	const p: Record<string, string | undefined> = {
		method,
		app_key: APP_KEY,
		timestamp: formatGmt8(),
		format: 'json',
		v: '2.0',
		sign_method: 'md5',
		...extra,
	};
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
	return out;
}

export interface CallOptions {
	secret?: string;
	/** no sign at all */
	noSign?: boolean;
	/** override the sign value */
	sign?: string;
	/** names of params to put in the query string (the rest go into the body). Default: system params. */
	queryNames?: string[];
	agent?: http.Agent;
	httpMethod?: 'GET' | 'POST';
}

const SYSTEM = ['method', 'app_key', 'session', 'timestamp', 'format', 'v', 'sign_method', 'sign', 'simplify'];

/** Sign (unless told not to) and send params the way the official SDKs do. */
export function call(sb: Sandbox, params: Record<string, string>, opts: CallOptions = {}): Promise<RawResponse> {
	const all: Record<string, string> = { ...params };
	if (!opts.noSign) all.sign = opts.sign ?? signTop(all, opts.secret ?? APP_SECRET);
	const queryNames = opts.queryNames ?? SYSTEM;
	const query = new URLSearchParams();
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(all)) {
		if (opts.httpMethod === 'GET' || queryNames.includes(k)) query.append(k, v);
		else body.append(k, v);
	}
	const qs = query.toString();
	return rawRequest(sb.url + (qs ? '?' + qs : ''), {
		method: opts.httpMethod ?? 'POST',
		body: body.toString(),
		agent: opts.agent,
	});
}

export interface HeadOptions {
	orderId?: string | null;
	msgId?: string | null;
	supplierKey?: string;
	supplierSecret?: string;
	/** secret used to compute `signed` (default: supplierSecret) */
	signSecret?: string;
	signMethod?: 'md5' | 'hmac-sha256' | 'none';
	signed?: string;
	timeStamp?: string | null;
	version?: string;
}

export function cancelHead(o: HeadOptions = {}): Record<string, string> {
	const head: Record<string, string> = {};
	const msgId = o.msgId === undefined ? `msg-${Math.random().toString(36).slice(2)}` : o.msgId;
	if (msgId !== null) head.msg_id = msgId;
	head.supplier_key = o.supplierKey ?? SUPPLIER_KEY;
	head.supplier_secret = o.supplierSecret ?? SUPPLIER_SECRET;
	const ts = o.timeStamp === undefined ? String(Date.now()) : o.timeStamp;
	if (ts !== null) head.time_stamp = ts;
	head.version = o.version ?? '1.0';
	const method = o.signMethod ?? 'md5';
	if (o.signed !== undefined) head.signed = o.signed;
	else if (method !== 'none') head.signed = signHead(head, o.signSecret ?? head.supplier_secret, method);
	return head;
}

export function cancelParam(o: HeadOptions = {}): string {
	const orderId = o.orderId === undefined ? `ORD-${Math.random().toString(36).slice(2)}` : o.orderId;
	const reqParam: Record<string, string> = {};
	if (orderId !== null) reqParam.order_id = orderId;
	return JSON.stringify({
		cancel_stock_lock_request_body: { cancel_stock_lock_req_param: reqParam },
		head: cancelHead(o),
	});
}

export function cancel(
	sb: Sandbox,
	head: HeadOptions = {},
	sys: Record<string, string | undefined> = {},
	opts: CallOptions = {},
): Promise<RawResponse> {
	return call(sb, systemParams(CANCEL, { param_cancel_stock_lock_request: cancelParam(head), ...sys }), opts);
}

/** result.head of a JSON cancel answer */
export function headOf(r: RawResponse): { return_code: string; return_desc: string } {
	return r.json.alibaba_damai_yuntoc_order_cancellockstock_response.result.head;
}
