/**
 * The engine harness (./engine-harness.js, shared with the benchmark) bound to the Damai node's
 * TypeScript source: workflows run by n8n-core's WorkflowExecute in this process, as n8n would run
 * them. See engine-harness.js.
 *
 * n8n's logger (what the node gets as `ctx.logger`) is a recorder here: nothing is printed, and a
 * test reads what the node logged from `logs`.
 */
import type { LogMetadata, Logger } from 'n8n-workflow';

import { Damai } from '../../nodes/Damai/Damai.node';
import { createEngine, setLogger } from './engine-harness';

export { DAMAI_TYPE, EXECUTION_ID, ITEMS_TYPE, type DamaiNodeOptions, type EngineRun } from './engine-harness';

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata: LogMetadata;
}

/** Every line logged through n8n's logger, in order; `clear()` between tests. */
export class LogRecorder implements Logger {
	readonly entries: LogEntry[] = [];
	error(message: string, metadata: LogMetadata = {}): void {
		this.entries.push({ level: 'error', message, metadata });
	}
	warn(message: string, metadata: LogMetadata = {}): void {
		this.entries.push({ level: 'warn', message, metadata });
	}
	info(message: string, metadata: LogMetadata = {}): void {
		this.entries.push({ level: 'info', message, metadata });
	}
	debug(message: string, metadata: LogMetadata = {}): void {
		this.entries.push({ level: 'debug', message, metadata });
	}
	/** n8n's services ask for a logger of their own scope: they log here too. */
	scoped(): LogRecorder {
		return this;
	}
	clear(): void {
		this.entries.length = 0;
	}
}

export const logs = new LogRecorder();
setLogger(logs);

export const { runDamai, execute } = createEngine(Damai);
