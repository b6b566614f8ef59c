import { ThrottleGate, abortError } from '../../nodes/Damai/transport/gate';

/** Virtual time: sleep() parks a timer; run() fires timers in time order, advancing `now`. */
class VirtualClock {
	t = 0;
	private seq = 0;
	private timers: Array<{ at: number; seq: number; resolve: () => void; reject: (e: Error) => void; signal?: AbortSignal }> = [];
	sleeps: number[] = [];

	now = () => this.t;

	sleep = (ms: number, signal?: AbortSignal) =>
		new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(abortError());
			this.sleeps.push(ms);
			const timer = { at: this.t + ms, seq: this.seq++, resolve, reject, signal };
			this.timers.push(timer);
			signal?.addEventListener('abort', () => {
				this.timers = this.timers.filter((x) => x !== timer);
				reject(abortError());
			});
		});

	/** Fires timers until none is left (or `until` is reached), letting promises settle between. */
	async run(until = Infinity) {
		for (let guard = 0; guard < 10_000; guard++) {
			await flush();
			if (this.timers.length === 0) return;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			if (this.timers[0].at > until) {
				this.t = until;
				return;
			}
			const next = this.timers.shift()!;
			this.t = Math.max(this.t, next.at);
			next.resolve();
		}
		throw new Error('virtual clock did not settle');
	}
}
const flush = async () => {
	for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function acquireAll(gate: ThrottleGate, clock: VirtualClock, names: string[], log: Array<[string, number]>) {
	return names.map((name) => gate.acquire().then(() => log.push([name, clock.now()])));
}

describe('ThrottleGate', () => {
	it('without interval or pause, acquire() passes at once', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 0, clock.now);
		const log: Array<[string, number]> = [];
		await Promise.all(acquireAll(gate, clock, ['a', 'b', 'c'], log));
		expect(log).toEqual([
			['a', 0],
			['b', 0],
			['c', 0],
		]);
		expect(clock.sleeps).toEqual([]);
	});

	it('spaces requests by minInterval, in arrival order', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 100, clock.now);
		const log: Array<[string, number]> = [];
		const all = acquireAll(gate, clock, ['a', 'b', 'c', 'd', 'e'], log);
		await clock.run();
		await Promise.all(all);
		expect(log).toEqual([
			['a', 0],
			['b', 100],
			['c', 200],
			['d', 300],
			['e', 400],
		]);
	});

	it('a later request after a quiet period is not delayed', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 100, clock.now);
		await gate.acquire();
		clock.t = 1000;
		const log: Array<[string, number]> = [];
		const all = acquireAll(gate, clock, ['late1', 'late2'], log);
		await clock.run();
		await Promise.all(all);
		expect(log).toEqual([
			['late1', 1000],
			['late2', 1100],
		]);
	});

	it('pause() holds every waiter, not only the one that was throttled', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 0, clock.now);
		gate.pause(1000);
		expect(gate.pauses).toBe(1);
		const log: Array<[string, number]> = [];
		const all = acquireAll(gate, clock, ['a', 'b', 'c'], log);
		await clock.run(999);
		expect(log).toEqual([]); // nobody passed during the pause
		await clock.run();
		await Promise.all(all);
		expect(log.map(([, t]) => t)).toEqual([1000, 1000, 1000]);
		expect(log.map(([n]) => n).sort()).toEqual(['a', 'b', 'c']);
	});

	it('a pause that arrives while requests wait for their slot moves all of them past it, still spaced', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 100, clock.now);
		const log: Array<[string, number]> = [];
		const all = acquireAll(gate, clock, ['a', 'b', 'c', 'd'], log);
		await clock.run(50); // 'a' passed at 0, the others wait for 100, 200, 300
		expect(log).toEqual([['a', 0]]);
		gate.pause(450); // until 500
		await clock.run();
		await Promise.all(all);
		expect(log[0]).toEqual(['a', 0]);
		const later = log.slice(1);
		expect(later.map(([n]) => n)).toEqual(['b', 'c', 'd']);
		for (const [, t] of later) expect(t).toBeGreaterThanOrEqual(500);
		for (let i = 1; i < later.length; i++) expect(later[i][1] - later[i - 1][1]).toBeGreaterThanOrEqual(100);
	});

	it('a shorter pause does not shorten a longer one', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 0, clock.now);
		gate.pause(1000);
		gate.pause(200);
		expect(gate.pauses).toBe(1);
		const log: Array<[string, number]> = [];
		const all = acquireAll(gate, clock, ['a'], log);
		await clock.run();
		await Promise.all(all);
		expect(log).toEqual([['a', 1000]]);
		gate.pause(500);
		expect(gate.pauses).toBe(2);
	});

	it('rejects with AbortError when the signal is already aborted, or aborts while paused', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 0, clock.now);
		const aborted = new AbortController();
		aborted.abort();
		await expect(gate.acquire(aborted.signal)).rejects.toMatchObject({ name: 'AbortError' });

		gate.pause(10_000);
		const controller = new AbortController();
		const pending = gate.acquire(controller.signal);
		await flush();
		controller.abort();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		expect(clock.t).toBe(0);
	});

	it('is open (acquire() would pass at once) only without spacing and outside a ban', async () => {
		const clock = new VirtualClock();
		const gate = new ThrottleGate(clock.sleep, 0, clock.now);
		expect(gate.open).toBe(true);
		gate.pause(300);
		expect(gate.open).toBe(false);
		clock.t = 299;
		expect(gate.open).toBe(false);
		clock.t = 300;
		expect(gate.open).toBe(true);
		expect(new ThrottleGate(clock.sleep, 50, clock.now).open).toBe(false);
	});
});
