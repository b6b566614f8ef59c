import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { newMsgId } from '../../transport';
import { readIdText } from './ids';

const MESSAGE_ID = {
	label: 'Message ID',
	hint: 'Set the option Message ID to an expression that gives each order its own stable id, e.g. {{ $json.orderId }}, or remove the option for a new UUID per item.',
};

/**
 * The `msg_id` of each item. Without the option *Message ID*: a new UUID per item (the same on
 * every retry of that item inside this execution). With it: the option's value for the item, e.g.
 * `{{ $json.orderId }}`, so a new run of the same order (a batch sent again after a worker died,
 * a retried execution) carries the same msg_id and the gateway can answer it as a repeat.
 *
 * Two items may share a msg_id only when they carry the same order id: otherwise the gateway
 * would answer the second with the first one's result.
 */
export function messageIds(ctx: IExecuteFunctions, custom: boolean): (itemIndex: number, orderId: string) => string {
	if (!custom) return () => newMsgId();
	const seen = new Map<string, { itemIndex: number; orderId: string }>();
	return (itemIndex, orderId) => {
		const msgId = readIdText(ctx, itemIndex, ctx.getNodeParameter('options.messageId', itemIndex, undefined), MESSAGE_ID);
		const first = seen.get(msgId);
		if (first && first.orderId !== orderId) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex}: the Message ID "${msgId}" is already the Message ID of item ${first.itemIndex} (order ${first.orderId}), but this item is order ${orderId}`,
				{
					itemIndex,
					description: `The gateway would answer the second call with the first one's result. ${MESSAGE_ID.hint} No request was sent for this item.`,
				},
			);
		}
		if (!first) seen.set(msgId, { itemIndex, orderId });
		return msgId;
	};
}

/**
 * Runs calls that share a key (a msg_id) one after the other, so that a repeated order in one
 * batch is sent after the first call has its answer (and the gateway answers it as a repeat)
 * rather than at the same moment. Calls with different keys are not held up.
 */
export function oneAtATimePerKey(): <T>(key: string, call: () => Promise<T>) => Promise<T> {
	const last = new Map<string, Promise<unknown>>();
	return async <T>(key: string, call: () => Promise<T>): Promise<T> => {
		const before = last.get(key);
		const mine = before ? before.then(call, call) : call();
		last.set(key, mine);
		return await mine;
	};
}
