import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { TopError, runPool, type Redactor } from '../transport';
import { errorOutputJson, failureFields, noFailure, toNodeApiError } from './nodeErrors';

export interface ItemJob<Input> {
	/** Reads and checks item i's parameters; throws NodeOperationError naming the item and field. */
	prepare(itemIndex: number): Input;
	/**
	 * Does item i's call; throws TopError. Returns the operation's own keys of a success item
	 * (runItems adds the failure keys, all null).
	 */
	run(input: Input, itemIndex: number, signal?: AbortSignal): Promise<IDataObject>;
	/**
	 * The operation's own keys of a failed item, the same keys in the same order as `run` gives
	 * (null where they do not apply): `input` is undefined when the item's check failed, `top`
	 * when nothing was sent.
	 */
	failed(input: Input | undefined, itemIndex: number, top?: TopError): IDataObject;
	/** Removes the credential's secrets from a text (the client's redactor). */
	redact: Redactor;
	concurrency: number;
}

/**
 * One item's json: the operation's keys, then the failure keys (FAILURE_KEYS), then `response`
 * (option Include Raw Response) last, so every item has the same keys in the same order.
 */
function itemJson(own: IDataObject, failure: IDataObject): IDataObject {
	const json: IDataObject = { ...own, ...failure };
	if ('response' in own) {
		delete json.response;
		json.response = own.response;
	}
	return json;
}

type Outcome = { json: IDataObject; failed: boolean };

/**
 * How many items' parameters are read in one go when the pool reaches an unread one: 1 up to
 * C = 31, then C / 16 (at most 16). A run of reads costs less CPU than the same reads one by one
 * between requests, which is what counts once the batch is CPU-bound (high C); while it is
 * latency-bound (low C), a run would hold up the answers of the other lanes instead. The measured
 * figures: docs/benchmarks.md, "Figures behind choices in the code".
 */
export function readAheadCount(concurrency: number): number {
	return Math.min(16, Math.max(1, Math.floor(concurrency / 16)));
}

/**
 * An error of the operation's own code (a bug, not the gateway): its own kind, and its message
 * kept (redacted), since it is the only clue to what happened.
 */
export function internalError(caught: unknown, redact: Redactor): TopError {
	const text = caught instanceof Error ? caught.message : String(caught);
	return new TopError({
		kind: 'internal',
		message: `The call failed unexpectedly: ${redact(text.split('\n')[0].slice(0, 300)) || 'no message'}`,
	});
}

/**
 * Every input item gives exactly one output item, in input order, with pairedItem: its result,
 * or (when the node continues on fail) an error item. Without Continue On Fail every input is
 * checked before any request is sent, so a typo in item 1,500 does not leave a half-done batch;
 * with it, each item is checked as the pool reaches it (a bad one only fails itself), so the
 * first requests leave at once.
 */
export async function runItems<Input>(ctx: IExecuteFunctions, job: ItemJob<Input>): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const node = ctx.getNode();
	const signal = ctx.getExecutionCancelSignal?.();

	const prepare = (i: number): Input => {
		try {
			return job.prepare(i);
		} catch (caught) {
			throw caught instanceof NodeOperationError
				? caught
				: new NodeOperationError(node, caught instanceof Error ? caught.message : String(caught), { itemIndex: i });
		}
	};
	const inputs: Array<Input | undefined> = continueOnFail ? [] : items.map((_, i) => prepare(i));
	const invalid: Array<NodeOperationError | undefined> = [];
	const ahead = readAheadCount(job.concurrency);
	let readUpTo = 0;
	/**
	 * With Continue On Fail: item i's parameters, read when the pool reaches it, with the next
	 * `ahead - 1` in the same go. Each item still reads its own parameters, once, in input order.
	 */
	const readAhead = (i: number) => {
		const end = Math.min(items.length, i + ahead);
		for (; readUpTo < end; readUpTo++) {
			try {
				inputs[readUpTo] = prepare(readUpTo);
			} catch (error) {
				invalid[readUpTo] = error as NodeOperationError;
			}
		}
	};
	const outcomes: Outcome[] = new Array(items.length);

	// Calls, through a bounded pool; without Continue On Fail the first failure stops new calls.
	let failed: { index: number; error: NodeApiError } | undefined;
	await runPool(
		items.length,
		job.concurrency,
		async (i) => {
			if (continueOnFail) {
				if (i >= readUpTo) readAhead(i);
				const error = invalid[i];
				if (error) {
					invalid[i] = undefined;
					outcomes[i] = { failed: true, json: itemJson(job.failed(undefined, i), failureFields(error)) };
					return;
				}
			}
			const input = inputs[i] as Input;
			inputs[i] = undefined;
			try {
				outcomes[i] = { failed: false, json: itemJson(await job.run(input, i, signal), noFailure()) };
			} catch (caught) {
				const top = caught instanceof TopError ? caught : internalError(caught, job.redact);
				const error = toNodeApiError(node, top, i);
				outcomes[i] = { failed: true, json: itemJson(job.failed(input, i, top), failureFields(error, top)) };
				if (!continueOnFail && (!failed || i < failed.index)) failed = { index: i, error };
			}
		},
		() => failed !== undefined || signal?.aborted === true,
	);
	// n8n marks the execution "canceled" (not failed) for an error whose message says so.
	if (signal?.aborted) {
		throw new NodeOperationError(node, 'The execution was canceled', {
			description: 'Requests in flight were aborted; items not yet sent were not sent.',
		});
	}
	if (failed) throw failed.error;

	// On the error output, the whole error item under `error` (see errorOutputJson).
	const errorOutput = node.onError === 'continueErrorOutput';
	return outcomes.map((outcome, i) => ({
		json: errorOutput && outcome.failed ? errorOutputJson(outcome.json) : outcome.json,
		pairedItem: { item: i },
	}));
}
