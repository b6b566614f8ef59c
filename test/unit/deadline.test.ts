import { getEventListeners } from 'events';

import { DeadlineScheduler } from '../../nodes/Damai/transport/deadline';
import { abortError } from '../../nodes/Damai/transport/gate';

/**
 * A hand-driven clock: the scheduler's sleep parks here, and advance() moves time on and wakes the
 * sleep when it is due. `honourSignal: false` plays a host whose sleep ignores its signal.
 */
class SteppedClock {
	t = 0;
	pending?: { until: number; wake: () => void };
	slept: number[] = [];

	constructor(private readonly honourSignal = true) {}

	now = () => this.t;

	sleep = (ms: number, signal?: AbortSignal) =>
		new Promise<void>((resolve, reject) => {
			this.slept.push(ms);
			const entry = { until: this.t + ms, wake: resolve };
			this.pending = entry;
			if (this.honourSignal) {
				signal?.addEventListener('abort', () => {
					if (this.pending === entry) this.pending = undefined;
					reject(abortError());
				});
			}
		});

	async advance(ms: number): Promise<void> {
		const end = this.t + ms;
		for (;;) {
			await settle();
			const p = this.pending;
			if (!p || p.until > end) break;
			this.t = p.until;
			this.pending = undefined;
			p.wake();
		}
		this.t = end;
		await settle();
	}
}

const settle = async () => {
	for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

function scheduler(clock: SteppedClock, maxSliceMs = 100) {
	return new DeadlineScheduler(clock.sleep, maxSliceMs, clock.now);
}

describe('DeadlineScheduler', () => {
	it('stops a request at its deadline, not before, then goes idle with nothing pending', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock);
		const stops: number[] = [];
		const ticket = deadlines.start(300);
		ticket.bind(() => stops.push(clock.t));
		expect(deadlines.active).toBe(true);
		await clock.advance(299);
		expect(ticket.stopped).toBe(false);
		await clock.advance(1);
		expect(stops).toEqual([300]);
		expect(ticket.expired).toBe(true);
		expect(deadlines.active).toBe(false);
		expect(deadlines.size).toBe(0);
		expect(clock.pending).toBeUndefined();
		// slices of at most 100 ms, the last one ending exactly at the deadline
		expect(clock.slept).toEqual([100, 100, 100]);
	});

	it('a request that finishes in time is never stopped; the loop ends at its next wake-up', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock);
		const ticket = deadlines.start(1000);
		let stopped = false;
		ticket.bind(() => (stopped = true));
		await clock.advance(30);
		deadlines.finish(ticket);
		deadlines.finish(ticket); // twice is harmless
		await clock.advance(100);
		expect(deadlines.active).toBe(false);
		expect(clock.pending).toBeUndefined();
		await clock.advance(5000);
		expect(stopped).toBe(false);
		expect(ticket.expired).toBe(false);
	});

	it('many requests share one waiting loop: one sleep at a time, each stopped at its own deadline', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock, 10_000);
		const tickets = Array.from({ length: 50 }, () => deadlines.start(500));
		await clock.advance(100);
		const later = Array.from({ length: 50 }, () => deadlines.start(500));
		for (const t of tickets.slice(0, 25)) deadlines.finish(t);
		await clock.advance(400);
		expect(tickets.map((t) => t.expired)).toEqual([...Array(25).fill(false), ...Array(25).fill(true)]);
		expect(later.some((t) => t.stopped)).toBe(false);
		await clock.advance(100);
		expect(later.every((t) => t.expired)).toBe(true);
		expect(clock.slept).toEqual([500, 100]);
		expect(deadlines.active).toBe(false);
	});

	it('a deadline earlier than the current wake-up wakes the loop at once', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock, 60_000);
		const slow = deadlines.start(5000);
		await clock.advance(10);
		const quick = deadlines.start(50);
		await clock.advance(50);
		expect(quick.expired).toBe(true);
		expect(slow.stopped).toBe(false);
		expect(clock.slept).toEqual([5000, 50, 4940]);
		deadlines.close();
	});

	it('a cancel signal gets one listener however many requests use it, and none once they are over', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock);
		const execution = new AbortController();
		const other = new AbortController();
		const mine = Array.from({ length: 20 }, () => deadlines.start(10_000, execution.signal));
		const theirs = deadlines.start(10_000, other.signal);
		const plain = deadlines.start(10_000);
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(1);
		for (const t of mine.slice(0, 19)) deadlines.finish(t);
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(1);
		deadlines.finish(mine[19]);
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(0);

		const cancelled = Array.from({ length: 3 }, () => deadlines.start(10_000, execution.signal));
		execution.abort();
		expect(cancelled.every((t) => t.stopped && !t.expired)).toBe(true);
		expect(theirs.stopped).toBe(false);
		expect(plain.stopped).toBe(false);
		for (const t of cancelled) deadlines.finish(t);
		// a request started with a signal that is already aborted is stopped as soon as it binds
		const late = deadlines.start(10_000, execution.signal);
		let bound = false;
		late.bind(() => (bound = true));
		expect(bound).toBe(true);
		deadlines.finish(late);
		deadlines.close();
		expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
	});

	it('close() stops the requests in flight (not as expired) and leaves nothing waiting', async () => {
		const clock = new SteppedClock();
		const deadlines = scheduler(clock);
		const execution = new AbortController();
		const tickets = [deadlines.start(10_000, execution.signal), deadlines.start(10_000)];
		await clock.advance(10);
		expect(clock.pending).toBeDefined();
		deadlines.close();
		await settle();
		expect(tickets.every((t) => t.stopped && !t.expired)).toBe(true);
		expect(clock.pending).toBeUndefined();
		expect(deadlines.active).toBe(false);
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(0);
		// and it can serve again afterwards
		const again = deadlines.start(100);
		await clock.advance(100);
		expect(again.expired).toBe(true);
	});

	it('with a sleep that ignores its signal, the loop still ends within one slice after close()', async () => {
		const clock = new SteppedClock(false);
		const deadlines = scheduler(clock);
		deadlines.start(60_000);
		await clock.advance(250);
		deadlines.close();
		expect(deadlines.active).toBe(true);
		await clock.advance(100);
		expect(deadlines.active).toBe(false);
		expect(clock.pending).toBeUndefined();
	});
});
