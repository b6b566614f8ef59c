#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Try queue mode by hand: the sandbox gateway, PostgreSQL, Redis, an n8n main and N workers, with
 * this package installed on each and a webhook workflow (Webhook → Split Out → Damai) active.
 * Prints the URLs and a curl line; Ctrl-C stops everything and deletes the temporary folders.
 *
 *   node tooling/queue/cli.js [--workers N] [--concurrency C] [--n8n-version V]
 *
 * Needs redis-server and postgresql (bash tooling/scripts/install-system-packages.sh) and a built
 * package (npm run build).
 */

const n8n = require('../n8n');
const { startCluster } = require('./cluster');
const { startSandbox } = require('../sandbox/server');

/** @param {string} name @param {string} fallback */
function flag(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function demoWorkflow() {
	const node = (/** @type {Record<string, unknown>} */ n) => ({ position: [0, 0], ...n });
	return {
		id: 'QueueModeDemo0000001',
		name: 'Queue mode: cancel stock locks (webhook)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node({
				id: 'a0000000-0000-4000-8000-000000000001',
				webhookId: 'a0000000-0000-4000-8000-000000000002',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				parameters: { httpMethod: 'POST', path: 'damai-cancel', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			}),
			node({
				id: 'a0000000-0000-4000-8000-000000000003',
				name: 'Orders',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				parameters: { fieldToSplitOut: 'body.orders', include: 'noOtherFields', options: {} },
			}),
			node({
				id: 'a0000000-0000-4000-8000-000000000004',
				name: 'Cancel',
				type: 'n8n-nodes-damai.damai',
				typeVersion: 1,
				parameters: { resource: 'order', operation: 'cancelStockLock', orderId: '={{ $json.orderId }}', options: { messageId: '={{ $json.orderId }}' } },
				credentials: { damaiApi: { id: n8n.SANDBOX_CREDENTIAL_ID, name: n8n.SANDBOX_CREDENTIAL_NAME } },
			}),
		],
		connections: {
			Webhook: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
			Orders: { main: [[{ node: 'Cancel', type: 'main', index: 0 }]] },
		},
	};
}

async function main() {
	const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', latencyMs: 20 });
	/** @type {import('./cluster').Cluster | undefined} */
	let cluster;
	const stop = async () => {
		await cluster?.stop();
		await sandbox.close();
	};
	process.on('SIGINT', () => void stop().then(() => process.exit(0)));
	process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
	try {
		const workflow = demoWorkflow();
		cluster = await startCluster({
			version: flag('n8n-version', process.env.QUEUE_N8N_VERSION ?? '') || undefined,
			workers: Number(flag('workers', '2')),
			workerConcurrency: Number(flag('concurrency', '3')),
			credentials: [n8n.sandboxCredential(sandbox.url)],
			workflows: [workflow],
			publish: [workflow.id],
		});
	} catch (e) {
		await stop();
		throw e;
	}
	const url = cluster.webhookUrl('damai-cancel');
	process.stdout.write(
		[
			'',
			`n8n ${cluster.version} in queue mode (Node ${cluster.nodeVersion}): editor ${cluster.main.url}`,
			`workers: ${cluster.workers.map((w) => `${w.name} (pid ${w.service.pid})`).join(', ')}`,
			`PostgreSQL 127.0.0.1:${cluster.postgres.port} (user n8n, password ${cluster.postgres.password}), Redis 127.0.0.1:${cluster.redis.port}`,
			`sandbox gateway ${sandbox.url}`,
			`logs: ${cluster.workDir}`,
			'',
			`curl -s -X POST ${url} -H 'content-type: application/json' -d '{"orders":[{"orderId":"A-1"},{"orderId":"ISP1-A-2"}]}'`,
			'',
			'Ctrl-C stops everything.',
			'',
		].join('\n'),
	);
}

main().catch((e) => {
	process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
	process.exit(1);
});
