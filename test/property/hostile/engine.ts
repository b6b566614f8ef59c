/**
 * Hostile answers and ids for the node in n8n's real engine (WorkflowExecute) against the fault
 * server: generated batches (./engineCase.ts) keep every output rule, and no secret reaches an
 * output item, an error or the run data.
 */
import fc from 'fast-check';

import { arbs, type ArbConfig } from '../gateway/arbitraries';
import type { Echo, SuccessSpec } from '../gateway/spec';
import { checkAsync, expectNoLeak, expectNoPollution, secretsArb, unredactableRest } from '../support';
import { params, type Harness } from './common';
import { checkEngineCase, engineCaseArb, runEngineCase, type EngineCase, type EngineCaseRun } from './engineCase';

export function engineProperties(h: Harness): void {
	/** A property over generated batches of up to `maxItems` items: each is run in the engine, then checked. */
	const checkEngineCases = (name: string, cfg: ArbConfig, maxItems: number, numRuns: number, check: (c: EngineCase, out: EngineCaseRun) => void) =>
		checkAsync(
			name,
			fc.asyncProperty(engineCaseArb(arbs(cfg), maxItems), async (c) => check(c, await runEngineCase(h.fault, c))),
			params(numRuns),
		);

	test('one output per input, in order, pairedItem; failures are error items or NodeApiError/NodeOperationError; bounded retries; invalid ids send nothing', async () => {
		await checkEngineCases('engine invariants', { echo: false, html: false, slow: 1, huge: false, ban: false }, 8, 120, (c, out) => {
			checkEngineCase(c, out);
			expect(h.guard.problems).toEqual([]);
			expectNoPollution('engine');
		});
	});

	test('Include Raw Response: the parsed answer in the output item holds no secret the gateway echoed', async () => {
		const echo = fc.constantFrom<Echo>('rawBody', 'rawQuery', 'paramText', 'appSecret', 'supplierSecret', 'session');
		await checkAsync(
			'engine raw response leaks',
			fc.asyncProperty(secretsArb(), echo, fc.constantFrom<'json' | 'xml'>('json', 'xml'), async (secrets, which, responseFormat) => {
				const spec: SuccessSpec = {
					t: 'success',
					fmt: 'asked',
					contentType: 'json',
					wrapper: 'method',
					returnCode: { lit: '0' },
					returnDesc: { lit: 'success' },
					requestId: { lit: 'req-1' },
					missing: 'nothing',
					duplicate: false,
					proto: 'none',
					extra: { lit: 'echo: ', echo: which },
				};
				const c: EngineCase = {
					items: [{ orderId: 'RAW-1' }],
					scripts: [[spec]],
					onError: 'continueRegularOutput',
					maxRetries: 0,
					concurrency: 1,
					responseFormat,
					includeRawResponse: true,
					secrets,
					withSession: true,
				};
				const out = await runEngineCase(h.fault, c);
				const item = out.run.outputs[0][0].json;
				expect(item.success).toBe(true);
				expect(item.response).toBeDefined();
				expectNoLeak('output item (with response)', item, { ...secrets });
			}),
			params(40),
		);
	});

	test('no secret anywhere in outputs, errors or run data (includeRawResponse, session, echoing gateway)', async () => {
		await checkEngineCases('engine secret leaks', { echo: true, html: false, slow: 0, huge: false, ban: false }, 5, 80, (c, out) => {
			const secrets = { ...c.secrets, session: c.withSession ? c.secrets.session : undefined };
			const excused = unredactableRest(out.requests.map((r) => r.sent ?? ''), secrets);
			expectNoLeak('outputs', out.run.outputs, secrets, excused);
			expectNoLeak('node error', out.run.nodeError, secrets, excused);
			expectNoLeak('workflow error', out.run.error, secrets, excused);
			expectNoLeak('run data', out.run.run, secrets, excused);
			expect(h.guard.problems).toEqual([]);
		});
	});
}
