import axios, { type AxiosInstance } from 'axios';
import * as http from 'http';
import * as https from 'https';

import { DEFAULTS, SIGN_METHODS, type ResponseFormat } from './constants';
import { DeadlineScheduler, type DeadlineTicket } from './deadline';
import { TopError } from './errors';
import { ThrottleGate, abortError, scopedSleep, type SleepFn } from './gate';
import { parseAnswer, type TopAnswer } from './parse';
import { createRedactor, type Redactor } from './redact';
import { buildTopRequest, type AppIdentity } from './request';
import { decideRetry, type RetryPolicy } from './retry';

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
 * A TOP gateway client: signs, sends (axios, one keep-alive agent per client), parses (JSON or
 * XML) and retries. One client serves a whole execution; close() frees its sockets.
 */
export class TopClient {
	readonly redact: Redactor;
	readonly gate: ThrottleGate;
	/** The deadlines of the requests in flight (one waiting loop per client). */
	readonly deadlines: DeadlineScheduler;
	/** TCP connections this client opened (for tests and the benchmark). */
	socketsOpened = 0;
	private closed = false;
	private readonly http: AxiosInstance;
	private readonly httpAgent: http.Agent;
	private readonly httpsAgent: https.Agent;

	private readonly sleep: SleepFn;
	private readonly url: string;
	private readonly headers: Record<string, string>;

	constructor(private readonly options: TopClientOptions) {
		if (!SIGN_METHODS.includes(options.signMethod)) {
			throw new TypeError(`Unknown sign method "${String(options.signMethod)}"`);
		}
		this.sleep = scopedSleep(options.sleep);
		this.redact = createRedactor([options.appSecret, options.session, ...(options.extraSecrets ?? [])]);
		this.gate = new ThrottleGate(this.sleep, options.minIntervalMs ?? 0);
		this.deadlines = new DeadlineScheduler(options.sleep);
		this.url = `${options.gatewayUrl}${options.gatewayUrl.includes('?') ? '&' : '?'}`;
		this.headers = {
			'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
			Accept: options.format === 'xml' ? 'text/xml, application/xml' : 'application/json, text/javascript',
		};
		// keepAliveMsecs = the 60 s axios sets on every request's socket: with the agent's default
		// (1 s) the two alternate, and each change is two setsockopt calls per request.
		const agentOptions = {
			keepAlive: true,
			keepAliveMsecs: 60_000,
			maxSockets: Math.max(1, options.maxSockets ?? DEFAULTS.concurrency),
		};
		this.httpAgent = new http.Agent(agentOptions);
		this.httpsAgent = new https.Agent(agentOptions);
		const count = () => this.socketsOpened++;
		for (const agent of [this.httpAgent, this.httpsAgent] as Array<http.Agent>) {
			const create = (agent as unknown as { createConnection: (...a: unknown[]) => unknown }).createConnection;
			(agent as unknown as { createConnection: (...a: unknown[]) => unknown }).createConnection = function (
				this: unknown,
				...args: unknown[]
			) {
				count();
				return create.apply(this, args);
			};
		}
		const maxBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
		this.http = axios.create({
			httpAgent: this.httpAgent,
			httpsAgent: this.httpsAgent,
			maxRedirects: 0,
			maxContentLength: maxBytes,
			maxBodyLength: 10 * 1024 * 1024,
			responseType: 'text',
			responseEncoding: 'utf8',
			transformResponse: [(data: unknown) => data],
			validateStatus: () => true,
			proxy: false,
			decompress: true,
		});
	}

	get format(): ResponseFormat {
		return this.options.format;
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
			request = buildTopRequest(method, appParams, this.options, this.options.format);
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
		let response;
		try {
			response = await this.http.request<string>({
				method: 'POST',
				url: this.url + request.query,
				data: request.body,
				headers: this.headers,
				transport: stoppable(deadline),
			});
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
		const contentType = response.headers['content-type'];
		return parseAnswer(
			{
				status: response.status,
				contentType: typeof contentType === 'string' ? contentType : undefined,
				body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
			},
			method,
			this.redact,
		);
	}

	/** Any failure → TopError, built from a minimal view (never from axios' config or request). */
	private toTopError(caught: unknown, signal?: AbortSignal): TopError {
		if (caught instanceof TopError) return caught;
		if (signal?.aborted || (caught instanceof Error && caught.name === 'AbortError')) return this.aborted(1);
		const err = (caught ?? {}) as { code?: unknown; message?: unknown };
		const errno = typeof err.code === 'string' ? err.code : undefined;
		const rawMessage = typeof err.message === 'string' ? err.message : '';
		if (/maxContentLength/i.test(rawMessage)) {
			const cap = this.options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
			return new TopError({
				kind: 'too-large',
				message: `The gateway's answer is larger than the ${cap} bytes allowed`,
				description: 'An answer this large is not a TOP answer; check the gateway URL.',
			});
		}
		if (errno === 'ECONNABORTED' || errno === 'ETIMEDOUT') {
			return new TopError({
				kind: 'timeout',
				errno,
				message: `The gateway did not answer within ${this.options.timeout} ms`,
			});
		}
		const message = this.redact(rawMessage.split('\n')[0].slice(0, 200));
		return new TopError({
			kind: 'network',
			errno,
			message: `Could not reach the gateway${errno ? ` (${errno})` : ''}${message ? `: ${message}` : ''}`,
			description: 'The connection failed or was closed before a complete answer arrived.',
		});
	}

	close(): void {
		this.closed = true;
		this.deadlines.close();
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}
}

/**
 * axios' `transport` (node's http/https request, as axios uses with maxRedirects 0) that hands the
 * request to its deadline, which destroys it when the deadline passes or the call is cancelled:
 * cheaper than an AbortController per attempt, which axios also subscribes to and unsubscribes from.
 */
function stoppable(deadline: DeadlineTicket) {
	return {
		request(options: http.RequestOptions, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
			const req = (options.protocol === 'https:' ? https : http).request(options, onResponse);
			deadline.bind(() => {
				const error = new Error(deadline.expired ? 'deadline passed' : 'canceled');
				// A request still waiting for a free socket would fail only once one frees up: fail it
				// now (in a microtask, so that axios' error listener is on even when bound late).
				const queued = !req.socket;
				req.destroy(error);
				if (queued) queueMicrotask(() => req.emit('error', error));
			});
			return req;
		},
	};
}
