// @ts-check
'use strict';

/**
 * The Damai node from the build (dist/, or BENCH_DIST) in the engine harness the tests use
 * (test/helpers/engine-harness.js: n8n-core's WorkflowExecute over an n8n-workflow Workflow). An
 * "Items" fixture node emits `count` items { orderId: `${prefix}${i}` } (like a Code node returning
 * a list), then Damai cancels them.
 */

const path = require('node:path');
const { createEngine, setLogger } = require('../../../test/helpers/engine-harness');
const { DIST } = require('./dist');

function loadDamai() {
	const file = path.join(DIST, 'nodes', 'Damai', 'Damai.node.js');
	try {
		return require(file).Damai;
	} catch (e) {
		throw new Error(`cannot load ${file} (run npm run build first): ${/** @type {Error} */ (e).message}`);
	}
}

/** @type {import('../../../test/helpers/engine-harness').Engine | undefined} */
let engine;

/**
 * Items(count) → Damai (Cancel Stock Lock) in WorkflowExecute.
 * @param {{ count: number, prefix?: string, credentials: Record<string, any>, options?: Record<string, any>, onError?: any, orderId?: string }} spec
 *   `orderId` replaces the default expression `={{ $json.orderId }}` (e.g. a fixed text, to see what n8n's expression evaluation costs)
 * @returns {Promise<{ items: any[], error: any, nodeError: any, nodeMs: number | undefined }>}
 */
async function runDamai(spec) {
	engine ??= createEngine(loadDamai());
	const { count, prefix = 'BENCH-', credentials, options, onError, orderId } = spec;
	const { run, outputs, error, nodeError } = await engine.runDamai({ count, prefix }, credentials, { options, onError, orderId });
	return {
		items: outputs[0] ?? [],
		error,
		nodeError,
		/** the Damai node's own execution time as n8n recorded it (ms) */
		nodeMs: run.data.resultData.runData.Damai?.[0]?.executionTime,
	};
}

/** A logger that drops every line (to tell the node's own share of the audit trail's cost from n8n's logger's). */
const discard = { error() {}, warn() {}, info() {}, debug() {}, scoped: () => discard };

/**
 * Runs `fn` with n8n's logger replaced by one that drops every line.
 * @template T @param {() => Promise<T>} fn @returns {Promise<T>}
 */
async function withDiscardingLogger(fn) {
	const previous = /** @type {any} */ (setLogger(discard));
	try {
		return await fn();
	} finally {
		setLogger(previous);
	}
}

module.exports = { runDamai, withDiscardingLogger };
