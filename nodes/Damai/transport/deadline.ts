import type { SleepFn } from './gate';

/**
 * One request's deadline. The request says what stopping it means (bind); the scheduler stops it
 * when the deadline passes (`expired` is then true), when the caller's cancel signal aborts, or
 * when the scheduler is closed.
 */
export class DeadlineTicket {
	expired = false;
	stopped = false;
	/** @internal list links, kept by the scheduler (ordered by `at`) */
	prev?: DeadlineTicket;
	next?: DeadlineTicket;
	/** @internal */
	linked = true;
	private onStop?: () => void;

	constructor(
		readonly at: number,
		readonly cancel: AbortSignal | undefined,
	) {}

	/** How to stop the request; runs at once when the ticket is already stopped. */
	bind(onStop: () => void): void {
		this.onStop = onStop;
		if (this.stopped) onStop();
	}

	/** @internal */
	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		this.onStop?.();
	}
}

interface Watch {
	count: number;
	listener: () => void;
}

/**
 * The deadlines of a client's requests in flight, kept by one waiting loop instead of a timer per
 * request (`AbortSignal.timeout` keeps its timer and signal alive for the whole timeout after the
 * answer is in, and a timer per request is what n8n's lint forbids in node code). The loop waits
 * with the injected `sleep` (n8n's `sleepWithAbort` in the node): until the earliest deadline, in
 * slices of at most `maxSliceMs`, so a `sleep` that ignores its signal still ends soon after
 * close(). It starts with the first request and ends when no request is left at a wake-up.
 *
 * A deadline fires at its time (to the timer's accuracy): the loop sleeps until the earliest one,
 * and a ticket that is due earlier than the current wake-up wakes the loop at once. The caller's
 * cancel signal gets one listener while requests of that signal are in flight, not one per request.
 */
export class DeadlineScheduler {
	private head?: DeadlineTicket;
	private tail?: DeadlineTicket;
	private running = false;
	private wake?: AbortController;
	private wakeAt = Infinity;
	private readonly watches = new Map<AbortSignal, Watch>();

	constructor(
		private readonly sleep: SleepFn,
		private readonly maxSliceMs = 100,
		private readonly now: () => number = Date.now,
	) {}

	/** Whether the waiting loop is running (for tests: false once idle or closed). */
	get active(): boolean {
		return this.running;
	}

	/** Requests in flight (for tests). */
	get size(): number {
		let n = 0;
		for (let t = this.head; t; t = t.next) n++;
		return n;
	}

	/** Starts the clock for one request: it must be over within `timeoutMs`. */
	start(timeoutMs: number, cancel?: AbortSignal): DeadlineTicket {
		const ticket = new DeadlineTicket(this.now() + timeoutMs, cancel);
		if (cancel) {
			this.watch(cancel);
			if (cancel.aborted) ticket.stop();
		}
		this.insert(ticket);
		if (!this.running) void this.run();
		else if (ticket.at < this.wakeAt) this.wake?.abort();
		return ticket;
	}

	/** The request is over (answered, failed or aborted): forget its deadline. */
	finish(ticket: DeadlineTicket): void {
		if (!ticket.linked) return;
		this.unlink(ticket);
	}

	/** Stops the requests still in flight and the loop; nothing is left waiting. */
	close(): void {
		for (let t = this.head; t; ) {
			const next = t.next;
			this.unlink(t);
			t.stop();
			t = next;
		}
		this.wake?.abort();
	}

	private async run(): Promise<void> {
		this.running = true;
		try {
			for (;;) {
				const now = this.now();
				while (this.head && this.head.at <= now) {
					const due = this.head;
					this.unlink(due);
					due.expired = true;
					due.stop();
				}
				if (!this.head) return;
				const wake = new AbortController();
				this.wake = wake;
				this.wakeAt = Math.min(this.head.at, now + this.maxSliceMs);
				try {
					await this.sleep(this.wakeAt - now, wake.signal);
				} catch {
					// woken early: an earlier deadline came in, or close()
				}
			}
		} finally {
			this.running = false;
			this.wake = undefined;
			this.wakeAt = Infinity;
		}
	}

	private insert(ticket: DeadlineTicket): void {
		// Deadlines arrive almost always in order (one timeout per client): walk back from the tail.
		let after = this.tail;
		while (after && after.at > ticket.at) after = after.prev;
		ticket.prev = after;
		ticket.next = after ? after.next : this.head;
		if (ticket.next) ticket.next.prev = ticket;
		else this.tail = ticket;
		if (after) after.next = ticket;
		else this.head = ticket;
	}

	private unlink(ticket: DeadlineTicket): void {
		if (ticket.prev) ticket.prev.next = ticket.next;
		else this.head = ticket.next;
		if (ticket.next) ticket.next.prev = ticket.prev;
		else this.tail = ticket.prev;
		ticket.prev = ticket.next = undefined;
		ticket.linked = false;
		if (ticket.cancel) this.unwatch(ticket.cancel);
	}

	private watch(signal: AbortSignal): void {
		const known = this.watches.get(signal);
		if (known) {
			known.count++;
			return;
		}
		const listener = () => {
			for (let t = this.head; t; t = t.next) if (t.cancel === signal) t.stop();
		};
		this.watches.set(signal, { count: 1, listener });
		signal.addEventListener('abort', listener, { once: true });
	}

	private unwatch(signal: AbortSignal): void {
		const known = this.watches.get(signal);
		if (!known || --known.count > 0) return;
		this.watches.delete(signal);
		signal.removeEventListener('abort', known.listener);
	}
}
