/** Types for test/helpers/engine-harness.js (CommonJS, shared by the tests and the benchmark). */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	Logger,
} from 'n8n-workflow';

export declare const DAMAI_TYPE: 'n8n-nodes-damai.damai';
export declare const ITEMS_TYPE: 'test.items';
/** The execution id the harness gives every run (ctx.getExecutionId()). */
export declare const EXECUTION_ID: 'engine-test-execution';

/**
 * Makes `logger` what n8n hands every node as `ctx.logger` and its services (n8n's DI container);
 * they also ask it for `scoped(scopes)`, a logger of their own. Returns the logger it replaces.
 */
export declare function setLogger(logger: Logger & { scoped(scopes: string | string[]): unknown }): Logger;

/** Fixture node: emits its `items` parameter (JSON list), or `count` items { orderId: prefix + i }. */
export declare class ItemsSource implements INodeType {
	description: INodeType['description'];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** Hands the node the credentials of each type, decrypted, as n8n's credentials helper would. */
export declare class CredentialsHelper extends ICredentialsHelper {
	constructor(data: Record<string, ICredentialDataDecryptedObject>);
}

export interface DamaiNodeOptions {
	parameters?: IDataObject;
	onError?: INode['onError'];
	/** Defaults to `={{ $json.orderId }}`. */
	orderId?: unknown;
	options?: IDataObject;
}

/** The items the Items node emits: these objects, or `count` items { orderId: `${prefix}${i}` }. */
export type ItemsInput = IDataObject[] | { count: number; prefix: string };

export interface EngineRun {
	run: IRun;
	/** The inspected (for runDamai: the Damai) node's outputs: [main] or [main, error]. */
	outputs: INodeExecutionData[][];
	/** The workflow-level error, if the run failed. */
	error?: IRun['data']['resultData']['error'];
	/** The inspected node's own error, if it failed. */
	nodeError?: unknown;
}

export interface Engine {
	/** Items source → Damai (Cancel Stock Lock), executed by n8n's WorkflowExecute. */
	runDamai(
		items: ItemsInput,
		credentials: ICredentialDataDecryptedObject,
		node?: DamaiNodeOptions,
		hooks?: { signal?: AbortSignal },
	): Promise<EngineRun>;
	/**
	 * Runs `nodes` from the first one, with the Damai and Items node types (plus `extraTypes`), and
	 * returns the run and node `inspect`'s outputs.
	 */
	execute(
		nodes: INode[],
		connections: IConnections,
		credentials: ICredentialDataDecryptedObject,
		inspect: string,
		signal?: AbortSignal,
		extraTypes?: Record<string, INodeType>,
	): Promise<EngineRun>;
}

/** The harness for one Damai node class (the TypeScript source in tests, the build in the benchmark). */
export declare function createEngine(DamaiNode: new () => INodeType): Engine;
