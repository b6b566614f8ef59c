/**
 * The audit trail (option *Audit Log*) in a real n8n, through n8n's own logger and its file log
 * output (N8N_LOG_OUTPUT=console,file, N8N_LOG_FILE_LOCATION in the user folder) at n8n's default
 * level, info: every order's "sent" lines and outcome line with their metadata, in the file (JSON,
 * one object per line) and on the console (the message); the option's levels; no secret in the
 * log file or the console. One `n8n execute` of one workflow, three Damai nodes side by side.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AUDIT_PREFIX, parseAuditLine, type AuditRecord } from '../../nodes/Damai/helpers/auditTrail';
import { type Harness, ON, buildWorkflow, codeNode, damaiNode, findSecrets, manualTrigger, minutes, n8n, startHarness, storedBytesContain } from './helpers';

const SECRETS = {
	appSecret: 'audit-APP-secret-3e9b71c04d2a',
	supplierSecret: 'audit-SUPPLIER-secret-8c1f52ad9e07',
	session: 'audit-SESSION-token-77d0be35aa41',
};
const CRED = { id: 'AuditCred0000001', name: 'Audit log e2e' };
const WORKFLOW_ID = 'E2eAuditLog00001';

/** Each order and the outcome its line must give (the sandbox's magic prefixes). */
const ORDERS: Array<[string, Partial<AuditRecord>]> = [
	['AL-1', { event: 'cancelled', returnCode: '0' }],
	['ISP1-AL2', { event: 'cancelled', returnCode: '0' }],
	['NOTFOUND-AL3', { event: 'refused', errorKind: 'business', returnCode: '404' }],
	['ISV-AL4', { event: 'refused', errorKind: 'gateway', code: 15, subCode: 'isv.invalid-parameter' }],
	['HTML502-AL5', { event: 'unknown', errorKind: 'http', httpStatus: 502 }],
];
/** Node name → what its Order ID appends to the order, and its Audit Log option. */
const NODES = [
	{ name: 'Cancel (default)', suffix: '-D', options: {} },
	{ name: 'Cancel (outcomes)', suffix: '-O', options: { auditLog: 'outcomes' } },
	{ name: 'Cancel (off)', suffix: '-F', options: { auditLog: 'off' } },
];

let h: Harness;
let result: n8n.ExecuteResult;
let logFile: string;
/** Every JSON line n8n wrote to its log file. */
let fileLines: Array<{ level: string; message: string; metadata: Record<string, unknown> }>;
const trailLines = () => fileLines.filter((l) => l.metadata?.audit === 'damai');
const ours = (metadata: Record<string, unknown>) => {
	// n8n's logger adds where it was called from (file, function), and its file format the time
	const { file, function: fn, timestamp, ...rest } = metadata;
	void file;
	void fn;
	void timestamp;
	return rest;
};

beforeAll(async () => {
	h = await startHarness({
		sandbox: { apps: { 'audit-app-key': SECRETS.appSecret }, suppliers: { 'audit-supplier-key': SECRETS.supplierSecret }, sessions: [SECRETS.session] },
	});
	await h.env.importCredential(
		n8n.sandboxCredential(h.sandbox.url, {
			...CRED,
			data: { appKey: 'audit-app-key', appSecret: SECRETS.appSecret, supplierKey: 'audit-supplier-key', supplierSecret: SECRETS.supplierSecret, session: SECRETS.session },
		}),
	);
	const nodes = [manualTrigger('Start'), codeNode('Orders', ORDERS.map(([orderId]) => ({ orderId })))];
	const edges: Array<[string, string]> = [['Start', 'Orders']];
	for (const node of NODES) {
		nodes.push(
			damaiNode(node.name, CRED, {
				orderId: `={{ $json.orderId }}${node.suffix}`,
				onError: 'continueRegularOutput',
				options: { maxRetries: 2, retryDelay: 20, concurrency: 3, ...node.options },
			}),
		);
		edges.push(['Orders', node.name]);
	}
	await h.env.importWorkflow(buildWorkflow(WORKFLOW_ID, 'E2E: audit log', nodes, edges));
	// In the user folder, so that the secret scan below reads it too.
	logFile = path.join(h.env.userFolder, 'audit-logs', 'n8n.log');
	result = await h.env.executeWorkflow(WORKFLOW_ID, { env: { N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile } });
	fileLines = fs.existsSync(logFile)
		? fs
				.readFileSync(logFile, 'utf8')
				.split('\n')
				.filter((line) => line.trim() !== '')
				.map((line) => JSON.parse(line) as (typeof fileLines)[number])
		: [];
}, minutes(20));

afterAll(async () => {
	await h?.close();
});

describe(`${ON}: the audit trail in n8n's log`, () => {
	test('the execution ran every order on the three nodes', () => {
		expect(result.ok).toBe(true);
		for (const node of NODES) expect(n8n.nodeItems(result.run, node.name)).toHaveLength(ORDERS.length);
		expect(fs.existsSync(logFile)).toBe(true);
	});

	test('default (attempts and outcomes): per order, a "sent" line per attempt the gateway received, then its outcome, at info', () => {
		const executionIds = new Set(trailLines().map((l) => l.metadata.executionId));
		expect(executionIds.size).toBe(1);
		const [executionId] = [...executionIds];
		expect(String(executionId)).toMatch(/^\d+$/);
		for (const [base, expected] of ORDERS) {
			const orderId = `${base}-D`;
			const lines = trailLines().filter((l) => l.metadata.orderId === orderId);
			const msgIds = [...new Set(lines.map((l) => l.metadata.msgId))];
			expect({ orderId, msgIds: msgIds.length }).toEqual({ orderId, msgIds: 1 });
			const msgId = String(msgIds[0]);
			const attempts = h.sandbox.stats.attemptsByMsgId[msgId];
			expect({ orderId, attempts }).toEqual({ orderId, attempts: expect.any(Number) });
			expect({ orderId, events: lines.map((l) => l.metadata.event) }).toEqual({ orderId, events: [...Array(attempts).fill('sent'), expected.event] });
			const context = { audit: 'damai', orderId, msgId, executionId, workflowId: WORKFLOW_ID, node: 'Cancel (default)' };
			lines.slice(0, -1).forEach((line, i) => expect(ours(line.metadata)).toEqual({ ...context, event: 'sent', attempt: i + 1 }));
			const outcome = ours(lines[lines.length - 1].metadata);
			expect(outcome).toEqual({ ...context, ...expected, attempts, ...(outcome.requestId !== undefined ? { requestId: expect.stringMatching(/^\w+$/) } : {}) });
			// the request id in the line is the one the gateway answered with
			if (expected.event === 'cancelled') expect(n8n.nodeItems(result.run, 'Cancel (default)').find((i) => i.json.orderId === orderId)?.json.requestId).toBe(outcome.requestId);
		}
		for (const line of trailLines()) {
			expect(line.level).toBe('info');
			expect(Number.isNaN(Date.parse(String(line.metadata.timestamp)))).toBe(false);
			expect(parseAuditLine(line.message)).toEqual(ours(line.metadata));
		}
	});

	test('the same lines on the console (n8n prints the message there)', () => {
		const console = `${result.stdout}\n${result.stderr}`;
		const messages = trailLines().map((l) => l.message);
		expect(messages.length).toBeGreaterThan(0);
		for (const message of messages) expect(console).toContain(message);
	});

	test('"Outcomes Only": one outcome line per order and no "sent" line; "Off": no line at all', () => {
		const outcomes = trailLines().filter((l) => l.metadata.node === 'Cancel (outcomes)');
		expect(outcomes.map((l) => [l.metadata.orderId, l.metadata.event]).sort()).toEqual(ORDERS.map(([base, e]) => [`${base}-O`, e.event]).sort());
		expect(trailLines().filter((l) => l.metadata.node === 'Cancel (off)')).toEqual([]);
		expect(fileLines.filter((l) => String(l.message).includes('-F '))).toEqual([]);
		// the "off" node did send its orders
		expect(h.sandbox.requests.filter((r) => String(r.orderId).endsWith('-F')).length).toBeGreaterThanOrEqual(ORDERS.length);
	});

	test("at n8n's default level (info) the trail is there and debug lines are not", () => {
		// the node's retry line is at debug: ISP1- was retried, yet the line is absent
		expect(h.sandbox.stats.attemptsByMsgId[String(trailLines().find((l) => l.metadata.orderId === 'ISP1-AL2-D')?.metadata.msgId)]).toBe(2);
		expect(fileLines.some((l) => String(l.message).startsWith('Damai: retrying'))).toBe(false);
		expect(fileLines.filter((l) => String(l.message).startsWith(AUDIT_PREFIX)).length).toBe(trailLines().length);
	});

	test('no secret in the log file, the console or anything else n8n wrote', () => {
		expect(storedBytesContain(h.env, `${AUDIT_PREFIX} sent order_id=AL-1-D`)).toBe(true); // the log file is among the files scanned
		expect(findSecrets(h.env, SECRETS, { 'n8n execute stdout': result.stdout, 'n8n execute stderr': result.stderr })).toEqual([]);
	});
});
