/**
 * What an operations user reads in the editor (issue 18): the irreversibility as a notice right
 * above Order ID, a readable subtitle, option labels without units in brackets, and credential
 * descriptions in plain words.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DamaiApi } from '../../credentials/DamaiApi.credentials';
import { Damai } from '../../nodes/Damai/Damai.node';

const node = new Damai().description;
const credential = new DamaiApi();

describe('the node as the editor shows it', () => {
	test('a notice that cancelling cannot be undone sits right above Order ID, shown for Cancel Stock Lock only', () => {
		const i = node.properties.findIndex((p) => p.name === 'orderId');
		const notice = node.properties[i - 1];
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/cannot be undone/);
		expect(notice.displayOptions).toEqual(node.properties[i].displayOptions);
		expect(notice.displayOptions?.show).toEqual({ resource: ['order'], operation: ['cancelStockLock'] });
	});

	test('the subtitle is words, not parameter values', () => {
		expect(node.subtitle).not.toMatch(/\$parameter\["operation"\] \+ ": " \+ \$parameter\["resource"\]/);
		expect(node.subtitle).toContain('Order: Cancel Stock Lock');
		expect(node.subtitle).toContain('Custom API Call: ');
	});

	test('no option label carries a unit in brackets; numbers say their unit in the description', () => {
		const options = node.properties.filter((p) => p.type === 'collection').flatMap((p) => p.options as INodeProperties[]);
		expect(options.length).toBeGreaterThan(10);
		for (const option of options) expect(option.displayName).not.toMatch(/\((ms|Ms|s)\)/);
		for (const name of ['timeout', 'retryDelay', 'minIntervalMs']) {
			const named = options.filter((o) => o.name === name);
			expect(named.length).toBeGreaterThan(0);
			for (const option of named) expect(option.description).toMatch(/^In milliseconds/);
		}
	});

	test('Max Retries says how it differs from n8n\'s Retry On Fail', () => {
		const maxRetries = node.properties.flatMap((p) => (p.options as INodeProperties[] | undefined) ?? []).find((o) => o.name === 'maxRetries');
		expect(maxRetries?.description).toMatch(/Retry On Fail/);
	});
});

describe('the credential as the editor shows it', () => {
	const field = (name: string) => credential.properties.find((p) => p.name === name)!;

	test('Environment choices are described in words, not bare URLs', () => {
		const choices = field('environment').options as Array<{ name: string; description?: string }>;
		expect(choices.length).toBe(4);
		for (const choice of choices) {
			expect(choice.description).toMatch(/\S/);
			expect(choice.description).not.toMatch(/^https?:\/\//);
		}
	});

	test('Session says it is optional', () => {
		expect(field('session').required).toBeFalsy();
		expect(field('session').description).toMatch(/^Optional/);
	});
});
