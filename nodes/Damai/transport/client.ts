import { createAgents, type Agents } from './agents';
import { DEFAULTS, SIGN_METHODS, type ResponseFormat } from './constants';
import { DeadlineScheduler } from './deadline';
import { TopError } from './errors';
import { toTopError } from './failures';
import { ThrottleGate, abortError, scopedSleep, type SleepFn } from './gate';
import { parseAnswer, type TopAnswer } from './parse';
import { proxySecrets, type ProxySettings } from './proxy';
import { createRedactor, type Redactor } from './redact';
import { buildTopRequest, type AppIdentity, type BuiltRequest } from './request';
import { decideRetry, type RetryPolicy } from './retry';
import { createSender, type Send } from './send';

export interface TopClientOptions extends AppIdentity, RetryPolicy {
	gatewayUrl: string;
	format: ResponseFormat;
	/** Time per attempt, in ms: the whole answer must have arrived by then. */
	timeout: number;
	/** Sockets kept open to the gateway (the pool's concurrency). */
	maxSockets?: number;
	/** Answer size cap, in bytes. */
	maxResponseBytes?: number;
	/** Space between requests, in ms (0 = none). */
	minIntervalMs?: number;
	/** How to wait (n8n's sleep in the node); must honour the signal when given one. */
	sleep: SleepFn;
	/** The forward proxy that carries the calls (transport/proxy.ts resolveProxy); none when absent. */
	proxy?: ProxySettings;
	/** Accept any TLS certificate from the gateway (the credential's Ignore SSL Issues). Default false. */
	ignoreSslIssues?: boolean;
	/** Secrets besides appSecret/session to keep out of every error text (e.g. the supplier secret). */
	extraSecrets?: string[];
	/** Called before each retry, for logging (never with secrets). */
	onRetry?: (info: { attempt: number; delayMs: number; reason: string; error: TopError }) => void;
	random?: () => number;
}

export interface CallOptions {
	signal?: AbortSignal;
	/**
	 * Called once per attempt, with its number (1 = the first), after the request is built and
	 * before it goes on the wire: what the node's audit trail logs as "sent". Must not throw.
	 */
	onAttempt?: (attempt: number) => void;
}

export interface TopResult extends TopAnswer {
	attempts: number;
}

/**
 * A TOP gateway client: the attempt loop. Signs (transport/request.ts), sends (transport/send.ts:
 * axios over the client's keep-alive agents, transport/agents.ts, tunnelling through a proxy when
 * one is set), parses (JSON or XML, transport/parse.ts), maps failures (transport/failures.ts) and
 * retries (transport/retry.ts).
 * One client serves a whole execution; close() frees its sockets.
 */
export class TopClient {
	readonly redact: Redactor;
	readonly gate: ThrottleGate;
	/** The deadlines of the requests in flight (one waiting loop per client). */
	readonly deadlines: DeadlineScheduler;
	/** TCP connections this client opened (for tests and the benchmark). */
	socketsOpened = 0;
	private closed = false;
	private readonly send: Send;
	private readonly agents: Agents;

	private readonly sleep: SleepFn;
	private readonly url: string;
	private readonly headers: Record<string, string>;

	constructor(private readonly options: TopClientOptions) {
		if (!SIGN_METHODS.includes(options.signMethod)) {
			throw new TypeError(`Unknown sign method "${String(options.signMethod)}"`);
		}
		this.sleep = scopedSleep(options.sleep);
		this.redact = createRedactor([
			options.appSecret,
			options.session,
			...(options.extraSecrets ?? []),
			...proxySecrets(options.proxy),
		]);
		this.gate = new ThrottleGate(this.sleep, options.minIntervalMs ?? 0);
		this.deadlines = new DeadlineScheduler(options.sleep);
		this.url = `${options.gatewayUrl}${options.gatewayUrl.includes('?') ? '&' : '?'}`;
		this.headers = {
			'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
			Accept: options.format === 'xml' ? 'text/xml, application/xml' : 'application/json, text/javascript',
		};
		this.agents = createAgents({
			maxSockets: options.maxSockets ?? DEFAULTS.concurrency,
			rejectUnauthorized: options.ignoreSslIssues !== true,
			proxy: options.proxy,
			connectTimeout: options.timeout,
			onConnection: () => this.socketsOpened++,
		});
		this.send = createSender(this.agents, options.maxResponseBytes ?? DEFAULTS.maxResponseBytes);
	}

	get format(): ResponseFormat {
		return this.options.format;
	}

	/** The proxy that carries the calls, if any. */
	get proxy(): ProxySettings | undefined {
		return this.options.proxy;
	}

	get gatewayUrl(): string {
		return this.options.gatewayUrl;
	}

	/** The signed request one attempt would send now (what `once` sends; a dry run shows it). */
	build(method: string, appParams: Record<string, unknown>): BuiltRequest {
		return buildTopRequest(method, appParams, this.options, this.options.format);
	}

	/**
	 * Calls `method`. `appParams` is asked for anew before every attempt (so a request head can
	 * carry a fresh time stamp while keeping its msg_id). Throws TopError.
	 */
	async call(
		method: string,
		appParams: () => Record<string, unknown>,
		{ signal, onAttempt }: CallOptions = {},
	): Promise<TopResult> {
		for (let attempt = 0; ; attempt++) {
			let sent = false;
			try {
				// (most calls find the gate open: no promise to wait for)
				if (!this.gate.open) await this.gate.acquire(signal);
				else if (signal?.aborted) throw abortError();
				sent = true;
				const answer = (await this.once(method, appParams(), signal, onAttempt, attempt + 1)) as TopResult;
				answer.attempts = attempt + 1;
				return answer;
			} catch (caught) {
				const error = this.toTopError(caught, signal);
				// attempts = requests actually sent (a cancel during a ban wait sends nothing more)
				error.attempts = sent ? attempt + 1 : attempt;
				const decision =
					signal?.aborted || this.closed ? undefined : decideRetry(error, attempt, this.options, this.options.random);
				if (!decision) throw error;
				this.options.onRetry?.({ attempt: attempt + 1, delayMs: decision.delayMs, reason: decision.reason, error });
				if (decision.throttle) this.gate.pause(decision.delayMs);
				else await this.wait(decision.delayMs, signal);
				if (signal?.aborted) throw this.aborted(attempt + 1);
			}
		}
	}

	private async wait(ms: number, signal?: AbortSignal) {
		try {
			await this.sleep(ms, signal);
		} catch {
			// aborted: the caller checks the signal
		}
	}

	private aborted(attempts: number): TopError {
		const error = new TopError({ kind: 'aborted', message: 'The execution was canceled before the gateway answered' });
		error.attempts = attempts;
		return error;
	}

	private async once(
		method: string,
		appParams: Record<string, unknown>,
		signal?: AbortSignal,
		onAttempt?: (attempt: number) => void,
		attempt = 1,
	): Promise<TopAnswer> {
		let request;
		try {
			request = this.build(method, appParams);
		} catch (error) {
			throw new TopError({
				kind: 'request',
				message: `The request could not be built: ${this.redact(error instanceof Error ? error.message : String(error))}`,
				description: 'Nothing was sent.',
			});
		}
		onAttempt?.(attempt);
		// One deadline for the whole answer (axios' own timeout only watches an idle socket, so a
		// slow drip would never end); the execution's cancel signal aborts it too.
		const deadline = this.deadlines.start(this.options.timeout, signal);
		let answer;
		try {
			answer = await this.send(this.url + request.query, request.body, this.headers, deadline);
		} catch (error) {
			// (close() stops the requests in flight: they end as aborted, not retried)
			if (signal?.aborted || this.closed) throw abortError();
			if (deadline.expired) {
				throw new TopError({
					kind: 'timeout',
					message: `The gateway did not answer within ${this.options.timeout} ms`,
					description: 'No complete answer arrived in time. Raise the Timeout option if the gateway is slow.',
				});
			}
			throw error;
		} finally {
			this.deadlines.finish(deadline);
		}
		return parseAnswer(answer, method, this.redact);
	}

	/** Any failure → TopError (transport/failures.ts). */
	private toTopError(caught: unknown, signal?: AbortSignal): TopError {
		if (caught instanceof TopError) return caught;
		if (signal?.aborted || (caught instanceof Error && caught.name === 'AbortError')) return this.aborted(1);
		return toTopError(caught, {
			timeout: this.options.timeout,
			maxResponseBytes: this.options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
			proxy: this.options.proxy,
			redact: this.redact,
		});
	}

	close(): void {
		this.closed = true;
		this.deadlines.close();
		this.agents.destroy();
	}
}
