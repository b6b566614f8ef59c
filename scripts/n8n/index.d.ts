/** Types for scripts/n8n (CommonJS), so the TypeScript end-to-end tests can use it. */
import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const CACHE_ROOT: string;
export declare const DIST_DIR: string;
export declare const EXAMPLES_DIR: string;
export declare const DEFAULT_VERSION: string;
export declare const LATEST_1X: string;
export interface N8nVersionSpec {
	version: string;
	toolsDir: string;
	npmCiArgs: string[];
	rebuild: string[];
	env: Record<string, string>;
}
export declare const VERSIONS: Record<string, N8nVersionSpec>;

export interface EnsureResult {
	version: string;
	/** node_modules/n8n/bin/n8n inside the cache; run it with process.execPath */
	bin: string;
	dir: string;
	/** true when this call installed it */
	installed: boolean;
	durationMs: number;
}
export declare function ensureN8n(options?: { version?: string; log?: (line: string) => void; force?: boolean }): Promise<EnsureResult>;
export declare function isInstalled(version: string): boolean;
export declare function installDir(version: string): string;
export declare function binPath(version: string): string;
export declare function formatDuration(ms: number): string;
export declare function npmCommand(): { command: string; prefix: string[]; shell: boolean };

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}
export interface ExecuteResult extends RunResult {
	/** exit code 0, run data printed, and no workflow-level error */
	ok: boolean;
	/** the parsed IRun n8n printed (also on failure when n8n logged it), or null */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	run: any;
	error: string | null;
}
export interface StartedServer {
	child: ChildProcess;
	url: string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	stop(graceMs?: number): Promise<void>;
}
export interface N8nEnv {
	readonly version: string;
	readonly bin: string;
	readonly userFolder: string;
	readonly env: Record<string, string>;
	readonly port: number;
	readonly brokerPort: number;
	readonly nodeTypePrefix: string;
	/** stdout and stderr of every n8n process this environment ran */
	readonly transcript: string[];
	run(args: string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<RunResult>;
	importCredentials(credentials: object | object[]): Promise<RunResult>;
	importCredential(credential: object): Promise<RunResult>;
	importWorkflows(workflows: object | object[], options?: { rewriteNodeTypes?: boolean }): Promise<RunResult>;
	importWorkflow(workflow: object, options?: { rewriteNodeTypes?: boolean }): Promise<RunResult>;
	importWorkflowFile(file: string): Promise<RunResult>;
	adaptWorkflow<T>(workflow: T): T;
	executeWorkflow(id: string, options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<ExecuteResult>;
	start(options?: { timeoutMs?: number; onOutput?: (chunk: string) => void }): Promise<StartedServer>;
	listFiles(): string[];
	databaseFiles(): string[];
	cleanup(): Promise<void>;
}
export declare function createN8nEnv(options?: {
	version?: string;
	/** folders for N8N_CUSTOM_EXTENSIONS (default: the repo's dist/); false for none */
	extensions?: string[] | false;
	port?: number;
	env?: Record<string, string>;
	tmpDir?: string;
}): Promise<N8nEnv>;
export declare function getFreePort(): Promise<number>;
export declare function isPortFree(port: number, host?: string): Promise<boolean>;

export interface Item {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	error?: any;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function extractJson(text: string): any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function nodeItems(run: any, nodeName: string, output?: number): Item[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function nodeOutputs(run: any, nodeName: string): Item[][];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function nodeError(run: any, nodeName: string): any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function executedNodes(run: any): string[];
export declare function isNoise(line: string): boolean;
export declare function formatTable(headers: string[], rows: string[][], options?: { maxWidth?: number }): string;

export declare const SANDBOX_CREDENTIAL_ID: string;
export declare const SANDBOX_CREDENTIAL_NAME: string;
export declare const SANDBOX_KEYS: Readonly<{ appKey: string; appSecret: string; supplierKey: string; supplierSecret: string }>;
export interface CredentialImport {
	id: string;
	name: string;
	type: 'damaiApi';
	data: Record<string, unknown>;
}
export declare function sandboxCredential(
	gatewayUrl: string,
	overrides?: { id?: string; name?: string; data?: Record<string, unknown> },
): CredentialImport;
export declare function listExamples(): string[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function loadExample(nameOrPath: string): any;
export declare function useCredential<T>(workflow: T, credential: { id: string; name: string }): T;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function damaiNodes(workflow: any): any[];
