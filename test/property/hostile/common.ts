/**
 * What the hostile-input properties (../hostile.test.ts) share: fast-check parameters (with
 * PROPERTY_SCALE and FC_SEED), the fault server and crash guard the suite runs, a real signed
 * request for echo texts in pure properties, and the per-attempt deadlines of calls.
 */
import { randomUUID } from 'crypto';
import fc from 'fast-check';

import { buildTopRequest, cancelStockLockParam } from '../../../nodes/Damai/transport';
import type { FaultRequest, FaultServer } from '../faultServer';
import { arbs } from '../gateway/arbitraries';
import { render } from '../gateway/render';
import { METHOD, isSlow, type Spec } from '../gateway/spec';
import { runs, type CrashGuard, type Secrets } from '../support';

/** The suite's fault server and crash guard (started by ../hostile.test.ts, live while tests run). */
export interface Harness {
	readonly fault: FaultServer;
	readonly guard: CrashGuard;
}

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
export const params = <T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> => ({
	numRuns: runs(numRuns),
	includeErrorInReport: true,
	...(seed !== undefined ? { seed } : {}),
	...extra,
});

export const SUPPLIER_KEY = 'supplier-key-1';

/** A real signed request (as the node would send it), for echo texts in pure tests. */
export function fakeRequest(secrets: Secrets, format: 'json' | 'xml', orderId = 'ORDER-1'): FaultRequest {
	const msgId = randomUUID();
	const param = cancelStockLockParam(orderId, { supplierKey: SUPPLIER_KEY, supplierSecret: secrets.supplierSecret, headSignMethod: 'md5', headVersion: '1.0' }, msgId);
	const built = buildTopRequest(
		METHOD,
		{ param_cancel_stock_lock_request: param },
		{ appKey: 'app-key-1', appSecret: secrets.appSecret, signMethod: 'hmac-sha256', session: secrets.session },
		format,
	);
	return {
		seq: 1,
		method: 'POST',
		path: '/router/rest',
		rawQuery: built.query,
		rawBody: built.body,
		query: new URLSearchParams(built.query),
		form: new URLSearchParams(built.body),
		paramText: JSON.stringify(param),
		param: param as unknown as FaultRequest['param'],
		msgId,
		orderId,
		format,
		attempt: 1,
	};
}

/** How `spec` answers a request of the node's (through fakeRequest), as a status, content type and body. */
export function renderBody(spec: Spec, secrets: Secrets, format: 'json' | 'xml'): { status: number; contentType?: string; body: string } {
	return bodyOfAction(render(spec, { request: fakeRequest(secrets, format), secrets }, { timeout: 1000, maxBytes: 1 << 20 }))!;
}

function bodyOfAction(action: ReturnType<typeof render>): { status: number; contentType?: string; body: string } | undefined {
	if (action.kind !== 'respond') return undefined;
	return {
		status: action.status,
		contentType: action.headers?.['content-type'],
		body: typeof action.body === 'string' ? action.body : action.body.toString('utf8'),
	};
}

/** Answers that parseAnswer gets to read (no transport faults). */
export const respondable = (a: ReturnType<typeof arbs>) =>
	fc.oneof(
		{ weight: 3, arbitrary: a.successArb() },
		{ weight: 3, arbitrary: a.errorArb() },
		{ weight: 2, arbitrary: a.rawArb },
		{ weight: 3, arbitrary: a.mutatedArb },
	);

/**
 * The per-attempt deadline: short when the script has answers that take a deadline (never, slow
 * drip), long otherwise — so that a busy machine never turns a normal answer into a timeout where
 * the model is exact. Scripts with slow answers are checked against bounds only.
 */
export const SLOW_TIMEOUT = 300;
const CALM_TIMEOUT = 3000;
export const timeoutFor = (scripts: Spec[][]) => (scripts.some((script) => script.some(isSlow)) ? SLOW_TIMEOUT : CALM_TIMEOUT);
