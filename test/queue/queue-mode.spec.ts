/**
 * n8n in queue mode, for real: PostgreSQL and Redis (Debian's packages), one n8n main and three
 * `n8n worker` processes (tooling/queue), this package installed as a community package on each,
 * against the sandbox gateway. `npm run test:queue` (QUEUE_N8N_VERSION picks the n8n;
 * see tooling/queue/README.md).
 *
 * 1. Production load: 20 webhook calls at once, 10 orders each; every item gets exactly one result,
 *    executions ran on more than one worker, msg_ids are unique and stable across retries.
 * 2. Fault: a worker is SIGKILLed while a batch is half done (an order at the gateway). What n8n
 *    does is measured and printed (and the documented behaviour asserted: the execution fails, no
 *    other worker re-runs it). The dead worker's log (the node's audit trail) has a "sent" line for
 *    every order the gateway received and an outcome line for every order it answered before the
 *    kill, so it tells apart the orders done, in doubt and never sent. The batch is then finished
 *    as docs/queue-mode.md says: the orders not done are sent again, each once. With Message ID =
 *    {{ $json.orderId }} the order in doubt carries the msg_id it had and the gateway answers it
 *    from what it already did; with the default (a new UUID per execution) it is cancelled twice.
 * 3. No secret (app secret, supplier secret, session) anywhere in a pg_dump, a log, or a user folder.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';

import * as queue from '../../tooling/queue';
import { startSandbox, type Sandbox } from '../../tooling/sandbox/server';
import { expectEachInputOnce, expectSuccessItem, findSecrets, minutes, n8n, type WorkflowJson } from '../e2e/helpers';
import { executions, gatewayView, jobIdOf, jobState, storedRun, unansweredMsgIds, type OrderView } from './observe';
import { batchState, trailOf, type BatchState } from './auditLog';
import { cancelWorkflow } from './workflows';

const SESSION = 'queue-session-5d1e-7f3a-secret';
const EXECUTIONS = 20;
const ORDERS_PER_EXECUTION = 10;
const FAULT_ORDERS = 6;
const SLOW_MS = 2500;

const WF_BULK = 'QueueBulkCancel00001';
const WF_FAULT_UUID = 'QueueFaultUuid000001';
const WF_FAULT_BY_ORDER = 'QueueFaultByOrder001';

let sandbox: Sandbox;
let cluster: queue.Cluster;
const report: string[] = [];
const say = (line: string) => {
	report.push(line);
	process.stderr.write(`[queue-mode] ${line}\n`);
};

/**
 * POSTs JSON on a connection of its own (no keep-alive): a pooled socket that n8n closes after its
 * keep-alive timeout, at the moment it is reused, would fail the request ("other side closed").
 */
function post(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string; json: unknown; ms: number }> {
	const started = Date.now();
	const payload = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => {
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, text, json, ms: Date.now() - started });
			});
			res.on('error', reject);
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(payload);
	});
}

const bulkOrders = (e: number) =>
	Array.from({ length: ORDERS_PER_EXECUTION }, (_, i) => {
		if (i === 3) return `ISP1-Q${e}-${i}`; // one retriable failure, then success: same msg_id twice
		if (i === 6) return `SLOW800-Q${e}-${i}`; // keeps each execution busy, so the work spreads
		return `Q${e}-${i}`;
	});

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, host: '127.0.0.1', latencyMs: 20, sessions: [SESSION] });
	const credential = n8n.sandboxCredential(sandbox.url, { data: { session: SESSION } });
	const workflows: WorkflowJson[] = [
		cancelWorkflow(WF_BULK, 'damai-cancel', credential, {}),
		cancelWorkflow(WF_FAULT_UUID, 'damai-cancel-uuid', credential, { concurrency: 1 }),
		cancelWorkflow(WF_FAULT_BY_ORDER, 'damai-cancel-by-order', credential, { concurrency: 1, messageId: '={{ $json.orderId }}' }),
	];
	const started = Date.now();
	cluster = await queue.startCluster({
		workers: 3,
		workerConcurrency: 3,
		credentials: [credential],
		workflows,
		publish: workflows.map((w) => w.id),
		log: (line) => say(line),
	});
	say(`cluster up in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(cluster.timings)}`);
}, minutes(20));

afterAll(async () => {
	await cluster?.stop();
	await sandbox?.close();
	if (report.length) process.stderr.write(`\n===== queue-mode report =====\n${report.join('\n')}\n`);
}, minutes(2));

test(`${EXECUTIONS} webhook calls at once: each item one result, on several workers, msg_ids unique and stable across retries`, async () => {
	const batches = Array.from({ length: EXECUTIONS }, (_, e) => bulkOrders(e));
	const started = Date.now();
	const responses = await Promise.all(batches.map((orders) => post(cluster.webhookUrl('damai-cancel'), { orders: orders.map((orderId) => ({ orderId })) }, minutes(5))));
	say(`${EXECUTIONS} executions × ${ORDERS_PER_EXECUTION} orders answered in ${Math.round((Date.now() - started) / 1000)} s`);

	// What each caller got back: the Damai node's items, one per order, in order.
	const allMsgIds: string[] = [];
	responses.forEach((res, e) => {
		expect({ execution: e, status: res.status }).toEqual({ execution: e, status: 200 });
		const items = res.json as Array<Record<string, unknown>>;
		expect(items).toHaveLength(ORDERS_PER_EXECUTION);
		items.forEach((json, i) => expectSuccessItem({ json }, batches[e][i]));
		allMsgIds.push(...items.map((json) => String(json.msgId)));
	});
	expect(new Set(allMsgIds).size).toBe(EXECUTIONS * ORDERS_PER_EXECUTION);

	// What n8n stored: 20 successful executions, each with one output item per input, paired.
	const rows = executions(cluster, WF_BULK);
	expect(rows.map((r) => r.status)).toEqual(Array(EXECUTIONS).fill('success'));
	for (const row of rows) {
		const items = storedRun(cluster, row.id).resultData.runData.Cancel[0].data.main[0] as n8n.Item[];
		expect(items).toHaveLength(ORDERS_PER_EXECUTION);
		expectEachInputOnce([items], ORDERS_PER_EXECUTION);
	}

	// Which worker ran what: every execution started exactly once, on more than one worker.
	const byWorker = cluster.executionsByWorker();
	for (const row of rows) expect({ execution: row.id, workers: byWorker[row.id]?.length }).toEqual({ execution: row.id, workers: 1 });
	const perWorker: Record<string, number> = {};
	for (const row of rows) perWorker[byWorker[row.id][0]] = (perWorker[byWorker[row.id][0]] ?? 0) + 1;
	say(`executions per worker: ${JSON.stringify(perWorker)}`);
	expect(Object.keys(perWorker).length).toBeGreaterThan(1);

	// What the gateway saw: each order cancelled once, under one msg_id on every attempt (ISP1-: two attempts).
	const msgIdOf = new Map(responses.flatMap((res) => (res.json as Array<Record<string, string>>).map((j) => [j.orderId, j.msgId] as const)));
	for (const orders of batches) {
		for (const orderId of orders) {
			const seen = sandbox.requests.filter((r) => r.orderId === orderId);
			expect({ orderId, attempts: seen.length }).toEqual({ orderId, attempts: orderId.startsWith('ISP1-') ? 2 : 1 });
			expect({ orderId, msgIds: [...new Set(seen.map((r) => r.msgId))] }).toEqual({ orderId, msgIds: [msgIdOf.get(orderId)] });
			expect({ orderId, cancelled: sandbox.stats.cancelled[orderId] }).toEqual({ orderId, cancelled: 1 });
		}
	}
}, minutes(10));

/** What the cluster and the gateway are doing, for a wait that timed out. */
function diagnose(workflowIds: string[], prefixes: string[]): string {
	const lines = workflowIds.map((id) => `executions of ${id}: ${JSON.stringify(executions(cluster, id))}`);
	lines.push(...prefixes.map((p) => `gateway ${p}: ${JSON.stringify(gatewayView(sandbox, p))}`));
	lines.push(`Bull: wait ${JSON.stringify(cluster.redis.list(['LRANGE', 'bull:jobs:wait', '0', '-1']))}, active ${JSON.stringify(cluster.redis.list(['LRANGE', 'bull:jobs:active', '0', '-1']))}`);
	for (const p of [cluster.main, ...cluster.workers]) lines.push(p.service.tail(15));
	return lines.join('\n');
}

interface FaultRun {
	label: string;
	workflowId: string;
	prefix: string;
	orders: string[];
	executionId?: string;
	jobId?: string;
	worker?: string;
	caller?: Promise<Awaited<ReturnType<typeof post>>>;
	callerError?: string;
	callerResult?: Awaited<ReturnType<typeof post>>;
	events: Record<string, number>;
	status?: string;
	before?: Record<string, OrderView>;
	/** what the dead worker's log says of the batch */
	state?: BatchState;
}

test('a worker SIGKILLed mid-batch: n8n fails the execution, nobody re-runs it; its log tells the orders done, in doubt and never sent; finishing the batch from it repeats msg_ids only with the option', async () => {
	const runs: FaultRun[] = [
		{ label: 'default msg_id (new UUID per item)', workflowId: WF_FAULT_UUID, prefix: `SLOW${SLOW_MS}-FU-`, orders: [], events: {} },
		{ label: 'Message ID = {{ $json.orderId }}', workflowId: WF_FAULT_BY_ORDER, prefix: `SLOW${SLOW_MS}-FO-`, orders: [], events: {} },
	];
	const paths: Record<string, string> = { [WF_FAULT_UUID]: 'damai-cancel-uuid', [WF_FAULT_BY_ORDER]: 'damai-cancel-by-order' };
	const body = (run: FaultRun) => ({ orders: run.orders.map((orderId) => ({ orderId })) });
	for (const run of runs) {
		run.orders = Array.from({ length: FAULT_ORDERS }, (_, i) => `${run.prefix}${i}`);
		run.caller = post(cluster.webhookUrl(paths[run.workflowId]), body(run), minutes(10));
		run.caller.catch((e: Error) => (run.callerError = e.message));
	}

	// "The middle": two orders answered, the third in flight (each takes the gateway SLOW_MS).
	const answered = (run: FaultRun) => sandbox.requests.filter((r) => r.orderId?.startsWith(run.prefix)).length;
	const diagnostics = () => diagnose(runs.map((run) => run.workflowId), runs.map((run) => run.prefix));
	const callersFailed = () => runs.filter((run) => run.callerError).map((run) => `${run.label}: ${run.callerError}`);
	await queue.waitFor('both fault batches to be half done', () => callersFailed().length > 0 || runs.every((run) => answered(run) >= 2), {
		timeoutMs: minutes(3),
		intervalMs: 100,
		onTimeout: diagnostics,
	});
	expect(callersFailed()).toEqual([]);
	const byWorker = cluster.executionsByWorker();
	for (const run of runs) {
		const [row] = executions(cluster, run.workflowId);
		run.executionId = row.id;
		run.jobId = jobIdOf(cluster, row.id);
		run.worker = byWorker[row.id]?.[0];
		expect({ run: run.label, worker: run.worker, job: run.jobId }).toEqual({ run: run.label, worker: expect.any(String), job: expect.any(String) });
	}
	// Bull holds each job, locked by its worker (so the watch below reads the right keys).
	for (const run of runs) expect({ run: run.label, ...jobState(cluster, run.jobId as string) }).toEqual({ run: run.label, job: true, lock: true });
	// Kill at a moment when each batch has an order at the gateway (received, its answer up to 2.5 s
	// away) and its last answer is at least 400 ms old (the worker has logged that outcome).
	const lastAnswerAge = (run: FaultRun) =>
		Date.now() - Math.max(...sandbox.requests.filter((r) => r.orderId?.startsWith(run.prefix)).map((r) => Date.parse(r.at)));
	const receivedCount = (run: FaultRun) => Object.values(sandbox.stats.orderByMsgId).filter((orderId) => orderId.startsWith(run.prefix)).length;
	await queue.waitFor(
		'a moment mid-order in both batches',
		() =>
			runs.every(
				(run) => answered(run) >= 2 && answered(run) < FAULT_ORDERS - 1 && receivedCount(run) === answered(run) + 1 && lastAnswerAge(run) >= 400 && lastAnswerAge(run) <= 2000,
			),
		{ timeoutMs: 30_000, intervalMs: 25, onTimeout: diagnostics },
	);
	const victims = [...new Set(runs.map((run) => run.worker as string))];
	const killedAt = Date.now();
	for (const name of victims) cluster.workers.find((w) => w.name === name)?.service.signal('SIGKILL');
	for (const run of runs) {
		say(`${run.label}: execution ${run.executionId} (job ${run.jobId}) on ${run.worker}; SIGKILL after ${answered(run)} answered orders`);
	}
	expect(victims.length).toBeLessThan(cluster.workers.length); // a worker survives to notice the stalled job

	// Watch Bull's job and the execution until n8n has given up on both executions.
	for (const run of runs) {
		void run.caller?.then(
			(r) => {
				run.callerResult = r;
				run.events.callerAnswered = Date.now() - killedAt;
			},
			() => undefined, // recorded in run.callerError
		);
	}
	await queue.waitFor('n8n to finish both killed executions', () => {
		const t = Date.now() - killedAt;
		for (const run of runs) {
			const state = jobState(cluster, run.jobId as string);
			if (!state.lock && run.events.lockGone === undefined) run.events.lockGone = t;
			if (!state.job && run.events.jobGone === undefined) run.events.jobGone = t;
			const [row] = executions(cluster, run.workflowId);
			if (row.status !== 'running' && row.status !== 'new' && run.status === undefined) {
				run.status = row.status;
				run.events.status = t;
			}
		}
		return runs.every((run) => run.status !== undefined);
	}, { timeoutMs: minutes(8), intervalMs: 500, onTimeout: diagnostics });
	await queue.waitFor('the callers to get an answer', () => runs.every((run) => run.callerResult || run.callerError), { timeoutMs: minutes(3), onTimeout: diagnostics });
	expect(callersFailed()).toEqual([]);

	const s = (ms?: number) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
	const unanswered = unansweredMsgIds(sandbox);
	for (const run of runs) {
		run.before = gatewayView(sandbox, run.prefix);
		say(
			`${run.label}: after the kill: job lock gone ${s(run.events.lockGone)}, job gone from Redis ${s(run.events.jobGone)}, ` +
				`execution ${run.executionId} "${run.status}" ${s(run.events.status)}, caller got HTTP ${run.callerResult?.status} ${s(run.events.callerAnswered)} ` +
				`(${run.callerResult?.text.slice(0, 120)})`,
		);
		say(`${run.label}: gateway after the kill: ${JSON.stringify(run.before)}; msg_ids acted on but never answered: ${JSON.stringify(unanswered)}`);
		const stored = storedRun(cluster, run.executionId as string);
		say(`${run.label}: stored error: ${stored.resultData.error?.message}`);

		// n8n's behaviour, as docs/queue-mode.md describes it.
		expect({ run: run.label, status: run.status }).toEqual({ run: run.label, status: 'error' });
		expect({ run: run.label, startedBy: cluster.executionsByWorker()[run.executionId as string] }).toEqual({ run: run.label, startedBy: [run.worker] });
		expect(run.callerResult?.status).not.toBe(200);
		// Nothing after the order in flight was sent: the orders done form a prefix of the batch.
		const done = run.orders.filter((o) => run.before?.[o]);
		expect(done).toEqual(run.orders.slice(0, done.length));
		expect(done.length).toBeGreaterThanOrEqual(2);
		expect(done.length).toBeLessThan(FAULT_ORDERS);
		for (const o of done) expect({ o, cancelled: run.before?.[o].cancelled }).toEqual({ o, cancelled: 1 });
	}

	// The dead worker's log, read as docs/queue-mode.md says, against what the gateway saw.
	const receivedFrom = (run: FaultRun) =>
		Object.entries(sandbox.stats.orderByMsgId)
			.filter(([, orderId]) => orderId.startsWith(run.prefix))
			.map(([msgId, orderId]) => ({ msgId, orderId }));
	for (const run of runs) {
		const worker = cluster.workers.find((w) => w.name === run.worker);
		const log = fs.readFileSync(String(worker?.service.logFile), 'utf8');
		const trail = trailOf(log, run.executionId as string);
		const state = (run.state = batchState(run.orders, trail));
		say(`${run.label}: the dead ${run.worker}'s log: done ${JSON.stringify(state.done)}, in doubt ${JSON.stringify(state.inDoubt)}, never sent ${JSON.stringify(state.neverSent)} (${trail.length} trail lines)`);
		// a "sent" line for every order the gateway received, with the msg_id it received
		const received = receivedFrom(run);
		for (const { orderId, msgId } of received) {
			expect({ orderId, sentLine: trail.some((r) => r.event === 'sent' && r.orderId === orderId && r.msgId === msgId) }).toEqual({ orderId, sentLine: true });
		}
		// an outcome line for every order the gateway answered before the kill
		const answeredBefore = sandbox.requests.filter((r) => r.orderId?.startsWith(run.prefix) && Date.parse(r.at) < killedAt);
		for (const r of answeredBefore) {
			expect({ orderId: r.orderId, outcome: trail.find((t) => t.orderId === r.orderId && t.event !== 'sent')?.event }).toEqual({ orderId: r.orderId, outcome: 'cancelled' });
		}
		// so: done = answered, in doubt = received but not answered (at most Concurrency, 1), never sent = the rest
		const receivedOrders = new Set(received.map((x) => x.orderId));
		expect(state.done).toEqual(run.orders.filter((o) => answeredBefore.some((r) => r.orderId === o)));
		expect(state.inDoubt).toEqual(run.orders.filter((o) => receivedOrders.has(o) && !state.done.includes(o)));
		expect(state.neverSent).toEqual(run.orders.filter((o) => !receivedOrders.has(o)));
		expect(state.inDoubt).toHaveLength(1);
		expect(state.done.length + state.inDoubt.length + state.neverSent.length).toBe(FAULT_ORDERS);
	}

	// Finishing each batch as documented: the orders not done (in doubt and never sent) sent again, once.
	const mark = sandbox.requests.length;
	const notDone = (run: FaultRun) => run.orders.filter((o) => !run.state?.done.includes(o));
	const finish = await Promise.all(runs.map((run) => post(cluster.webhookUrl(paths[run.workflowId]), { orders: notDone(run).map((orderId) => ({ orderId })) }, minutes(5))));
	for (const [k, run] of runs.entries()) {
		const state = run.state as BatchState;
		expect({ run: run.label, status: finish[k].status }).toEqual({ run: run.label, status: 200 });
		const items = finish[k].json as Array<Record<string, unknown>>;
		expect(items.map((j) => [j.orderId, j.success])).toEqual(notDone(run).map((o) => [o, true]));
		const sentNow = sandbox.requests.slice(mark).filter((r) => r.orderId?.startsWith(run.prefix));
		// every order not done reached the gateway exactly once; the orders done were not sent again
		expect(sentNow.map((r) => r.orderId).sort()).toEqual([...notDone(run)].sort());
		const after = gatewayView(sandbox, run.prefix);
		const twice = run.orders.filter((o) => after[o].cancelled > 1);
		say(`${run.label}: finished with ${JSON.stringify(notDone(run))}: cancelled twice: ${JSON.stringify(twice)}; gateway: ${JSON.stringify(after)}`);
		for (const o of [...state.done, ...state.neverSent]) expect({ o, cancelled: after[o].cancelled }).toEqual({ o, cancelled: 1 });
		for (const o of state.inDoubt) {
			const now = sentNow.find((r) => r.orderId === o);
			if (run.workflowId === WF_FAULT_BY_ORDER) {
				// the msg_id it had: the gateway answers from what it did when the worker died
				expect({ o, msgId: now?.msgId, replayed: now?.replayed, cancelled: after[o].cancelled }).toEqual({ o, msgId: state.msgIdOf.get(o), replayed: true, cancelled: 1 });
			} else {
				// the default gives it a new msg_id: the gateway cancels it a second time
				expect({ o, newMsgId: now?.msgId === state.msgIdOf.get(o), cancelled: after[o].cancelled }).toEqual({ o, newMsgId: false, cancelled: 2 });
			}
		}
		if (run.workflowId === WF_FAULT_BY_ORDER) expect(twice).toEqual([]);
		else expect(twice).toEqual(state.inDoubt);

		// the finishing execution logs its own trail on the worker that ran it: every order now done
		const rows = executions(cluster, run.workflowId);
		const last = rows[rows.length - 1];
		const finisher = cluster.workers.find((w) => w.name === cluster.executionsByWorker()[last.id]?.[0]);
		const finished = batchState(notDone(run), trailOf(finisher?.service.output ?? '', last.id));
		expect({ run: run.label, ...finished, msgIdOf: undefined }).toEqual({ run: run.label, done: notDone(run), inDoubt: [], neverSent: [], msgIdOf: undefined });
	}
}, minutes(20));

test('no secret in PostgreSQL (pg_dump), in any process output, or in any user folder', () => {
	const dump = cluster.postgres.dump().toString('utf8');
	// Positive control: the dump does hold the stored executions (order ids and msg_ids).
	const someMsgId = sandbox.requests.find((r) => r.orderId === 'Q0-0')?.msgId as string;
	expect(dump).toContain('Q0-0');
	expect(dump).toContain(someMsgId);
	const secrets = { appSecret: n8n.SANDBOX_KEYS.appSecret, supplierSecret: n8n.SANDBOX_KEYS.supplierSecret, session: SESSION };
	const leaks = [
		...findSecrets(cluster.main.env, secrets, { 'pg_dump of the n8n database': dump, 'output of every n8n process': cluster.transcript() }),
		...cluster.workers.flatMap((w) => findSecrets(w.env, secrets).map((leak) => `${w.name}: ${leak}`)),
	];
	expect(leaks).toEqual([]);
});
