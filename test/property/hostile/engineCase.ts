/**
 * One generated batch for the node in n8n's engine against the fault server: the items (valid and
 * invalid order ids), each id's answer script and the node's options; how to run it; and every
 * check a run must pass (one output per input, in order, paired; failures as the model says;
 * bounded retries; invalid ids send nothing).
 */
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runDamai } from '../../helpers/engine';
import type { FaultServer } from '../faultServer';
import type { arbs } from '../gateway/arbitraries';
import { expectCall, resolverFor, type CallExpect } from '../gateway/model';
import { render } from '../gateway/render';
import type { Spec } from '../gateway/spec';
import { itemArb, judgeItem } from '../ids';
import { expectPlainData, expectReadable, secretsArb, type Secrets } from '../support';
import { SLOW_TIMEOUT, SUPPLIER_KEY, timeoutFor } from './common';

type OnError = 'continueRegularOutput' | 'continueErrorOutput' | undefined;

export interface EngineCase {
	items: Array<Record<string, unknown>>;
	scripts: Spec[][];
	onError: OnError;
	maxRetries: number;
	concurrency: number;
	responseFormat: 'json' | 'xml';
	includeRawResponse: boolean;
	secrets: Secrets;
	withSession: boolean;
}

export const engineCaseArb = (a: ReturnType<typeof arbs>, maxItems: number): fc.Arbitrary<EngineCase> =>
	fc
		.record({
			batch: fc.array(fc.tuple(itemArb, a.scriptArb), { minLength: 1, maxLength: maxItems }),
			onError: fc.constantFrom<OnError>('continueRegularOutput', 'continueErrorOutput', undefined),
			maxRetries: fc.nat(2),
			concurrency: fc.integer({ min: 1, max: 5 }),
			responseFormat: fc.constantFrom<'json' | 'xml'>('json', 'xml'),
			includeRawResponse: fc.boolean(),
			secrets: secretsArb(),
			withSession: fc.boolean(),
		})
		.map(({ batch, ...rest }) => ({ ...rest, items: batch.map(([item]) => item), scripts: batch.map(([, script]) => script) }));

export async function runEngineCase(fault: FaultServer, c: EngineCase) {
	// The script of an id is the one of its first item (duplicate ids share it).
	const scriptOf = new Map<string, Spec[]>();
	c.items.forEach((json, i) => {
		const v = judgeItem(json);
		if (v.ok && !scriptOf.has(v.text)) scriptOf.set(v.text, c.scripts[i]);
	});
	fault.reset();
	const timeout = timeoutFor(c.scripts);
	const unexpected: string[] = [];
	fault.script = (request) => {
		const script = request.orderId !== undefined ? scriptOf.get(request.orderId) : undefined;
		if (!script) {
			unexpected.push(JSON.stringify(request.orderId));
			return { kind: 'respond', status: 400, body: 'unexpected order id' };
		}
		return render(script[Math.min(request.attempt - 1, script.length - 1)], { request, secrets: c.secrets }, { timeout, maxBytes: 5 * 1024 * 1024 });
	};
	const credentials = {
		environment: 'custom',
		gatewayUrl: fault.url,
		appKey: 'app-key-1',
		appSecret: c.secrets.appSecret,
		signMethod: 'hmac-sha256',
		supplierKey: SUPPLIER_KEY,
		supplierSecret: c.secrets.supplierSecret,
		headSignMethod: 'md5',
		...(c.withSession ? { session: c.secrets.session } : {}),
	};
	const started = Date.now();
	const run = await runDamai(c.items as IDataObject[], credentials, {
		onError: c.onError,
		options: {
			timeout,
			retryDelay: 1,
			maxRetries: c.maxRetries,
			concurrency: c.concurrency,
			responseFormat: c.responseFormat,
			includeRawResponse: c.includeRawResponse,
		},
	});
	return { run, unexpected, scriptOf, timeout, elapsed: Date.now() - started, requests: [...fault.requests], attempts: new Map(fault.attemptsByMsgId) };
}

export type EngineCaseRun = Awaited<ReturnType<typeof runEngineCase>>;

function expectationOf(c: EngineCase, scriptOf: Map<string, Spec[]>, text: string): CallExpect {
	return expectCall(scriptOf.get(text)!, c.maxRetries, new Set(['0', '200']), resolverFor(c.secrets));
}

export function checkEngineCase(c: EngineCase, out: EngineCaseRun): void {
	const { run, unexpected, scriptOf } = out;
	// With a short deadline (slow answers in the batch) only the bounds are exact: see timeoutFor.
	const relaxed = out.timeout === SLOW_TIMEOUT;
	const n = c.items.length;
	const verdicts = c.items.map(judgeItem);
	const valid = verdicts.map((v, i) => (v.ok ? i : -1)).filter((i) => i >= 0);
	const validTexts = new Set(valid.map((i) => (verdicts[i] as { text: string }).text));

	// Invalid ids send no request: every request is for a valid id.
	expect(unexpected).toEqual([]);
	for (const r of out.requests) expect(validTexts.has(r.orderId!)).toBe(true);
	// Retries bounded per item (msg_id), and every attempt of an item has the same msg_id.
	for (const [msgId, attempts] of out.attempts) {
		const orderId = out.requests.find((r) => r.msgId === msgId)!.orderId!;
		const e = expectationOf(c, scriptOf, orderId);
		if (attempts > c.maxRetries + 1) throw new Error(`msg_id ${msgId} (order ${orderId}) was sent ${attempts} times, maxRetries is ${c.maxRetries}`);
		if (c.onError !== undefined && (attempts < e.minAttempts || (!relaxed && attempts > e.maxAttempts)))
			throw new Error(`order ${JSON.stringify(orderId)}: ${attempts} attempts, expected ${e.minAttempts}…${e.maxAttempts}`);
	}

	if (c.onError === undefined) {
		const firstInvalid = verdicts.findIndex((v) => !v.ok);
		if (firstInvalid >= 0) {
			// All inputs are checked before any request.
			expect(out.requests).toHaveLength(0);
		}
		const err = run.nodeError as { name?: string; message?: string; context?: { itemIndex?: number } } | undefined;
		if (err) {
			expect(['NodeApiError', 'NodeOperationError']).toContain(err.name);
			expectReadable('node error message', err.message);
			expect(typeof err.context?.itemIndex).toBe('number');
			const at = err.context!.itemIndex!;
			expect(at).toBeGreaterThanOrEqual(0);
			expect(at).toBeLessThan(n);
			if (firstInvalid >= 0) {
				expect(err.name).toBe('NodeOperationError');
				expect(at).toBe(firstInvalid);
				expect(err.message).toContain(`Item ${firstInvalid}`);
				expect(err.message).toContain('Order ID');
			} else {
				expect(err.name).toBe('NodeApiError');
				const e = expectationOf(c, scriptOf, (verdicts[at] as { text: string }).text);
				if (!relaxed && e.final.outcome === 'success') throw new Error(`item ${at} failed (${err.message}) but its gateway answered success`);
			}
			expect(run.error).toBeDefined();
			return;
		}
		expect(firstInvalid).toBe(-1);
		expect(run.error).toBeUndefined();
		expect(run.outputs).toHaveLength(1);
		expect(run.outputs[0]).toHaveLength(n);
		run.outputs[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.success).toBe(true);
			const e = expectationOf(c, scriptOf, (verdicts[i] as { text: string }).text);
			if (!relaxed && e.final.outcome !== 'success' && e.final.outcome !== 'unknown' && e.final.outcome !== 'success-or-final')
				throw new Error(`item ${i} succeeded, expected a ${e.final.outcome} failure`);
		});
		return;
	}

	expect(run.error).toBeUndefined();
	expect(run.nodeError).toBeUndefined();
	// Exactly one output per input, in order, with pairedItem.
	const all: Array<{ item: INodeExecutionData; port: number }> = [];
	run.outputs.forEach((port, p) => {
		let last = -1;
		for (const item of port) {
			const paired = item.pairedItem as { item: number };
			expect(typeof paired?.item).toBe('number');
			expect(paired.item).toBeGreaterThan(last);
			last = paired.item;
			all.push({ item, port: p });
		}
	});
	expect(all.map((x) => (x.item.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
	if (c.onError === 'continueRegularOutput') expect(run.outputs.length).toBe(1);

	for (const { item, port } of all) {
		const i = (item.pairedItem as { item: number }).item;
		const v = verdicts[i];
		const json = item.json;
		const isError = c.onError === 'continueErrorOutput' ? port === 1 : json.success === false;
		// On the error output the whole error item is under `error`, its message also as `message`.
		const onErrorOutput = c.onError === 'continueErrorOutput' && port === 1;
		const f = onErrorOutput ? (json.error as typeof json) : json;
		if (isError) {
			expectReadable(`item ${i} error`, f.errorMessage);
			expect(f.success).toBe(false);
			if (onErrorOutput) expect(json.message).toBe(f.errorMessage);
		} else {
			expect(json.success).toBe(true);
		}
		if (!v.ok) {
			if (!isError) throw new Error(`item ${i} with an invalid id ${JSON.stringify(c.items[i].orderId)} (${v.why}) got a success`);
			expect(String(f.errorMessage)).toContain(`Item ${i}`);
			expect(String(f.errorMessage)).toContain('Order ID');
			expect(f.errorKind).toBe('input');
			continue;
		}
		const e = expectationOf(c, scriptOf, v.text);
		if (relaxed) {
			if (!isError) expect(json.orderId).toBe(v.text);
			else {
				expect(f.orderId).toBe(v.text);
				expect(f.attempts as number).toBeGreaterThanOrEqual(e.minAttempts);
				expect(f.attempts as number).toBeLessThanOrEqual(c.maxRetries + 1);
			}
			continue;
		}
		if (!isError) {
			expect(json.orderId).toBe(v.text);
			if (e.final.outcome === 'success') expect(json.returnCode).toBe(e.final.returnCode);
			else if (e.final.outcome !== 'unknown' && e.final.outcome !== 'success-or-final')
				throw new Error(`item ${i} (${JSON.stringify(v.text)}) succeeded, expected a ${e.final.outcome} failure`);
			expect(typeof json.msgId).toBe('string');
			expect(out.attempts.get(json.msgId as string)).toBeGreaterThanOrEqual(1);
			if (c.includeRawResponse) expectPlainData('response', json.response);
		} else {
			if (e.final.outcome === 'success') throw new Error(`item ${i} (${JSON.stringify(v.text)}) failed (${String(f.errorMessage)}), expected success`);
			// The same routable fields on either output.
			expect(f.orderId).toBe(v.text);
			expect(typeof f.msgId).toBe('string');
			const attempts = f.attempts as number;
			expect(attempts).toBeGreaterThanOrEqual(e.minAttempts);
			expect(attempts).toBeLessThanOrEqual(e.maxAttempts);
			if ((e.final.outcome === 'final' || e.final.outcome === 'retry') && !e.final.kinds.includes(f.errorKind as string))
				throw new Error(`item ${i}: expected a ${e.final.kinds.join('/')} error, got ${String(f.errorKind)}: ${String(f.errorMessage)}`);
			if (onErrorOutput) expectReadable(`item ${i} error output message`, json.message);
		}
	}
}
