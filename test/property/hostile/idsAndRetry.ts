/**
 * Hostile ids and the retry rule, pure: readOrderId against the oracle of ../ids.ts (and whole
 * numbers past 2^53), and decideRetry against the spec's retry table (../gateway/model.ts).
 */
import fc from 'fast-check';
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { readOrderId } from '../../../nodes/Damai/actions/order/cancelStockLock.operation';
import { TopError, decideRetry, type TopErrorKind } from '../../../nodes/Damai/transport';
import { arbs } from '../gateway/arbitraries';
import { gatewayRetryable, httpRetryable } from '../gateway/model';
import { judgeId, rawIdArb } from '../ids';
import { checkSync, expectReadable } from '../support';
import { params } from './common';

export function idAndRetryProperties(): void {
	const fakeCtx = (raw: unknown): IExecuteFunctions =>
		({
			getNodeParameter: () => raw,
			getNode: () => ({ id: 'n', name: 'Damai', type: 'n8n-nodes-damai.damai', typeVersion: 1, position: [0, 0], parameters: {} }) as INode,
		}) as unknown as IExecuteFunctions;

	test('readOrderId: trims, refuses empty/control/broken/long/non-text with a NodeOperationError naming the item', () => {
		checkSync(
			'readOrderId vs the oracle',
			fc.property(rawIdArb, fc.nat(10_000), (raw, itemIndex) => {
				const verdict = judgeId(raw);
				let text: string | undefined;
				let error: unknown;
				try {
					text = readOrderId(fakeCtx(raw), itemIndex);
				} catch (e) {
					error = e;
				}
				if (verdict.ok) {
					if (error) throw new Error(`refused a valid id ${JSON.stringify(raw)}: ${(error as Error).message}`);
					expect(text).toBe(verdict.text);
					expect(typeof text).toBe('string');
				} else {
					if (!error) throw new Error(`accepted ${JSON.stringify(raw)} (${verdict.why}) as ${JSON.stringify(text)}`);
					expect(error).toBeInstanceOf(NodeOperationError);
					const e = error as NodeOperationError;
					expectReadable('message', e.message);
					expect(e.message).toContain(`Item ${itemIndex}`);
					expect(e.message).toContain('Order ID');
					expect(e.context.itemIndex).toBe(itemIndex);
				}
			}),
			params(2000),
		);
	});

	test('readOrderId: a whole number beyond 2^53 (no longer the id the workflow had) is refused, not rounded', () => {
		// JSON numbers lose digits past 2^53: 2025112900012345678 arrives as 2025112900012345600.
		// Sending its text would cancel the stock lock of a different order.
		const unsafe = fc.bigInt({ min: 2n ** 53n + 1n, max: 10n ** 21n }).map(Number).filter((n) => !Number.isSafeInteger(n));
		checkSync(
			'readOrderId unsafe integers',
			fc.property(unsafe, fc.nat(100), (n, itemIndex) => {
				let text: string | undefined;
				try {
					text = readOrderId(fakeCtx(n), itemIndex);
				} catch (e) {
					expect(e).toBeInstanceOf(NodeOperationError);
					expect((e as Error).message).toContain('Order ID');
					expect((e as Error).message).toContain(`Item ${itemIndex}`);
					return;
				}
				throw new Error(`accepted the number ${n} as order id "${text}": past 2^53 it is not the id the workflow had (ask for the id as text)`);
			}),
			params(300),
		);
		// Safe whole numbers become their decimal text.
		checkSync(
			'readOrderId safe integers',
			fc.property(fc.maxSafeNat(), (n) => {
				expect(readOrderId(fakeCtx(n), 0)).toBe(String(n));
			}),
			params(300),
		);
	});

	test('decideRetry: never retries isv.*, never past maxRetries, only what the spec lists', () => {
		const kinds: TopErrorKind[] = ['gateway', 'business', 'http', 'parse', 'too-large', 'timeout', 'network', 'aborted'];
		const a = arbs({ echo: false });
		checkSync(
			'decideRetry',
			fc.property(
				fc.constantFrom(...kinds),
				a.errorArb(),
				fc.constantFrom(200, 201, 400, 404, 408, 429, 500, 502, 503, 599),
				fc.nat(12),
				fc.nat(10),
				(kind, e, status, attempt, maxRetries) => {
					const code = e.code ? (typeof e.code.value === 'number' ? e.code.value : /^-?\d+$/.test(e.code.value.trim()) ? Number(e.code.value) : e.code.value) : undefined;
					const error = new TopError({
						kind,
						message: 'x',
						code,
						subCode: e.subCode?.lit,
						subMsg: e.ban !== undefined ? `This ban will last for ${e.ban} more seconds` : e.subMsg?.lit,
						httpStatus: kind === 'http' ? status : 200,
					});
					const decision = decideRetry(error, attempt, { maxRetries, retryDelay: 10, maxRetryDelay: 1000, maxBanWait: 5000 }, () => 0.5);
					const retryable =
						kind === 'gateway'
							? gatewayRetryable(typeof code === 'number' ? code : undefined, e.subCode?.lit)
							: kind === 'http'
								? httpRetryable(status)
								: kind === 'network' || kind === 'timeout';
					if (attempt >= maxRetries || !retryable) expect(decision).toBeUndefined();
					else {
						expect(decision).toBeDefined();
						expect(decision!.delayMs).toBeGreaterThanOrEqual(0);
						expect(decision!.delayMs).toBeLessThanOrEqual(5000);
					}
				},
			),
			params(1000),
		);
	});
}
