/**
 * Reading what the cluster and the gateway did: executions in PostgreSQL (with their stored run
 * data, which n8n keeps in n8n's "flatted" form), Bull's job keys in Redis, and per order the
 * msg_ids the sandbox gateway saw.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';

import * as n8n from '../../tooling/n8n';
import type { Cluster } from '../../tooling/queue';
import type { Sandbox } from '../../tooling/sandbox/server';

export interface ExecutionRow {
	id: string;
	status: string;
	finished: boolean;
	workflowId: string;
}

export function executions(cluster: Cluster, workflowId: string): ExecutionRow[] {
	return cluster.postgres
		.query(`SELECT id::text AS id, status, finished, "workflowId" FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`)
		.map((r) => ({ ...r, id: String(r.id) }));
}

/** The run data n8n stored for an execution, parsed with the flatted version n8n itself uses. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function storedRun(cluster: Cluster, executionId: string): any {
	const [row] = cluster.postgres.query(`SELECT data FROM execution_data WHERE "executionId" = ${Number(executionId)}`);
	if (!row) throw new Error(`no execution_data for execution ${executionId}`);
	const n8nRequire = createRequire(path.join(n8n.installDir(cluster.version), 'node_modules', 'n8n', 'package.json'));
	const { parse } = n8nRequire('flatted') as { parse(text: string): unknown };
	return parse(row.data);
}

/** Bull job id n8n gave an execution (the main logs "Enqueued execution X (job Y)"). */
export function jobIdOf(cluster: Cluster, executionId: string): string | undefined {
	return new RegExp(`Enqueued execution ${executionId} \\(job (\\d+)\\)`).exec(cluster.main.service.output)?.[1];
}

/** Whether Bull still holds the job, and its lock (a worker renews the lock while it runs the job). */
export function jobState(cluster: Cluster, jobId: string): { job: boolean; lock: boolean } {
	const exists = (key: string) => cluster.redis.command(['EXISTS', key]).replace(/^\(integer\) /, '') === '1';
	return { job: exists(`bull:jobs:${jobId}`), lock: exists(`bull:jobs:${jobId}:lock`) };
}

export interface OrderView {
	/** msg_ids of the requests the gateway answered, in order */
	msgIds: string[];
	/** how often the gateway cancelled the lock */
	cancelled: number;
	/** requests answered from a stored answer (same msg_id again) */
	replays: number;
}

/** Per order with the prefix: what the sandbox gateway answered and applied. */
export function gatewayView(sandbox: Sandbox, prefix: string): Record<string, OrderView> {
	const view: Record<string, OrderView> = {};
	const get = (orderId: string) => (view[orderId] ??= { msgIds: [], cancelled: 0, replays: 0 });
	for (const r of sandbox.requests) {
		if (!r.orderId?.startsWith(prefix)) continue;
		const order = get(r.orderId);
		order.msgIds.push(String(r.msgId));
		if (r.replayed) order.replays++;
	}
	for (const [orderId, count] of Object.entries(sandbox.stats.cancelled)) {
		if (orderId.startsWith(prefix)) get(orderId).cancelled = count;
	}
	return view;
}

/**
 * msg_ids the gateway received and acted on but never answered (the caller was gone before the
 * answer): they are counted in attemptsByMsgId but have no answered request.
 */
export function unansweredMsgIds(sandbox: Sandbox): string[] {
	const answered = new Set(sandbox.requests.map((r) => r.msgId));
	return Object.keys(sandbox.stats.attemptsByMsgId).filter((id) => !answered.has(id));
}
