/**
 * runItems with an operation whose own code throws (not a TopError): the item's error has its own
 * kind, `internal`, and keeps the message, redacted.
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { internalError, runItems } from '../../nodes/Damai/helpers/runItems';
import { NO_FAILURE } from '../helpers/items';
import { TopError, createRedactor } from '../../nodes/Damai/transport';

const SECRET = 'app-secret-Xy9';
const redact = createRedactor([SECRET]);
const node: INode = { id: '1', name: 'Damai', type: 'n8n-nodes-damai.damai', typeVersion: 1, position: [0, 0], parameters: {} };

/** The parts of n8n's execute context runItems reads. */
function context(count: number, onError: INode['onError']): IExecuteFunctions {
	return {
		getInputData: () => Array.from({ length: count }, (_, i) => ({ json: { n: i } })),
		continueOnFail: () => onError !== undefined && onError !== 'stopWorkflow',
		getNode: () => ({ ...node, onError }),
		getExecutionCancelSignal: () => undefined,
	} as unknown as IExecuteFunctions;
}

const job = (run: (i: number) => Promise<IDataObject>) => ({
	concurrency: 2,
	redact,
	prepare: (i: number) => i,
	failed: (input: number | undefined, _i: number, top?: TopError) => ({ n: input ?? null, success: false, attempts: top?.kind === 'internal' ? null : 1 }),
	run: async (i: number) => await run(i),
});

describe('runItems: an unexpected error in an operation', () => {
	test('internalError: kind internal, the message kept and redacted, one line', () => {
		const e = internalError(new TypeError(`Cannot read properties of undefined (reading 'x') near ${SECRET}\n    at stack`), redact);
		expect(e).toBeInstanceOf(TopError);
		expect(e.kind).toBe('internal');
		expect(e.message).toBe("The call failed unexpectedly: Cannot read properties of undefined (reading 'x') near [redacted]");
		expect(internalError('plain text', redact).message).toBe('The call failed unexpectedly: plain text');
	});

	test('with Continue On Fail: an error item with errorKind internal and the message; the other items go on', async () => {
		const out = await runItems(
			context(3, 'continueRegularOutput'),
			job(async (i) => {
				if (i === 1) throw new RangeError(`bad value ${SECRET}`);
				return { n: i, success: true, attempts: 1 };
			}),
		);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[1].json).toEqual({
			n: 1,
			success: false,
			attempts: null,
			errorMessage: 'The call failed unexpectedly: bad value [redacted]',
			errorKind: 'internal',
			code: null,
			subCode: null,
			subMsg: null,
			httpStatus: null,
		});
		expect(Object.keys(out[0].json)).toEqual(['n', 'success', 'attempts', ...Object.keys(NO_FAILURE)]);
		expect(out[0].json.errorKind).toBeNull();
		expect(JSON.stringify(out)).not.toContain(SECRET);
	});

	test('without Continue On Fail: a NodeApiError with the message, naming the item', async () => {
		await expect(
			runItems(
				context(2, undefined),
				job(async () => {
					throw new Error(`boom ${SECRET}`);
				}),
			),
		).rejects.toMatchObject({ name: 'NodeApiError', message: 'The call failed unexpectedly: boom [redacted]', context: { itemIndex: 0 } });
	});

	test('on the error output: the whole error item under `error`, its message as `message`', async () => {
		const out = await runItems(
			context(1, 'continueErrorOutput'),
			job(async () => {
				throw new Error('boom');
			}),
		);
		expect(Object.keys(out[0].json)).toEqual(['error', 'message']);
		expect(out[0].json.error).toMatchObject({ errorKind: 'internal', errorMessage: 'The call failed unexpectedly: boom' });
		expect(out[0].json.message).toBe('The call failed unexpectedly: boom');
	});
});
