/** Batches in the engine: bounded pool, connection reuse, shared throttling, cancellation. */
import { runDamai } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ latencyMs: 0, rateLimit: null });

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ orderId: `C-${i}` }));

test.each([1, 4, 16])('concurrency %i: never more in flight, sockets reused, order kept', async (concurrency) => {
	sandbox.configure({ latencyMs: 5 });
	const before = sandbox.stats.connections;
	const input = ids(120);
	const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency } });
	expect(error).toBeUndefined();
	expect(outputs[0].map((i) => i.json.orderId)).toEqual(input.map((i) => i.orderId));
	expect(sandbox.stats.maxConcurrent).toBeLessThanOrEqual(concurrency);
	if (concurrency > 1) expect(sandbox.stats.maxConcurrent).toBeGreaterThan(1);
	expect(sandbox.stats.connections - before).toBeLessThanOrEqual(concurrency);
});

test('a rate-limited gateway: the pool pauses for each ban and every item succeeds, once', async () => {
	// 20 requests/s: well below what the pool sends even on a loaded machine, so the limit is hit;
	// the bucket (20) stays above the concurrency (8), so a pool resuming after a ban fits in it
	sandbox.configure({ latencyMs: 2, rateLimit: { perSecond: 20, banSeconds: 1 } });
	const input = ids(100);
	const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), {
		onError: 'continueRegularOutput',
		options: { concurrency: 8, maxRetries: 3 },
	});
	expect(error).toBeUndefined();
	const failed = outputs[0].filter((i) => i.json.success !== true);
	expect(failed).toEqual([]);
	expect(sandbox.stats.byOutcome['error:7']).toBeGreaterThan(0); // the limit was really hit
	for (const { orderId } of input) expect(sandbox.stats.cancelled[orderId]).toBe(1);
}, 60_000);

test('minIntervalMs spaces requests out', async () => {
	const { outputs } = await runDamai(ids(6), sandboxCredentials(sandbox), { options: { concurrency: 6, minIntervalMs: 60 } });
	expect(outputs[0]).toHaveLength(6);
	// Spacing is applied when requests leave; arrival times jitter with connection set-up and
	// machine load, so check the span: five intervals of 60 ms, with generous slack (unspaced,
	// six parallel requests arrive within a few ms).
	const times = sandbox.requests.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
	expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(200);
});

test('cancelling the execution aborts requests in flight and starts no new ones', async () => {
	const controller = new AbortController();
	const input = Array.from({ length: 20 }, (_, i) => ({ orderId: `SLOW3000-${i}` }));
	setTimeout(() => controller.abort(), 300);
	const run = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency: 2 } }, { signal: controller.signal });
	expect(run.run.status).toBe('canceled');
	expect(sandbox.stats.total).toBeLessThanOrEqual(2);
	// the sandbox saw the client hang up rather than finishing the 3 s answers
	await new Promise((resolve) => setTimeout(resolve, 100));
	expect(sandbox.stats.inFlight).toBe(0);
});

test('Continue On Fail at a concurrency that reads ahead (C = 128: 8 at a time): each item reads its own Order ID, bad ones fail only themselves', async () => {
	const input = Array.from({ length: 300 }, (_, i) => ({
		orderId: i % 7 === 3 ? '' : i % 11 === 5 ? `BAD\u0001${i}` : `RA-${i}`,
	}));
	const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), {
		onError: 'continueRegularOutput',
		options: { concurrency: 128 },
	});
	expect(error).toBeUndefined();
	const main = outputs[0];
	expect(main.map((item) => (item.pairedItem as { item: number }).item)).toEqual(input.map((_, i) => i));
	input.forEach(({ orderId }, i) => {
		if (orderId.startsWith('RA-')) {
			expect(main[i].json).toMatchObject({ orderId, success: true });
			expect(sandbox.stats.cancelled[orderId]).toBe(1);
		} else {
			expect(main[i].json).toMatchObject({ success: false, errorKind: 'input' });
			expect(String(main[i].json.errorMessage)).toContain(`Item ${i}: the Order ID`);
		}
	});
	expect(sandbox.stats.total).toBe(input.filter((x) => x.orderId.startsWith('RA-')).length);
});

test.each([
	[0, '0'],
	[257, '257'],
	[2.5, '2.5'],
	['many', '"many"'],
])('Concurrency %p is refused before anything is sent, naming the option and its range', async (concurrency, shown) => {
	const { error } = await runDamai(ids(3), sandboxCredentials(sandbox), { options: { concurrency } });
	expect(error?.message).toBe('Option "concurrency" must be a whole number from 1 to 256');
	expect(error?.description).toBe(`It is ${shown}.`);
	expect(sandbox.stats.total).toBe(0);
});

test('Concurrency 256, the most the option allows, is taken: 300 orders, never more than 256 in flight', async () => {
	sandbox.configure({ latencyMs: 20 });
	const input = ids(300);
	const { outputs, error } = await runDamai(input, sandboxCredentials(sandbox), { options: { concurrency: 256 } });
	expect(error).toBeUndefined();
	expect(outputs[0].map((i) => i.json.orderId)).toEqual(input.map((i) => i.orderId));
	expect(outputs[0].every((i) => i.json.success === true)).toBe(true);
	expect(sandbox.stats.maxConcurrent).toBeLessThanOrEqual(256);
	expect(sandbox.stats.maxConcurrent).toBeGreaterThan(16);
});
