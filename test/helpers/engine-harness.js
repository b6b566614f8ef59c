// @ts-check
'use strict';

/**
 * The one engine harness, shared by the tests (test/helpers/engine.ts, with the TypeScript source
 * of the node) and the benchmark (tooling/bench/lib/engine.js, with the built node from dist/): workflows
 * run by the real n8n execution engine (n8n-core's WorkflowExecute over an n8n-workflow Workflow),
 * in this process — parameters and expressions resolved by n8n, errors handled by n8n (Continue On
 * Fail, error output), pairedItem assigned by n8n — with credentials handed over as n8n's
 * credentials helper would. Plain JavaScript (types in engine-harness.d.ts), so the benchmark needs
 * no TypeScript step.
 */

const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, Workflow } = require('n8n-workflow');
// n8n's DI container and Logger class, the ones n8n-core itself uses (ctx.logger of every node is
// Container.get(Logger)); tooling/jest/engine-newest.config.js maps them with n8n-core.
const { Container } = require('@n8n/di');
const { Logger } = require('@n8n/backend-common');

/** The execution id the harness gives every run (n8n gives each execution its database id). */
const EXECUTION_ID = 'engine-test-execution';

/**
 * Makes `logger` what n8n hands every node as `ctx.logger`, and its own services (n8n's own
 * Logger, built from its N8N_LOG_* settings, until this is called). Those ask for
 * `logger.scoped(scopes)`: a logger of their own. Returns the logger it replaces.
 * @param {import('n8n-workflow').Logger & { scoped(scopes: string | string[]): unknown }} logger
 * @returns {import('n8n-workflow').Logger}
 */
function setLogger(logger) {
	const previous = Container.get(Logger);
	Container.set(Logger, logger);
	return previous;
}

const DAMAI_TYPE = 'n8n-nodes-damai.damai';
const ITEMS_TYPE = 'test.items';

/**
 * A fixture node: emits the items of its `items` parameter (a JSON array of objects), like a Code
 * node returning a list; or, when `count` > 0, `count` items { orderId: `${prefix}${i}` } made in
 * the node (so a 50k-item benchmark run carries no 50k-item parameter). Real n8n node type, run by
 * the real engine.
 */
class ItemsSource {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Count', name: 'count', type: 'number', default: 0 },
			{ displayName: 'Prefix', name: 'prefix', type: 'string', default: '' },
		],
	};

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const count = /** @type {number} */ (this.getNodeParameter('count', 0, 0));
		if (count > 0) {
			const prefix = /** @type {string} */ (this.getNodeParameter('prefix', 0, ''));
			const out = new Array(count);
			for (let i = 0; i < count; i++) out[i] = { json: { orderId: `${prefix}${i}` }, pairedItem: { item: 0 } };
			return [out];
		}
		const raw = this.getNodeParameter('items', 0);
		const list = /** @type {import('n8n-workflow').IDataObject[]} */ (typeof raw === 'string' ? JSON.parse(raw) : raw);
		return [list.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

class NodeTypes {
	/** @param {Record<string, any>} types */
	constructor(types) {
		this.types = types;
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
	/** @param {Record<string, import('n8n-workflow').ICredentialDataDecryptedObject>} data */
	constructor(data) {
		super();
		this.data = data;
	}
	getParentTypes() {
		return [];
	}
	/** @param {unknown} _c @param {unknown} _t @param {import('n8n-workflow').IHttpRequestOptions} options */
	async authenticate(_c, _t, options) {
		return options;
	}
	async preAuthentication() {
		return undefined;
	}
	// n8n-workflow 2.4x: the same two questions under their newer names. n8n's own helper answers
	// true for a credential type without `restrictToSupportedNodes`, as the Damai credential is.
	async runPreAuthentication() {
		return undefined;
	}
	isCredentialUsableByNode() {
		return true;
	}
	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used');
	}
	/** @param {unknown} _a @param {unknown} _n @param {string} type */
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

/**
 * What n8n hands a node besides its parameters: URLs, hooks, credentials; no sub-workflows, no task runners.
 * @param {InstanceType<typeof ExecutionLifecycleHooks>} hooks
 * @param {import('n8n-workflow').ICredentialDataDecryptedObject} credentials
 */
function additionalData(hooks, credentials) {
	const base = 'http://127.0.0.1';
	return {
		hooks,
		executionId: EXECUTION_ID,
		credentialsHelper: new CredentialsHelper({ damaiApi: credentials }),
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used here');
		},
	};
}

/**
 * The harness for one Damai node class: the TypeScript source in the tests, the build in the
 * benchmark.
 * @param {new () => import('n8n-workflow').INodeType} DamaiNode
 */
function createEngine(DamaiNode) {
	const damai = new DamaiNode();
	const items = new ItemsSource();

	/** @type {import('./engine-harness').Engine['execute']} */
	async function execute(nodes, connections, credentials, inspect, signal, extraTypes = {}) {
		const nodeTypes = new NodeTypes({ [DAMAI_TYPE]: damai, [ITEMS_TYPE]: items, ...extraTypes });
		const workflow = new Workflow({ id: 'engine-test', nodes, connections, nodeTypes, active: false, settings: {} });
		const now = new Date();
		const workflowData = { id: 'engine-test', name: 'engine test', active: false, isArchived: false, nodes, connections, createdAt: now, updatedAt: now };
		const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', /** @type {any} */ (workflowData));
		const start = /** @type {import('n8n-workflow').INode} */ (workflow.getNode(nodes[0].name));
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
		const data = /** @type {any} */ (additionalData(hooks, credentials));
		const promise = new WorkflowExecute(data, 'manual', runExecutionData).processRunExecutionData(workflow);
		if (signal) signal.addEventListener('abort', () => promise.cancel(), { once: true });
		const run = await promise;
		const task = run.data.resultData.runData[inspect]?.[0];
		return {
			run,
			outputs: (task?.data?.main ?? []).map((list) => list ?? []),
			error: run.data.resultData.error,
			nodeError: task?.error,
		};
	}

	/** @type {import('./engine-harness').Engine['runDamai']} */
	async function runDamai(input, credentials, node = {}, hooks) {
		const source = Array.isArray(input) ? { items: JSON.stringify(input) } : { count: input.count, prefix: input.prefix };
		const parameters = {
			resource: 'order',
			operation: 'cancelStockLock',
			orderId: node.orderId ?? '={{ $json.orderId }}',
			options: node.options ?? {},
			...(node.parameters ?? {}),
		};
		/** @type {import('n8n-workflow').INode[]} */
		const nodes = [
			{ id: 'src', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [0, 0], parameters: source },
			{ id: 'damai', name: 'Damai', type: DAMAI_TYPE, typeVersion: 1, position: [200, 0], parameters: /** @type {any} */ (parameters), credentials: { damaiApi: { id: '1', name: 'Damai test' } }, ...(node.onError ? { onError: node.onError } : {}) },
		];
		const connections = { Items: { main: [[{ node: 'Damai', type: /** @type {const} */ ('main'), index: 0 }]] } };
		return await execute(nodes, connections, credentials, 'Damai', hooks?.signal);
	}

	return { runDamai, execute };
}

module.exports = { createEngine, setLogger, ItemsSource, CredentialsHelper, DAMAI_TYPE, ITEMS_TYPE, EXECUTION_ID };
