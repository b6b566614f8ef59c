import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { attemptsOf } from '../../helpers/nodeErrors';
import { runItems } from '../../helpers/runItems';
import { buildHead, describeRequest, newMsgId, SYSTEM_PARAMS, type RequestHead } from '../../transport';
import { optionsCollection } from '../common.descriptions';
import type { ExecutionContext } from '../context';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. alibaba.damai.yuntoc.order.query',
		description: 'The TOP API method name to call, as in its documentation page',
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description:
			'The application parameters, as a JSON object. A value that is an object or array is sent as its JSON text (the way TOP expects complex parameters); numbers and booleans as text. Signed like every call.',
	},
	optionsCollection([
		'dryRun',
		'headParam',
		'concurrency',
		'maxRetries',
		'retryDelay',
		'timeout',
		'minIntervalMs',
		'includeRawResponse',
		'responseFormat',
		'headVersion',
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['custom'], operation: ['apiCall'] } },
	properties,
);

const METHOD = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/i;

interface ApiCallInput {
	method: string;
	params: IDataObject;
	/** The head's msg_id when Add Damai Head To is set, else null (no head, no msg_id). */
	msgId: string | null;
}

/** The Method text of an item whose check failed, for its error item (null when unreadable). */
function methodOf(ctx: IExecuteFunctions, itemIndex: number): string | null {
	try {
		const method = String(ctx.getNodeParameter('method', itemIndex, '') ?? '').trim();
		return method === '' ? null : method.slice(0, 80);
	} catch {
		return null;
	}
}

function readInput(ctx: IExecuteFunctions, itemIndex: number): ApiCallInput {
	const fail = (field: string, why: string) =>
		new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${field} ${why}`, { itemIndex });
	const method = String(ctx.getNodeParameter('method', itemIndex, '') ?? '').trim();
	if (!METHOD.test(method)) throw fail('the Method', `"${method.slice(0, 80)}" is not a TOP method name (like alibaba.damai.yuntoc.order.query)`);
	let raw = ctx.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	if (typeof raw === 'string') {
		try {
			raw = raw.trim() === '' ? {} : JSON.parse(raw);
		} catch {
			throw fail('the Parameters (JSON)', 'are not valid JSON');
		}
	}
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		throw fail('the Parameters (JSON)', 'must be a JSON object of parameter names and values');
	}
	const params = raw as IDataObject;
	for (const name of Object.keys(params)) {
		if (SYSTEM_PARAMS.includes(name)) throw fail('the Parameters (JSON)', `must not set the system parameter "${name}"`);
	}
	return { method, params, msgId: null };
}

export async function execute(this: IExecuteFunctions, context: ExecutionContext): Promise<INodeExecutionData[]> {
	const { client, credentials, options } = context;
	const headParam = options.headParam.trim();
	return await runItems<ApiCallInput>(this, {
		concurrency: options.concurrency,
		prepare: (i) => {
			const input = readInput(this, i);
			const target = input.params[headParam];
			if (headParam && (target === undefined || target === null || typeof target !== 'object' || Array.isArray(target))) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${i}: the Parameters (JSON) need an object "${headParam}" to add the Damai head to`,
					{ itemIndex: i },
				);
			}
			return { ...input, msgId: headParam ? newMsgId() : null };
		},
		redact: client.redact,
		// The same keys as `run` gives, in the same order (README "Custom API Call").
		failed: (input, i, top) => ({
			method: input?.method ?? methodOf(this, i),
			success: false,
			requestId: top?.requestId ?? null,
			msgId: input?.msgId ?? null,
			attempts: attemptsOf(top),
			response: null,
		}),
		run: async ({ method, params, msgId }, _i, signal) => {
			const headFor = (id: string) =>
				buildHead({
					msgId: id,
					supplierKey: credentials.supplierKey,
					supplierSecret: credentials.supplierSecret,
					version: options.headVersion,
					...credentials.headRecipe,
				});
			const withHead = (head: RequestHead) => ({ ...params, [headParam]: { ...(params[headParam] as IDataObject), head } });
			if (options.dryRun) {
				// exactly what one attempt would send now; nothing goes on the wire
				const head = headParam && msgId !== null ? headFor(msgId) : undefined;
				const request = describeRequest(
					client,
					method,
					head ? withHead(head) : params,
					head && { head, supplierSecret: credentials.supplierSecret, recipe: credentials.headRecipe },
				);
				return { method, msgId, dryRun: true, ...request } as unknown as IDataObject;
			}
			const answer = await client.call(method, () => (headParam && msgId !== null ? withHead(headFor(msgId)) : params), { signal });
			return {
				method,
				success: true,
				requestId: answer.requestId ?? null,
				msgId,
				attempts: answer.attempts,
				response: answer.body as IDataObject,
			};
		},
	});
}
