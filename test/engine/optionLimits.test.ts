/**
 * The number options' limits live in one table (helpers/options.ts OPTION_LIMITS): the editor's
 * typeOptions and the node's own check read it, so the editor accepts exactly what the node runs.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Damai } from '../../nodes/Damai/Damai.node';
import { OPTION_LIMITS, type NumberOption } from '../../nodes/Damai/helpers/options';
import { runDamai } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();
const names = Object.keys(OPTION_LIMITS) as NumberOption[];

/** Every `options` collection of the node's description (one per operation). */
function optionCollections(): INodeProperties[][] {
	return new Damai().description.properties
		.filter((p) => p.name === 'options' && p.type === 'collection')
		.map((p) => p.options as INodeProperties[]);
}

describe('option limits: one table for the editor and the node', () => {
	test('the table covers Timeout, Retry Wait, Minimum Time Between Requests, Max Retries and Concurrency', () => {
		expect(names.sort()).toEqual(['concurrency', 'maxRetries', 'minIntervalMs', 'retryDelay', 'timeout']);
		for (const { minValue, maxValue } of Object.values(OPTION_LIMITS)) expect(maxValue).toBeGreaterThan(minValue);
	});

	test.each(names)('the editor sets %s min and max from the table, in every operation', (name) => {
		const collections = optionCollections();
		expect(collections.length).toBe(2);
		for (const options of collections) {
			const property = options.find((o) => o.name === name);
			expect(property).toBeDefined();
			expect(property!.typeOptions).toEqual(expect.objectContaining(OPTION_LIMITS[name]));
			const def = property!.default as number;
			expect(def).toBeGreaterThanOrEqual(OPTION_LIMITS[name].minValue);
			expect(def).toBeLessThanOrEqual(OPTION_LIMITS[name].maxValue);
		}
	});

	test.each(names)('the node refuses %s one above the maximum and one below the minimum, before sending', async (name) => {
		const { minValue, maxValue } = OPTION_LIMITS[name];
		for (const value of [maxValue + 1, minValue - 1]) {
			const { nodeError } = await runDamai([{ orderId: 'LIMIT-1' }], sandboxCredentials(sandbox), { options: { [name]: value } });
			const e = nodeError as { name?: string; message?: string } | undefined;
			expect(e?.name).toBe('NodeOperationError');
			expect(e?.message).toBe(`Option "${name}" must be a whole number from ${minValue} to ${maxValue}`);
		}
		expect(sandbox.stats.total).toBe(0);
	});

	test.each(names.filter((n) => n !== 'minIntervalMs'))('the node runs with %s at its maximum', async (name) => {
		const { outputs, error } = await runDamai([{ orderId: `MAX-${name}` }], sandboxCredentials(sandbox), {
			options: { [name]: OPTION_LIMITS[name].maxValue },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ orderId: `MAX-${name}`, success: true });
	});
});
