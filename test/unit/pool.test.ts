import { runPool } from '../../nodes/Damai/transport/pool';

function seeded(seed: number) {
	return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runPool', () => {
	it('returns results in input order although they complete in random order, never above the concurrency', async () => {
		const rand = seeded(7);
		const delays = Array.from({ length: 40 }, () => Math.floor(rand() * 12));
		let inFlight = 0;
		let maxInFlight = 0;
		const completed: number[] = [];
		const results = await runPool(40, 4, async (i) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await delay(delays[i]);
			inFlight--;
			completed.push(i);
			return `r${i}`;
		});
		expect(results).toEqual(Array.from({ length: 40 }, (_, i) => `r${i}`));
		expect(maxInFlight).toBe(4);
		expect(completed).toHaveLength(40);
		// completion order really differed from input order
		expect(completed).not.toEqual([...completed].sort((a, b) => a - b));
	});

	it('each index runs exactly once', async () => {
		const seen = new Map<number, number>();
		await runPool(25, 6, async (i) => {
			seen.set(i, (seen.get(i) ?? 0) + 1);
			await delay(i % 3);
			return i;
		});
		expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
		expect([...seen.values()].every((n) => n === 1)).toBe(true);
	});

	it('concurrency 1 runs strictly one by one', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const order: number[] = [];
		await runPool(8, 1, async (i) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			order.push(i);
			await delay(8 - i);
			inFlight--;
			return i;
		});
		expect(maxInFlight).toBe(1);
		expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('nonsense concurrency (0, NaN, negative) still runs everything, one lane', async () => {
		for (const c of [0, NaN, -3]) {
			let inFlight = 0;
			let maxInFlight = 0;
			const results = await runPool(5, c, async (i) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await delay(1);
				inFlight--;
				return i * 2;
			});
			expect(results).toEqual([0, 2, 4, 6, 8]);
			expect(maxInFlight).toBe(1);
		}
	});

	it('count 0 → empty, worker never called', async () => {
		const worker = jest.fn(async () => 1);
		expect(await runPool(0, 4, worker)).toEqual([]);
		expect(worker).not.toHaveBeenCalled();
	});

	it('stops starting new work once stop() is true; the rest stays undefined', async () => {
		let done = 0;
		let startedAfterStop = 0;
		const started: number[] = [];
		const stop = () => done >= 5;
		const results = await runPool(
			30,
			3,
			async (i) => {
				if (stop()) startedAfterStop++;
				started.push(i);
				await delay(2 + (i % 4));
				done++;
				return i;
			},
			stop,
		);
		expect(startedAfterStop).toBe(0);
		expect(started.length).toBeGreaterThanOrEqual(5);
		expect(started.length).toBeLessThan(5 + 3); // at most the lanes already running finish
		for (let i = 0; i < 30; i++) {
			if (started.includes(i)) expect(results[i]).toBe(i);
			else expect(results[i]).toBeUndefined();
		}
		// started indexes are a prefix: no holes
		expect([...started].sort((a, b) => a - b)).toEqual(Array.from({ length: started.length }, (_, i) => i));
	});

	it('stop() true from the start runs nothing', async () => {
		const worker = jest.fn(async () => 1);
		const results = await runPool(3, 2, worker, () => true);
		expect(worker).not.toHaveBeenCalled();
		expect(results).toEqual([undefined, undefined, undefined]);
	});
});
