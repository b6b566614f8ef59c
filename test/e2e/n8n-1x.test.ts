/**
 * Version reach: the newest n8n 1.x (many self-hosted users are still on 1.x) loads the built node and
 * runs the main example against the sandbox. Installs .cache/n8n/1.123.81 on first use (minutes).
 */
import { type Harness, ON, expectFailureItem, expectRunOk, expectSuccessItem, findSecrets, minutes, n8n, pairedIndex, startHarness } from './helpers';

let h: Harness;
let result: n8n.ExecuteResult;

beforeAll(async () => {
	h = await startHarness({ version: n8n.LATEST_1X });
	const cred = n8n.sandboxCredential(h.sandbox.url);
	await h.env.importCredential(cred);
	const demo = n8n.useCredential(n8n.loadExample('cancel-stock-locks'), cred);
	await h.env.importWorkflow(demo);
	result = await h.env.executeWorkflow(demo.id);
}, minutes(25));

afterAll(async () => {
	await h?.close();
});

describe(ON, () => {
	test('runs examples/cancel-stock-locks.workflow.json with the built node', () => {
		expect(h.env.version).toBe(n8n.LATEST_1X);
		expectRunOk(result);
		const items = n8n.nodeItems(result.run, 'Cancel Stock Lock');
		expect(items.map(pairedIndex)).toEqual([0, 1, 2, 3]);
		expectSuccessItem(items[0], 'DM20250601000101');
		expectSuccessItem(items[1], 'DM20250601000102');
		expectFailureItem(items[2], 'NOTFOUND-DM20250601000103', { code: '404', requestId: true });
		expectSuccessItem(items[3], 'DM20250601000104');
		expect(h.sandbox.stats.cancelled).toEqual({ DM20250601000101: 1, DM20250601000102: 1, DM20250601000104: 1 });
	});

	test('no secret in anything n8n 1.x printed or stored', () => {
		expect(findSecrets(h.env, { appSecret: n8n.SANDBOX_KEYS.appSecret, supplierSecret: n8n.SANDBOX_KEYS.supplierSecret })).toEqual([]);
	});
});
