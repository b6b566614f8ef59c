/**
 * Runs workflows with the real n8n execution engine (n8n-core's WorkflowExecute over an
 * n8n-workflow Workflow), in this process: the Damai node as n8n would run it — parameters and
 * expressions resolved by n8n, errors handled by n8n (Continue On Fail, error output), pairedItem
 * assigned by n8n — with credentials handed over as n8n's credentials helper would.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type ICredentials,
	type IHttpRequestOptions,
	type INodeProperties,
	type IWorkflowBase,
} from 'n8n-workflow';

import { Damai } from '../../nodes/Damai/Damai.node';

export const DAMAI_TYPE = 'n8n-nodes-damai.damai';
export const ITEMS_TYPE = 'test.items';

/**
 * A test fixture node: emits the items given in its `items` parameter (a JSON array of objects),
 * like a Code node returning a list. Real n8n node type, run by the real engine.
 */
export class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json, i) => ({ json, pairedItem: { item: 0 }, index: i }) as INodeExecutionData)];
	}
}

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;
	constructor(extra: Record<string, INodeType> = {}) {
		this.types = { [DAMAI_TYPE]: new Damai(), [ITEMS_TYPE]: new ItemsSource(), ...extra };
	}
	getByName(type: string): INodeType {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}
	getByNameAndVersion(type: string): INodeType {
		return this.getByName(type);
	}
	getKnownTypes() {
		return {};
	}
}

export class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, options: IHttpRequestOptions) {
		return options;
	}
	async preAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}
	async getDecrypted(_a: unknown, _n: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const found = this.data[type];
		if (!found) throw new Error(`No credentials of type ${type}`);
		return { ...found };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export interface DamaiNodeOptions {
	parameters?: IDataObject;
	onError?: INode['onError'];
	/** Defaults to `={{ $json.orderId }}`. */
	orderId?: unknown;
	options?: IDataObject;
}

export interface EngineRun {
	run: IRun;
	/** The Damai node's outputs: [main] or [main, error]. */
	outputs: INodeExecutionData[][];
	/** The workflow-level error, if the run failed. */
	error?: IRun['data']['resultData']['error'];
	/** The Damai node's own error, if it failed. */
	nodeError?: unknown;
}

/** Items source → Damai (Cancel Stock Lock), executed by n8n's WorkflowExecute. */
export async function runDamai(
	items: IDataObject[],
	credentials: ICredentialDataDecryptedObject,
	node: DamaiNodeOptions = {},
	hooks?: { signal?: AbortSignal },
): Promise<EngineRun> {
	const nodes: INode[] = [
		{
			id: 'src',
			name: 'Items',
			type: ITEMS_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(items) },
		},
		{
			id: 'damai',
			name: 'Damai',
			type: DAMAI_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				resource: 'order',
				operation: 'cancelStockLock',
				orderId: node.orderId ?? '={{ $json.orderId }}',
				options: node.options ?? {},
				...(node.parameters ?? {}),
			} as unknown as INode['parameters'],
			credentials: { damaiApi: { id: '1', name: 'Damai test' } },
			...(node.onError ? { onError: node.onError } : {}),
		},
	];
	const connections: IConnections = { Items: { main: [[{ node: 'Damai', type: 'main', index: 0 }]] } };
	return await execute(nodes, connections, credentials, 'Damai', hooks?.signal);
}

/**
 * Runs `nodes` from the first one, with the Damai and Items node types (plus `extraTypes`), and
 * returns the run and node `inspect`'s outputs.
 */
export async function execute(
	nodes: INode[],
	connections: IConnections,
	credentials: ICredentialDataDecryptedObject,
	inspect: string,
	signal?: AbortSignal,
	extraTypes: Record<string, INodeType> = {},
): Promise<EngineRun> {
	const nodeTypes = new NodeTypes(extraTypes);
	const workflow = new Workflow({ id: 'engine-test', nodes, connections, nodeTypes, active: false, settings: {} });
	const workflowData: IWorkflowBase = {
		id: 'engine-test',
		name: 'engine test',
		active: false,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	const additionalData = {
		hooks,
		credentialsHelper: new CredentialsHelper({ damaiApi: credentials }),
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used here');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const start = workflow.getNode(nodes[0].name)!;
	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const promise = workflowExecute.processRunExecutionData(workflow);
	if (signal) signal.addEventListener('abort', () => promise.cancel(), { once: true });
	const run = await promise;
	const task = run.data.resultData.runData[inspect]?.[0];
	return {
		run,
		outputs: (task?.data?.main ?? []).map((items) => items ?? []),
		error: run.data.resultData.error,
		nodeError: task?.error,
	};
}
