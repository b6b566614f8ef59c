/** Types for tooling/n8n (CommonJS), so the TypeScript end-to-end tests can use it. */
import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const CACHE_ROOT: string;
/** .cache/node: pinned Node.js runtimes, one folder per version */
export declare const NODE_CACHE_ROOT: string;
export declare const DIST_DIR: string;
export declare const EXAMPLES_DIR: string;
/** the version used when a caller names none (2.8.4) */
export declare const DEFAULT_VERSION: string;
/** the newest pinned n8n (what `npm run demo` runs) */
export declare const LATEST_VERSION: string;
export declare const LATEST_1X: string;
/** the versions the whole end-to-end suite runs on */
export declare const E2E_VERSIONS: string[];
export interface N8nVersionSpec {
	version: string;
	toolsDir: string;
	/** pinned Node.js version (NODE_VERSIONS) that installs and runs it; null = the Node running us */
	node: string | null;
	npmCiArgs: string[];
	rebuild: string[];
	/** modules that must load after the install */
	verify: string[];
	env: Record<string, string>;
	/** variables that keep start-up output to what a newcomer should read (the demo, the browser test) */
	quietEnv: Record<string, string>;
}
export declare const VERSIONS: Record<string, N8nVersionSpec>;
export interface NodeVersionSpec {
	version: string;
	toolsDir: string;
	packageName: string;
	platform: string;
}
export declare const NODE_VERSIONS: Record<string, NodeVersionSpec>;

export interface EnsureResult {
	version: string;
	/** node_modules/n8n/bin/n8n inside the cache; run it with process.execPath */
	bin: string;
	dir: string;
	/** the Node.js binary that runs this version */
	node: string;
	/** true when this call installed it (or the Node.js it needs) */
	installed: boolean;
	durationMs: number;
}
export declare function ensureN8n(options?: { version?: string; log?: (line: string) => void; force?: boolean }): Promise<EnsureResult>;
export declare function isInstalled(version: string): boolean;
export declare function installDir(version: string): string;
export declare function binPath(version: string): string;
export declare function formatDuration(ms: number): string;
export declare function npmCommand(options?: { node?: string }): { command: string; prefix: string[]; shell: boolean };
export declare function ensureNode(options: { version: string; log?: (line: string) => void; force?: boolean }): Promise<{
	version: string;
	node: string;
	home: string;
	dir: string;
	installed: boolean;
	durationMs: number;
}>;
export declare function isNodeInstalled(version: string): boolean;
export declare function nodeBinPath(version: string): string;
/** the Node.js that runs a pinned n8n version (binary, PATH folder, node-gyp nodedir) */
export declare function runtimeFor(n8nVersion: string): { version: string; node: string; binDir: string | null; nodedir: string | null; pinned: boolean };

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
/** A child process in its own process group (service.js): n8n, PostgreSQL, Redis, … */
export interface Service {
	readonly name: string;
	readonly pid: number | undefined;
	readonly child: ChildProcess;
	/** stdout and stderr so far, interleaved */
	readonly output: string;
	readonly stdout: string;
	readonly stderr: string;
	readonly logFile?: string;
	readonly running: boolean;
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Sends a signal to the whole process group. */
	signal(signal: NodeJS.Signals): void;
	waitForOutput(pattern: RegExp, timeoutMs: number, from?: number): Promise<RegExpExecArray>;
	tail(lines?: number): string;
	/** `signal` (default SIGTERM), SIGKILL to the group after graceMs (default 15 s), and once it has exited */
	stop(graceMs?: number, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export interface ServiceOptions {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** also append the output to this file */
	logFile?: string;
	uid?: number;
	gid?: number;
	onOutput?: (chunk: string) => void;
	/** stdout goes into this file instead of a pipe, read into `stdout` when the process ends (a large output stays whole) */
	stdoutFile?: string;
}
/** Starts a child process in its own process group; SIGKILLed when this process exits. */
export declare function startService(name: string, command: string, args: string[], options?: ServiceOptions): Service;
export declare function waitFor<T>(
	what: string,
	check: () => Promise<T> | T,
	options: { timeoutMs: number; intervalMs?: number; onTimeout?: () => string },
): Promise<NonNullable<T>>;
export declare function delay(ms: number): Promise<void>;
/** fs.mkdtempSync(prefix), deleted when this process exits unless removeTempDir() deleted it before */
export declare function makeTempDir(prefix: string): string;
export declare function removeTempDir(dir: string): void;

/** A long-running n8n process (`n8n start`, `worker`, `webhook`) of an environment. */
export interface StartedServer {
	command: string;
	child: ChildProcess;
	service: Service;
	/** http://127.0.0.1:<port> (for a worker: its health-check server) */
	url: string;
	port: number;
	/** its own task-runner broker port */
	brokerPort: number;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** everything it printed so far */
	output(): string;
	/** signals its process group at once (default SIGKILL) */
	kill(signal?: NodeJS.Signals): void;
	/** SIGTERM, then SIGKILL after graceMs (default 15 s) */
	stop(graceMs?: number): Promise<void>;
}
export interface StartOptions {
	/** extra CLI arguments, e.g. ['--concurrency=5'] for a worker */
	args?: string[];
	/** variables for this process only (on top of the environment's) */
	env?: Record<string, string>;
	/** listen port (start: env.port; webhook and worker health check: a free port) */
	port?: number;
	timeoutMs?: number;
	onOutput?: (chunk: string) => void;
	/** false: resolve at once instead of when /healthz/readiness answers 200 */
	waitReady?: boolean;
	/** also append its output to this file */
	logFile?: string;
}
export interface N8nEnv {
	readonly version: string;
	readonly bin: string;
	/** the Node.js binary every process of this environment runs on */
	readonly node: string;
	readonly userFolder: string;
	readonly env: Record<string, string>;
	readonly port: number;
	readonly brokerPort: number;
	readonly nodeTypePrefix: string;
	/** stdout and stderr of every n8n process this environment ran */
	readonly transcript: string[];
	run(args: string[], options?: { timeoutMs?: number; env?: Record<string, string>; stdoutToFile?: boolean }): Promise<RunResult>;
	importCredentials(credentials: object | object[]): Promise<RunResult>;
	importCredential(credential: object): Promise<RunResult>;
	importWorkflows(workflows: object | object[], options?: { rewriteNodeTypes?: boolean }): Promise<RunResult>;
	importWorkflow(workflow: object, options?: { rewriteNodeTypes?: boolean }): Promise<RunResult>;
	importWorkflowFile(file: string): Promise<RunResult>;
	adaptWorkflow<T>(workflow: T): T;
	executeWorkflow(id: string, options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<ExecuteResult>;
	/** `n8n start` on env.port, ready when /healthz/readiness answers */
	start(options?: StartOptions): Promise<StartedServer>;
	/** `n8n worker` with QUEUE_HEALTH_CHECK_* on a free port (queue mode: pass DB/Redis settings in createN8nEnv's env) */
	startWorker(options?: StartOptions): Promise<StartedServer>;
	/** `n8n webhook` on a free port */
	startWebhook(options?: StartOptions): Promise<StartedServer>;
	startProcess(command: 'start' | 'worker' | 'webhook', options?: StartOptions): Promise<StartedServer>;
	/** a free loopback port, released at cleanup() */
	freePort(): Promise<number>;
	listFiles(): string[];
	databaseFiles(): string[];
	cleanup(): Promise<void>;
}
export declare function createN8nEnv(options?: {
	version?: string;
	/** folders for N8N_CUSTOM_EXTENSIONS (default: the repo's dist/); false for none */
	extensions?: string[] | false;
	/**
	 * install the package into <userFolder>/.n8n/nodes as n8n installs a community package (true:
	 * `npm pack` of the repository; or a tarball), instead of N8N_CUSTOM_EXTENSIONS: the editor then
	 * offers the credential test. Node types stay `n8n-nodes-damai.*`.
	 */
	communityPackage?: boolean | { tarball: string };
	port?: number;
	/** applied last: e.g. DB_TYPE=postgresdb, EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_* */
	env?: Record<string, string>;
	tmpDir?: string;
	/** N8N_ENCRYPTION_KEY (default: random) */
	encryptionKey?: string;
}): Promise<N8nEnv>;
/** `n8n-nodes-damai` */
export declare const PACKAGE_NAME: string;
/** `npm pack` of the repository (dist/ must be built) into destDir */
export declare function packPackage(destDir: string): { tarball: string; version: string };
/** installs the tarball into <userFolder>/.n8n/nodes as n8n installs a community package; returns the package folder */
export declare function installCommunityPackage(tarball: string, userFolder: string): string;
export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}
/** POST /rest/owner/setup on a fresh instance (retried while n8n starts): 200, or the last status/error */
export declare function setupOwner(baseUrl: string, owner: Owner): Promise<number | string>;
export interface RestSession {
	cookie: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, body?: unknown): Promise<{ status: number; body: any }>;
}
/** POST /rest/login; the session sends the n8n-auth cookie */
export declare function login(baseUrl: string, owner: { email: string; password: string }): Promise<RestSession>;
/** runs a script's main(): its result is the exit code, an exception exit code 1 */
export declare function runMain(main: () => Promise<number>, name: string): void;
export declare function getFreePort(): Promise<number>;
export declare function httpOk(url: string): Promise<boolean>;
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
