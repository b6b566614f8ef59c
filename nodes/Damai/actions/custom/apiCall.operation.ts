import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

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
		'concurrency',
		'dryRun',
		'headParam',
		'headVersion',
		'includeRawResponse',
		'maxRetries',
		'minIntervalMs',
		'responseFormat',
		'retryDelay',
		'timeout',
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
	return { method, params };
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
			return input;
		},
		label: () => undefined,
		run: async ({ method, params }, _i, signal) => {
			const msgId = newMsgId();
			const headFor = () =>
				buildHead({
					msgId,
					supplierKey: credentials.supplierKey,
					supplierSecret: credentials.supplierSecret,
					version: options.headVersion,
					...credentials.headRecipe,
					signMethod: credentials.headSignMethod,
				});
			const withHead = (head: RequestHead) => ({ ...params, [headParam]: { ...(params[headParam] as IDataObject), head } });
			if (options.dryRun) {
				// exactly what one attempt would send now; nothing goes on the wire
				const head = headParam ? headFor() : undefined;
				const request = describeRequest(
					client,
					method,
					head ? withHead(head) : params,
					head && { head, supplierSecret: credentials.supplierSecret, recipe: { ...credentials.headRecipe, signMethod: credentials.headSignMethod } },
				);
				return { method, ...(headParam ? { msgId } : {}), dryRun: true, ...request } as unknown as IDataObject;
			}
			const answer = await client.call(method, () => (headParam ? withHead(headFor()) : params), { signal });
			const json: IDataObject = {
				method,
				success: true,
				requestId: answer.requestId ?? null,
				response: answer.body as IDataObject,
			};
			if (headParam) json.msgId = msgId;
			return json;
		},
	});
}
