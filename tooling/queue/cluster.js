// @ts-check
'use strict';

/**
 * A local n8n cluster in queue mode, as n8n's docs describe a scaled-out installation:
 * PostgreSQL (the database), Redis (the Bull job queue), one `n8n start` main (editor, REST,
 * production webhooks; it enqueues executions) and N `n8n worker` processes that run them. Every
 * n8n process has its own user folder (as on separate machines) with this package installed as a
 * community package, and all share one N8N_ENCRYPTION_KEY. Everything listens on 127.0.0.1 on free
 * ports, keeps its data in temporary folders, and is stopped and deleted by stop() — also when
 * start-up fails half way, and (SIGKILL) when this process exits.
 *
 * Each n8n process is an environment of tooling/n8n (createN8nEnv: its environment variables, the
 * Node.js its version needs, free ports) started with env.start() / env.startWorker(); PostgreSQL
 * and Redis run as the same kind of child process (tooling/n8n/service.js).
 *
 *   const { startCluster } = require('./tooling/queue');
 *   const cluster = await startCluster({ workers: 2, credentials: [...], workflows: [...], publish: ['id'] });
 *   await fetch(cluster.webhookUrl('my-path'), { method: 'POST', ... });
 *   await cluster.stop();
 */

const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const n8n = require('../n8n');
const { startPostgres } = require('./postgres');
const { startRedis } = require('./redis');

/**
 * The n8n version to run (the `version` option, else QUEUE_N8N_VERSION, else the newest pinned in
 * tooling/n8n), installed once with the Node.js it needs (tooling/n8n: ensureN8n, runtimeFor).
 * @param {string} [version]
 */
function chooseVersion(version) {
	const chosen = version ?? process.env.QUEUE_N8N_VERSION ?? n8n.LATEST_VERSION;
	if (!n8n.VERSIONS[chosen]) {
		throw new Error(`n8n ${chosen} is not pinned in tooling/n8n (pinned: ${Object.keys(n8n.VERSIONS).join(', ')})`);
	}
	return chosen;
}

/**
 * @param {{ version?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ version: string, bin: string, node: string, nodeVersion: string }>}
 */
async function resolveRuntime(options = {}) {
	const version = chooseVersion(options.version);
	const { bin } = await n8n.ensureN8n({ version, log: options.log });
	const runtime = n8n.runtimeFor(version);
	return { version, bin, node: runtime.node, nodeVersion: runtime.version };
}

/**
 * Whether the workflow with this id (in the list) has a Webhook node.
 * @param {object[]} workflows
 * @param {string} id
 */
function hasWebhookNode(workflows, id) {
	const wf = /** @type {{ id?: string, nodes?: Array<{ type?: string }> }[]} */ (workflows).find((w) => w.id === id);
	return (wf?.nodes ?? []).some((n) => n.type === 'n8n-nodes-base.webhook');
}

/**
 * @typedef {{
 *   version?: string,
 *   workers?: number,
 *   workerConcurrency?: number,
 *   credentials?: object[],
 *   workflows?: object[],
 *   publish?: string[],
 *   env?: Record<string, string>,
 *   mainEnv?: Record<string, string>,
 *   workerEnv?: Record<string, string>,
 *   timeoutMs?: number,
 *   log?: (line: string) => void,
 * }} ClusterOptions
 */

/**
 * One n8n process of the cluster (main or worker).
 * @typedef {{
 *   name: string,
 *   role: 'main' | 'worker',
 *   env: import('../n8n').N8nEnv,
 *   service: import('../n8n').Service,
 *   url: string,
 * }} N8nProcess
 */

/** @param {ClusterOptions} [options] */
async function startCluster(options = {}) {
	const log = options.log ?? ((/** @type {string} */ line) => process.stderr.write(`[queue] ${line}\n`));
	const timeoutMs = options.timeoutMs ?? 180_000;
	const workerCount = options.workers ?? 2;
	const concurrency = options.workerConcurrency ?? 3;
	/** @type {Record<string, number>} */
	const timings = {};
	const time = async (/** @type {string} */ label, /** @type {() => Promise<any>} */ fn) => {
		const started = Date.now();
		try {
			return await fn();
		} finally {
			timings[label] = Date.now() - started;
		}
	};

	const runtime = await time('n8nInstall', () => resolveRuntime({ version: options.version, log }));
	log(`n8n ${runtime.version} on Node ${runtime.nodeVersion} (${runtime.node})`);
	const workDir = n8n.makeTempDir(path.join(os.tmpdir(), 'n8n-queue-'));
	/** @type {Array<() => Promise<void>>} */
	const cleanups = [async () => n8n.removeTempDir(workDir)];
	/** @type {N8nProcess[]} */
	const workers = [];
	/** @type {N8nProcess | undefined} */
	let main;
	let stopped = false;

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		// Workers first (they finish or drop their jobs), then the main, then the stores.
		await Promise.all(workers.map((w) => w.service.stop(20_000)));
		await main?.service.stop(20_000);
		for (const cleanup of cleanups.reverse()) {
			await cleanup().catch((e) => log(`cleanup: ${e instanceof Error ? e.message : e}`));
		}
	};

	try {
		const [postgres, redis] = await time('stores', () =>
			Promise.all([
				n8n.getFreePort().then((port) => startPostgres({ port })),
				n8n.getFreePort().then((port) => startRedis({ port })),
			]),
		);
		cleanups.push(postgres.stop, redis.stop);
		log(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}`);

		const encryptionKey = crypto.randomBytes(24).toString('hex');
		/** Queue mode, the shared stores and key: the same on every n8n process. */
		const shared = {
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: encryptionKey,
			...postgres.n8nEnv(),
			...redis.n8nEnv(),
			N8N_LOG_LEVEL: 'info',
			...(options.env ?? {}),
		};
		/** @param {Record<string, string>} extra */
		const newEnv = async (extra) => {
			const env = await n8n.createN8nEnv({ version: runtime.version, extensions: false, env: { ...shared, ...extra } });
			cleanups.push(() => env.cleanup());
			return env;
		};
		const mainEnv = await newEnv({ ...(options.mainEnv ?? {}) });
		/** @type {import('../n8n').N8nEnv[]} */
		const workerEnvs = [];
		for (let i = 0; i < workerCount; i++) workerEnvs.push(await newEnv({ ...(options.workerEnv ?? {}) }));

		// The package, installed on every process the way a user installs a community package.
		const tarball = await time('packageInstall', async () => {
			const packed = n8n.packPackage(workDir);
			for (const env of [mainEnv, ...workerEnvs]) n8n.installCommunityPackage(packed.tarball, env.userFolder);
			log(`n8n-nodes-damai ${packed.version} installed into ${1 + workerCount} n8n user folders`);
			return packed.tarball;
		});

		// Credentials and workflows go into PostgreSQL (the first CLI run also creates the schema).
		await time('imports', async () => {
			if (options.credentials?.length) await mainEnv.importCredentials(options.credentials);
			if (options.workflows?.length) await mainEnv.importWorkflows(options.workflows, { rewriteNodeTypes: false });
			for (const id of options.publish ?? []) {
				const r = await mainEnv.run(['publish:workflow', `--id=${id}`]);
				if (r.code !== 0) throw new Error(`n8n publish:workflow --id=${id} failed:\n${r.stdout}\n${r.stderr}`);
			}
		});

		/**
		 * `n8n start` or `n8n worker` of its environment (tooling/n8n), its output also in <workDir>/<name>.log.
		 * @param {import('../n8n').N8nEnv} env @param {'main' | 'worker'} role @param {string} name
		 * @returns {Promise<N8nProcess>}
		 */
		const startN8n = async (env, role, name) => {
			const options = { logFile: path.join(workDir, `${name}.log`), timeoutMs };
			const started = role === 'main' ? await env.start(options) : await env.startWorker({ ...options, args: [`--concurrency=${concurrency}`] });
			return { name, role, env, service: started.service, url: /** @type {string} */ (started.url) };
		};

		/** @type {N8nProcess} */
		const started = await time('main', async () => {
			const proc = (main = await startN8n(mainEnv, 'main', 'main'));
			// The main serves a production webhook once it has stored it in webhook_entity on activating
			// the workflow (2.8 logs "Activated workflow …" then, 2.41 does not: the table is the signal).
			const withWebhooks = (options.publish ?? []).filter((id) => hasWebhookNode(options.workflows ?? [], id));
			await n8n.waitFor(`the main to register the webhooks of ${withWebhooks.join(', ')}`, () => {
				const stored = new Set(postgres.query('SELECT DISTINCT "workflowId" AS id FROM webhook_entity').map((/** @type {{ id: string }} */ r) => r.id));
				return withWebhooks.every((id) => stored.has(id));
			}, { timeoutMs, intervalMs: 1000, onTimeout: () => proc.service.tail() });
			return proc;
		});
		log(`main ready on ${started.url}`);

		let workerNumber = 0;
		const addWorker = async (env = /** @type {import('../n8n').N8nEnv | undefined} */ (undefined)) => {
			const name = `worker-${++workerNumber}`;
			const workerEnv = env ?? (await newEnv({ ...(options.workerEnv ?? {}) }));
			if (!env) n8n.installCommunityPackage(tarball, workerEnv.userFolder);
			const worker = await startN8n(workerEnv, 'worker', name);
			workers.push(worker);
			return worker;
		};
		await time('workers', () => Promise.all(workerEnvs.map((env) => addWorker(env))));
		workers.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
		log(`${workerCount} workers ready (concurrency ${concurrency} each)`);

		return {
			version: runtime.version,
			node: runtime.node,
			nodeVersion: runtime.nodeVersion,
			encryptionKey,
			postgres,
			redis,
			main: started,
			workers,
			timings,
			workDir,
			/** @param {string} webhookPath */
			webhookUrl: (webhookPath) => `${started.url}/webhook/${webhookPath}`,
			/** Starts one more worker (own user folder, package installed) and waits until it is ready. */
			addWorker: () => addWorker(),
			/** Execution id → names of the workers that started it (from their logs). */
			executionsByWorker() {
				/** @type {Record<string, string[]>} */
				const byExecution = {};
				for (const w of workers) {
					for (const m of w.service.output.matchAll(/Worker started execution (\d+) \(job (\d+)\)/g)) {
						(byExecution[m[1]] ??= []).push(w.name);
					}
				}
				return byExecution;
			},
			/** Everything every process printed. */
			transcript() {
				return [started, ...workers].map((p) => `===== ${p.name} =====\n${p.service.output}`).join('\n');
			},
			stop,
		};
	} catch (e) {
		if (main) log(main.service.tail());
		for (const w of workers) log(w.service.tail());
		await stop();
		throw e;
	}
}

/** @typedef {Awaited<ReturnType<typeof startCluster>>} Cluster */

module.exports = { startCluster, resolveRuntime, chooseVersion };
