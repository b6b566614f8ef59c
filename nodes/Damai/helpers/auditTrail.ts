import type { IExecuteFunctions, Logger } from 'n8n-workflow';

import { TopError, type Redactor } from '../transport';

/**
 * The audit trail: for every order, a line in n8n's own log (`ctx.logger`, which n8n writes to its
 * configured outputs: console, file, and in queue mode each worker's log) when an attempt goes on
 * the wire, and a line with the order's outcome. Cancelling a stock lock cannot be undone, and a
 * process that dies mid-batch (a queue-mode worker killed) leaves no run data: this log is then
 * the only record of which orders were done, which were in doubt and which were never sent
 * (docs/queue-mode.md, "Finishing a batch after a worker died").
 *
 * Every line is at level `info` — n8n's default N8N_LOG_LEVEL, so the trail is there without
 * configuration (at `debug` it would be invisible by default), and one level for the whole trail
 * means it is either complete or absent, never half there. The message carries every field as
 * `key=value` (n8n's default console format prints the message only); the same fields go into
 * the metadata (n8n's file output and N8N_LOG_FORMAT=json print them), so an operator can filter
 * on them. Nothing in a line comes from outside the node without going through the client's
 * redactor: no secret ever reaches the log.
 */

/** The option *Audit Log*: how much is logged. */
export const AUDIT_LOG_MODES = ['attemptsAndOutcomes', 'outcomes', 'off'] as const;
export type AuditLogMode = (typeof AUDIT_LOG_MODES)[number];
export const DEFAULT_AUDIT_LOG: AuditLogMode = 'attemptsAndOutcomes';

/** The first word of every trail message, for grep. */
export const AUDIT_PREFIX = 'Damai audit:';

/**
 * An order's outcome:
 * - `cancelled`: Damai answered a success return code — the lock is cancelled;
 * - `refused`: an answer that says it was not done (a business return code, a gateway error other
 *   than isp.* / code 10, a throttled call) — nothing to send again blindly;
 * - `unknown`: sent, but no answer settles it (timeout, network, cut or unreadable answer, HTTP
 *   5xx, isp.*, cancelled execution) — in doubt, like an order with a "sent" line and no outcome;
 * - `not-sent`: it failed before any attempt went on the wire.
 */
export type AuditOutcome = 'cancelled' | 'refused' | 'unknown' | 'not-sent';

export type AuditEvent = 'sent' | AuditOutcome;

/** The fields of a trail line, in the order the message gives them (metadata keys). */
const FIELDS = [
	['orderId', 'order_id'],
	['msgId', 'msg_id'],
	['attempt', 'attempt'],
	['returnCode', 'return_code'],
	['errorKind', 'error_kind'],
	['code', 'code'],
	['subCode', 'sub_code'],
	['httpStatus', 'http_status'],
	['errno', 'errno'],
	['requestId', 'request_id'],
	['attempts', 'attempts'],
	['executionId', 'execution_id'],
	['workflowId', 'workflow_id'],
	['node', 'node'],
] as const;

export type AuditField = (typeof FIELDS)[number][0];

/** One trail line as data: `event` and the fields (the metadata n8n logs besides the message). */
export type AuditRecord = { audit: 'damai'; event: AuditEvent } & Partial<Record<AuditField, string | number>>;

// (the gateway's code is a number when it reads as one, as the transport keeps it)
const NUMERIC = new Set<AuditField>(['attempt', 'attempts', 'httpStatus', 'code']);
const BARE = /^[A-Za-z0-9_.:/@+-]+$/;
/** A value as the message writes it: bare when it is a plain token, else a JSON string. */
const quote = (value: string | number) => (typeof value === 'number' || BARE.test(value) ? String(value) : JSON.stringify(value));

/**
 * The message of a record: `Damai audit: <event> key=value …`, in FIELDS order. A value that is
 * not a plain token is a JSON string, and so is text in a numeric field (`code="15"`), so that
 * parseAuditLine gives the record back exactly.
 */
export function auditMessage(record: AuditRecord): string {
	let text = `${AUDIT_PREFIX} ${record.event}`;
	for (const [key, name] of FIELDS) {
		const value = record[key];
		if (value === undefined || value === '') continue;
		text += ` ${name}=${typeof value === 'string' && NUMERIC.has(key) ? JSON.stringify(value) : quote(value)}`;
	}
	return text;
}

const NAME_TO_KEY = new Map<string, AuditField>(FIELDS.map(([key, name]) => [name, key]));
const EVENTS = new Set<string>(['sent', 'cancelled', 'refused', 'unknown', 'not-sent']);

/**
 * A trail record back from a log line (n8n's text console format: the message alone, possibly
 * after a timestamp and level), or undefined for any other line. What an operator's script, and
 * the tests, read the trail with.
 */
export function parseAuditLine(line: string): AuditRecord | undefined {
	const at = line.indexOf(`${AUDIT_PREFIX} `);
	if (at < 0) return undefined;
	const rest = line.slice(at + AUDIT_PREFIX.length + 1);
	const event = /^\S+/.exec(rest)?.[0];
	if (!event || !EVENTS.has(event)) return undefined;
	const record: AuditRecord = { audit: 'damai', event: event as AuditEvent };
	for (const m of rest.slice(event.length).matchAll(/ ([a-z_]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
		const key = NAME_TO_KEY.get(m[1]);
		if (!key) continue;
		const text = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
		record[key] = NUMERIC.has(key) && /^(0|[1-9]\d{0,14})$/.test(text) && !m[2].startsWith('"') ? Number(text) : text;
	}
	return record;
}

/** Whether an error is an answer that says the order was not done (see AuditOutcome). */
function isRefusal(error: TopError): boolean {
	switch (error.kind) {
		case 'business':
			return true;
		case 'gateway':
			return !(typeof error.subCode === 'string' && error.subCode.startsWith('isp.')) && error.code !== 10;
		case 'http':
			return error.httpStatus === 429;
		default:
			return false;
	}
}

type OrderFields = { orderId: string; msgId: string };

/** What the trail reads of a successful call's result. */
interface CallResult {
	returnCode: string;
	requestId?: string;
	attempts: number;
}

export interface AuditTrail {
	/**
	 * Runs one order's call with the trail around it: `call` gets the `onAttempt` to hand the
	 * transport (CallOptions), which logs each attempt as it goes on the wire; the outcome is
	 * logged when the call ends. The call's result or error passes through unchanged.
	 */
	run<T extends CallResult>(orderId: string, msgId: string, call: (onAttempt?: (attempt: number) => void) => Promise<T>): Promise<T>;
}

/** With the trail off: the call alone. */
const OFF: AuditTrail = { run: async (_orderId, _msgId, call) => await call() };

/**
 * The trail of one execution of the node, at the option's level, or a pass-through when it is
 * off (or the context has no logger).
 */
export function auditTrail(ctx: IExecuteFunctions, mode: AuditLogMode, redact: Redactor): AuditTrail {
	const logger = (ctx as { logger?: Logger }).logger;
	if (mode === 'off' || !logger) return OFF;
	const logAttempts = mode === 'attemptsAndOutcomes';
	const text = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : redact(String(value)));
	// The same for every line of this execution.
	const context = {
		executionId: text(ctx.getExecutionId?.()),
		workflowId: text(ctx.getWorkflow?.().id),
		node: text(ctx.getNode().name),
	};
	const log = (record: AuditRecord) => {
		try {
			logger.info(auditMessage(record), record);
		} catch {
			// a logger that fails must not fail (or half-do) the order
		}
	};
	const cancelled = (order: OrderFields, result: CallResult) =>
		log({
			audit: 'damai',
			event: 'cancelled',
			...order,
			returnCode: result.returnCode,
			requestId: result.requestId,
			attempts: result.attempts,
			...context,
		});
	const failed = (order: OrderFields, caught: unknown, sent: number) => {
		const error = caught instanceof TopError ? caught : undefined;
		log({
			audit: 'damai',
			event: sent === 0 ? 'not-sent' : error && isRefusal(error) ? 'refused' : 'unknown',
			...order,
			errorKind: error?.kind ?? 'internal',
			code: error?.code,
			returnCode: error?.kind === 'business' ? error.returnCode : undefined,
			subCode: error?.subCode,
			httpStatus: error?.httpStatus !== undefined && error.httpStatus !== 200 ? error.httpStatus : undefined,
			errno: error?.errno,
			requestId: error?.requestId,
			attempts: sent,
			...context,
		});
	};
	return {
		run(orderId, msgId, call) {
			const order = { orderId: redact(orderId), msgId: redact(msgId) };
			let sent = 0;
			const pending = call((attempt) => {
				sent = attempt;
				if (logAttempts) log({ audit: 'damai', event: 'sent', ...order, attempt, ...context });
			});
			// The outcome is logged by handlers registered before the caller's: it is in the log
			// before the caller sees the result. The call's own promise goes back unchanged.
			pending.then(
				(result) => cancelled(order, result),
				(caught: unknown) => failed(order, caught, sent),
			);
			return pending;
		},
	};
}
