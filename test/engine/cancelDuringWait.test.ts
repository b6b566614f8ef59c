/**
 * Cancelling an execution while the node waits (a gateway ban, a retry backoff) ends it at once:
 * the wait goes through n8n's sleep with the execution's cancel signal, whichever n8n-workflow
 * line provides it (`sleepWithAbort` up to 2.x early lines, `sleep(ms, signal)` in newer ones).
 * A wait that ignored the signal would outlast each test's timeout: a 60 s ban against 20 s, a
 * backoff of at least 5 s (the 10 s cap with jitter down to half) against 4.5 s.
 */
import type { IDataObject } from 'n8n-workflow';

import { runDamai } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ latencyMs: 0, rateLimit: null });

async function cancelAfterFirstAnswer(orderIds: string[], options: IDataObject) {
	const controller = new AbortController();
	const watcher = (async () => {
		for (let i = 0; i < 400 && sandbox.stats.total < 1; i++) await new Promise((r) => setTimeout(r, 25));
		controller.abort();
	})();
	const run = await runDamai(
		orderIds.map((orderId) => ({ orderId })),
		sandboxCredentials(sandbox),
		{ options },
		{ signal: controller.signal },
	);
	await watcher;
	return run;
}

test('during a 60 s gateway ban', async () => {
	const run = await cancelAfterFirstAnswer(['THROTTLE60-1', 'T-2', 'T-3'], { concurrency: 1, maxRetries: 3 });
	expect(run.run.status).toBe('canceled');
	// the throttled request and nothing after it: the ban was not waited out
	expect(sandbox.stats.total).toBe(1);
	expect(sandbox.stats.byOutcome['error:7']).toBe(1);
}, 20_000);

test('during a retry backoff of 5 to 10 s', async () => {
	const run = await cancelAfterFirstAnswer(['ISP1-1', 'B-2'], { concurrency: 1, maxRetries: 2, retryDelay: 60_000 });
	expect(run.run.status).toBe('canceled');
	expect(sandbox.stats.total).toBe(1);
	expect(sandbox.stats.attemptsByMsgId).toEqual({ [sandbox.requests[0].msgId as string]: 1 });
}, 4_500);
