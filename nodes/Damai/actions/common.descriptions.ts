import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS } from '../transport';

// Plain names for the defaults (n8n's node-param-default-missing rule does not take `DEFAULTS.x` as a default).
const {
	concurrency: DEFAULT_CONCURRENCY,
	maxConcurrency: MAX_CONCURRENCY,
	headVersion: DEFAULT_HEAD_VERSION,
	maxRetries: DEFAULT_MAX_RETRIES,
	retryDelay: DEFAULT_RETRY_DELAY,
	successReturnCodes: DEFAULT_SUCCESS_RETURN_CODES,
	timeout: DEFAULT_TIMEOUT,
} = DEFAULTS;

/**
 * Options shared by the operations. Each operation lists the ones it uses in its own `options`
 * collection; they are read once per execution (helpers/options.ts).
 */
export const option: Record<string, INodeProperties> = {};

const all: INodeProperties[] = [
	{
		displayName: 'Audit Log',
		name: 'auditLog',
		type: 'options',
		options: [
			{
				name: 'Attempts and Outcomes',
				value: 'attemptsAndOutcomes',
				description:
					"A line when each attempt is sent and one with each order's outcome: after a crash the log tells apart the orders done, in doubt and never sent",
			},
			{ name: 'Off', value: 'off', description: 'Nothing in the log' },
			{
				name: 'Outcomes Only',
				value: 'outcomes',
				description: "A line with each order's outcome: after a crash, orders in doubt and never sent look alike",
			},
		],
		default: 'attemptsAndOutcomes',
		description:
			"What the node writes to n8n's log for each order (level info, to n8n's log outputs: console, file, each queue-mode worker's log): order ID, msg_id, outcome, return code or error, request ID, attempts, execution ID, node. Never a secret.",
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: DEFAULT_CONCURRENCY,
		description: 'How many items are sent at once (1 = one after the other). Output order never changes.',
	},
	{
		displayName: 'Add Damai Head To',
		name: 'headParam',
		type: 'string',
		default: '',
		placeholder: 'e.g. param_order_query_request',
		description:
			'Name of the application parameter (an object) that gets a signed Damai request head (msg_id, supplier_key, supplier_secret, time_stamp, version, signed) from the credential, as Cancel Stock Lock sends it. Leave empty to send the parameters as they are.',
	},
	{
		displayName: 'Head Version',
		name: 'headVersion',
		type: 'string',
		default: DEFAULT_HEAD_VERSION,
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
		default: DEFAULT_MAX_RETRIES,
		description:
			'How often a failed call is tried again: only for throttling, isp.* gateway faults, codes 7/8/10, HTTP 429/5xx, network errors and timeouts. isv.* errors are never retried. Every retry keeps the same msg_id.',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.orderId }}',
		description:
			"The request head's msg_id for each item. Without this option every item gets a new UUID (kept on every retry of the item). Set it to an expression that is the same whenever the same order is sent (the order ID itself, as in the example), so that a batch sent again (after a queue-mode worker died, or by a caller that retries) carries the same msg_id and the gateway can answer it as a repeat. At most 64 characters; two items may share one only for the same order.",
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
		default: DEFAULT_RETRY_DELAY,
		description: 'First wait before a retry; it doubles each time, with jitter. A gateway ban waits as long as the gateway says (at most 60 s).',
	},
	{
		displayName: 'Success Return Codes',
		name: 'successReturnCodes',
		type: 'string',
		default: DEFAULT_SUCCESS_RETURN_CODES,
		description: 'Comma-separated values of result.head.return_code that mean the lock was cancelled. Any other code is a failure.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: DEFAULT_TIMEOUT,
		description: 'Time allowed for each attempt, until the whole answer has arrived',
	},
];
for (const property of all) option[property.name] = property;

export function optionsCollection(names: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: names.map((name) => option[name]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
