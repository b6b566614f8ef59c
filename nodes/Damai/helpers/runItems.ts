import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { TopError, runPool } from '../transport';
import { errorItemJson, errorOutputJson, toNodeApiError } from './nodeErrors';

export interface ItemJob<Input> {
	/** Reads and checks item i's parameters; throws NodeOperationError naming the item and field. */
	prepare(itemIndex: number): Input;
	/** Does item i's call; throws TopError. */
	run(input: Input, itemIndex: number, signal?: AbortSignal): Promise<IDataObject>;
	/** The id shown in an error item (e.g. the order id), if known. */
	label?(input: Input | undefined, itemIndex: number): string | undefined;
	concurrency: number;
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
					outcomes[i] = { failed: true, json: errorItemJson(job.label?.(undefined, i), error) };
					return;
				}
			}
			const input = inputs[i] as Input;
			inputs[i] = undefined;
			try {
				outcomes[i] = { failed: false, json: await job.run(input, i, signal) };
			} catch (caught) {
				const top =
					caught instanceof TopError
						? caught
						: new TopError({ kind: 'network', message: 'The call failed unexpectedly' });
				const error = toNodeApiError(node, top, i);
				outcomes[i] = { failed: true, json: errorItemJson(job.label?.(input, i), error, top) };
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

	// n8n routes an item to the error output only when its json is exactly {error} or
	// {error, message} (it then merges the input item in), and it replaces the json of any item
	// that carries `error` with {error: message}. So: full error items on the regular output,
	// {error, message} on the error output.
	const errorOutput = node.onError === 'continueErrorOutput';
	return outcomes.map((outcome, i) => ({
		json: errorOutput && outcome.failed ? errorOutputJson(outcome.json) : outcome.json,
		pairedItem: { item: i },
	}));
}
