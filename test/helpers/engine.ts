/**
 * The engine harness (./engine-harness.js, shared with the benchmark) bound to the Damai node's
 * TypeScript source: workflows run by n8n-core's WorkflowExecute in this process, as n8n would run
 * them. See engine-harness.js.
 */
import { Damai } from '../../nodes/Damai/Damai.node';
import { createEngine } from './engine-harness';

export { DAMAI_TYPE, ITEMS_TYPE, type DamaiNodeOptions, type EngineRun } from './engine-harness';

export const { runDamai, execute } = createEngine(Damai);
