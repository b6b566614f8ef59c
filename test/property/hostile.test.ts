/**
 * Hostile inputs and answers (issue 5): property-based tests with fast-check, over
 * - pure code: parseAnswer on any body, JSON/XML parity, the redactor, order id validation, the retry rule;
 * - the client (TopClient + cancelStockLock) against the in-process fault server;
 * - the node in n8n's real engine (WorkflowExecute) against the fault server.
 * The number of generated cases is printed at the end ("property cases: N").
 * PROPERTY_SCALE=0.1 runs a tenth of them; FC_SEED=n replays a seed.
 */
import { randomUUID } from 'crypto';
import fc from 'fast-check';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import { readOrderId } from '../../nodes/Damai/actions/order/cancelStockLock.operation';
import {
	REDACTED,
	TopClient,
	TopError,
	buildTopRequest,
	cancelStockLock,
	cancelStockLockParam,
	createRedactor,
	decideRetry,
	excerpt,
	parseAnswer,
	type SignMethod,
	type TopErrorKind,
} from '../../nodes/Damai/transport';
import { runDamai } from '../helpers/engine';
import { FaultServer, startFaultServer, type FaultRequest } from './faultServer';
import { arbs } from './gateway/arbitraries';
import { expectCall, gatewayRetryable, httpRetryable, resolverFor, type CallExpect } from './gateway/model';
import { errorTree, render, renderTree, successTree } from './gateway/render';
import { METHOD, isSlow, type Echo, type Spec, type SuccessSpec, type Text } from './gateway/spec';
import { itemArb, judgeId, judgeItem, rawIdArb } from './ids';
import {
	checkAsync,
	checkSync,
	counts,
	failures,
	expectNoLeak,
	expectNoPollution,
	expectPlainData,
	expectReadable,
	fixedSecrets,
	installCrashGuard,
	runs,
	secretArb,
	secretsArb,
	serialise,
	sleep,
	total,
	unredactableRest,
	type CrashGuard,
	type Secrets,
} from './support';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = <T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> => ({
	numRuns: runs(numRuns),
	includeErrorInReport: true,
	...(seed !== undefined ? { seed } : {}),
	...extra,
});

jest.setTimeout(180_000);

let fault: FaultServer;
let guard: CrashGuard;
const started = Date.now();

beforeAll(async () => {
	guard = installCrashGuard();
	fault = await startFaultServer();
});

afterAll(async () => {
	await fault?.close();
	guard?.uninstall();
	const lines = Object.entries(counts).map(([name, n]) => `  ${String(n).padStart(6)}  ${name}`);
	const failed = failures.length ? `\n  failed: ${failures.join(', ')}` : '';
	const summary = `property cases: ${total()} (in ${((Date.now() - started) / 1000).toFixed(1)} s)\n${lines.join('\n')}${failed}`;
	console.log(summary);
	// Also straight to the terminal, so it shows whatever jest does with console output.
	process.stderr.write(`\n${summary}\n`);
});

afterEach(() => {
	expect(guard.problems).toEqual([]);
	expect(fault.scriptErrors).toEqual([]);
	expectNoPollution('after the test');
});

const SUPPLIER_KEY = 'supplier-key-1';

/** A real signed request (as the node would send it), for echo texts in pure tests. */
function fakeRequest(secrets: Secrets, format: 'json' | 'xml', orderId = 'ORDER-1'): FaultRequest {
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

function bodyOfAction(action: ReturnType<typeof render>): { status: number; contentType?: string; body: string } | undefined {
	if (action.kind !== 'respond') return undefined;
	return {
		status: action.status,
		contentType: action.headers?.['content-type'],
		body: typeof action.body === 'string' ? action.body : action.body.toString('utf8'),
	};
}

const errorFields = (e: TopError) => e.toJSON();

// =====================================================================================
describe('pure: answers, redaction, ids, retry rule', () => {
	const plain = arbs({ echo: false, html: false, huge: false, slow: 0 });
	const echoing = arbs({ echo: true, html: true, huge: false, slow: 0 });
	const respondable = (a: ReturnType<typeof arbs>) =>
		fc.oneof(
			{ weight: 3, arbitrary: a.successArb() },
			{ weight: 3, arbitrary: a.errorArb() },
			{ weight: 2, arbitrary: a.rawArb },
			{ weight: 3, arbitrary: a.mutatedArb },
		);

	test('parseAnswer: any body → a plain answer or a readable TopError; no prototype is touched', () => {
		const anyBody = fc.oneof(
			{ weight: 6, arbitrary: respondable(plain).map((spec) => ({ spec })) },
			{
				weight: 2,
				arbitrary: fc.record({
					status: fc.constantFrom(200, 200, 200, 500, 404),
					contentType: fc.option(fc.constantFrom('application/json', 'text/xml', 'text/html', 'text/plain'), { nil: undefined }),
					body: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json({ maxDepth: 4 }), fc.string({ maxLength: 300 })),
				}),
			},
			{
				weight: 1,
				arbitrary: fc.integer({ min: 60, max: 3000 }).chain((depth) =>
					fc.constantFrom(
						{ status: 200, body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` },
						{ status: 200, body: `${'['.repeat(depth)}${']'.repeat(depth)}` },
						{ status: 200, body: `<r>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</r>` },
						{ status: 200, body: `{"${'x'.repeat(depth)}_response":{"__proto__":{"polluted":1},"result":{"head":{"return_code":"0"}}}}` },
					),
				),
			},
		);
		const secrets = fixedSecrets('parse');
		const redact = createRedactor([secrets.appSecret, secrets.session, secrets.supplierSecret]);
		checkSync(
			'parseAnswer on hostile bodies',
			fc.property(anyBody, fc.constantFrom<'json' | 'xml'>('json', 'xml'), (input, format) => {
				let raw: { status: number; contentType?: string; body: string };
				let spec: Spec | undefined;
				if ('spec' in input) {
					spec = input.spec;
					raw = bodyOfAction(render(input.spec, { request: fakeRequest(secrets, format), secrets }, { timeout: 1000, maxBytes: 1 << 20 }))!;
				} else raw = input;
				let answer;
				try {
					answer = parseAnswer(raw, METHOD, format, redact);
				} catch (error) {
					if (!(error instanceof TopError)) throw new Error(`parseAnswer threw a ${(error as Error)?.constructor?.name}: ${String(error)}`);
					expectReadable('TopError message', error.message);
					if (error.description !== undefined && typeof error.description !== 'string') throw new Error('description is not text');
					if (error.description && /\[object \w+\]/.test(error.description)) throw new Error(`description: ${error.description}`);
					expect(['http', 'parse', 'gateway']).toContain(error.kind);
					if (spec?.t === 'error' && spec.status === 200) expect(error.kind).toBe('gateway');
					if (raw.status !== 200) expect(error.kind).toBe('http');
					JSON.stringify(error.toJSON());
					expectNoPollution('parseAnswer');
					return;
				}
				if (raw.status !== 200) throw new Error(`HTTP ${raw.status} was accepted as an answer`);
				if (spec?.t === 'error') throw new Error('an error_response was accepted as an answer');
				expect(answer.body !== null && typeof answer.body === 'object' && !Array.isArray(answer.body)).toBe(true);
				expectPlainData('answer body', answer.body);
				if (answer.requestId !== undefined) expect(typeof answer.requestId).toBe('string');
				expectNoPollution('parseAnswer');
			}),
			params(3000),
		);
	});

	test('parseAnswer: JSON and XML forms of the same answer give the same result', () => {
		// Texts that both formats carry unchanged (XML 1.0 cannot carry most control characters).
		const safe = fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom('<', '&', '>', '"', "'", ' ')), maxLength: 20 });
		const a = arbs({ echo: false, html: false });
		const spec = fc.oneof(
			a
				.successArb()
				.filter((s) => s.returnCode !== undefined && s.missing === 'nothing')
				.map((s) => ({ ...s, duplicate: false, returnCode: s.returnCode && { lit: s.returnCode.lit } })),
			a.errorArb({ status: fc.constant(200) }).map((e) => ({ ...e, code: e.code && { ...e.code, asString: true } })),
		);
		const secrets = fixedSecrets('parity');
		const redact = createRedactor([secrets.appSecret]);
		checkSync(
			'JSON/XML parity',
			fc.property(spec, safe, (s, text) => {
				const ctx = { request: fakeRequest(secrets, 'json'), secrets };
				const patch = (t?: Text) => (t ? { lit: `${t.lit}${text}`.replace(/[\u0000-\u001f]/g, '') } : t);
				const parse = (format: 'json' | 'xml') => {
					const tree =
						s.t === 'success'
							? successTree({ ...s, returnDesc: patch(s.returnDesc), extra: patch(s.extra) }, ctx, format)
							: errorTree({ ...s, msg: patch(s.msg), subMsg: patch(s.subMsg) }, ctx, format);
					try {
						return { ok: parseAnswer({ status: 200, body: renderTree(tree, format) }, METHOD, format, redact) };
					} catch (error) {
						if (!(error instanceof TopError)) throw error;
						return { error: errorFields(error) };
					}
				};
				expect(parse('xml')).toEqual(parse('json'));
			}),
			params(1000),
		);
	});

	const formsOf = (secret: string) => {
		const json = JSON.stringify(secret).slice(1, -1);
		return {
			raw: secret,
			url: encodeURIComponent(secret),
			urlPlus: encodeURIComponent(secret).replace(/%20/g, '+'),
			json,
		};
	};
	test('redactor: a secret in raw, URL-encoded or JSON-escaped form never survives, nor in an excerpt', () => {
		checkSync(
			'redactor (documented forms)',
			fc.property(
				fc.array(secretArb('redact'), { minLength: 1, maxLength: 3 }),
				fc.constantFrom<keyof ReturnType<typeof formsOf>>('raw', 'url', 'urlPlus', 'json'),
				fc.integer({ min: 0, max: 400 }),
				fc.string({ maxLength: 30 }),
				(secrets, form, cut, noise) => {
					const redact = createRedactor(secrets);
					const text = secrets.map((s, i) => `${noise}${i}${formsOf(s)[form]}${noise}`).join(' ');
					const named = Object.fromEntries(secrets.map((s, i) => [`secret${i}`, s]));
					expectNoLeak('redacted text', redact(text), named);
					expectNoLeak('excerpt', excerpt(text, redact, Math.max(1, cut)), named);
					expect(redact(text)).toContain(REDACTED);
				},
			),
			params(1000),
		);
	});

	test('redactor: the forms a gateway echoes back (the request body, XML/HTML-escaped) never survive', () => {
		const echoForms = (secret: string) => {
			const json = JSON.stringify(secret).slice(1, -1);
			const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
			return [
				// The node's own form body: URL-encoded JSON text of the head.
				encodeURIComponent(json),
				encodeURIComponent(json).replace(/%20/g, '+'),
				xml,
				xml.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
			];
		};
		checkSync(
			'redactor (echoed forms)',
			fc.property(secretArb('echo'), fc.nat(3), fc.string({ maxLength: 20 }), (secret, which, noise) => {
				const redact = createRedactor([secret]);
				const text = `${noise}${echoForms(secret)[which]}${noise}`;
				expectNoLeak('redacted text', redact(text), { secret });
			}),
			params(500),
		);
	});

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

	test('no secret survives in parse errors, whatever the gateway echoes (and however it mangles it)', () => {
		const redactAll = (s: Secrets) => createRedactor([s.appSecret, s.session, s.supplierSecret]);
		const property = () =>
			fc.property(secretsArb(), respondable(echoing), fc.constantFrom<'json' | 'xml'>('json', 'xml'), (secrets, spec, format) => {
				const raw = bodyOfAction(render(spec, { request: fakeRequest(secrets, format), secrets }, { timeout: 1000, maxBytes: 1 << 20 }))!;
				let answer;
				try {
					answer = parseAnswer(raw, METHOD, format, redactAll(secrets));
				} catch (error) {
					expect(error).toBeInstanceOf(TopError);
					const e = error as TopError;
					expectNoLeak('TopError', { message: e.message, description: e.description, json: e.toJSON() }, { ...secrets }, unredactableRest([raw.body], { ...secrets }));
					return;
				}
				// The request id goes into every output item: it must be as clean as an error's.
				expectNoLeak('request id of an answer', answer.requestId, { ...secrets }, unredactableRest([raw.body], { ...secrets }));
			});
		checkSync('parseAnswer echo leaks', property(), params(1500));
	});

	test('… nor when the secrets hold characters that need escaping (", \\, &, <, %, space …)', () => {
		const redactAll = (s: Secrets) => createRedactor([s.appSecret, s.session, s.supplierSecret]);
		checkSync(
			'parseAnswer echo leaks (special secrets)',
			fc.property(secretsArb(true), respondable(echoing), fc.constantFrom<'json' | 'xml'>('json', 'xml'), (secrets, spec, format) => {
				const raw = bodyOfAction(render(spec, { request: fakeRequest(secrets, format), secrets }, { timeout: 1000, maxBytes: 1 << 20 }))!;
				try {
					parseAnswer(raw, METHOD, format, redactAll(secrets));
				} catch (error) {
					expect(error).toBeInstanceOf(TopError);
					const e = error as TopError;
					expectNoLeak('TopError', { message: e.message, description: e.description, json: e.toJSON() }, { ...secrets }, unredactableRest([raw.body], { ...secrets }));
				}
			}),
			params(500),
		);
	});

	test('no piece of a secret survives when the JSON breaks right next to an echoed secret (parser messages quote the text)', () => {
		checkSync(
			'parseAnswer broken JSON next to a secret',
			fc.property(
				secretsArb(),
				fc.constantFrom<keyof Secrets>('appSecret', 'supplierSecret', 'session'),
				fc.constantFrom('sub_msg', 'msg', 'return_desc', 'request_id'),
				fc.constantFrom('drop-quote', 'drop-colon', 'stray-quote', 'cut-after'),
				fc.nat(20),
				(secrets, which, field, how, shift) => {
					const secret = secrets[which];
					const before = `{"error_response":{"code":15,"sub_code":"isp.x","${field}":"`;
					let body = `${before}${secret}","request_id":"r"}}`;
					const at = before.length;
					const inside = at + (shift % secret.length);
					if (how === 'drop-quote') body = body.slice(0, at - 1) + body.slice(at);
					if (how === 'drop-colon') body = body.slice(0, at - 2) + body.slice(at - 1);
					if (how === 'stray-quote') body = `${body.slice(0, inside)}"${body.slice(inside)}`;
					if (how === 'cut-after') body = `${body.slice(0, at + secret.length)}}`;
					try {
						parseAnswer({ status: 200, body }, METHOD, 'json', createRedactor([secrets.appSecret, secrets.session, secrets.supplierSecret]));
					} catch (error) {
						expect(error).toBeInstanceOf(TopError);
						const e = error as TopError;
						expectNoLeak('TopError', { message: e.message, description: e.description, json: e.toJSON() }, { [which]: secret }, unredactableRest([body], { [which]: secret }));
					}
				},
			),
			params(300),
		);
	});
});

// =====================================================================================

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

/**
 * The per-attempt deadline: short when the script has answers that take a deadline (never, slow
 * drip), long otherwise — so that a busy machine never turns a normal answer into a timeout where
 * the model is exact. Scripts with slow answers are checked against bounds only.
 */
const SLOW_TIMEOUT = 300;
const CALM_TIMEOUT = 3000;
const timeoutFor = (scripts: Spec[][]) => (scripts.some((script) => script.some(isSlow)) ? SLOW_TIMEOUT : CALM_TIMEOUT);
const CLIENT_MAX_BYTES = 64 * 1024;

async function callThroughFault(c: ClientCase) {
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

function checkAgainstModel(what: string, expected: CallExpect, out: Awaited<ReturnType<typeof callThroughFault>>, limit: number, relaxed = false) {
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

describe('client: TopClient + cancelStockLock against the fault server', () => {
	test('outcome and retries follow the spec: attempts ≤ maxRetries+1, isv.* once, same msg_id, readable TopError', async () => {
		const a = arbs({ echo: false, html: false, slow: 1, ban: true });
		await checkAsync(
			'client outcomes and retries',
			fc.asyncProperty(clientCaseArb(a), async (c) => {
				const out = await callThroughFault(c);
				const expected = expectCall(c.script, c.maxRetries, new Set(c.successCodes), resolverFor(c.secrets));
				checkAgainstModel('call', expected, out, c.maxRetries + 1, out.timeout === SLOW_TIMEOUT);
				// Bounded: every attempt ends by its deadline.
				expect(out.elapsed).toBeLessThan((c.maxRetries + 1) * (out.timeout + 400) + 1000);
				expectNoPollution('client');
			}),
			params(800),
		);
	});

	test('no secret in any error or result, whatever the gateway echoes', async () => {
		const a = arbs({ echo: true, html: false, slow: 0, huge: false });
		await checkAsync(
			'client secret leaks',
			fc.asyncProperty(clientCaseArb(a), async (c) => {
				const out = await callThroughFault(c);
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
			}),
			params(500),
		);
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
					const out = await callThroughFault(c);
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
					const out = await callThroughFault(c);
					checkAgainstModel('text/html TOP answer', expectCall(c.script, c.maxRetries, new Set(c.successCodes), resolverFor(secrets)), out, c.maxRetries + 1);
				},
			),
			params(100),
		);
	});
});

// =====================================================================================

type OnError = 'continueRegularOutput' | 'continueErrorOutput' | undefined;

interface EngineCase {
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


const engineCaseArb = (a: ReturnType<typeof arbs>, maxItems: number): fc.Arbitrary<EngineCase> =>
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

async function runEngineCase(c: EngineCase) {
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

function expectationOf(c: EngineCase, scriptOf: Map<string, Spec[]>, text: string): CallExpect {
	return expectCall(scriptOf.get(text)!, c.maxRetries, new Set(['0', '200']), resolverFor(c.secrets));
}

function checkEngineCase(c: EngineCase, out: Awaited<ReturnType<typeof runEngineCase>>) {
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
		if (isError) {
			expectReadable(`item ${i} error`, json.error);
			if (c.onError === 'continueRegularOutput') expect(json.success).toBe(false);
		} else {
			expect(json.success).toBe(true);
		}
		if (!v.ok) {
			if (!isError) throw new Error(`item ${i} with an invalid id ${JSON.stringify(c.items[i].orderId)} (${v.why}) got a success`);
			expect(String(json.error)).toContain(`Item ${i}`);
			expect(String(json.error)).toContain('Order ID');
			if (c.onError === 'continueRegularOutput') expect(json.errorKind).toBe('input');
			continue;
		}
		const e = expectationOf(c, scriptOf, v.text);
		if (relaxed) {
			if (!isError) expect(json.orderId).toBe(v.text);
			else if (c.onError === 'continueRegularOutput') {
				expect(json.orderId).toBe(v.text);
				expect(json.attempts as number).toBeGreaterThanOrEqual(e.minAttempts);
				expect(json.attempts as number).toBeLessThanOrEqual(c.maxRetries + 1);
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
			if (e.final.outcome === 'success') throw new Error(`item ${i} (${JSON.stringify(v.text)}) failed (${String(json.error)}), expected success`);
			if (c.onError === 'continueRegularOutput') {
				expect(json.orderId).toBe(v.text);
				const attempts = json.attempts as number;
				expect(attempts).toBeGreaterThanOrEqual(e.minAttempts);
				expect(attempts).toBeLessThanOrEqual(e.maxAttempts);
				if ((e.final.outcome === 'final' || e.final.outcome === 'retry') && !e.final.kinds.includes(json.errorKind as string))
					throw new Error(`item ${i}: expected a ${e.final.kinds.join('/')} error, got ${String(json.errorKind)}: ${String(json.error)}`);
			} else {
				expectReadable(`item ${i} error output message`, json.message);
			}
		}
	}
}

describe('engine: the node in n8n’s WorkflowExecute against the fault server', () => {
	test('one output per input, in order, pairedItem; failures are error items or NodeApiError/NodeOperationError; bounded retries; invalid ids send nothing', async () => {
		const a = arbs({ echo: false, html: false, slow: 1, huge: false, ban: false });
		await checkAsync(
			'engine invariants',
			fc.asyncProperty(engineCaseArb(a, 8), async (c) => {
				const out = await runEngineCase(c);
				checkEngineCase(c, out);
				expect(guard.problems).toEqual([]);
				expectNoPollution('engine');
			}),
			params(120),
		);
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
				const out = await runEngineCase(c);
				const item = out.run.outputs[0][0].json;
				expect(item.success).toBe(true);
				expect(item.response).toBeDefined();
				expectNoLeak('output item (with response)', item, { ...secrets });
			}),
			params(40),
		);
	});

	test('no secret anywhere in outputs, errors or run data (includeRawResponse, session, echoing gateway)', async () => {
		const a = arbs({ echo: true, html: false, slow: 0, huge: false, ban: false });
		await checkAsync(
			'engine secret leaks',
			fc.asyncProperty(engineCaseArb(a, 5), async (c) => {
				const out = await runEngineCase(c);
				const secrets = { ...c.secrets, session: c.withSession ? c.secrets.session : undefined };
				const excused = unredactableRest(out.requests.map((r) => r.sent ?? ''), secrets);
				expectNoLeak('outputs', out.run.outputs, secrets, excused);
				expectNoLeak('node error', out.run.nodeError, secrets, excused);
				expectNoLeak('workflow error', out.run.error, secrets, excused);
				expectNoLeak('run data', out.run.run, secrets, excused);
				expect(guard.problems).toEqual([]);
			}),
			params(80),
		);
	});
});

// =====================================================================================
test('the suite generated at least 10,000 cases', () => {
	// Only meaningful when every property ran to the end (a failing one stops at its counterexample).
	if (failures.length === 0) expect(total()).toBeGreaterThanOrEqual(runs(10_000));
});
