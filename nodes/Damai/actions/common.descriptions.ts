import type { INodeProperties } from 'n8n-workflow';

import { OPTION_LIMITS } from '../helpers/options';
import { DEFAULTS } from '../transport';

// Plain names for the defaults (n8n's node-param-default-missing rule does not take `DEFAULTS.x` as a default).
const {
	concurrency: DEFAULT_CONCURRENCY,
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
		typeOptions: { ...OPTION_LIMITS.concurrency },
		default: DEFAULT_CONCURRENCY,
		description: 'How many orders are sent at once (1 = one after the other). The output keeps the input order.',
	},
	{
		displayName: 'Add Damai Head To',
		name: 'headParam',
		type: 'string',
		default: '',
		placeholder: 'e.g. param_order_query_request',
		description:
			'Name of the parameter (an object) that gets the signed Damai request head from the credential, as Cancel Stock Lock sends it. Leave empty to send the parameters as they are. <a href="https://github.com/n8n-nodes-damai/n8n-nodes-damai#the-request-head-what-is-and-is-not-known">The head</a>.',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			"Whether to build and sign each item's request and output it instead of sending it: the gateway URL, the system parameters with sign, the application parameters' JSON text with the head, the strings that were signed and the proxy that would carry it, every secret masked. Nothing is sent. Compare it with Damai's onboarding document, or send it to Damai's support.",
	},
	{
		displayName: 'Head Version',
		name: 'headVersion',
		type: 'string',
		default: DEFAULT_HEAD_VERSION,
		description: 'The version your Damai onboarding documents name. Leave it unless Damai told you otherwise.',
	},
	{
		displayName: 'Include Raw Response',
		name: 'includeRawResponse',
		type: 'boolean',
		default: false,
		description: "Whether to add Damai's whole answer to each item as \"response\" (for troubleshooting)",
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { ...OPTION_LIMITS.maxRetries },
		default: DEFAULT_MAX_RETRIES,
		description:
			'How often one order is tried again when Damai is busy, limits the rate or cannot be reached. Refusals (such as an unknown order) are never retried. n8n\'s own Retry On Fail (node settings) instead runs the whole node again, every order included: leave it off. <a href="https://github.com/n8n-nodes-damai/n8n-nodes-damai#retries-and-throttling">Retries</a>.',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.orderId }}',
		description:
			'An ID that lets Damai recognise an order sent twice (e.g. after a restart). Leave empty for a new ID per order, or use the order ID as in the example. <a href="https://github.com/n8n-nodes-damai/n8n-nodes-damai#scaling-out-queue-mode">When to set it</a>.',
	},
	{
		displayName: 'Minimum Time Between Requests',
		name: 'minIntervalMs',
		type: 'number',
		typeOptions: { ...OPTION_LIMITS.minIntervalMs },
		default: 0,
		description: 'In milliseconds, to stay under a known quota (e.g. 100 = at most 10 requests per second). 0 = no spacing.',
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
		description: 'The format Damai answers in. Both give the same output: leave JSON unless told otherwise.',
	},
	{
		displayName: 'Retry Wait',
		name: 'retryDelay',
		type: 'number',
		typeOptions: { ...OPTION_LIMITS.retryDelay },
		default: DEFAULT_RETRY_DELAY,
		description: 'In milliseconds: the wait before the first retry; it doubles for each further retry. When Damai asks to wait longer, the node waits as asked (at most a minute).',
	},
	{
		displayName: 'Success Return Codes',
		name: 'successReturnCodes',
		type: 'string',
		default: DEFAULT_SUCCESS_RETURN_CODES,
		description: 'The return codes that mean the lock was cancelled, separated by commas. Any other code makes the item fail.',
	},
	{
		displayName: 'Timeout per Attempt',
		name: 'timeout',
		type: 'number',
		typeOptions: { ...OPTION_LIMITS.timeout },
		default: DEFAULT_TIMEOUT,
		description: "In milliseconds: how long to wait for Damai's whole answer before trying again (see Max Retries)",
	},
];
for (const property of all) option[property.name] = property;

/** The options in the order given: the ones an operations user sets first, protocol settings last. */
export function optionsCollection(names: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: names.map((name) => option[name]),
	};
}
