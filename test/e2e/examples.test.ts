/**
 * The example workflows in examples/, in a real n8n against the sandbox: each imports cleanly as it
 * is on disk, and each runs (the scheduled sweep through a Manual Trigger variant) with every output
 * item checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Harness, ON, expectEachInputOnce, expectFailureItem, expectRunOk, expectSuccessItem, findSecrets, minutes, n8n, pairedIndex, startHarness, storedBytesContain, withManualTrigger } from './helpers';

let h: Harness;
const credential = () => n8n.sandboxCredential(h.sandbox.url);

beforeAll(async () => {
	h = await startHarness();
	await h.env.importCredential(credential());
}, minutes(20));

afterAll(async () => {
	await h?.close();
});

describe(`${ON}: examples/`, () => {
	const files = n8n.listExamples();

	test('holds the three example workflows, each referencing the "Damai sandbox" credential', () => {
		expect(files.map((f) => path.basename(f)).sort()).toEqual(
			['cancel-stock-locks.workflow.json', 'error-output.workflow.json', 'scheduled-sweep.workflow.json'].sort(),
		);
		for (const file of files) {
			const wf = JSON.parse(fs.readFileSync(file, 'utf8'));
			expect(typeof wf.id).toBe('string');
			expect(wf.id.length).toBeLessThanOrEqual(21);
			const damai = n8n.damaiNodes(wf);
			expect(damai.length).toBeGreaterThan(0);
			for (const node of damai) {
				expect(node.type).toBe('n8n-nodes-damai.damai');
				expect(node.credentials.damaiApi).toEqual({ id: n8n.SANDBOX_CREDENTIAL_ID, name: n8n.SANDBOX_CREDENTIAL_NAME });
			}
		}
	});

	test('every file imports cleanly into n8n as it is on disk, nodes and connections intact', async () => {
		// one `n8n import:workflow --separate` over a folder holding exactly the files of examples/
		const dir = path.join(h.env.userFolder, 'examples-as-is');
		fs.mkdirSync(dir);
		for (const file of files) fs.copyFileSync(file, path.join(dir, path.basename(file)));
		const imported = await h.env.run(['import:workflow', '--separate', `--input=${dir}`]);
		fs.rmSync(dir, { recursive: true });
		if (imported.code !== 0) throw new Error(`import failed (exit ${imported.code}):\n${imported.stdout}\n${imported.stderr}`);
		const exportFile = path.join(h.env.userFolder, 'exported.json');
		const r = await h.env.run(['export:workflow', '--all', `--output=${exportFile}`]);
		expect(r.code).toBe(0);
		const exported: Array<{ id: string; nodes: Array<{ name: string; type: string }>; connections: unknown }> = JSON.parse(
			fs.readFileSync(exportFile, 'utf8'),
		);
		fs.rmSync(exportFile);
		for (const file of files) {
			const wf = JSON.parse(fs.readFileSync(file, 'utf8'));
			const stored = exported.find((w) => w.id === wf.id);
			expect(stored).toBeDefined();
			expect(stored!.nodes.map((n) => [n.name, n.type])).toEqual(wf.nodes.map((n: { name: string; type: string }) => [n.name, n.type]));
			expect(stored!.connections).toEqual(wf.connections);
		}
	});
});

describe(`${ON}: running the examples`, () => {
	const runs: Record<string, n8n.ExecuteResult> = {};

	beforeAll(async () => {
		const cred = credential();
		const demo = n8n.useCredential(n8n.loadExample('cancel-stock-locks'), cred);
		const sweep = withManualTrigger(n8n.useCredential(n8n.loadExample('scheduled-sweep'), cred), 'DamaiSweepManual01');
		const errorOutput = n8n.useCredential(n8n.loadExample('error-output'), cred);
		await h.env.importWorkflows([demo, sweep, errorOutput]);
		runs.demo = await h.env.executeWorkflow(demo.id);
		runs.sweep = await h.env.executeWorkflow(sweep.id);
		runs.errorOutput = await h.env.executeWorkflow(errorOutput.id);
	}, minutes(5));

	test('cancel-stock-locks (the demo): three cancelled, the NOTFOUND order a business-failure item', () => {
		const r = runs.demo;
		expectRunOk(r);
		const items = n8n.nodeItems(r.run, 'Cancel Stock Lock');
		expect(items).toHaveLength(4);
		expect(items.map(pairedIndex)).toEqual([0, 1, 2, 3]);
		expectSuccessItem(items[0], 'DM20250601000101');
		expectSuccessItem(items[1], 'DM20250601000102');
		expectFailureItem(items[2], 'NOTFOUND-DM20250601000103', { code: '404', requestId: true });
		expect(items[2].json.errorMessage).toMatch(/404/);
		expectSuccessItem(items[3], 'DM20250601000104');
		for (const id of ['DM20250601000101', 'DM20250601000102', 'DM20250601000104']) {
			expect(h.sandbox.stats.cancelled[id]).toBe(1);
		}
		expect(h.sandbox.stats.cancelled['NOTFOUND-DM20250601000103']).toBeUndefined();
		// each item's msgId is the one the gateway saw for that order
		for (const item of [items[0], items[1], items[3]]) {
			const seen = h.sandbox.requests.filter((q) => q.orderId === item.json.orderId).map((q) => q.msgId);
			expect(seen).toEqual([item.json.msgId]);
		}
	});

	test('scheduled-sweep (Manual Trigger variant): old locks swept, successes and failures split by the IF', () => {
		const r = runs.sweep;
		expectRunOk(r);
		const swept = n8n.nodeItems(r.run, 'Stale stock locks').map((i) => i.json.orderId);
		expect(swept).toEqual(['DM20250601000201', 'DM20250601000202', 'LOCKED-DM20250601000203', 'NOTFOUND-DM20250601000205']);
		const cancelOut = n8n.nodeItems(r.run, 'Cancel Stock Lock');
		expect(cancelOut).toHaveLength(4);
		expect(cancelOut.map(pairedIndex)).toEqual([0, 1, 2, 3]);

		const ifOutputs = n8n.nodeOutputs(r.run, 'Cancelled?');
		expect(ifOutputs).toHaveLength(2);
		expectEachInputOnce(ifOutputs, 4);

		const cancelled = n8n.nodeItems(r.run, 'Cancelled');
		const failed = n8n.nodeItems(r.run, 'Failed');
		expect(cancelled).toHaveLength(2);
		expectSuccessItem(cancelled[0], 'DM20250601000201');
		expectSuccessItem(cancelled[1], 'DM20250601000202');
		expect(failed).toHaveLength(2);
		expectFailureItem(failed[0], 'LOCKED-DM20250601000203', { code: '1001', requestId: true });
		expectFailureItem(failed[1], 'NOTFOUND-DM20250601000205', { code: '404', requestId: true });
		// the recent lock was not swept: the gateway never saw it
		expect(h.sandbox.requests.some((q) => q.orderId === 'DM20250601000204')).toBe(false);
	});

	test('error-output: successes on the first output, failures on the error output, each item once, in order', () => {
		const r = runs.errorOutput;
		expectRunOk(r);
		const outputs = n8n.nodeOutputs(r.run, 'Cancel Stock Lock');
		expect(outputs).toHaveLength(2);
		expectEachInputOnce(outputs, 4);
		const [ok, failed] = outputs;
		expect(ok.map(pairedIndex)).toEqual([0, 2]);
		expectSuccessItem(ok[0], 'DM20250601000301');
		expectSuccessItem(ok[1], 'DM20250601000303');
		expect(failed.map(pairedIndex)).toEqual([1, 3]);
		expectFailureItem(failed[0], 'NOTFOUND-DM20250601000302', { code: '404', requestId: true, errorOutput: true });
		expectFailureItem(failed[1], 'ISV-DM20250601000304', { code: '15', subCode: 'isv.invalid-parameter', requestId: true, errorOutput: true });
		// the branches after the node received exactly those items
		expect(n8n.nodeItems(r.run, 'Cancelled').map((i) => i.json.orderId)).toEqual(['DM20250601000301', 'DM20250601000303']);
		expect(n8n.nodeItems(r.run, 'Needs attention')).toHaveLength(2);
		// isv.* is never retried
		const isvAttempts = h.sandbox.requests.filter((q) => q.orderId === 'ISV-DM20250601000304');
		expect(isvAttempts).toHaveLength(1);
	});

	test('no secret in anything n8n printed or stored', () => {
		// positive control: the execution data (with the order ids) is in the bytes that are scanned
		expect(storedBytesContain(h.env, 'DM20250601000101')).toBe(true);
		expect(h.env.databaseFiles().length).toBeGreaterThan(0);
		const leaks = findSecrets(h.env, {
			appSecret: n8n.SANDBOX_KEYS.appSecret,
			supplierSecret: n8n.SANDBOX_KEYS.supplierSecret,
		});
		expect(leaks).toEqual([]);
	});
});
