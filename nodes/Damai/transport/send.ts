import axios from 'axios';
import * as http from 'http';
import * as https from 'https';

import type { Agents } from './agents';
import type { DeadlineTicket } from './deadline';
import type { RawAnswer } from './parse';

/** Sends one POST over the client's agents; rejects with axios' or the socket's error. */
export type Send = (url: string, body: string, headers: Record<string, string>, deadline: DeadlineTicket) => Promise<RawAnswer>;

/**
 * The HTTP exchange of one attempt, with axios over the client's keep-alive agents (transport/agents.ts):
 * no redirects, no proxy of axios' own (the agents tunnel through one), the answer as text, every
 * status handed back (parse.ts judges it), answers over `maxResponseBytes` refused while they arrive.
 */
export function createSender(agents: Agents, maxResponseBytes: number): Send {
	const instance = axios.create({
		httpAgent: agents.http,
		httpsAgent: agents.https,
		maxRedirects: 0,
		maxContentLength: maxResponseBytes,
		maxBodyLength: 10 * 1024 * 1024,
		responseType: 'text',
		responseEncoding: 'utf8',
		transformResponse: [(data: unknown) => data],
		validateStatus: () => true,
		proxy: false,
		decompress: true,
	});
	return async (url, body, headers, deadline) => {
		const response = await instance.request<string>({ method: 'POST', url, data: body, headers, transport: stoppable(deadline) });
		const contentType = response.headers['content-type'];
		return {
			status: response.status,
			contentType: typeof contentType === 'string' ? contentType : undefined,
			body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
		};
	};
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
