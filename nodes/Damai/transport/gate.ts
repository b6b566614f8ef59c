export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * One per gateway per execution: every request passes through it. It spaces requests by
 * `minIntervalMs` (a known quota) and, when the gateway throttles any request, pauses all of
 * them until the ban is over, not just the one that was told.
 */
export class ThrottleGate {
	private pausedUntil = 0;
	private nextSlot = 0;
	/** How many times a throttle answer paused the gate. */
	pauses = 0;

	constructor(
		private readonly sleep: SleepFn,
		private readonly minIntervalMs = 0,
		private readonly now: () => number = Date.now,
	) {}

	pause(ms: number): void {
		const until = this.now() + ms;
		if (until > this.pausedUntil) {
			this.pausedUntil = until;
			this.pauses++;
		}
	}

	/** Whether acquire() would pass at once (no spacing, no ban): the caller may skip the wait. */
	get open(): boolean {
		return this.minIntervalMs <= 0 && this.pausedUntil <= this.now();
	}

	/** Resolves when the caller may send its request. Rejects when `signal` aborts. */
	async acquire(signal?: AbortSignal): Promise<void> {
		for (;;) {
			if (signal?.aborted) throw abortError();
			const now = this.now();
			if (this.pausedUntil > now) {
				await this.sleep(this.pausedUntil - now, signal);
				continue;
			}
			if (this.minIntervalMs <= 0) return;
			const slot = Math.max(now, this.nextSlot);
			this.nextSlot = slot + this.minIntervalMs;
			if (slot > now) await this.sleep(slot - now, signal);
			if (signal?.aborted) throw abortError();
			if (this.pausedUntil <= this.now()) return;
		}
	}
}

/**
 * A sleep whose abort listener lives only as long as the wait: n8n's sleepWithAbort leaves its
 * listener on the signal it is given, and the execution's signal lives for thousands of waits.
 */
export function scopedSleep(sleep: SleepFn): SleepFn {
	return async (ms, signal) => {
		if (!signal) return await sleep(ms);
		if (signal.aborted) throw abortError();
		const scope = new AbortController();
		const onAbort = () => scope.abort();
		signal.addEventListener('abort', onAbort, { once: true });
		try {
			await sleep(ms, scope.signal);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	};
}

export function abortError(): Error {
	const error = new Error('The execution was canceled');
	error.name = 'AbortError';
	return error;
}
