/** Timeouts, dead gateways, size cap, keep-alive, concurrency and cancellation, over real sockets. */
import * as http from 'http';
import * as net from 'net';
import { getEventListeners } from 'events';

import { newMsgId } from '../../nodes/Damai/transport/head';
import { METHOD, cancel, closeClients, deadPort, makeClient, rejection, startServer, until } from './helpers';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ latencyMs: 0, rateLimit: null });
afterEach(() => closeClients());

const WRAP = 'alibaba_damai_yuntoc_order_cancellockstock_response';
const okBody = JSON.stringify({ [WRAP]: { result: { head: { return_code: '0', return_desc: 'success' } }, request_id: 'drip' } });

describe('time limits', () => {
	it('SLOW2000-x with a 300 ms timeout → kind timeout (one attempt with maxRetries 0)', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { timeout: 300, maxRetries: 0 }), 'SLOW2000-a', { msgId }));
		expect(e.kind).toBe('timeout');
		expect(e.attempts).toBe(1);
		expect(e.message).toContain('300');
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(1);
		// the client hung up: the sandbox never delivered this answer
		expect(sb.requests.filter((r) => r.orderId === 'SLOW2000-a')).toHaveLength(0);
	});

	it('a timeout is retried with the same msg_id', async () => {
		const msgId = newMsgId();
		const e = await rejection(cancel(makeClient(sb.url, { timeout: 200, maxRetries: 1 }), 'SLOW2000-b', { msgId }));
		expect(e).toMatchObject({ kind: 'timeout', attempts: 2 });
		expect(sb.stats.attemptsByMsgId).toEqual({ [msgId]: 2 });
	});

	it('an answer that drips in slowly is cut at the deadline, not when the socket goes idle', async () => {
		const DRIPS = 60;
		let sent = 0;
		let sentWhenClosed: number | undefined;
		const server = await startServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': DRIPS + Buffer.byteLength(okBody) });
			const timer = setInterval(() => {
				if (sent < DRIPS) {
					res.write(' ');
					sent++;
				} else {
					clearInterval(timer);
					res.end(okBody);
				}
			}, 50);
			res.on('close', () => {
				clearInterval(timer);
				sentWhenClosed = sent;
			});
		});
		try {
			const e = await rejection(makeClient(server.url, { timeout: 300, maxRetries: 0 }).call(METHOD, () => ({})));
			expect(e.kind).toBe('timeout');
			await until(() => sentWhenClosed !== undefined);
			// 60 drips × 50 ms would take 3 s; the client hung up long before the end
			expect(sentWhenClosed).toBeGreaterThan(0);
			expect(sentWhenClosed).toBeLessThan(DRIPS / 2);
		} finally {
			await server.close();
		}
	});

	it('the same dripping answer within the time limit succeeds (the server is sound)', async () => {
		const server = await startServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 3 + Buffer.byteLength(okBody) });
			let n = 0;
			const timer = setInterval(() => {
				if (n++ < 3) res.write(' ');
				else {
					clearInterval(timer);
					res.end(okBody);
				}
			}, 20);
		});
		try {
			const answer = await makeClient(server.url, { timeout: 3000, maxRetries: 0 }).call(METHOD, () => ({}));
			expect(answer.requestId).toBe('drip');
		} finally {
			await server.close();
		}
	});
});

describe('unreachable and oversized', () => {
	it('a dead port → kind network, errno ECONNREFUSED, retried', async () => {
		const port = await deadPort();
		const e = await rejection(makeClient(`http://127.0.0.1:${port}/router/rest`, { maxRetries: 2 }).call(METHOD, () => ({})));
		expect(e.kind).toBe('network');
		expect(e.errno).toBe('ECONNREFUSED');
		expect(e.attempts).toBe(3);
		expect(e.message).toContain('ECONNREFUSED');
	});

	it.each([
		['with Content-Length', true],
		['chunked', false],
	])('an answer over maxResponseBytes → kind too-large, not retried (%s)', async (_name, withLength) => {
		let hits = 0;
		const big = JSON.stringify({ [WRAP]: { blob: 'a'.repeat(1024 * 1024) } });
		const server = await startServer((_req, res) => {
			hits++;
			const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
			if (withLength) headers['Content-Length'] = Buffer.byteLength(big);
			res.writeHead(200, headers);
			// write in pieces so a chunked answer really streams
			for (let i = 0; i < big.length; i += 65536) res.write(big.slice(i, i + 65536));
			res.end();
		});
		try {
			const client = makeClient(server.url, { maxResponseBytes: 64 * 1024 });
			const e = await rejection(client.call(METHOD, () => ({})));
			expect(e.kind).toBe('too-large');
			expect(e.message).toContain(String(64 * 1024));
			expect(e.attempts).toBe(1);
			expect(hits).toBe(1);
			// the same answer under a larger cap is accepted
			const ok = await makeClient(server.url, { maxResponseBytes: 2 * 1024 * 1024 }).call(METHOD, () => ({}));
			expect((ok.body.blob as string).length).toBe(1024 * 1024);
		} finally {
			await server.close();
		}
	});
});

describe('connections', () => {
	it('50 sequential calls use one keep-alive socket', async () => {
		const client = makeClient(sb.url);
		const before = sb.stats.connections;
		for (let i = 0; i < 50; i++) {
			const result = await cancel(client, `SEQ-${i}`);
			expect(result.returnCode).toBe('0');
		}
		expect(sb.stats.total).toBe(50);
		expect(client.socketsOpened).toBe(1);
		expect(sb.stats.connections - before).toBe(1);
	});

	it('40 parallel calls with maxSockets 4 never open more than 4 sockets', async () => {
		sb.configure({ latencyMs: 20 });
		const client = makeClient(sb.url, { maxSockets: 4 });
		const before = sb.stats.connections;
		const results = await Promise.all(Array.from({ length: 40 }, (_, i) => cancel(client, `PAR-${i}`)));
		expect(results.every((r) => r.returnCode === '0')).toBe(true);
		expect(results.map((r) => r.orderId)).toEqual(Array.from({ length: 40 }, (_, i) => `PAR-${i}`));
		expect(client.socketsOpened).toBeLessThanOrEqual(4);
		expect(client.socketsOpened).toBeGreaterThanOrEqual(2); // they did run in parallel
		expect(sb.stats.connections - before).toBeLessThanOrEqual(4);
		expect(sb.stats.maxConcurrent).toBeLessThanOrEqual(4);
		expect(sb.stats.maxConcurrent).toBeGreaterThan(1);
	});

	it('an https gateway URL goes out over TLS through the client\'s https agent', async () => {
		// A plain TCP server: it records the first byte (22 = a TLS handshake record) and hangs up.
		const first: number[] = [];
		const server = net.createServer((socket) => {
			socket.once('data', (data: Buffer) => {
				first.push(data[0]);
				socket.destroy();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as net.AddressInfo;
			const client = makeClient(`https://127.0.0.1:${port}/router/rest`, { maxRetries: 0 });
			const e = await rejection(client.call(METHOD, () => ({})));
			expect(e.kind).toBe('network');
			expect(first).toEqual([22]);
			expect(client.socketsOpened).toBe(1);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	it('after a reset connection the next call opens a fresh socket and succeeds', async () => {
		const client = makeClient(sb.url, { maxRetries: 0 });
		await cancel(client, 'A-1');
		const e = await rejection(cancel(client, 'RESET-b'));
		expect(e.kind).toBe('network');
		const result = await cancel(client, 'A-2');
		expect(result.returnCode).toBe('0');
		expect(client.socketsOpened).toBe(2);
	});
});

describe('cancellation', () => {
	it('an AbortSignal aborted mid-request ends the call with kind aborted before the answer exists', async () => {
		const client = makeClient(sb.url, { timeout: 10_000 });
		const controller = new AbortController();
		const msgId = newMsgId();
		const pending = cancel(client, 'SLOW5000-a', { msgId, signal: controller.signal });
		await until(() => sb.stats.inFlight === 1);
		controller.abort();
		const e = await rejection(pending);
		expect(e.kind).toBe('aborted');
		expect(e.attempts).toBe(1);
		// no retry after an abort, and the request was really cut (the sandbox holds no open request)
		expect(sb.stats.attemptsByMsgId).toEqual({ [msgId]: 1 });
		await until(() => sb.stats.inFlight === 0, 1000);
		expect(sb.requests).toHaveLength(0);
	}, 4000);

	it('an already aborted signal sends nothing', async () => {
		const controller = new AbortController();
		controller.abort();
		const e = await rejection(cancel(makeClient(sb.url), 'NEVER-1', { signal: controller.signal }));
		expect(e.kind).toBe('aborted');
		expect(sb.stats.total).toBe(0);
	});

	/** A client, an order id whose first answer makes it wait, and how to tell it is waiting. */
	const waits = [
		{
			wait: 'a ban wait',
			start: () => {
				const client = makeClient(sb.url);
				return { client, orderId: 'THROTTLE60-a', waiting: () => client.gate.pauses === 1 };
			},
		},
		{
			wait: 'a backoff wait',
			start: () => {
				let retried = false;
				const client = makeClient(sb.url, { retryDelay: 20_000, maxRetryDelay: 20_000, onRetry: () => (retried = true) });
				return { client, orderId: 'ISP5-c', waiting: () => retried };
			},
		},
	];
	it.each(waits)('an abort during $wait ends the call at once; the one request made is the one reported', async ({ start }) => {
		const controller = new AbortController();
		const msgId = newMsgId();
		const { client, orderId, waiting } = start();
		const pending = cancel(client, orderId, { msgId, signal: controller.signal });
		await until(waiting);
		controller.abort();
		const e = await rejection(pending);
		expect(e.kind).toBe('aborted');
		expect(sb.stats.attemptsByMsgId).toEqual({ [msgId]: 1 });
		expect(e.attempts).toBe(1);
	}, 5000);

	it('a long-lived execution signal does not collect listeners over many calls', async () => {
		const client = makeClient(sb.url);
		const controller = new AbortController();
		for (let i = 0; i < 20; i++) await cancel(client, `LSN-${i}`, { signal: controller.signal });
		await rejection(cancel(client, 'ISV-lsn', { signal: controller.signal }));
		await rejection(cancel(client, 'GARBLED-lsn', { signal: controller.signal }));
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('a cancel stops a request still waiting for a free socket at once, and the other request goes on', async () => {
		let received = 0;
		const held: Array<() => void> = [];
		const server = await startServer((_req, res) => {
			received++;
			held.push(() => res.end(okBody));
		});
		try {
			const client = makeClient(server.url, { maxSockets: 1, timeout: 10_000, maxRetries: 0 });
			const controller = new AbortController();
			const first = client.call(METHOD, () => ({}));
			const second = rejection(client.call(METHOD, () => ({}), { signal: controller.signal }));
			await until(() => received === 1);
			controller.abort();
			expect((await second).kind).toBe('aborted');
			expect(received).toBe(1);
			held[0]();
			expect((await first).requestId).toBe('drip');
			expect(client.socketsOpened).toBe(1);
		} finally {
			await server.close();
		}
	});

	it('no deadline is left waiting: the loop ends once the calls are over, and at once on close()', async () => {
		const client = makeClient(sb.url, { maxSockets: 8 });
		const controller = new AbortController();
		await Promise.all(Array.from({ length: 40 }, (_, i) => cancel(client, `DL-${i}`, { signal: controller.signal })));
		expect(client.deadlines.size).toBe(0);
		await until(() => !client.deadlines.active, 1000);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

		sb.configure({ latencyMs: 300 });
		const msgId = newMsgId();
		const pending = rejection(cancel(client, 'DL-closed', { msgId, signal: controller.signal }));
		await until(() => sb.stats.inFlight === 1);
		expect(client.deadlines.active).toBe(true);
		client.close();
		// the request in flight ends as aborted, and is not retried after close()
		expect(await pending).toMatchObject({ kind: 'aborted', attempts: 1 });
		expect(sb.stats.attemptsByMsgId[msgId]).toBe(1);
		expect(client.deadlines.active).toBe(false);
		expect(client.deadlines.size).toBe(0);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('nor over retry waits (backoff and gate pause), whose sleep is n8n\'s sleepWithAbort', async () => {
		const client = makeClient(sb.url, { maxRetries: 3 });
		const controller = new AbortController();
		await rejection(cancel(client, 'HTML502-lsn', { signal: controller.signal })); // 3 backoff waits
		await rejection(cancel(client, 'CODE7-lsn', { signal: controller.signal })); // 3 gate pauses
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});
});
