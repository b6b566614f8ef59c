/**
 * Reading the Damai audit trail out of an n8n worker's log, as docs/queue-mode.md tells an operator
 * to after a worker died ("Finishing a batch after a worker died"): the trail lines of one
 * execution, and the batch's orders sorted into done, in doubt and never sent.
 */
import { parseAuditLine, type AuditRecord } from '../../nodes/Damai/helpers/auditTrail';

/** The trail lines of execution `executionId` in a log (n8n's console format: the message alone). */
export function trailOf(log: string, executionId: string): AuditRecord[] {
	return log
		.split('\n')
		.map(parseAuditLine)
		.filter((r): r is AuditRecord => r !== undefined && String(r.executionId) === executionId);
}

export interface BatchState {
	/** an outcome line other than "unknown": the order was answered (cancelled, or refused) */
	done: string[];
	/** a "sent" line and no outcome, or the outcome "unknown": the gateway may have acted on it */
	inDoubt: string[];
	/** no line at all (or "not-sent"): the gateway never received it */
	neverSent: string[];
	/** the msg_id each order was sent with, from its lines */
	msgIdOf: Map<string, string>;
}

/** The orders of `batch`, in batch order, by what the trail says of them. */
export function batchState(batch: string[], trail: AuditRecord[]): BatchState {
	const state: BatchState = { done: [], inDoubt: [], neverSent: [], msgIdOf: new Map() };
	for (const orderId of batch) {
		const lines = trail.filter((r) => r.orderId === orderId);
		const sent = lines.filter((r) => r.event === 'sent');
		const outcome = lines.find((r) => r.event !== 'sent');
		if (lines.length) state.msgIdOf.set(orderId, String(lines[0].msgId));
		if (outcome && outcome.event !== 'unknown' && outcome.event !== 'not-sent') state.done.push(orderId);
		else if (sent.length || outcome?.event === 'unknown') state.inDoubt.push(orderId);
		else state.neverSent.push(orderId);
	}
	return state;
}
