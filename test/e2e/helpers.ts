/**
 * Shared pieces of the end-to-end suite: a real n8n (tooling/n8n) with this package's dist/ loaded,
 * the sandbox gateway in this process, workflow builders, item checks and the secret scan.
 */
import * as path from 'node:path';
import * as n8n from '../../tooling/n8n';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../tooling/sandbox/server';
import { ITEM_KEYS, NO_FAILURE } from '../helpers/items';

export { n8n };
export type { Sandbox };

/**
 * The n8n version this test file runs on: one jest project per version (the root jest.config.js) sets
 * it. Every test name starts with `n8n <VERSION>`.
 */
export const VERSION: string = String((globalThis as { E2E_N8N_VERSION?: unknown }).E2E_N8N_VERSION ?? n8n.DEFAULT_VERSION);
/** The prefix of every top-level describe: `n8n 2.41.1 (Node 24.22.3)`, `n8n 2.8.4`. */
export const ON = (() => {
	const runtime = n8n.runtimeFor(VERSION);
	return `n8n ${VERSION}${runtime.pinned ? ` (Node ${runtime.version})` : ''}`;
})();

/** Override with E2E_DIST=<folder> to test another build of the package. */
export const EXTENSIONS = [process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : n8n.DIST_DIR];
export const DAMAI_TYPE = 'n8n-nodes-damai.damai';

/** Minutes, for jest hook timeouts. */
export const minutes = (m: number) => m * 60_000;

export interface Harness {
	env: n8n.N8nEnv;
	sandbox: Sandbox;
	close(): Promise<void>;
}

/**
 * The sandbox on a free loopback port and an n8n environment of its own (user folder, ports, key).
 * The package is loaded through N8N_CUSTOM_EXTENSIONS (node type `CUSTOM.damai`; imports rewrite
 * `n8n-nodes-damai.damai` to it), or with `communityPackage: true` installed into the user folder
 * as n8n installs a community package (type `n8n-nodes-damai.damai`; what the editor needs to offer
 * the credential test).
 */
export async function startHarness(options: { version?: string; sandbox?: SandboxOptions; communityPackage?: boolean } = {}): Promise<Harness> {
	const version = options.version ?? VERSION;
	await n8n.ensureN8n({ version });
	const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', ...(options.sandbox ?? {}) });
	let env: n8n.N8nEnv;
	try {
		env = await n8n.createN8nEnv(options.communityPackage ? { version, communityPackage: true } : { version, extensions: EXTENSIONS });
	} catch (e) {
		await sandbox.close();
		throw e;
	}
	return {
		env,
		sandbox,
		close: async () => {
			await env.cleanup();
			await sandbox.close();
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Workflow builders

export interface NodeJson {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowJson {
	id: string;
	name: string;
	active: boolean;
	nodes: NodeJson[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
}

let nodeCounter = 0;
const nodeId = () => `00000000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

export function manualTrigger(name = 'Start'): NodeJson {
	return { id: nodeId(), name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** A Code node that emits the given objects as items. */
export function codeNode(name: string, items: object[]): NodeJson {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

export function noOp(name: string): NodeJson {
	return { id: nodeId(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 0], parameters: {} };
}

export function damaiNode(
	name: string,
	credential: { id: string; name: string },
	settings: { orderId?: string; options?: Record<string, unknown>; onError?: NodeJson['onError'] } = {},
): NodeJson {
	const node: NodeJson = {
		id: nodeId(),
		name,
		type: DAMAI_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: {
			resource: 'order',
			operation: 'cancelStockLock',
			orderId: settings.orderId ?? '={{ $json.orderId }}',
			options: settings.options ?? {},
		},
		credentials: { damaiApi: { id: credential.id, name: credential.name } },
	};
	if (settings.onError) node.onError = settings.onError;
	return node;
}

/** A workflow from nodes and [from, to, fromOutput?] edges. */
export function buildWorkflow(id: string, name: string, nodes: NodeJson[], edges: Array<[string, string, number?]>): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	nodes.forEach((n, i) => (n.position = [i * 220, 0]));
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** The scheduled-sweep example made runnable by `n8n execute`: its Schedule Trigger becomes a Manual Trigger. */
export function withManualTrigger<T extends { id: string; nodes: Array<{ type: string; typeVersion: number; parameters: unknown }> }>(
	workflow: T,
	id: string,
): T {
	const copy = JSON.parse(JSON.stringify(workflow)) as T;
	copy.id = id;
	let replaced = 0;
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			node.type = 'n8n-nodes-base.manualTrigger';
			node.typeVersion = 1;
			node.parameters = {};
			replaced++;
		}
	}
	if (replaced !== 1) throw new Error(`expected one Schedule Trigger, found ${replaced}`);
	return copy;
}

// ---------------------------------------------------------------------------------------------
// Item checks

/** The input index an output item points back to (pairedItem as object, array or number). */
export function pairedIndex(item: n8n.Item): number {
	const p = item.pairedItem;
	if (typeof p === 'number') return p;
	if (Array.isArray(p)) {
		if (p.length !== 1) throw new Error(`expected exactly one pairedItem, got ${JSON.stringify(p)}`);
		return p[0].item;
	}
	if (p && typeof p === 'object') return p.item;
	throw new Error(`item has no pairedItem: ${JSON.stringify(item)}`);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export { ITEM_KEYS };

/**
 * A success item exactly as the node contract says: every key, the failure keys null (and
 * `response` last with Include Raw Response).
 */
export function expectSuccessItem(item: n8n.Item, orderId: string) {
	const { response, ...json } = item.json as Record<string, unknown>;
	expect(Object.keys(item.json)).toEqual(response === undefined ? ITEM_KEYS : [...ITEM_KEYS, 'response']);
	expect(json).toEqual({
		orderId,
		success: true,
		returnCode: '0',
		returnDesc: expect.any(String),
		requestId: expect.stringMatching(/\S/),
		msgId: expect.stringMatching(UUID),
		attempts: expect.any(Number),
		...NO_FAILURE,
	});
}

/**
 * The error item of an item on n8n's error output: the node puts the whole error item (the same
 * keys as on the regular output) under `error` and its message as `message`; n8n merges the input
 * item's fields in beside them (README).
 */
export function errorFields(json: Record<string, unknown>): Record<string, unknown> {
	expect(json.error).toEqual(expect.any(Object));
	const nested = json.error as Record<string, unknown>;
	expect(json.message).toBe(nested.errorMessage);
	return nested;
}

/**
 * A failure item: on the regular output (Continue On Fail) the flat item, on the error output the
 * same item under `error` (errorFields). The same keys as a success item, `code` always text, the
 * msg_id on every item that was sent.
 */
export function expectFailureItem(
	item: n8n.Item,
	orderId: string,
	expected: { code?: string | number; subCode?: string; requestId?: boolean; errorOutput?: boolean },
) {
	const json = item.json as Record<string, unknown>;
	const f = expected.errorOutput ? errorFields(json) : json;
	expect(Object.keys(f)).toEqual(ITEM_KEYS);
	expect(f.orderId).toBe(orderId);
	expect(f.success).toBe(false);
	expect(f.errorMessage).toEqual(expect.stringMatching(/\S/));
	expect(f.errorKind).toEqual(expect.stringMatching(/^[a-z-]+$/));
	expect(f.code === null || typeof f.code === 'string').toBe(true);
	if (expected.code !== undefined) expect(f.code).toBe(String(expected.code));
	if (expected.subCode !== undefined) expect(f.subCode).toBe(expected.subCode);
	if (expected.requestId) expect(f.requestId).toEqual(expect.stringMatching(/\S/));
	if ((f.attempts as number) > 0) expect(f.msgId).toEqual(expect.stringMatching(/\S/));
}

/** Every input index 0..n-1 exactly once across the outputs, and ascending within each output. */
export function expectEachInputOnce(outputs: n8n.Item[][], inputCount: number) {
	const seen = outputs.flat().map(pairedIndex);
	expect([...seen].sort((a, b) => a - b)).toEqual([...Array(inputCount).keys()]);
	for (const out of outputs) {
		const idx = out.map(pairedIndex);
		expect(idx).toEqual([...idx].sort((a, b) => a - b));
	}
}

/** Fails with n8n's own output when an execution did not succeed. */
export function expectRunOk(result: n8n.ExecuteResult) {
	if (!result.ok) {
		throw new Error(`n8n execute failed: ${result.error}\n--- stderr ---\n${result.stderr.slice(-4000)}\n--- stdout ---\n${result.stdout.slice(-4000)}`);
	}
}

export { findSecrets, storedBytesContain } from './secrets';
