// @ts-check
'use strict';

/**
 * The real-n8n comparison: in one throw-away n8n (tooling/n8n, pinned 2.8.4), the Damai workflow
 * against the workflow a user would build without this package — a Code node that signs every item
 * (TOP sign + Damai head, crypto in JS) and the HTTP Request node (POST, query + form body, no
 * batching: it fires every item at once, as n8n does). Same items, same sandbox gateway.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const n8nLib = require('../../n8n');
const { DIST } = require('./dist');

const GEN_JS = (count) =>
	`const n = ${Number(count)};\nconst out = new Array(n);\nfor (let i = 0; i < n; i++) out[i] = { json: { orderId: 'BENCH-' + i } };\nreturn out;`;

/** What a user would write in a Code node to sign Damai requests by hand (hard-coded keys, as many do). */
const SIGN_JS = (gatewayUrl) => `const crypto = require('crypto');
const gateway = ${JSON.stringify(gatewayUrl)};
const appKey = 'sandbox-app-key', appSecret = 'sandbox-app-secret';
const supplierKey = 'sandbox-supplier-key', supplierSecret = 'sandbox-supplier-secret';
// TOP wants yyyy-MM-dd HH:mm:ss in GMT+8, whatever the server's time zone
const gmt8 = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
const signString = (o, skip) => Object.keys(o).filter((k) => !skip.includes(k) && String(o[k]).trim() !== '').sort().map((k) => k + o[k]).join('');
const out = [];
for (const item of $input.all()) {
  const head = { msg_id: crypto.randomUUID(), supplier_key: supplierKey, supplier_secret: supplierSecret, time_stamp: String(Date.now()), version: '1.0' };
  head.signed = crypto.createHash('md5').update(supplierSecret + signString(head, ['signed', 'supplier_secret']) + supplierSecret, 'utf8').digest('hex').toUpperCase();
  const param = JSON.stringify({ cancel_stock_lock_request_body: { cancel_stock_lock_req_param: { order_id: String(item.json.orderId) } }, head });
  const query = { method: 'alibaba.damai.yuntoc.order.cancellockstock', app_key: appKey, timestamp: gmt8(), format: 'json', v: '2.0', sign_method: 'hmac-sha256' };
  query.sign = crypto.createHmac('sha256', appSecret).update(signString({ ...query, param_cancel_stock_lock_request: param }, ['sign']), 'utf8').digest('hex').toUpperCase();
  out.push({ json: { orderId: item.json.orderId, url: gateway, query, param } });
}
return out;`;

const trigger = { id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
/** A Code node (JavaScript, run once for all items). @param {string} id @param {string} name @param {number} x @param {string} jsCode */
const codeNode = (id, name, x, jsCode) => ({ id, name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [x, 0], parameters: { jsCode } });
/** @param {number} count */
const orders = (count) => codeNode('b0000000-0000-4000-8000-000000000002', 'Orders', 200, GEN_JS(count));

/** Manual Trigger → Orders (Code) → Damai (Cancel Stock Lock, concurrency C). */
function damaiWorkflow(count, concurrency) {
	return {
		id: `BenchDamaiC${concurrency}`,
		name: `bench: Damai node, concurrency ${concurrency}`,
		active: false,
		nodes: [
			trigger,
			orders(count),
			{
				id: 'b0000000-0000-4000-8000-000000000003',
				name: 'Damai',
				type: 'n8n-nodes-damai.damai',
				typeVersion: 1,
				position: [400, 0],
				parameters: { resource: 'order', operation: 'cancelStockLock', orderId: '={{ $json.orderId }}', options: { concurrency } },
				credentials: { damaiApi: { id: n8nLib.SANDBOX_CREDENTIAL_ID, name: n8nLib.SANDBOX_CREDENTIAL_NAME } },
				onError: 'continueRegularOutput',
			},
		],
		connections: {
			Start: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
			Orders: { main: [[{ node: 'Damai', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Manual Trigger → Orders (Code) → Sign (Code) → HTTP Request (POST, query + form body, no batching). */
function codeHttpWorkflow(count, gatewayUrl) {
	return {
		id: 'BenchCodeHttp',
		name: 'bench: Code + HTTP Request',
		active: false,
		nodes: [
			trigger,
			orders(count),
			codeNode('b0000000-0000-4000-8000-000000000004', 'Sign', 400, SIGN_JS(gatewayUrl)),
			{
				id: 'b0000000-0000-4000-8000-000000000005',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [600, 0],
				parameters: {
					method: 'POST',
					url: '={{ $json.url }}',
					sendQuery: true,
					specifyQuery: 'json',
					jsonQuery: '={{ JSON.stringify($json.query) }}',
					sendBody: true,
					contentType: 'form-urlencoded',
					specifyBody: 'keypair',
					bodyParameters: { parameters: [{ name: 'param_cancel_stock_lock_request', value: '={{ $json.param }}' }] },
					options: {},
				},
				onError: 'continueRegularOutput',
			},
		],
		connections: {
			Start: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
			Orders: { main: [[{ node: 'Sign', type: 'main', index: 0 }]] },
			Sign: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** ms from a node's start to its end, from n8n's run data. */
function nodeTimes(run, name) {
	const task = run?.data?.resultData?.runData?.[name]?.[0];
	if (!task) return undefined;
	return { start: task.startTime, ms: task.executionTime };
}

const isDamaiSuccess = (json) => json && json.success === true;
const isHttpSuccess = (json) =>
	json && json.alibaba_damai_yuntoc_order_cancellockstock_response?.result?.head?.return_code === '0';

/**
 * Installs (first time only) and prepares one n8n environment with the sandbox credential and both
 * workflows imported.
 * @param {{ version: string, gatewayUrl: string, count: number, concurrency: number[], log: (s: string) => void }} o
 */
async function prepareN8n(o) {
	const installed = await n8nLib.ensureN8n({ version: o.version, log: o.log });
	const env = await n8nLib.createN8nEnv({
		version: o.version,
		// this package's build as n8n loads it (N8N_CUSTOM_EXTENSIONS): dist/, or BENCH_DIST
		extensions: [DIST],
		// the user's Code node needs require('crypto')
		env: { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024) },
	});
	try {
		await env.importCredential(n8nLib.sandboxCredential(o.gatewayUrl));
		await env.importWorkflows([...o.concurrency.map((c) => damaiWorkflow(o.count, c)), codeHttpWorkflow(o.count, o.gatewayUrl)]);
	} catch (e) {
		await env.cleanup();
		throw e;
	}
	return { env, installed };
}

/**
 * One `n8n execute` of a workflow. Times come from n8n's run data (so n8n's own start-up is not in
 * them): `workflowMs` from the first node after the trigger to the end of the last one,
 * `callMs` for the nodes that do the calls (Damai, or Sign + HTTP Request).
 * @param {import('../../n8n').N8nEnv} env
 * @param {'codehttp' | number} which  the Code + HTTP Request workflow, or the Damai workflow at this concurrency
 * @param {number} timeoutMs
 */
async function executeOnce(env, which, timeoutMs) {
	const id = which === 'codehttp' ? 'BenchCodeHttp' : `BenchDamaiC${which}`;
	const result = await env.executeWorkflow(id, { timeoutMs });
	if (!result.run && result.code === 0) {
		// keep what n8n printed, to see why no run could be read from it
		const file = path.join(os.tmpdir(), `n8n-nodes-damai-bench-${id}-${Date.now()}.out`);
		fs.writeFileSync(file, `${result.stdout}\n--- stderr ---\n${result.stderr}`);
		throw new Error(`n8n execute ${id} failed: ${result.error ?? ''} (its output: ${file})`);
	}
	if (!result.run) throw new Error(`n8n execute ${id} failed: ${result.error ?? ''}`);
	const run = result.run;
	const ordersT = nodeTimes(run, 'Orders');
	const callNodes = which === 'codehttp' ? ['Sign', 'HTTP Request'] : ['Damai'];
	const times = callNodes.map((n) => nodeTimes(run, n));
	if (times.some((t) => !t) || !ordersT) throw new Error(`n8n execute ${id}: missing run data (${result.error ?? 'no error'})`);
	const last = /** @type {{start:number,ms:number}} */ (times[times.length - 1]);
	const first = /** @type {{start:number,ms:number}} */ (times[0]);
	const items = n8nLib.nodeItems(run, callNodes[callNodes.length - 1]);
	const ok = items.filter((it) => (which === 'codehttp' ? isHttpSuccess(it.json) : isDamaiSuccess(it.json))).length;
	return {
		callMs: last.start + last.ms - first.start,
		workflowMs: last.start + last.ms - ordersT.start,
		perNode: Object.fromEntries(callNodes.map((n, i) => [n, /** @type {any} */ (times[i]).ms])),
		processMs: result.durationMs,
		items: items.length,
		ok,
		error: result.error,
	};
}

module.exports = { prepareN8n, executeOnce, damaiWorkflow, codeHttpWorkflow, SIGN_JS };
