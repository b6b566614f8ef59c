import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { runItems } from '../../helpers/runItems';
import type { ExecutionContext } from '../context';
import { optionsCollection } from '../common.descriptions';
import { DEFAULTS, cancelStockLock, newMsgId, parseReturnCodes } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2025112900012345',
		description:
			'The Damai order ID whose stock lock to cancel (the order_id Damai returned when the seats were locked). Cancelling releases the locked tickets back to sale and cannot be undone.',
	},
	optionsCollection([
		'concurrency',
		'headVersion',
		'includeRawResponse',
		'maxRetries',
		'minIntervalMs',
		'responseFormat',
		'retryDelay',
		'successReturnCodes',
		'timeout',
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['cancelStockLock'] } },
	properties,
);

const MAX_ID = DEFAULTS.maxOrderIdLength;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The order id of item i: a string (trimmed) or a finite number from an expression. Rejects empty,
 * control characters, broken unicode and ids over 64 characters — before any request is sent.
 */
export function readOrderId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('orderId', itemIndex, '') as unknown;
	const fail = (why: string) =>
		new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: the Order ID ${why}`, {
			itemIndex,
			description: 'Set Order ID to the Damai order ID, e.g. {{ $json.orderId }}. No request was sent for this item.',
		});
	let text: string;
	if (typeof raw === 'string') text = raw.trim();
	else if (typeof raw === 'number') {
		// Beyond 2^53 a JSON number is no longer the id that was meant (2025112900012345678
		// arrives as 2025112900012345600): cancelling it could hit another order.
		if (!Number.isSafeInteger(raw) || raw < 0) {
			throw fail(`is the number ${String(raw)}, which is not an exact whole number; pass the order id as text`);
		}
		text = String(raw);
	}
	else if (typeof raw === 'bigint') text = raw.toString();
	else if (raw === undefined || raw === null) throw fail('is empty');
	else throw fail(`must be text or a number, not ${Array.isArray(raw) ? 'an array' : typeof raw}`);
	if (text === '') throw fail('is empty');
	if (CONTROL.test(text)) throw fail('contains control characters');
	if (!text.isWellFormed()) throw fail('contains broken unicode');
	if (text.length > MAX_ID) throw fail(`is ${text.length} characters long (at most ${MAX_ID})`);
	return text;
}

export async function execute(this: IExecuteFunctions, context: ExecutionContext): Promise<INodeExecutionData[]> {
	const { client, credentials, options } = context;
	const successCodes = parseReturnCodes(options.successReturnCodes);
	const supplier = {
		supplierKey: credentials.supplierKey,
		supplierSecret: credentials.supplierSecret,
		headSignMethod: credentials.headSignMethod,
		headVersion: options.headVersion,
	};
	return await runItems<string>(this, {
		concurrency: options.concurrency,
		prepare: (i) => readOrderId(this, i),
		label: (orderId) => orderId,
		run: async (orderId, _i, signal) => {
			// One msg_id per item, the same on every retry of it.
			const result = await cancelStockLock(client, orderId, newMsgId(), supplier, successCodes, { signal });
			const json: IDataObject = {
				orderId: result.orderId,
				success: true,
				returnCode: result.returnCode,
				returnDesc: result.returnDesc,
				requestId: result.requestId ?? null,
				msgId: result.msgId,
			};
			if (options.includeRawResponse) json.response = result.response as IDataObject;
			return json;
		},
	});
}
