/** Types for tooling/queue (CommonJS), so the TypeScript queue-mode test can use it. */
import type { N8nEnv, Service } from '../n8n';

export type { Service };

export interface Postgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	dir: string;
	server: Service;
	n8nEnv(): Record<string, string>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	query(sql: string): any[];
	dump(): Buffer;
	ready(timeoutMs?: number): Promise<void>;
	stop(): Promise<void>;
}

export interface Redis {
	host: string;
	port: number;
	server: Service;
	command(args: string[]): string;
	list(args: string[]): string[];
	n8nEnv(): Record<string, string>;
	stop(): Promise<void>;
}

export interface N8nProcess {
	name: string;
	role: 'main' | 'worker';
	env: N8nEnv;
	service: Service;
	url: string;
}

export interface ClusterOptions {
	/** n8n version (default: QUEUE_N8N_VERSION, else the newest pinned in tooling/n8n) */
	version?: string;
	/** number of `n8n worker` processes (default 2) */
	workers?: number;
	/** `n8n worker --concurrency` (default 3) */
	workerConcurrency?: number;
	/** n8n import format; plain `data` is encrypted by n8n with the cluster's key */
	credentials?: object[];
	/** n8n workflows, each with an explicit id; node types as published (n8n-nodes-damai.damai) */
	workflows?: object[];
	/** workflow ids to publish (activate) before the main starts */
	publish?: string[];
	/** extra variables for every n8n process */
	env?: Record<string, string>;
	mainEnv?: Record<string, string>;
	workerEnv?: Record<string, string>;
	/** bound for each start-up wait (default 180 s) */
	timeoutMs?: number;
	log?: (line: string) => void;
}

export interface Cluster {
	version: string;
	node: string;
	nodeVersion: string;
	encryptionKey: string;
	postgres: Postgres;
	redis: Redis;
	main: N8nProcess;
	workers: N8nProcess[];
	/** milliseconds per start-up step */
	timings: Record<string, number>;
	workDir: string;
	webhookUrl(path: string): string;
	addWorker(): Promise<N8nProcess>;
	/** execution id → names of the workers whose log says they started it */
	executionsByWorker(): Record<string, string[]>;
	transcript(): string;
	stop(): Promise<void>;
}

export declare function startCluster(options?: ClusterOptions): Promise<Cluster>;
export declare function startPostgres(options: { port: number; tmpRoot?: string; timeoutMs?: number }): Promise<Postgres>;
export declare function findPgBin(): string;
export declare function startRedis(options: { port: number; tmpRoot?: string; timeoutMs?: number }): Promise<Redis>;
export declare const PACKAGE: string;
export declare function packPackage(destDir: string): { tarball: string; version: string };
export declare function installCommunityPackage(tarball: string, userFolder: string): string;
export declare function resolveRuntime(options?: { version?: string; log?: (line: string) => void }): Promise<{ version: string; bin: string; node: string; nodeVersion: string }>;
export declare function chooseVersion(version?: string): string;
export { startService, waitFor, delay } from '../n8n';
