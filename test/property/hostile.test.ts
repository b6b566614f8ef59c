/**
 * Hostile inputs and answers (issue 5): property-based tests with fast-check, by theme (./hostile/):
 * - answers.ts: parseAnswer on any body, JSON/XML parity (pure);
 * - secrets.ts: the redactor, and no secret in parse errors whatever the gateway echoes (pure);
 * - idsAndRetry.ts: order id validation, the retry rule (pure);
 * - client.ts: the client (TopClient + cancelStockLock) against the in-process fault server;
 * - engine.ts (+ engineCase.ts): the node in n8n's real engine (WorkflowExecute) against the fault server.
 * Generated answers are ./gateway/ (specs, rendering, arbitraries, the model). This file is the
 * one suite they run in: the fault server, the crash guard, the checks after every test, and the
 * number of generated cases, printed at the end ("property cases: N").
 * PROPERTY_SCALE=0.1 runs a tenth of them; FC_SEED=n replays a seed.
 */
import { startFaultServer, type FaultServer } from './faultServer';
import { answerProperties } from './hostile/answers';
import { clientProperties } from './hostile/client';
import type { Harness } from './hostile/common';
import { engineProperties } from './hostile/engine';
import { idAndRetryProperties } from './hostile/idsAndRetry';
import { secretProperties } from './hostile/secrets';
import { counts, expectNoPollution, failures, installCrashGuard, runs, total, type CrashGuard } from './support';

jest.setTimeout(180_000);

let fault: FaultServer;
let guard: CrashGuard;
const started = Date.now();

beforeAll(async () => {
	guard = installCrashGuard();
	fault = await startFaultServer();
});

afterAll(async () => {
	await fault?.close();
	guard?.uninstall();
	const lines = Object.entries(counts).map(([name, n]) => `  ${String(n).padStart(6)}  ${name}`);
	const failed = failures.length ? `\n  failed: ${failures.join(', ')}` : '';
	const summary = `property cases: ${total()} (in ${((Date.now() - started) / 1000).toFixed(1)} s)\n${lines.join('\n')}${failed}`;
	console.log(summary);
	// Also straight to the terminal, so it shows whatever jest does with console output.
	process.stderr.write(`\n${summary}\n`);
});

afterEach(() => {
	expect(guard.problems).toEqual([]);
	expect(fault.scriptErrors).toEqual([]);
	expectNoPollution('after the test');
});

const harness: Harness = {
	get fault() {
		return fault;
	},
	get guard() {
		return guard;
	},
};

describe('pure: parseAnswer on hostile bodies', () => answerProperties());
describe('pure: no secret survives the redactor or a parse error', () => secretProperties());
describe('pure: order ids and the retry rule', () => idAndRetryProperties());
describe('client: TopClient + cancelStockLock against the fault server', () => clientProperties(harness));
describe('engine: the node in n8n’s WorkflowExecute against the fault server', () => engineProperties(harness));

test('the suite generated at least 10,000 cases', () => {
	// Only meaningful when every property ran to the end (a failing one stops at its counterexample).
	if (failures.length === 0) expect(total()).toBeGreaterThanOrEqual(runs(10_000));
});
