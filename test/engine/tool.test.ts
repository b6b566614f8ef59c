/**
 * The Damai node as an AI-agent tool (`usableAsTool: true`).
 *
 * How n8n 2.8 does it (n8n/dist/node-types.js + tool-generation/ai-tools.js, n8n-core
 * get-input-connection-data.ts + create-node-as-tool.ts):
 *  1. asked for `n8n-nodes-damai.damaiTool`, n8n's NodeTypes clones the node type and converts
 *     its description (`convertNodeToAiTool`: name + 'Tool', no inputs, one `ai_tool` output, a
 *     "Tool Description" parameter, `usableAsTool` removed); `execute` stays the node's own;
 *  2. the agent node asks for its tools with `getInputConnectionData('ai_tool')`; n8n-core wraps
 *     the tool node with `createNodeAsTool`: a LangChain DynamicStructuredTool whose schema comes
 *     from the node's `$fromAI(...)` placeholders and whose description comes from the node;
 *  3. when the model calls the tool, n8n-core records the model's arguments as the tool node's
 *     `ai_tool` input and runs the node's `execute` in a SupplyDataContext; resolving
 *     `$fromAI('orderId', …)` reads that input.
 *
 * Steps 2 and 3 are n8n-core's own code, run here by WorkflowExecute. Step 1 lives in the n8n
 * CLI package (not a dependency here), so `asTool` below repeats what it does to the description.
 * A fixture "agent" node plays the model: it calls the tool with the arguments a model would give.
 */
import {
	NodeConnectionTypes,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IConnections,
	type IRun,
} from 'n8n-workflow';

import { Damai } from '../../nodes/Damai/Damai.node';
import { execute, runDamai } from '../helpers/engine';
import { SECRETS, findSecrets, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const TOOL_TYPE = 'n8n-nodes-damai.damaiTool';
const AGENT_TYPE = 'test.agent';
const FROM_AI_ORDER_ID = "={{ $fromAI('orderId', 'The Damai order id', 'string') }}";

/** What n8n 2.8.4's convertNodeToAiTool does to a node type (n8n/dist/tool-generation/ai-tools.js). */
function asTool(nodeType: INodeType): INodeType {
	const source = nodeType.description;
	const properties = [...source.properties];
	const hasResourceOrOperation = properties.some((p) => p.name === 'resource' || p.name === 'operation');
	const toolDescription: INodeProperties = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: source.description,
		required: true,
		typeOptions: { rows: 2 },
		description: 'Explain to the LLM what this tool does',
		...(hasResourceOrOperation ? { displayOptions: { show: { descriptionType: ['manual'] } } } : {}),
	};
	const descriptionType: INodeProperties = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto', description: 'Automatically set based on resource and operation' },
			{ name: 'Set Manually', value: 'manual', description: 'Manually set the description' },
		],
		default: 'auto',
	};
	properties.unshift(...(hasResourceOrOperation ? [descriptionType, toolDescription] : [toolDescription]));
	const description: INodeTypeDescription = {
		...source,
		name: `${source.name}Tool`,
		displayName: `${source.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties,
	};
	delete description.usableAsTool;
	// Like n8n: the same object underneath (execute, methods), another description.
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

/** The part of the LangChain DynamicStructuredTool that n8n-core's createNodeAsTool gives an agent. */
interface AgentTool {
	name: string;
	description: string;
	schema: { shape: Record<string, { description?: string; _def: { typeName: string } }> };
	invoke(args: IDataObject): Promise<unknown>;
}

/**
 * Plays the AI agent and its model: gets its tools from n8n (getInputConnectionData), then for
 * each input item calls the tool named in `tool` with the arguments in `args`, as a model would.
 */
class FakeAgent implements INodeType {
	description = {
		displayName: 'Agent',
		name: 'agent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools with fixed arguments',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as AgentTool[];
		const out: INodeExecutionData[] = [];
		for (const [i, item] of this.getInputData().entries()) {
			const { tool: toolName, args } = item.json as { tool: string; args: IDataObject };
			const tool = tools.find((t) => t.name === toolName);
			if (!tool) throw new Error(`no tool ${toolName}; have ${tools.map((t) => t.name).join(', ')}`);
			const json: IDataObject = {
				toolName: tool.name,
				toolDescription: tool.description,
				schema: Object.fromEntries(
					Object.entries(tool.schema.shape).map(([key, zod]) => [key, { type: zod._def.typeName, description: zod.description ?? null }]),
				),
			};
			try {
				json.answer = JSON.parse(String(await tool.invoke(args)));
			} catch (error) {
				json.error = (error as Error).message;
			}
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}

const damai = new Damai();
const agentTypes: Record<string, INodeType> = { [TOOL_TYPE]: asTool(damai), [AGENT_TYPE]: new FakeAgent() };

/** Items → Agent, with the Damai tool (parameters as a user would set them) on the agent's ai_tool input. */
async function runAgent(
	calls: Array<{ tool?: string; args: IDataObject }>,
	credentials: ICredentialDataDecryptedObject,
	toolParameters: IDataObject = {},
): Promise<{ run: IRun; items: IDataObject[]; toolNode: INode }> {
	const toolNode: INode = {
		id: 'damai-tool',
		name: 'Cancel Damai stock lock',
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [200, 200],
		parameters: {
			descriptionType: 'auto',
			resource: 'order',
			operation: 'cancelStockLock',
			orderId: FROM_AI_ORDER_ID,
			options: {},
			...toolParameters,
		} as INode['parameters'],
		credentials: { damaiApi: { id: '1', name: 'Damai sandbox' } },
	};
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			// The agent's own input items carry an orderId too: the tool must not use it.
			parameters: { items: JSON.stringify(calls.map((c) => ({ tool: c.tool ?? 'Cancel_Damai_stock_lock', args: c.args, orderId: 'NOT-FROM-THE-MODEL' }))) },
		},
		{ id: 'agent', name: 'Agent', type: AGENT_TYPE, typeVersion: 1, position: [200, 0], parameters: {} },
		toolNode,
	];
	const connections: IConnections = {
		Items: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
		[toolNode.name]: { ai_tool: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] },
	};
	const { run } = await execute(nodes, connections, credentials, 'Agent', undefined, agentTypes);
	const error = run.data.resultData.error;
	if (error) throw new Error(`workflow failed: ${error.message} ${error.description ?? ''}`);
	const items = (run.data.resultData.runData.Agent?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	return { run, items, toolNode };
}

const sandbox = useSandbox();

describe('what n8n needs to offer the node to an AI agent', () => {
	const { description } = new Damai();
	const operations = description.properties.filter((p) => p.name === 'operation');

	test('the node is usable as a tool', () => {
		expect(description.usableAsTool).toBe(true);
		// n8n's tool wrapper appends "Tool" to the type name and takes the node's own description as
		// the default tool description.
		const tool = asTool(new Damai()).description;
		expect(tool.name).toBe('damaiTool');
		expect(tool.outputs).toEqual([NodeConnectionTypes.AiTool]);
		expect(tool.properties.find((p) => p.name === 'toolDescription')?.default).toBe(description.description);
	});

	test('every operation has an action and a description', () => {
		expect(operations.length).toBeGreaterThanOrEqual(2);
		for (const operation of operations) {
			for (const option of operation.options as Array<{ name: string; value: string; action?: string; description?: string }>) {
				expect({ value: option.value, action: option.action?.trim() }).toEqual({ value: option.value, action: expect.any(String) });
				expect(option.action!.length).toBeGreaterThan(5);
				expect(option.description?.trim().length).toBeGreaterThan(10);
			}
		}
		const cancel = (operations.flatMap((o) => o.options) as Array<{ value: string; description: string }>).find(
			(o) => o.value === 'cancelStockLock',
		)!;
		expect(cancel.description).toMatch(/irreversible|cannot be undone/i);
	});

	test('the fields a model fills are described for it', () => {
		const field = (name: string) => description.properties.find((p) => p.name === name)!;
		for (const name of ['orderId', 'method', 'parameters']) {
			expect(field(name).description?.trim().length).toBeGreaterThan(20);
		}
		// What an order id is, and that cancelling cannot be undone.
		expect(field('orderId').description).toMatch(/order/i);
		expect(field('orderId').description).toMatch(/cannot be undone|irreversible/i);
		// Options a model might be asked to set are described too.
		for (const collection of description.properties.filter((p) => p.type === 'collection')) {
			for (const option of collection.options as INodeProperties[]) {
				expect({ name: option.name, description: option.description?.trim() }).toEqual({
					name: option.name,
					description: expect.stringMatching(/\S{3}/),
				});
			}
		}
	});

	test('n8n derives the tool description from the chosen operation', () => {
		const node = { parameters: { descriptionType: 'auto', resource: 'order', operation: 'cancelStockLock' } } as unknown as INode;
		expect(NodeHelpers.getToolDescriptionForNode(node, asTool(new Damai()))).toBe('Cancel the stock lock of an order in Damai');
	});
});

describe('as a tool of an agent, in n8n’s engine, against the sandbox', () => {
	test('the model-supplied order id is the one cancelled', async () => {
		const { items, run, toolNode } = await runAgent([{ args: { orderId: 'AI-ORDER-7' } }], sandboxCredentials(sandbox));
		expect(items).toHaveLength(1);
		const [result] = items;
		// What the model sees: a tool named after the node, described by the operation, whose only
		// argument is the $fromAI placeholder, with its description and type.
		expect(result.toolName).toBe('Cancel_Damai_stock_lock');
		expect(result.toolDescription).toBe('Cancel the stock lock of an order in Damai');
		expect(result.schema).toEqual({ orderId: { type: 'ZodString', description: 'The Damai order id' } });
		// What the tool answered: the node's output item for that order id.
		expect(result.error).toBeUndefined();
		expect(result.answer).toEqual([
			expect.objectContaining({ orderId: 'AI-ORDER-7', success: true, returnCode: expect.anything(), msgId: expect.any(String) }),
		]);
		// The gateway cancelled exactly that order, once.
		expect(sandbox.stats.cancelled).toEqual({ 'AI-ORDER-7': 1 });
		expect(sandbox.requests.map((r) => r.orderId)).toEqual(['AI-ORDER-7']);
		// n8n recorded the tool run with the model's arguments as its ai_tool input.
		const toolRuns = run.data.resultData.runData[toolNode.name];
		expect(toolRuns).toHaveLength(1);
		expect(toolRuns[0].inputOverride?.ai_tool?.[0]?.[0]?.json).toEqual({ orderId: 'AI-ORDER-7' });
		expect(findSecrets(run)).toEqual([]);
	});

	test('several calls in one agent run each cancel their own order', async () => {
		const { items, run, toolNode } = await runAgent(
			[{ args: { orderId: 'AI-1' } }, { args: { orderId: 'AI-2' } }, { args: { orderId: 'AI-3' } }],
			sandboxCredentials(sandbox),
		);
		expect(items.map((i) => (i.answer as IDataObject[])[0].orderId)).toEqual(['AI-1', 'AI-2', 'AI-3']);
		expect(sandbox.stats.cancelled).toEqual({ 'AI-1': 1, 'AI-2': 1, 'AI-3': 1 });
		expect(run.data.resultData.runData[toolNode.name]).toHaveLength(3);
	});

	test('a bad model-supplied order id is refused before any request, and the agent is told why', async () => {
		const { items } = await runAgent([{ args: { orderId: '   ' } }, { args: { orderId: 'AI-OK' } }], sandboxCredentials(sandbox));
		expect(items[0].answer).toBeUndefined();
		expect(items[0].error).toMatch(/the Order ID is empty[\s\S]*No request was sent/);
		expect(items[1].answer).toEqual([expect.objectContaining({ orderId: 'AI-OK', success: true })]);
		expect(sandbox.requests.map((r) => r.orderId)).toEqual(['AI-OK']);
	});

	test('a gateway error reaches the agent as the tool error, without secrets', async () => {
		const { items } = await runAgent([{ args: { orderId: 'AI-ORDER-9' } }], sandboxCredentials(sandbox, { appSecret: 'wrong-secret' }));
		expect(items[0].answer).toBeUndefined();
		expect(items[0].error).toMatch(/code 25.*Invalid signature/);
		expect(findSecrets(items, [...Object.values(SECRETS), 'wrong-secret'])).toEqual([]);
		expect(sandbox.stats.cancelled).toEqual({});
	});

	test('the model’s arguments are validated against the placeholder types', async () => {
		const { items } = await runAgent([{ args: {} }], sandboxCredentials(sandbox));
		expect(items[0].answer).toBeUndefined();
		expect(String(items[0].error)).toMatch(/schema|orderId|Required/i);
		expect(sandbox.stats.total).toBe(0);
	});
});

describe('$fromAI outside an agent', () => {
	// Run as a plain node (e.g. "Execute step" on its own), n8n-workflow 2.8 resolves
	// $fromAI('orderId') from the input item's field of the same name (or its `query`).
	test('reads the same-named field of the input', async () => {
		const { outputs, error } = await runDamai([{ orderId: 'PLAIN-1' }], sandboxCredentials(sandbox), { orderId: FROM_AI_ORDER_ID });
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json)).toEqual([expect.objectContaining({ orderId: 'PLAIN-1', success: true })]);
		expect(sandbox.stats.cancelled).toEqual({ 'PLAIN-1': 1 });
	});
});
