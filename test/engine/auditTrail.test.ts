/**
 * The audit trail (option *Audit Log*, nodes/Damai/helpers/auditTrail.ts) in n8n's real engine
 * against the sandbox gateway: what the node writes through n8n's logger (`ctx.logger`, recorded
 * by test/helpers/engine.ts) for every order — a "sent" line per attempt, before it goes on the
 * wire, and one outcome line — checked against what the gateway received and what the output
 * items say; the option's three levels; and no secret in any line.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AUDIT_PREFIX, parseAuditLine, type AuditRecord } from '../../nodes/Damai/helpers/auditTrail';
import { EXECUTION_ID, logs, runDamai, type LogEntry } from '../helpers/engine';
import { SECRETS, findSecrets, sandboxCredentials, useSandbox } from '../helpers/sandbox';
import { startServer } from '../http/helpers';

const sandbox = useSandbox({ latencyMs: 0, rateLimit: null });
beforeEach(() => logs.clear());

/** The trail's entries (metadata tagged audit: 'damai'), in the order they were logged. */
const trail = (): Array<LogEntry & { record: AuditRecord }> =>
	logs.entries.filter((e) => e.metadata.audit === 'damai').map((e) => ({ ...e, record: e.metadata as unknown as AuditRecord }));
const linesOf = (orderId: string) => trail().filter((e) => e.record.orderId === orderId);
const json = (items: INodeExecutionData[], orderId: string) => items.find((i) => i.json.orderId === orderId)?.json as IDataObject;
/** The metadata without undefined values (what a JSON log output keeps). */
const defined = (record: object) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

describe('audit trail (default: attempts and outcomes)', () => {
	const ORDERS: Array<[string, Partial<AuditRecord>]> = [
		['AT-1', { event: 'cancelled', returnCode: '0' }],
		['ISP1-AT2', { event: 'cancelled', returnCode: '0' }],
		['THROTTLE1-AT3', { event: 'cancelled', returnCode: '0' }],
		['NOTFOUND-AT4', { event: 'refused', errorKind: 'business', returnCode: '404' }],
		['ISV-AT5', { event: 'refused', errorKind: 'gateway', code: 15, subCode: 'isv.invalid-parameter' }],
		['CODE11-AT6', { event: 'refused', errorKind: 'gateway', code: 11 }],
		['ISP9-AT7', { event: 'unknown', errorKind: 'gateway', code: 15, subCode: 'isp.remote-service-unavailable' }],
		['HTML502-AT8', { event: 'unknown', errorKind: 'http', httpStatus: 502 }],
		['RESET-AT9', { event: 'unknown', errorKind: 'network' }],
		['GARBLED-AT10', { event: 'unknown', errorKind: 'parse' }],
	];

	test('each order: a "sent" line per attempt the gateway received, then one outcome line that agrees with its output item', async () => {
		const input = [...ORDERS.map(([orderId]) => ({ orderId })), { orderId: '   ' }];
		const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), {
			onError: 'continueRegularOutput',
			options: { concurrency: 4, maxRetries: 2, retryDelay: 1 },
		});
		expect(error).toBeUndefined();
		const [items] = outputs;
		expect(items).toHaveLength(input.length);

		for (const [orderId, expected] of ORDERS) {
			const item = json(items, orderId);
			const lines = linesOf(orderId);
			// one msg_id in every line of the order: the one the gateway got (and the item shows, on success)
			const msgIds = [...new Set(lines.map((l) => l.record.msgId))];
			expect({ orderId, msgIds }).toEqual({ orderId, msgIds: [expect.any(String)] });
			const msgId = String(msgIds[0]);
			if (item.success) expect(item.msgId).toBe(msgId);
			expect(sandbox.requests.filter((r) => r.orderId === orderId).map((r) => r.msgId)).toEqual(
				sandbox.requests.filter((r) => r.orderId === orderId).map(() => msgId),
			);
			const gatewayAttempts = sandbox.stats.attemptsByMsgId[msgId];
			expect({ orderId, gatewayAttempts }).toEqual({ orderId, gatewayAttempts: expect.any(Number) });
			// one sent line per attempt, numbered 1…n, then the outcome — nothing else, nothing after
			expect({ orderId, events: lines.map((l) => l.record.event) }).toEqual({
				orderId,
				events: [...Array(gatewayAttempts).fill('sent'), expected.event],
			});
			expect(lines.slice(0, -1).map((l) => l.record.attempt)).toEqual(Array.from({ length: gatewayAttempts }, (_, i) => i + 1));
			const context = { orderId, msgId, executionId: EXECUTION_ID, workflowId: 'engine-test', node: 'Damai' };
			for (const line of lines.slice(0, -1)) expect(defined(line.record)).toEqual({ audit: 'damai', event: 'sent', attempt: line.record.attempt, ...context });
			const outcome = lines[lines.length - 1].record;
			expect(defined(outcome)).toEqual({
				audit: 'damai',
				...expected,
				...context,
				attempts: gatewayAttempts,
				...(outcome.errno !== undefined ? { errno: outcome.errno } : {}),
				...(item.requestId ? { requestId: item.requestId } : {}),
			});
			// the output item tells the same story
			expect({ orderId, success: item.success }).toEqual({ orderId, success: expected.event === 'cancelled' });
			if (expected.event !== 'cancelled') expect({ orderId, kind: item.errorKind, attempts: item.attempts }).toEqual({ orderId, kind: outcome.errorKind, attempts: outcome.attempts });
		}
		// every line at info (n8n's default level), and its message says what its metadata says
		for (const line of trail()) {
			expect(line.level).toBe('info');
			expect(line.message.startsWith(`${AUDIT_PREFIX} ${line.record.event} order_id=`)).toBe(true);
			expect(parseAuditLine(line.message)).toEqual(defined(line.record));
		}
		// the item refused before sending has no line; every other line belongs to an order above
		expect(trail().length).toBe(ORDERS.reduce((n, [orderId]) => n + linesOf(orderId).length, 0));
	});

	test('a "sent" line is in the log before its request reaches the gateway; the outcome after the answer', async () => {
		const seenAtArrival: Array<{ msgId: string; attempt: number; sentLogged: boolean; outcomeLogged: boolean }> = [];
		const attempts = new Map<string, number>();
		const server = await startServer((_req, res, body) => {
			const param = JSON.parse(new URLSearchParams(body).get('param_cancel_stock_lock_request') ?? '{}') as { head?: { msg_id?: string }; cancel_stock_lock_request_body?: { cancel_stock_lock_req_param?: { order_id?: string } } };
			const msgId = String(param.head?.msg_id);
			const orderId = String(param.cancel_stock_lock_request_body?.cancel_stock_lock_req_param?.order_id);
			const attempt = (attempts.get(msgId) ?? 0) + 1;
			attempts.set(msgId, attempt);
			const lines = trail().filter((l) => l.record.msgId === msgId);
			seenAtArrival.push({
				msgId,
				attempt,
				sentLogged: lines.some((l) => l.record.event === 'sent' && l.record.attempt === attempt),
				outcomeLogged: lines.some((l) => l.record.event !== 'sent'),
			});
			// the first attempt of each RETRY- order gets an HTTP 503, then every order succeeds
			if (orderId.startsWith('RETRY-') && attempt === 1) {
				res.writeHead(503, { 'Content-Type': 'text/html' });
				res.end('<html>busy</html>');
				return;
			}
			setTimeout(() => {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ alibaba_damai_yuntoc_order_cancellockstock_response: { result: { head: { return_code: '0', return_desc: 'success' } }, request_id: `rq${attempt}` } }));
			}, 20);
		});
		try {
			const input = ['W-1', 'RETRY-2', 'W-3', 'RETRY-4', 'W-5'].map((orderId) => ({ orderId }));
			const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox, { gatewayUrl: server.url }), { options: { concurrency: 2, retryDelay: 1 } });
			expect(error).toBeUndefined();
			expect(outputs[0].map((i) => i.json.success)).toEqual([true, true, true, true, true]);
			expect(seenAtArrival).toHaveLength(7);
			for (const arrival of seenAtArrival) expect(arrival).toEqual({ ...arrival, sentLogged: true, outcomeLogged: false });
			for (const { orderId } of input) {
				expect({ orderId, events: linesOf(orderId).map((l) => l.record.event) }).toEqual({
					orderId,
					events: orderId.startsWith('RETRY-') ? ['sent', 'sent', 'cancelled'] : ['sent', 'cancelled'],
				});
			}
		} finally {
			await server.close();
		}
	});

	test('without Continue On Fail: lines for the orders sent up to the failure, none for the orders never sent', async () => {
		const input = ['ST-1', 'NOTFOUND-ST2', 'ST-3', 'ST-4'].map((orderId) => ({ orderId }));
		const { nodeError } = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency: 1 } });
		expect(nodeError).toBeDefined();
		expect(trail().map((l) => [l.record.event, l.record.orderId])).toEqual([
			['sent', 'ST-1'],
			['cancelled', 'ST-1'],
			['sent', 'NOTFOUND-ST2'],
			['refused', 'NOTFOUND-ST2'],
		]);
		expect(sandbox.requests.map((r) => r.orderId)).toEqual(['ST-1', 'NOTFOUND-ST2']);
	});

	test('a timeout and a cancelled execution leave the order in doubt (outcome "unknown"); orders not started have no line', async () => {
		const timedOut = await runDamai([{ orderId: 'SLOW2000-TO1' }], sandboxCredentials(sandbox), {
			onError: 'continueRegularOutput',
			options: { timeout: 300, maxRetries: 0 },
		});
		expect(timedOut.outputs[0][0].json).toMatchObject({ success: false, errorKind: 'timeout' });
		expect(trail().map((l) => [l.record.event, l.record.errorKind])).toEqual([
			['sent', undefined],
			['unknown', 'timeout'],
		]);

		logs.clear();
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 300);
		const run = await runDamai(['SLOW3000-CX1', 'CX-2', 'CX-3'].map((orderId) => ({ orderId })), sandboxCredentials(sandbox), { options: { concurrency: 1 } }, { signal: controller.signal });
		expect(run.run.status).toBe('canceled');
		expect(trail().map((l) => [l.record.event, l.record.orderId, l.record.errorKind])).toEqual([
			['sent', 'SLOW3000-CX1', undefined],
			['unknown', 'SLOW3000-CX1', 'aborted'],
		]);
	});
});

describe('option Audit Log', () => {
	const input = ['LV-1', 'ISP1-LV2', 'NOTFOUND-LV3'].map((orderId) => ({ orderId }));
	const run = (auditLog?: string) =>
		runDamai(input, sandboxCredentials(sandbox), {
			onError: 'continueRegularOutput',
			options: { retryDelay: 1, ...(auditLog === undefined ? {} : { auditLog }) },
		});

	test('"Outcomes Only": one outcome line per order, no "sent" lines', async () => {
		const { outputs } = await run('outcomes');
		expect(outputs[0]).toHaveLength(3);
		expect(trail().map((l) => [l.record.orderId, l.record.event, l.record.attempts])).toEqual(
			expect.arrayContaining([
				['LV-1', 'cancelled', 1],
				['ISP1-LV2', 'cancelled', 2],
				['NOTFOUND-LV3', 'refused', 1],
			]),
		);
		expect(trail()).toHaveLength(3);
	});

	test('"Off": nothing from the trail, the orders are sent all the same', async () => {
		const { outputs } = await run('off');
		expect(outputs[0].map((i) => i.json.success)).toEqual([true, true, false]);
		expect(sandbox.stats.total).toBe(4);
		expect(trail()).toEqual([]);
		expect(logs.entries.filter((e) => e.message.includes(AUDIT_PREFIX))).toEqual([]);
	});

	test('not set: attempts and outcomes (the default)', async () => {
		await run();
		expect(trail().map((l) => l.record.event).sort()).toEqual(['cancelled', 'cancelled', 'refused', 'sent', 'sent', 'sent', 'sent']);
	});

	test('an unknown value is refused before anything is sent', async () => {
		const { nodeError } = await run('everything');
		expect((nodeError as Error).message).toMatch(/Option "auditLog" must be one of attemptsAndOutcomes, outcomes, off/);
		expect(sandbox.stats.total).toBe(0);
	});
});

describe('no secret in the trail', () => {
	test('secrets in order ids, msg_ids and echoed back by the gateway never reach a log line', async () => {
		// A gateway that echoes the whole request (query with the session, body with the supplier
		// secret in the head) into its error texts and request id.
		const server = await startServer((req, res, body) => {
			const url = new URL(req.url ?? '/', 'http://x');
			const echo = `${url.search} ${body} ${decodeURIComponent(body)}`;
			const orderId = /order_id%22%3A%22([^%]*)/.exec(body)?.[1] ?? '';
			res.writeHead(200, { 'Content-Type': 'application/json' });
			if (orderId.startsWith('BIZ')) {
				res.end(JSON.stringify({ alibaba_damai_yuntoc_order_cancellockstock_response: { result: { head: { return_code: `9${echo}`, return_desc: echo } }, request_id: echo.slice(0, 300) } }));
			} else {
				res.end(JSON.stringify({ error_response: { code: 15, msg: echo, sub_code: `isv.${echo}`, sub_msg: echo, request_id: echo.slice(0, 300) } }));
			}
		});
		try {
			const input = [{ orderId: `BIZ-${SECRETS.supplierSecret}` }, { orderId: `GW-${SECRETS.appSecret}` }, { orderId: `GW2-${SECRETS.session}` }];
			const { outputs } = await runDamai(input, sandboxCredentials(sandbox, { gatewayUrl: server.url }), {
				onError: 'continueRegularOutput',
				options: { messageId: `={{ 'm-' + $json.orderId + '-${SECRETS.session}' }}`, maxRetries: 1, retryDelay: 1 },
			});
			expect(outputs[0].map((i) => i.json.success)).toEqual([false, false, false]);
			expect(trail().map((l) => l.record.event)).toEqual(expect.arrayContaining(['sent', 'refused']));
			expect(trail()).toHaveLength(6);
			const everything = logs.entries.map((e) => ({ message: e.message, metadata: e.metadata }));
			expect(findSecrets(everything)).toEqual([]);
			expect(findSecrets(everything.map((e) => JSON.stringify(e)))).toEqual([]);
			// the lines are there and carry the orders, with the secret parts redacted
			expect(trail().map((l) => l.record.orderId)).toContain('BIZ-[redacted]');
			expect(trail().some((l) => String(l.record.msgId).endsWith('-[redacted]'))).toBe(true);
			// the scan finds a secret where there is one
			expect(findSecrets([{ message: `x ${SECRETS.session}` }])).toEqual([SECRETS.session]);
		} finally {
			await server.close();
		}
	});
});
