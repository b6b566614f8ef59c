/**
 * Hostile answers to the client (TopClient + cancelStockLock) over real sockets: the fault server
 * answers each attempt as a generated script says, and the outcome, the attempts and the error
 * are checked against the model (../gateway/model.ts); no secret in any error or result.
 */
import { randomUUID } from 'crypto';
import fc from 'fast-check';

import { TopClient, TopError, cancelStockLock, type SignMethod } from '../../../nodes/Damai/transport';
import type { FaultServer } from '../faultServer';
import { arbs, type ArbConfig } from '../gateway/arbitraries';
import { expectCall, resolverFor, type CallExpect } from '../gateway/model';
import { render } from '../gateway/render';
import type { Echo, Spec, SuccessSpec } from '../gateway/spec';
import { checkAsync, expectNoLeak, expectNoPollution, expectReadable, secretsArb, serialise, sleep, unredactableRest, type Secrets } from '../support';
import { SLOW_TIMEOUT, SUPPLIER_KEY, params, timeoutFor, type Harness } from './common';

interface ClientCase {
	secrets: Secrets;
	script: Spec[];
	maxRetries: number;
	format: 'json' | 'xml';
	signMethod: SignMethod;
	headSignMethod: 'md5' | 'hmac-sha256' | 'none';
	withSession: boolean;
	successCodes: string[];
}

const CLIENT_MAX_BYTES = 64 * 1024;

async function callThroughFault(fault: FaultServer, c: ClientCase) {
	const timeout = timeoutFor([c.script]);
	const client = new TopClient({
		gatewayUrl: fault.url,
		appKey: 'app-key-1',
		appSecret: c.secrets.appSecret,
		signMethod: c.signMethod,
		session: c.withSession ? c.secrets.session : undefined,
		extraSecrets: [c.secrets.supplierSecret],
		format: c.format,
		timeout,
		maxRetries: c.maxRetries,
		retryDelay: 1,
		maxRetryDelay: 4,
		maxBanWait: 5,
		maxResponseBytes: CLIENT_MAX_BYTES,
		sleep,
	});
	const msgId = randomUUID();
	const orderId = `ORDER-${msgId.slice(0, 8)}`;
	fault.reset();
	fault.script = (request) => render(c.script[Math.min(request.attempt - 1, c.script.length - 1)], { request, secrets: c.secrets }, { timeout, maxBytes: CLIENT_MAX_BYTES });
	const started = Date.now();
	let result: Awaited<ReturnType<typeof cancelStockLock>> | undefined;
	let error: unknown;
	try {
		result = await cancelStockLock(
			client,
			orderId,
			msgId,
			{ supplierKey: SUPPLIER_KEY, supplierSecret: c.secrets.supplierSecret, headSignMethod: c.headSignMethod, headVersion: '1.0' },
			new Set(c.successCodes),
		);
	} catch (e) {
		error = e;
	} finally {
		client.close();
	}
	return { result, error, msgId, orderId, timeout, elapsed: Date.now() - started, requests: [...fault.requests] };
}

type ClientRun = Awaited<ReturnType<typeof callThroughFault>>;

const clientCaseArb = (a: ReturnType<typeof arbs>): fc.Arbitrary<ClientCase> =>
	fc.record({
		secrets: secretsArb(),
		script: a.scriptArb,
		maxRetries: fc.nat(3),
		format: fc.constantFrom<'json' | 'xml'>('json', 'xml'),
		signMethod: fc.constantFrom<SignMethod>('md5', 'hmac', 'hmac-sha256'),
		headSignMethod: fc.constantFrom<'md5' | 'hmac-sha256' | 'none'>('md5', 'hmac-sha256', 'none'),
		withSession: fc.boolean(),
		successCodes: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>(['0', '200']) }, { weight: 1, arbitrary: fc.subarray(['0', '200', '1', 'OK'], { minLength: 1 }) }),
	});

function checkAgainstModel(what: string, expected: CallExpect, out: ClientRun, limit: number, relaxed = false) {
	const attemptsSeen = out.requests.length;
	// Every attempt of this call carried the same msg_id, and only this call reached the server.
	for (const r of out.requests) expect(r.msgId).toBe(out.msgId);
	if (attemptsSeen > limit) throw new Error(`${what}: ${attemptsSeen} attempts reached the gateway, maxRetries allows ${limit}`);
	const max = relaxed ? limit : expected.maxAttempts;
	if (attemptsSeen < expected.minAttempts || attemptsSeen > max) {
		throw new Error(`${what}: ${attemptsSeen} attempts reached the gateway, expected ${expected.minAttempts}…${max}`);
	}
	if (relaxed) {
		// A short deadline on a busy machine may time out any attempt: only the bounds are exact.
		if (out.result) expect(out.result.attempts).toBe(attemptsSeen);
		else {
			if (!(out.error instanceof TopError)) throw new Error(`${what}: failed with a ${(out.error as Error)?.constructor?.name}, not a TopError`);
			expectReadable(`${what}: message`, out.error.message);
			expect(out.error.attempts).toBe(attemptsSeen);
		}
		return;
	}
	const final = expected.final;
	if (out.result) {
		expect(out.result.attempts).toBe(attemptsSeen);
		expect(out.result.msgId).toBe(out.msgId);
		expect(out.result.success).toBe(true);
		if (final.outcome === 'success') expect(out.result.returnCode).toBe(final.returnCode);
		else if (final.outcome !== 'unknown' && final.outcome !== 'success-or-final')
			throw new Error(`${what}: the call succeeded, expected a ${final.outcome} failure of kind ${'kinds' in final ? final.kinds.join('/') : ''}`);
		return;
	}
	const e = out.error;
	if (!(e instanceof TopError)) throw new Error(`${what}: failed with a ${(e as Error)?.constructor?.name}, not a TopError: ${String(e)}`);
	expectReadable(`${what}: message`, e.message);
	expect(e.attempts).toBe(attemptsSeen);
	if (final.outcome === 'success') throw new Error(`${what}: expected success (return code ${final.returnCode}), got ${e.kind}: ${e.message}`);
	if (final.outcome === 'final' || final.outcome === 'retry') {
		if (!final.kinds.includes(e.kind)) throw new Error(`${what}: expected a ${final.kinds.join('/')} error, got ${e.kind}: ${e.message}`);
		// An isv.* answer ends the call: it is the last attempt (the attempt count above is exact).
		if (final.outcome === 'final' && final.isv) expect(e.subCode?.startsWith('isv.')).toBe(true);
	}
	if (final.outcome === 'success-or-final') expect(e.kind).toBe('business');
}

export function clientProperties(h: Harness): void {
	/** A property over generated client cases: each is called through the fault server, then checked. */
	const checkClientCases = (name: string, cfg: ArbConfig, numRuns: number, check: (c: ClientCase, out: ClientRun) => void) =>
		checkAsync(
			name,
			fc.asyncProperty(clientCaseArb(arbs(cfg)), async (c) => check(c, await callThroughFault(h.fault, c))),
			params(numRuns),
		);

	test('outcome and retries follow the spec: attempts ≤ maxRetries+1, isv.* once, same msg_id, readable TopError', async () => {
		await checkClientCases('client outcomes and retries', { echo: false, html: false, slow: 1, ban: true }, 800, (c, out) => {
			const expected = expectCall(c.script, c.maxRetries, new Set(c.successCodes), resolverFor(c.secrets));
			checkAgainstModel('call', expected, out, c.maxRetries + 1, out.timeout === SLOW_TIMEOUT);
			// Bounded: every attempt ends by its deadline.
			expect(out.elapsed).toBeLessThan((c.maxRetries + 1) * (out.timeout + 400) + 1000);
			expectNoPollution('client');
		});
	});

	test('no secret in any error or result, whatever the gateway echoes', async () => {
		await checkClientCases('client secret leaks', { echo: true, html: false, slow: 0, huge: false }, 500, (c, out) => {
			// A session the node was never given is not its secret (nor could it leak it).
			const secrets = { ...c.secrets, session: c.withSession ? c.secrets.session : undefined };
			const excused = unredactableRest(out.requests.map((r) => r.sent ?? ''), secrets);
			if (out.error) {
				expect(out.error).toBeInstanceOf(TopError);
				const e = out.error as TopError;
				expectNoLeak('TopError', { json: e.toJSON(), message: e.message, description: e.description, string: String(e), all: serialise(e) }, secrets, excused);
			} else {
				// The raw response is the node's "Include Raw Response" output: scanned by the engine properties.
				const { response: _raw, ...rest } = out.result!;
				expectNoLeak('result', rest, secrets, excused);
			}
		});
	});

	test('the result head of a refused cancel (return_code, return_desc) is as clean as a gateway error', async () => {
		const echo = fc.constantFrom<Echo>('rawBody', 'paramText', 'appSecret', 'supplierSecret', 'session');
		await checkAsync(
			'client business error leaks',
			fc.asyncProperty(
				secretsArb(),
				fc.record({ lit: fc.constantFrom('', 'E', '9'), echo }),
				fc.option(fc.record({ lit: fc.constantFrom('', 'refused: '), echo }), { nil: undefined }),
				fc.constantFrom<'json' | 'xml'>('json', 'xml'),
				async (secrets, returnCode, returnDesc, format) => {
					const spec: SuccessSpec = {
						t: 'success',
						fmt: 'asked',
						contentType: 'json',
						wrapper: 'method',
						returnCode,
						returnDesc: returnDesc ?? { lit: 'refused' },
						requestId: { lit: 'req-1' },
						missing: 'nothing',
						duplicate: false,
						proto: 'none',
					};
					const c: ClientCase = { secrets, script: [spec], maxRetries: 0, format, signMethod: 'md5', headSignMethod: 'md5', withSession: true, successCodes: ['0'] };
					const out = await callThroughFault(h.fault, c);
					expect(out.error).toBeInstanceOf(TopError);
					const e = out.error as TopError;
					expect(e.kind).toBe('business');
					expectNoLeak('business TopError', { json: e.toJSON(), message: e.message, description: e.description }, { ...secrets });
				},
			),
			params(100),
		);
	});

	test('a TOP answer labelled text/html is still read as the TOP answer it is (the body decides)', async () => {
		const a = arbs({ echo: false, html: true, slow: 0, huge: false });
		await checkAsync(
			'client html content type',
			fc.asyncProperty(
				fc.record({
					secrets: secretsArb(),
					spec: fc.oneof(a.successArb(true), a.errorArb({ status: fc.constant(200) })).map((s) => ({ ...s, contentType: 'html' as const })),
					format: fc.constantFrom<'json' | 'xml'>('json', 'xml'),
				}),
				async ({ secrets, spec, format }) => {
					const c: ClientCase = { secrets, script: [spec], maxRetries: 1, format, signMethod: 'md5', headSignMethod: 'md5', withSession: false, successCodes: ['0', '200'] };
					const out = await callThroughFault(h.fault, c);
					checkAgainstModel('text/html TOP answer', expectCall(c.script, c.maxRetries, new Set(c.successCodes), resolverFor(secrets)), out, c.maxRetries + 1);
				},
			),
			params(100),
		);
	});
}
