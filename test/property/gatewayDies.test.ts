/**
 * Faults mid-batch (issue 5), in n8n's real engine: the gateway process dies (SIGKILL) or freezes
 * (SIGSTOP) halfway through a batch. Every item still gets its output, promptly.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import * as path from 'path';

import { runDamai } from '../helpers/engine';
import { expectNoSecretsAnywhere, expectOneOutputPerInput, sandboxCredentials, useCrashGuard } from './engineChecks';
import { expectReadable, sleep } from './support';

jest.setTimeout(60_000);

useCrashGuard();

interface SandboxProcess {
	child: ChildProcess;
	url: string;
	stats(): Promise<{ total: number }>;
}

async function spawnSandbox(): Promise<SandboxProcess> {
	const child = spawn(process.execPath, [path.join(__dirname, '../../tooling/sandbox/cli.js'), '--port', '0', '--latency', '5', '--quiet'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => reject(new Error('the sandbox did not start')), 10_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n')) {
				clearTimeout(timer);
				try {
					resolve((JSON.parse(line) as { url: string }).url);
				} catch (error) {
					reject(error);
				}
			}
		});
		child.on('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
	});
	const base = url.replace(/\/router\/rest$/, '');
	const agent = new http.Agent({ keepAlive: false });
	const stats = () =>
		new Promise<{ total: number }>((resolve, reject) => {
			const req = http.get(`${base}/__sandbox/stats`, { agent }, (res) => {
				let text = '';
				res.on('data', (c: Buffer) => (text += c.toString('utf8')));
				res.on('end', () => {
					try {
						resolve(JSON.parse(text));
					} catch (error) {
						reject(error);
					}
				});
			});
			req.on('error', reject);
			req.setTimeout(1000, () => req.destroy(new Error('stats timeout')));
		});
	return { child, url, stats };
}

function kill(child: ChildProcess, signal: NodeJS.Signals) {
	if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** Calls `act` once the sandbox has answered `after` requests. */
async function when(sb: SandboxProcess, after: number, act: () => void, stop: { done: boolean }) {
	while (!stop.done) {
		try {
			if ((await sb.stats()).total >= after) {
				act();
				return Date.now();
			}
		} catch {
			// busy: ask again
		}
		await sleep(3);
	}
	return undefined;
}

interface Batch {
	n: number;
	maxRetries: number;
	timeout: number;
	concurrency: number;
}

/**
 * Runs `n` items (orderId `${prefix}-i`, Continue On Fail) through a gateway process of its own,
 * which gets `signal` once it has answered half of them; that process is gone afterwards.
 */
async function batchWhileGatewayStops(prefix: string, signal: 'SIGKILL' | 'SIGSTOP', { n, maxRetries, timeout, concurrency }: Batch) {
	const sb = await spawnSandbox();
	const stop = { done: false };
	try {
		const items = Array.from({ length: n }, (_, i) => ({ orderId: `${prefix}-${i}` }));
		const stoppedAt = when(sb, n / 2, () => kill(sb.child, signal), stop);
		const started = Date.now();
		const run = await runDamai(items, sandboxCredentials(sb.url), {
			onError: 'continueRegularOutput',
			options: { timeout, maxRetries, retryDelay: 1, concurrency },
		});
		const ended = Date.now();
		stop.done = true;
		return { run, started, ended, stopped: await stoppedAt };
	} finally {
		stop.done = true;
		kill(sb.child, 'SIGCONT');
		kill(sb.child, 'SIGKILL');
	}
}

describe('faults mid-batch', () => {
	test('the gateway process is killed halfway through 200 items: every item gets an output, the later ones clear network errors, promptly', async () => {
		const batch = { n: 200, maxRetries: 2, timeout: 300, concurrency: 2 };
		const { n, maxRetries, timeout, concurrency } = batch;
		const { run, started, ended, stopped: killed } = await batchWhileGatewayStops('MID', 'SIGKILL', batch);
		expect(killed).toBeDefined();

		expect(run.error).toBeUndefined();
		expect(run.outputs).toHaveLength(1);
		const out = run.outputs[0];
		expectOneOutputPerInput(out, n);
		const ok = out.map((item, i) => (item.json.success === true ? i : -1)).filter((i) => i >= 0);
		const failed = out.map((item, i) => (item.json.success === false ? i : -1)).filter((i) => i >= 0);
		expect(ok.length + failed.length).toBe(n);
		expect(ok.length).toBeGreaterThanOrEqual(n / 2 - concurrency * 2);
		expect(failed.length).toBeGreaterThan(n / 4);
		// The successes are the items before the kill (give or take the calls in flight).
		expect(Math.max(...ok)).toBeLessThan(Math.min(...failed) + concurrency + 1);
		for (const i of failed) {
			const json = out[i].json;
			expect(json.orderId).toBe(`MID-${i}`);
			expect(['network', 'timeout']).toContain(json.errorKind);
			expectReadable(`item ${i}`, json.errorMessage);
			expect(String(json.errorMessage)).toMatch(/Could not reach the gateway|did not answer/);
			expect(json.attempts).toBeLessThanOrEqual(maxRetries + 1);
		}
		// Items started after the kill found nothing listening: all their attempts were used.
		for (const i of failed.filter((i) => i > Math.max(...ok) + concurrency)) expect(out[i].json.attempts).toBe(maxRetries + 1);
		// Promptly: a refused connection fails at once; at worst each lane waits out one deadline per attempt.
		expect(ended - killed!).toBeLessThan(Math.ceil(concurrency * (maxRetries + 1) * timeout) + 3000);
		expect(new Set(ok.map((i) => out[i].json.msgId)).size).toBe(ok.length);
		expectNoSecretsAnywhere(run);
		console.log(`gateway killed after ${killed! - started} ms: ${ok.length} ok, ${failed.length} network errors, the rest took ${ended - killed!} ms`);
	});

	test('the gateway process freezes halfway (SIGSTOP): later items time out within timeout × attempts, no hang', async () => {
		const batch = { n: 24, maxRetries: 1, timeout: 300, concurrency: 3 };
		const { n, maxRetries, timeout, concurrency } = batch;
		const { run, ended, stopped: frozen } = await batchWhileGatewayStops('FREEZE', 'SIGSTOP', batch);
		expect(frozen).toBeDefined();
		const out = run.outputs[0];
		expectOneOutputPerInput(out, n);
		const failed = out.filter((item) => item.json.success === false);
		expect(failed.length).toBeGreaterThan(0);
		for (const item of failed) {
			expect(item.json.errorKind).toBe('timeout');
			expect(String(item.json.errorMessage)).toContain(`${timeout} ms`);
			expect(item.json.attempts).toBe(maxRetries + 1);
		}
		// Bounded: the frozen items run `concurrency` at a time, each for (maxRetries+1) deadlines.
		const rounds = Math.ceil(failed.length / concurrency) + 1;
		expect(ended - frozen!).toBeLessThan(rounds * (maxRetries + 1) * (timeout + 50) + 2000);
		expectNoSecretsAnywhere(run);
	});
});
