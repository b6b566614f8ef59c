/**
 * The audit trail's own rules, without a gateway: which outcome each failure gets, the message
 * format and its parser, redaction of everything that enters a line, and a failing logger.
 */
import type { IExecuteFunctions, LogMetadata } from 'n8n-workflow';

import { AUDIT_PREFIX, auditMessage, auditTrail, parseAuditLine, type AuditLogMode, type AuditRecord } from '../../nodes/Damai/helpers/auditTrail';
import { TopError, createRedactor, type TopErrorFields } from '../../nodes/Damai/transport';

const lines: Array<{ level: string; message: string; metadata: LogMetadata }> = [];
const logger = {
	error: (message: string, metadata: LogMetadata = {}) => lines.push({ level: 'error', message, metadata }),
	warn: (message: string, metadata: LogMetadata = {}) => lines.push({ level: 'warn', message, metadata }),
	info: (message: string, metadata: LogMetadata = {}) => lines.push({ level: 'info', message, metadata }),
	debug: (message: string, metadata: LogMetadata = {}) => lines.push({ level: 'debug', message, metadata }),
};
const ctx = (overrides: Record<string, unknown> = {}) =>
	({
		logger,
		getExecutionId: () => '4711',
		getWorkflow: () => ({ id: 'wf-1', name: 'W', active: true }),
		getNode: () => ({ name: 'Cancel locks' }),
		...overrides,
	}) as unknown as IExecuteFunctions;
const noRedact = createRedactor([]);
beforeEach(() => (lines.length = 0));

const topError = (fields: TopErrorFields, attempts = 1) => Object.assign(new TopError(fields), { attempts });
/** Runs one order whose call sends `sent` attempts, then throws `error`; returns the outcome line's record. */
async function outcomeOf(error: unknown, sent = 1): Promise<AuditRecord> {
	const trail = auditTrail(ctx(), 'attemptsAndOutcomes', noRedact);
	await expect(
		trail.run('O-1', 'M-1', async (onAttempt) => {
			for (let a = 1; a <= sent; a++) onAttempt?.(a);
			throw error;
		}),
	).rejects.toBe(error);
	return lines[lines.length - 1].metadata as unknown as AuditRecord;
}

describe('outcome of a failed order', () => {
	const cases: Array<[string, TopErrorFields, AuditRecord['event']]> = [
		['business return code', { kind: 'business', message: 'm', returnCode: '404' }, 'refused'],
		['isv.* gateway error', { kind: 'gateway', message: 'm', code: 15, subCode: 'isv.invalid-parameter' }, 'refused'],
		['gateway error without sub code (11)', { kind: 'gateway', message: 'm', code: 11 }, 'refused'],
		['throttled (7, accesscontrol)', { kind: 'gateway', message: 'm', code: 7, subCode: 'accesscontrol.limited-by-app-access-count' }, 'refused'],
		['HTTP 429', { kind: 'http', message: 'm', httpStatus: 429 }, 'refused'],
		['isp.* gateway error', { kind: 'gateway', message: 'm', code: 15, subCode: 'isp.remote-service-unavailable' }, 'unknown'],
		['code 10 (service unavailable)', { kind: 'gateway', message: 'm', code: 10 }, 'unknown'],
		['HTTP 502', { kind: 'http', message: 'm', httpStatus: 502 }, 'unknown'],
		['HTTP 404 from a proxy', { kind: 'http', message: 'm', httpStatus: 404 }, 'unknown'],
		['timeout', { kind: 'timeout', message: 'm' }, 'unknown'],
		['network', { kind: 'network', message: 'm', errno: 'ECONNRESET' }, 'unknown'],
		['cut answer', { kind: 'parse', message: 'm' }, 'unknown'],
		['answer too large', { kind: 'too-large', message: 'm' }, 'unknown'],
		['execution cancelled', { kind: 'aborted', message: 'm' }, 'unknown'],
	];
	test.each(cases.map(([name, fields, event]) => [name, event, fields] as const))('%s → %s', async (_name, event, fields) => {
		const record = await outcomeOf(topError(fields));
		expect(record.event).toBe(event);
		expect(record.errorKind).toBe(fields.kind);
		expect(record.attempts).toBe(1);
	});

	test('nothing went on the wire → not-sent, whatever the error', async () => {
		expect((await outcomeOf(topError({ kind: 'request', message: 'm' }), 0)).event).toBe('not-sent');
		expect((await outcomeOf(topError({ kind: 'aborted', message: 'm' }, 0), 0)).event).toBe('not-sent');
		expect((await outcomeOf(topError({ kind: 'business', message: 'm', returnCode: '1' }), 0)).event).toBe('not-sent');
	});

	test('an error that is no TopError (a bug) → unknown, kind internal', async () => {
		const record = await outcomeOf(new RangeError('boom'), 2);
		expect(record).toMatchObject({ event: 'unknown', errorKind: 'internal', attempts: 2 });
		expect(JSON.stringify(lines)).not.toContain('boom');
	});

	test('the fields an answer gave: codes, http status, errno, request id', async () => {
		expect(await outcomeOf(topError({ kind: 'business', message: 'm', returnCode: '404', requestId: 'rq1', httpStatus: 200 }))).toMatchObject({
			returnCode: '404',
			requestId: 'rq1',
			httpStatus: undefined,
			code: undefined,
		});
		expect(await outcomeOf(topError({ kind: 'http', message: 'm', httpStatus: 503 }), 3)).toMatchObject({ httpStatus: 503, attempts: 3 });
		expect(await outcomeOf(topError({ kind: 'network', message: 'm', errno: 'ECONNREFUSED' }))).toMatchObject({ errno: 'ECONNREFUSED' });
	});
});

describe('lines', () => {
	test('sent lines and the outcome, at info, with the execution context; the result passes through', async () => {
		const trail = auditTrail(ctx(), 'attemptsAndOutcomes', noRedact);
		const result = { returnCode: '0', requestId: 'rq9', attempts: 2, extra: 'kept' };
		const out = await trail.run('O-1', 'M-1', async (onAttempt) => {
			onAttempt?.(1);
			onAttempt?.(2);
			return result;
		});
		expect(out).toBe(result);
		const context = { orderId: 'O-1', msgId: 'M-1', executionId: '4711', workflowId: 'wf-1', node: 'Cancel locks' };
		expect(lines.map((l) => l.level)).toEqual(['info', 'info', 'info']);
		expect(lines.map((l) => l.metadata)).toEqual([
			{ audit: 'damai', event: 'sent', attempt: 1, ...context },
			{ audit: 'damai', event: 'sent', attempt: 2, ...context },
			{ audit: 'damai', event: 'cancelled', returnCode: '0', requestId: 'rq9', attempts: 2, ...context },
		]);
		expect(lines[2].message).toBe(
			`${AUDIT_PREFIX} cancelled order_id=O-1 msg_id=M-1 return_code=0 request_id=rq9 attempts=2 execution_id=4711 workflow_id=wf-1 node="Cancel locks"`,
		);
	});

	test.each<[AuditLogMode, string[]]>([
		['attemptsAndOutcomes', ['sent', 'cancelled']],
		['outcomes', ['cancelled']],
		['off', []],
	])('mode %s → %j', async (mode, events) => {
		const trail = auditTrail(ctx(), mode, noRedact);
		let given: unknown = 'not called';
		await trail.run('O', 'M', async (onAttempt) => {
			given = onAttempt;
			onAttempt?.(1);
			return { returnCode: '0', attempts: 1 };
		});
		expect(lines.map((l) => (l.metadata as unknown as AuditRecord).event)).toEqual(events);
		// off: the transport gets no callback at all (nothing to do per attempt)
		expect(typeof given).toBe(mode === 'off' ? 'undefined' : 'function');
	});

	test('no logger in the context (an older or a stripped-down context): the call runs without a trail', async () => {
		const trail = auditTrail(ctx({ logger: undefined }), 'attemptsAndOutcomes', noRedact);
		await expect(trail.run('O', 'M', async () => ({ returnCode: '0', attempts: 1 }))).resolves.toMatchObject({ returnCode: '0' });
	});

	test('a logger that throws fails neither the order nor the trail of the others', async () => {
		let calls = 0;
		const throwing = { ...logger, info: () => { calls++; throw new Error('disk full'); } };
		const trail = auditTrail(ctx({ logger: throwing }), 'attemptsAndOutcomes', noRedact);
		await expect(trail.run('O', 'M', async (onAttempt) => (onAttempt?.(1), { returnCode: '0', attempts: 1 }))).resolves.toMatchObject({ returnCode: '0' });
		const error = topError({ kind: 'timeout', message: 'm' });
		await expect(trail.run('O2', 'M2', async (onAttempt) => { onAttempt?.(1); throw error; })).rejects.toBe(error);
		expect(calls).toBe(4);
	});

	test('order id, msg_id, node name, workflow and execution id go through the redactor', async () => {
		const secret = 'top/Secret+= 1';
		const trail = auditTrail(
			ctx({ getNode: () => ({ name: `node ${secret}` }), getWorkflow: () => ({ id: `wf${secret}` }), getExecutionId: () => `e${secret}` }),
			'attemptsAndOutcomes',
			createRedactor([secret]),
		);
		await trail.run(`O-${secret}`, `M-${encodeURIComponent(secret)}`, async (onAttempt) => (onAttempt?.(1), { returnCode: '0', attempts: 1 }));
		const text = JSON.stringify(lines);
		expect(text).not.toContain(secret);
		expect(text).not.toContain(encodeURIComponent(secret));
		expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
		expect(lines[0].metadata).toMatchObject({ orderId: 'O-[redacted]', msgId: 'M-[redacted]', node: 'node [redacted]', workflowId: 'wf[redacted]', executionId: 'e[redacted]' });
	});
});

describe('message format and parseAuditLine', () => {
	const records: AuditRecord[] = [
		{ audit: 'damai', event: 'sent', orderId: 'A-1', msgId: 'a1b2', attempt: 1, executionId: '12', node: 'Damai' },
		{ audit: 'damai', event: 'refused', orderId: 'has space', msgId: 'q"uote\\', returnCode: '404', errorKind: 'business', attempts: 1, node: 'Cancel "x" = y' },
		{ audit: 'damai', event: 'unknown', orderId: '订单-1', msgId: 'm=1', errorKind: 'gateway', code: 15, subCode: 'isp.remote-service-unavailable', attempts: 4 },
		{ audit: 'damai', event: 'refused', orderId: '007', msgId: '7', errorKind: 'gateway', code: '15', attempts: 1 },
		{ audit: 'damai', event: 'not-sent', orderId: 'x', msgId: 'y', errorKind: 'request', attempts: 0, httpStatus: 503 },
	];
	test.each(records.map((r) => [r.event, r]))('%s: the message gives the record back', (_event, record) => {
		const message = auditMessage(record);
		expect(message.startsWith(`${AUDIT_PREFIX} ${record.event} `)).toBe(true);
		expect(parseAuditLine(message)).toEqual(record);
		// as n8n's console prints it in debug or JSON-less formats: after a time stamp and level
		expect(parseAuditLine(`2026-12-06T17:00:00.000Z | info  | ${message} {"file":"auditTrail.js"}`)).toEqual(record);
	});

	test('a text code stays text, a numeric code a number', () => {
		expect(auditMessage(records[3])).toContain(' code="15" ');
		expect(auditMessage(records[2])).toContain(' code=15 ');
	});

	test('other lines are not trail lines', () => {
		expect(parseAuditLine('Worker started execution 12 (job 3)')).toBeUndefined();
		expect(parseAuditLine(`${AUDIT_PREFIX} retrying order_id=x`)).toBeUndefined();
		expect(parseAuditLine('Damai: retrying after isp (attempt 1, waiting 500 ms)')).toBeUndefined();
	});
});
