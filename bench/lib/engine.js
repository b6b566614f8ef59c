// @ts-check
'use strict';

/**
 * The Damai node (from dist/) run by n8n's real engine: n8n-core's WorkflowExecute over an
 * n8n-workflow Workflow, the same set-up as test/helpers/engine.ts, in plain JavaScript so the
 * benchmark needs no TypeScript step. An "Items" fixture node emits `count` items
 * { orderId: `${prefix}${i}` } (like a Code node returning a list), then Damai cancels them.
 */

const path = require('node:path');
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, Workflow } = require('n8n-workflow');
const { DIST } = require('./dist');

const DAMAI_TYPE = 'n8n-nodes-damai.damai';
const ITEMS_TYPE = 'bench.items';

function loadDamai() {
	const file = path.join(DIST, 'nodes', 'Damai', 'Damai.node.js');
	try {
		return require(file).Damai;
	} catch (e) {
		throw new Error(`cannot load ${file} (run npm run build first): ${/** @type {Error} */ (e).message}`);
	}
}

class ItemsSource {
	constructor() {
		this.description = {
			displayName: 'Items',
			name: 'items',
			group: ['input'],
			version: 1,
			description: 'Emits count items { orderId }',
			defaults: { name: 'Items' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Count', name: 'count', type: 'number', default: 1 },
				{ displayName: 'Prefix', name: 'prefix', type: 'string', default: 'BENCH-' },
			],
		};
	}
	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const count = /** @type {number} */ (this.getNodeParameter('count', 0));
		const prefix = /** @type {string} */ (this.getNodeParameter('prefix', 0));
		const out = new Array(count);
		for (let i = 0; i < count; i++) out[i] = { json: { orderId: `${prefix}${i}` }, pairedItem: { item: 0 } };
		return [out];
	}
}

class NodeTypes {
	constructor() {
		const Damai = loadDamai();
		/** @type {Record<string, any>} */
		this.types = { [DAMAI_TYPE]: new Damai(), [ITEMS_TYPE]: new ItemsSource() };
	}
	/** @param {string} type */
	getByName(type) {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}
	/** @param {string} type */
	getByNameAndVersion(type) {
		return this.getByName(type);
	}
	getKnownTypes() {
		return {};
	}
}

class CredentialsHelper extends ICredentialsHelper {
	/** @param {Record<string, any>} data */
	constructor(data) {
		super();
		this.data = data;
	}
	getParentTypes() {
		return [];
	}
	/** @param {any} _c @param {any} _t @param {any} options */
	async authenticate(_c, _t, options) {
		return options;
	}
	async preAuthentication() {
		return undefined;
	}
	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used');
	}
	/** @param {any} _a @param {any} _n @param {string} type */
	async getDecrypted(_a, _n, type) {
		const found = this.data[type];
		if (!found) throw new Error(`No credentials of type ${type}`);
		return { ...found };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

let nodeTypes;

/**
 * Items(count) → Damai (Cancel Stock Lock) in WorkflowExecute.
 * @param {{ count: number, prefix?: string, credentials: Record<string, unknown>, options?: Record<string, unknown>, onError?: string, orderId?: string }} spec
 *   `orderId` replaces the default expression `={{ $json.orderId }}` (e.g. a fixed text, to see what n8n's expression evaluation costs)
 * @returns {Promise<{ items: any[], error: any, nodeError: any, nodeMs: number | undefined }>}
 */
async function runDamai(spec) {
	nodeTypes ??= new NodeTypes();
	const nodes = [
		{
			id: 'src',
			name: 'Items',
			type: ITEMS_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { count: spec.count, prefix: spec.prefix ?? 'BENCH-' },
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
				orderId: spec.orderId ?? '={{ $json.orderId }}',
				options: spec.options ?? {},
			},
			credentials: { damaiApi: { id: '1', name: 'Damai bench' } },
			...(spec.onError ? { onError: spec.onError } : {}),
		},
	];
	const connections = { Items: { main: [[{ node: 'Damai', type: 'main', index: 0 }]] } };
	const workflow = new Workflow({
		id: 'bench',
		nodes: /** @type {any} */ (nodes),
		connections: /** @type {any} */ (connections),
		nodeTypes: /** @type {any} */ (nodeTypes),
		active: false,
		settings: {},
	});
	const workflowData = { id: 'bench', name: 'bench', active: false, isArchived: false, nodes, connections, createdAt: new Date(), updatedAt: new Date() };
	const hooks = new ExecutionLifecycleHooks('manual', 'bench-execution', /** @type {any} */ (workflowData));
	const additionalData = /** @type {any} */ ({
		hooks,
		credentialsHelper: new CredentialsHelper({ damaiApi: spec.credentials }),
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
	});
	const start = workflow.getNode('Items');
	const runExecutionData = /** @type {any} */ ({
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	});
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData.Damai?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: run.data.resultData.error,
		nodeError: task?.error,
		/** the Damai node's own execution time as n8n recorded it (ms) */
		nodeMs: task?.executionTime,
	};
}

module.exports = { runDamai };
