/**
 * The option *Message ID* in n8n's real engine against the sandbox gateway: without it every run
 * of a batch gets new msg_ids (so a batch sent again cancels its orders again); with
 * `{{ $json.orderId }}` a batch sent again carries the same msg_ids and the gateway answers the
 * repeats from what it already did (sandbox: same msg_id after a final answer = replay, not
 * counted again). See docs/queue-mode.md for why this matters in queue mode.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runDamai } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({});

const BY_ORDER = '={{ $json.orderId }}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msgIds = (items: INodeExecutionData[]) => items.map((item) => item.json.msgId);
const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ orderId: `${prefix}-${i}` }));
const run = (items: IDataObject[], options: IDataObject = {}, onError?: 'continueRegularOutput') =>
	runDamai(items, sandboxCredentials(sandbox), { options: { concurrency: 3, retryDelay: 10, ...options }, onError });

describe('option Message ID', () => {
	test('without it: a new UUID per item, so the same batch sent twice cancels every order twice', async () => {
		const input = batch('TWICE', 6);
		const first = await run(input);
		const second = await run(input);
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		for (const ids of [msgIds(first.outputs[0]), msgIds(second.outputs[0])]) {
			for (const id of ids) expect(id).toMatch(UUID);
		}
		expect(new Set([...msgIds(first.outputs[0]), ...msgIds(second.outputs[0])]).size).toBe(12);
		for (const { orderId } of input) expect(sandbox.stats.cancelled[orderId]).toBe(2);
		expect(sandbox.stats.replays).toBe(0);
	});

	test('added but left empty counts as not set: a new UUID per item', async () => {
		const { outputs, error } = await run(batch('EMPTYOPT', 3), { messageId: '' });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.success)).toEqual([true, true, true]);
		for (const id of msgIds(outputs[0])) expect(id).toMatch(UUID);
		expect(new Set(msgIds(outputs[0])).size).toBe(3);
	});

	test('{{ $json.orderId }}: the same batch sent again carries the same msg_ids and is answered as a repeat', async () => {
		const input = batch('ONCE', 6);
		const first = await run(input, { messageId: BY_ORDER });
		const second = await run(input, { messageId: BY_ORDER });
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(msgIds(first.outputs[0])).toEqual(input.map((i) => i.orderId));
		expect(msgIds(second.outputs[0])).toEqual(input.map((i) => i.orderId));
		// Both runs report success for every order, in order, paired; the gateway cancelled each once.
		for (const { outputs } of [first, second]) {
			expect(outputs[0].map((item) => [item.json.orderId, item.json.success, (item.pairedItem as { item: number }).item])).toEqual(
				input.map((i, index) => [i.orderId, true, index]),
			);
		}
		for (const { orderId } of input) expect(sandbox.stats.cancelled[orderId]).toBe(1);
		expect(sandbox.stats.replays).toBe(6);
		expect(sandbox.requests.every((r) => r.msgId === r.orderId)).toBe(true);
	});

	test('retries of an item keep its custom msg_id', async () => {
		const { outputs, error } = await run([{ orderId: 'ISP2-R' }, { orderId: 'R-2' }], { messageId: '=M-{{ $json.orderId }}' });
		expect(error).toBeUndefined();
		expect(msgIds(outputs[0])).toEqual(['M-ISP2-R', 'M-R-2']);
		expect(sandbox.requests.filter((r) => r.orderId === 'ISP2-R').map((r) => r.msgId)).toEqual(['M-ISP2-R', 'M-ISP2-R', 'M-ISP2-R']);
		expect(sandbox.stats.attemptsByMsgId['M-ISP2-R']).toBe(3);
	});

	test('a number becomes its text; the value is trimmed', async () => {
		const { outputs } = await run([{ orderId: 'N-1', key: 123456 }, { orderId: 'N-2', key: '  K-2 ' }], { messageId: '={{ $json.key }}' });
		expect(msgIds(outputs[0])).toEqual(['123456', 'K-2']);
	});

	test('the same order twice in one batch: sent one after the other, cancelled once, both items succeed', async () => {
		// SLOW: the gateway takes 200 ms, so two calls sent together would both be in flight.
		const input = [{ orderId: 'SLOW200-DUP-1' }, { orderId: 'SLOW200-DUP-1' }, { orderId: 'DUP-2' }];
		const { outputs, error } = await run(input, { messageId: BY_ORDER, concurrency: 8 });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.orderId, item.json.success, item.json.msgId])).toEqual([
			['SLOW200-DUP-1', true, 'SLOW200-DUP-1'],
			['SLOW200-DUP-1', true, 'SLOW200-DUP-1'],
			['DUP-2', true, 'DUP-2'],
		]);
		expect(sandbox.stats.cancelled).toEqual({ 'SLOW200-DUP-1': 1, 'DUP-2': 1 });
		expect(sandbox.stats.replays).toBe(1);
	});

	test('two different orders with one msg_id are refused before anything is sent', async () => {
		const { nodeError } = await run([{ orderId: 'A-1' }, { orderId: 'B-1' }], { messageId: 'same-for-all' });
		const e = nodeError as { name: string; message: string; context: { itemIndex: number } };
		expect(e.name).toBe('NodeOperationError');
		expect(e.message).toBe('Item 1: the Message ID "same-for-all" is already the Message ID of item 0 (order A-1), but this item is order B-1');
		expect(e.context.itemIndex).toBe(1);
		expect(sandbox.stats.total).toBe(0);
	});

	test.each([
		['an empty value', '={{ $json.missing }}', /^Item 0: the Message ID is empty$/],
		['more than 64 characters', `=${'m'.repeat(65)}`, /^Item 0: the Message ID is 65 characters long/],
		['control characters', '={{ "A\\u0001B" }}', /^Item 0: the Message ID contains control characters$/],
	])('%s is refused by name and nothing is sent', async (_what, messageId, message) => {
		const { nodeError } = await run([{ orderId: 'BAD-1' }], { messageId });
		expect((nodeError as Error).message).toMatch(message);
		expect(sandbox.stats.total).toBe(0);
	});

	test('with Continue On Fail only the item with a bad msg_id fails, and its error item names its order', async () => {
		const input = [
			{ orderId: 'C-1', key: 'k1' },
			{ orderId: 'C-2', key: '' },
			{ orderId: 'C-3', key: 'k3' },
		];
		const { outputs, error } = await run(input, { messageId: '={{ $json.key }}' }, 'continueRegularOutput');
		expect(error).toBeUndefined();
		const [main] = outputs;
		expect(main.map((item) => [item.json.orderId, item.json.success])).toEqual([
			['C-1', true],
			['C-2', false],
			['C-3', true],
		]);
		expect(main[1].json).toMatchObject({ errorKind: 'input', errorMessage: 'Item 1: the Message ID is empty' });
		expect(sandbox.requests.map((r) => r.orderId).sort()).toEqual(['C-1', 'C-3']);
	});
});
