/**
 * The node's behaviour in a real n8n against the sandbox, batched into one big workflow (one
 * `n8n execute`) plus one that must fail:
 *  - every TOP sign method (md5, hmac, hmac-sha256) × JSON and XML answers, with a session and
 *    every head sign method; a wrong secret is refused;
 *  - Continue On Fail and the error output over many items (with concurrency): every input item
 *    exactly once, on the right output, pairedItem in order;
 *  - throttling and isp.* retries end in success with the same msg_id; isv.* and business failures
 *    end in error items; isp.* beyond maxRetries ends in an error item;
 *  - without Continue On Fail a failure fails the n8n execution (non-zero exit);
 *  - no app secret, supplier secret or session in anything n8n printed or stored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	type Harness,
	type NodeJson,
	ON,
	buildWorkflow,
	codeNode,
	damaiNode,
	expectEachInputOnce,
	expectFailureItem,
	expectRunOk,
	expectSuccessItem,
	findSecrets,
	manualTrigger,
	minutes,
	n8n,
	noOp,
	pairedIndex,
	startHarness,
	storedBytesContain,
} from './helpers';

const SECRETS = {
	appSecret: 'e2e-APP-secret-7f3a91c2d5e8',
	supplierSecret: 'e2e-SUPPLIER-secret-5b8d0e44aa19',
	session: 'e2e-SESSION-token-c0ffee42bb77',
};
const APP_KEY = 'e2e-app-key';
const SUPPLIER_KEY = 'e2e-supplier-key';

const SIGN_METHODS = [
	{ signMethod: 'md5', headSignMethod: 'md5', cred: { id: 'E2eCredMd5000001', name: 'E2E md5' } },
	{ signMethod: 'hmac', headSignMethod: 'hmac-sha256', cred: { id: 'E2eCredHmac00001', name: 'E2E hmac' } },
	{ signMethod: 'hmac-sha256', headSignMethod: 'none', cred: { id: 'E2eCredSha256001', name: 'E2E hmac-sha256' } },
] as const;
const FORMATS = ['json', 'xml'] as const;
const WRONG = { id: 'E2eCredWrong0001', name: 'E2E wrong secret' };
const MAIN = { id: 'E2eBehaviour0001', cred: SIGN_METHODS[2].cred };

const credential = (gatewayUrl: string, c: { id: string; name: string }, data: Record<string, unknown>) =>
	n8n.sandboxCredential(gatewayUrl, {
		...c,
		data: { appKey: APP_KEY, appSecret: SECRETS.appSecret, supplierKey: SUPPLIER_KEY, supplierSecret: SECRETS.supplierSecret, session: SECRETS.session, ...data },
	});

/** The many-items list: [order for the Continue-On-Fail node, order for the error-output node, expectation]. */
type Expect = { ok: true } | { ok: false; code?: string; subCode?: string; noRequest?: boolean };
const MIXED: Array<{ cr: string | number; eo: string | number; expect: Expect }> = [
	{ cr: 'CR-01', eo: 'EO-01', expect: { ok: true } },
	{ cr: 'NOTFOUND-CR-02', eo: 'NOTFOUND-EO-02', expect: { ok: false, code: '404' } },
	{ cr: 'CR-03', eo: 'EO-03', expect: { ok: true } },
	{ cr: 'LOCKED-CR-04', eo: 'LOCKED-EO-04', expect: { ok: false, code: '1001' } },
	{ cr: 'ISV-CR-05', eo: 'ISV-EO-05', expect: { ok: false, code: '15', subCode: 'isv.invalid-parameter' } },
	{ cr: '   ', eo: '', expect: { ok: false, noRequest: true } },
	{ cr: 'SLOW300-CR-07', eo: 'SLOW300-EO-07', expect: { ok: true } },
	{ cr: 4_200_000_008, eo: 4_200_000_108, expect: { ok: true } },
	{ cr: 'ISV-CR-09', eo: 'ISV-EO-09', expect: { ok: false, code: '15', subCode: 'isv.invalid-parameter' } },
	{ cr: 'CR-10', eo: 'EO-10', expect: { ok: true } },
	{ cr: 'NOTFOUND-CR-11', eo: 'NOTFOUND-EO-11', expect: { ok: false, code: '404' } },
	{ cr: 'CR-12', eo: 'EO-12', expect: { ok: true } },
];

const RETRIES = [
	{ orderId: 'THROTTLE2-R1', attempts: 2, ok: true },
	{ orderId: 'ISP2-R2', attempts: 3, ok: true },
	{ orderId: 'HTML502ONCE-R3', attempts: 2, ok: true },
	{ orderId: 'R4', attempts: 1, ok: true },
	{ orderId: 'ISP9-R5', attempts: 3, ok: false },
	{ orderId: 'ISV-R6', attempts: 1, ok: false },
	{ orderId: 'NOTFOUND-R7', attempts: 1, ok: false },
];

const matrixName = (signMethod: string, format: string) => `Matrix ${signMethod} ${format}`;

function mainWorkflow() {
	const nodes: NodeJson[] = [manualTrigger('Start')];
	const edges: Array<[string, string, number?]> = [];

	// sign methods × formats: each node gets [OK, NOTFOUND, ISV] with its own order ids
	nodes.push(codeNode('Matrix orders', [{ prefix: 'MX' }, { prefix: 'NOTFOUND-MX' }, { prefix: 'ISV-MX' }]));
	edges.push(['Start', 'Matrix orders']);
	for (const s of SIGN_METHODS) {
		for (const format of FORMATS) {
			const name = matrixName(s.signMethod, format);
			nodes.push(
				damaiNode(name, s.cred, {
					orderId: `={{ $json.prefix }}-${s.signMethod}-${format}`,
					options: { responseFormat: format },
					onError: 'continueRegularOutput',
				}),
			);
			edges.push(['Matrix orders', name]);
		}
	}
	nodes.push(damaiNode('Wrong secret', WRONG, { orderId: 'WRONG-SECRET-1', onError: 'continueRegularOutput', options: { maxRetries: 0 } }));
	edges.push(['Start', 'Wrong secret']);
	nodes.push(damaiNode('Raw response', MAIN.cred, { orderId: 'RAW-1', onError: 'continueRegularOutput', options: { includeRawResponse: true, responseFormat: 'xml' } }));
	edges.push(['Start', 'Raw response']);

	// many items: Continue On Fail (regular output) and the error output, with concurrency
	nodes.push(codeNode('Mixed orders', MIXED.map(({ cr, eo }) => ({ cr, eo }))));
	edges.push(['Start', 'Mixed orders']);
	nodes.push(damaiNode('Continue regular', MAIN.cred, { orderId: '={{ $json.cr }}', onError: 'continueRegularOutput', options: { concurrency: 4 } }));
	nodes.push(damaiNode('Error output', MAIN.cred, { orderId: '={{ $json.eo }}', onError: 'continueErrorOutput', options: { concurrency: 3 } }));
	nodes.push(noOp('EO success'), noOp('EO failure'));
	edges.push(['Mixed orders', 'Continue regular'], ['Mixed orders', 'Error output'], ['Error output', 'EO success', 0], ['Error output', 'EO failure', 1]);

	// retries
	nodes.push(codeNode('Retry orders', RETRIES.map(({ orderId }) => ({ orderId }))));
	nodes.push(damaiNode('Retries', MAIN.cred, { onError: 'continueRegularOutput', options: { maxRetries: 2, retryDelay: 50, concurrency: 7 } }));
	edges.push(['Start', 'Retry orders'], ['Retry orders', 'Retries']);

	return buildWorkflow(MAIN.id, 'E2E: node behaviour', nodes, edges);
}

function stopOnFailWorkflow() {
	return buildWorkflow(
		'E2eStopOnFail001',
		'E2E: failure without Continue On Fail',
		[
			manualTrigger('Start'),
			codeNode('Orders', [{ orderId: 'STOP-1' }, { orderId: 'NOTFOUND-STOP-2' }, { orderId: 'STOP-3' }]),
			damaiNode('Cancel', MAIN.cred, { options: { concurrency: 1 } }),
		],
		[
			['Start', 'Orders'],
			['Orders', 'Cancel'],
		],
	);
}

let h: Harness;
let run: n8n.ExecuteResult;
let stopRun: n8n.ExecuteResult;

beforeAll(async () => {
	h = await startHarness({
		sandbox: {
			apps: { [APP_KEY]: SECRETS.appSecret },
			suppliers: { [SUPPLIER_KEY]: SECRETS.supplierSecret },
			sessions: [SECRETS.session],
		},
	});
	const url = h.sandbox.url;
	await h.env.importCredentials([
		...SIGN_METHODS.map((s) => credential(url, s.cred, { signMethod: s.signMethod, headSignMethod: s.headSignMethod })),
		credential(url, WRONG, { appSecret: 'not-the-app-secret', signMethod: 'hmac-sha256' }),
	]);
	await h.env.importWorkflows([mainWorkflow(), stopOnFailWorkflow()]);
	run = await h.env.executeWorkflow(MAIN.id);
	stopRun = await h.env.executeWorkflow('E2eStopOnFail001');
}, minutes(20));

afterAll(async () => {
	await h?.close();
});

const requestsFor = (orderId: string) => h.sandbox.requests.filter((r) => r.orderId === orderId);

describe(`${ON}: sign methods × answer formats`, () => {
	test('the execution succeeded', () => expectRunOk(run));

	for (const s of SIGN_METHODS) {
		for (const format of FORMATS) {
			test(`${s.signMethod} (head ${s.headSignMethod}), ${format}: success, business failure and isv error items`, () => {
				const items = n8n.nodeItems(run.run, matrixName(s.signMethod, format));
				expect(items.map(pairedIndex)).toEqual([0, 1, 2]);
				const suffix = `${s.signMethod}-${format}`;
				expectSuccessItem(items[0], `MX-${suffix}`);
				expectFailureItem(items[1], `NOTFOUND-MX-${suffix}`, { code: '404', requestId: true });
				expectFailureItem(items[2], `ISV-MX-${suffix}`, { code: '15', subCode: 'isv.invalid-parameter', requestId: true });
				for (const id of [`MX-${suffix}`, `NOTFOUND-MX-${suffix}`, `ISV-MX-${suffix}`]) {
					const reqs = requestsFor(id);
					expect(reqs).toHaveLength(1);
					expect(reqs[0]).toMatchObject({ signMethod: s.signMethod, format, appKey: APP_KEY });
				}
				expect(h.sandbox.stats.cancelled[`MX-${suffix}`]).toBe(1);
			});
		}
	}

	test('JSON and XML answers give the same items', () => {
		const strip = (json: Record<string, unknown>) => {
			const { requestId, msgId, orderId, errorMessage, ...rest } = json;
			void requestId;
			void msgId;
			return {
				...rest,
				orderId: String(orderId).replace(/-(json|xml)$/, ''),
				errorMessage: typeof errorMessage === 'string' ? errorMessage.replace(/-(json|xml)\b/g, '') : errorMessage,
			};
		};
		for (const s of SIGN_METHODS) {
			const [j, x] = FORMATS.map((f) => n8n.nodeItems(run.run, matrixName(s.signMethod, f)).map((i) => strip(i.json)));
			expect(x).toEqual(j);
		}
	});

	test('a wrong app secret is refused by the gateway (code 25) and not retried', () => {
		const [item] = n8n.nodeItems(run.run, 'Wrong secret');
		expectFailureItem(item, 'WRONG-SECRET-1', { code: '25' });
		expect(h.sandbox.stats.byOutcome['error:25']).toBe(1);
	});

	test('includeRawResponse adds the parsed answer', () => {
		const [item] = n8n.nodeItems(run.run, 'Raw response');
		expectSuccessItem(item, 'RAW-1');
		expect(item.json.response).toEqual(expect.any(Object));
		expect(JSON.stringify(item.json.response)).toContain('RAW-1');
	});
});

describe(`${ON}: many items: Continue On Fail and the error output`, () => {
	const expected = (i: number) => MIXED[i].expect;
	const orderOf = (v: string | number) => (typeof v === 'number' ? String(v) : v.trim());

	test('Continue On Fail: one item per input, in order, success or error item each', () => {
		const outputs = n8n.nodeOutputs(run.run, 'Continue regular');
		expect(outputs).toHaveLength(1);
		const items = outputs[0];
		expect(items.map(pairedIndex)).toEqual(MIXED.map((_, i) => i));
		items.forEach((item, i) => {
			const e = expected(i);
			if (e.ok) expectSuccessItem(item, orderOf(MIXED[i].cr));
			else if (e.noRequest) {
				expect(item.json.success).toBe(false);
				expect(item.json.errorMessage).toMatch(/order id/i);
			} else expectFailureItem(item, orderOf(MIXED[i].cr), { code: e.code, subCode: e.subCode, requestId: true });
		});
	});

	test('error output: successes on output 0, failures on output 1, every input exactly once, in order', () => {
		const outputs = n8n.nodeOutputs(run.run, 'Error output');
		expect(outputs).toHaveLength(2);
		expectEachInputOnce(outputs, MIXED.length);
		const [ok, failed] = outputs;
		expect(ok.map(pairedIndex)).toEqual(MIXED.flatMap((m, i) => (m.expect.ok ? [i] : [])));
		expect(failed.map(pairedIndex)).toEqual(MIXED.flatMap((m, i) => (m.expect.ok ? [] : [i])));
		for (const item of ok) expectSuccessItem(item, orderOf(MIXED[pairedIndex(item)].eo));
		for (const item of failed) {
			const i = pairedIndex(item);
			const e = expected(i) as Extract<Expect, { ok: false }>;
			if (e.noRequest) continue;
			expectFailureItem(item, orderOf(MIXED[i].eo), { code: e.code, subCode: e.subCode, requestId: true, errorOutput: true });
		}
		expect(n8n.nodeItems(run.run, 'EO success')).toHaveLength(ok.length);
		expect(n8n.nodeItems(run.run, 'EO failure')).toHaveLength(failed.length);
	});

	test('no request for an empty order id; one request per other item; each success cancelled once', () => {
		for (const key of ['cr', 'eo'] as const) {
			MIXED.forEach((m) => {
				const id = orderOf(m[key]);
				if (m.expect.ok === false && m.expect.noRequest) return;
				expect(requestsFor(id)).toHaveLength(1);
				if (m.expect.ok) expect(h.sandbox.stats.cancelled[id]).toBe(1);
			});
		}
		// (the only request without a readable order id is the wrong-secret one, refused before parsing)
		expect(h.sandbox.requests.filter((r) => r.orderId === '' || (r.orderId === null && r.outcome !== 'error:25'))).toEqual([]);
	});
});

describe(`${ON}: retries`, () => {
	test('throttling (ban), isp.* and HTTP 502 end in success with the same msg_id; isv.*, business and exhausted isp.* end in error items', () => {
		const items = n8n.nodeItems(run.run, 'Retries');
		expect(items.map(pairedIndex)).toEqual(RETRIES.map((_, i) => i));
		RETRIES.forEach((r, i) => {
			const reqs = requestsFor(r.orderId);
			expect({ orderId: r.orderId, attempts: reqs.length }).toEqual({ orderId: r.orderId, attempts: r.attempts });
			const msgIds = new Set(reqs.map((q) => q.msgId));
			expect(msgIds.size).toBe(1);
			const [msgId] = [...msgIds];
			expect(h.sandbox.stats.attemptsByMsgId[msgId!]).toBe(r.attempts);
			if (r.ok) {
				expectSuccessItem(items[i], r.orderId);
				expect(items[i].json.msgId).toBe(msgId);
				expect(h.sandbox.stats.cancelled[r.orderId]).toBe(1);
			} else {
				expect(items[i].json.success).toBe(false);
				expect(h.sandbox.stats.cancelled[r.orderId]).toBeUndefined();
			}
		});
		expectFailureItem(items[4], 'ISP9-R5', { code: '15', subCode: 'isp.remote-service-unavailable', requestId: true });
		expectFailureItem(items[5], 'ISV-R6', { code: '15', subCode: 'isv.invalid-parameter', requestId: true });
		expectFailureItem(items[6], 'NOTFOUND-R7', { code: '404', requestId: true });
	});
});

describe(`${ON}: without Continue On Fail`, () => {
	test('a failed item fails the n8n execution with a non-zero exit code naming the failure', () => {
		expect(stopRun.ok).toBe(false);
		expect(stopRun.code).not.toBe(0);
		expect(`${stopRun.stdout}\n${stopRun.stderr}`).toMatch(/404|order not found/);
		expect(requestsFor('NOTFOUND-STOP-2')).toHaveLength(1);
		// one at a time: the first failure stops new calls
		expect(requestsFor('STOP-3')).toHaveLength(0);
	});
});

describe(`${ON}: secrets`, () => {
	test('no app secret, supplier secret or session in anything n8n printed or stored', () => {
		expect(storedBytesContain(h.env, 'NOTFOUND-CR-02')).toBe(true);
		expect(h.env.databaseFiles().length).toBeGreaterThan(0);
		expect(findSecrets(h.env, SECRETS)).toEqual([]);
	});

	test('the scan itself finds a planted secret (negative control)', () => {
		const planted = path.join(h.env.userFolder, 'planted.bin');
		fs.writeFileSync(planted, Buffer.concat([Buffer.from('xx'), Buffer.from(Buffer.from(SECRETS.session).toString('base64')), Buffer.from('yy')]));
		try {
			expect(findSecrets(h.env, SECRETS)).toEqual(['session (base64) in planted.bin']);
		} finally {
			fs.rmSync(planted);
		}
	});
});
