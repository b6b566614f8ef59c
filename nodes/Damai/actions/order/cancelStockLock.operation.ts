import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { auditTrail } from '../../helpers/auditTrail';
import { attemptsOf } from '../../helpers/nodeErrors';
import { runItems } from '../../helpers/runItems';
import type { ExecutionContext } from '../context';
import { optionsCollection } from '../common.descriptions';
import {
	CANCEL_STOCK_LOCK_METHOD,
	CANCEL_STOCK_LOCK_PARAM,
	cancelStockLock,
	cancelStockLockParam,
	describeRequest,
	parseReturnCodes,
} from '../../transport';
import { readIdText } from './ids';
import { messageIds, oneAtATimePerKey } from './messageId';

const properties: INodeProperties[] = [
	{
		displayName:
			'Cancelling releases the locked tickets back to sale and cannot be undone. Test with a few orders first (e.g. a Limit node before this one).',
		name: 'irreversibleNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2025112900012345',
		description:
			'The Damai order ID whose stock lock to cancel (the order_id Damai returned when the seats were locked). Cancelling cannot be undone.',
	},
	optionsCollection([
		'dryRun',
		'messageId',
		'auditLog',
		'concurrency',
		'maxRetries',
		'retryDelay',
		'timeout',
		'minIntervalMs',
		'successReturnCodes',
		'includeRawResponse',
		'responseFormat',
		'headVersion',
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['cancelStockLock'] } },
	properties,
);

const ORDER_ID = {
	label: 'Order ID',
	hint: 'Set Order ID to the Damai order ID, e.g. {{ $json.orderId }}.',
};

/**
 * The order id of item i: a string (trimmed) or a finite number from an expression. Rejects empty,
 * control characters, broken unicode and ids over 64 characters — before any request is sent.
 */
export function readOrderId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdText(ctx, itemIndex, ctx.getNodeParameter('orderId', itemIndex, '') as unknown, ORDER_ID);
}

/** The order id for an error item whose check failed: known when only its Message ID was wrong. */
function labelOf(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	try {
		return readOrderId(ctx, itemIndex);
	} catch {
		return undefined;
	}
}

export async function execute(this: IExecuteFunctions, context: ExecutionContext): Promise<INodeExecutionData[]> {
	const { client, credentials, options } = context;
	const successCodes = parseReturnCodes(options.successReturnCodes);
	const supplier = {
		supplierKey: credentials.supplierKey,
		supplierSecret: credentials.supplierSecret,
		...credentials.headRecipe,
		headSignMethod: credentials.headSignMethod,
		headVersion: options.headVersion,
	};
	const msgIdFor = messageIds(this, options.customMessageId);
	// Only custom msg_ids can repeat within a batch (the same order twice).
	const send = options.customMessageId ? oneAtATimePerKey() : async <T>(_key: string, call: () => Promise<T>) => await call();
	// Each order's attempts and outcome in n8n's log (option Audit Log).
	const trail = auditTrail(this, options.auditLog, client.redact);
	return await runItems<{ orderId: string; msgId: string }>(this, {
		concurrency: options.concurrency,
		prepare: (i) => {
			const orderId = readOrderId(this, i);
			return { orderId, msgId: msgIdFor(i, orderId) };
		},
		redact: client.redact,
		// The same keys as `run` gives, in the same order (README "Output").
		failed: (input, i, top) => {
			const json: IDataObject = {
				orderId: input?.orderId ?? labelOf(this, i) ?? null,
				success: false,
				returnCode: top?.returnCode ?? null,
				returnDesc: top?.returnDesc ?? null,
				requestId: top?.requestId ?? null,
				msgId: input?.msgId ?? null,
				attempts: attemptsOf(top),
			};
			if (options.includeRawResponse) json.response = null;
			return json;
		},
		run: async ({ orderId, msgId }, _i, signal) => {
			if (options.dryRun) {
				// exactly what one attempt would send now; nothing goes on the wire
				const param = cancelStockLockParam(orderId, supplier, msgId);
				const request = describeRequest(client, CANCEL_STOCK_LOCK_METHOD, { [CANCEL_STOCK_LOCK_PARAM]: param }, {
					head: param.head,
					supplierSecret: supplier.supplierSecret,
					recipe: credentials.headRecipe,
				});
				return { orderId, msgId, dryRun: true, ...request } as unknown as IDataObject;
			}
			// One msg_id per item, the same on every retry of it.
			const result = await trail.run(orderId, msgId, (onAttempt) =>
				send(msgId, () => cancelStockLock(client, orderId, msgId, supplier, successCodes, { signal, onAttempt })),
			);
			const json: IDataObject = {
				orderId: result.orderId,
				success: true,
				returnCode: result.returnCode,
				returnDesc: result.returnDesc,
				requestId: result.requestId ?? null,
				msgId: result.msgId,
				attempts: result.attempts,
			};
			if (options.includeRawResponse) json.response = result.response as IDataObject;
			return json;
		},
	});
}
