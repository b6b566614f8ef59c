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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 128 },
				default: DEFAULTS.concurrency,
				description: 'How many orders are sent at once (1 = one after the other). Output order never changes.',
			},
			{
				displayName: 'Head Version',
				name: 'headVersion',
				type: 'string',
				default: DEFAULTS.headVersion,
				description: 'Value of head.version in the request. Not publicly documented: use what your Damai onboarding documents say.',
			},
			{
				displayName: 'Include Raw Response',
				name: 'includeRawResponse',
				type: 'boolean',
				default: false,
				description: 'Whether to add the parsed gateway answer to each output item as "response"',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULTS.maxRetries,
				description:
					'How often a failed call is tried again: only for throttling, isp.* gateway faults, codes 7/8/10, HTTP 429/5xx, network errors and timeouts. isv.* errors are never retried. Every retry keeps the same msg_id.',
			},
			{
				displayName: 'Min Interval (Ms)',
				name: 'minIntervalMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Least time between two requests, to stay under a known quota (e.g. 100 = at most 10 requests per second). 0 = no spacing.',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'JSON', value: 'json' },
					{ name: 'XML', value: 'xml' },
				],
				default: 'json',
				description: 'Format the gateway answers in (TOP format parameter). Both give the same output.',
			},
			{
				displayName: 'Retry Delay (Ms)',
				name: 'retryDelay',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULTS.retryDelay,
				description: 'First wait before a retry; it doubles each time, with jitter. A gateway ban waits as long as the gateway says (at most 60 s).',
			},
			{
				displayName: 'Success Return Codes',
				name: 'successReturnCodes',
				type: 'string',
				default: DEFAULTS.successReturnCodes,
				description: 'Comma-separated values of result.head.return_code that mean the lock was cancelled. Any other code is a failure.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: DEFAULTS.timeout,
				description: 'Time allowed for each attempt, until the whole answer has arrived',
			},
		],
	},
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
	else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
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
