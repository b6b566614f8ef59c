/**
 * The credential test as the editor runs it: n8n's own `POST /rest/credentials/test` (what the
 * credential dialog calls on Save / Retry), in a real n8n with the package installed as a
 * community package. n8n lists the node in the credential's `supportedNodes` only for installed
 * packages (not for N8N_CUSTOM_EXTENSIONS); without it the editor never offers the node's
 * `testedBy` test. Each wrong-credential case must come back with its own message.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { DAMAI_TYPE, ON, findSecrets, minutes, n8n, startHarness, type Harness } from './helpers';

const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Credential-test-1' };

let harness: Harness;
let session: n8n.RestSession;
/** A gateway that answers every call with TOP error 11 (the app has no permission for the method). */
let noPermission: http.Server;
let noPermissionUrl: string;
/** A loopback port nothing listens on. */
let deadUrl: string;
const answers: unknown[] = [];

beforeAll(async () => {
	harness = await startHarness({ communityPackage: true });
	await harness.env.importCredential(n8n.sandboxCredential(harness.sandbox.url));
	noPermission = http.createServer((_req, res) => {
		res.setHeader('content-type', 'application/json;charset=UTF-8');
		res.end(JSON.stringify({ error_response: { code: 11, msg: 'Insufficient ISV permissions', request_id: 'perm1' } }));
	});
	await new Promise<void>((resolve) => noPermission.listen(0, '127.0.0.1', resolve));
	noPermissionUrl = `http://127.0.0.1:${(noPermission.address() as AddressInfo).port}/router/rest`;
	const dead = await n8n.getFreePort();
	deadUrl = `http://127.0.0.1:${dead}/router/rest`;
	const server = await harness.env.start();
	const owner = await n8n.setupOwner(server.url, OWNER);
	if (owner !== 200) throw new Error(`owner setup: ${owner}`);
	session = await n8n.login(server.url, OWNER);
}, minutes(10));

afterAll(async () => {
	await harness?.close();
	await new Promise((resolve) => noPermission?.close(resolve));
});

/** What the dialog shows after Save: n8n's answer to POST /rest/credentials/test. */
async function testCredential(data: Record<string, unknown>): Promise<{ status: string; message: string }> {
	const credential = n8n.sandboxCredential(harness.sandbox.url, { data });
	const res = await session.request('POST', '/rest/credentials/test', { credentials: credential });
	expect(res.status).toBe(200);
	answers.push(res.body);
	return res.body.data;
}

describe(`${ON}: the credential test in the editor (package installed as a community package)`, () => {
	test('the editor is told the Damai node tests the credential (supportedNodes)', async () => {
		const res = await session.request('GET', '/types/credentials.json');
		expect(res.status).toBe(200);
		const damai = (res.body as Array<{ name: string; supportedNodes?: string[] }>).find((c) => c.name === 'damaiApi');
		expect(damai?.supportedNodes).toEqual([DAMAI_TYPE]);
		const nodes = await session.request('GET', '/types/nodes.json');
		const node = (nodes.body as Array<{ name: string; credentials?: Array<{ name: string; testedBy?: string }> }>).find((n) => n.name === DAMAI_TYPE);
		expect(node?.credentials).toEqual([expect.objectContaining({ name: 'damaiApi', testedBy: 'damaiApiTest' })]);
	});

	test('right credential: "Connection successful", and the sandbox saw one signed call that cancelled nothing', async () => {
		harness.sandbox.reset();
		expect(await testCredential({})).toEqual({ status: 'OK', message: 'Connection successful: app key and signature accepted' });
		expect(harness.sandbox.stats.total).toBe(1);
		expect(harness.sandbox.stats.cancelled).toEqual({});
	});

	test('wrong App Key', async () => {
		expect(await testCredential({ appKey: 'not-our-app-key' })).toEqual({
			status: 'Error',
			message: 'Wrong App Key: the gateway does not know this app key',
		});
	});

	test('wrong App Secret', async () => {
		expect(await testCredential({ appSecret: 'not-the-app-secret' })).toEqual({
			status: 'Error',
			message: 'Wrong App Secret or Sign Method: the gateway rejected the signature',
		});
	});

	test('wrong clock (the gateway rejects the timestamp)', async () => {
		// A gateway that allows no clock difference at all stands in for a machine whose clock is off.
		harness.sandbox.configure({ maxSkewSeconds: -1 });
		try {
			expect(await testCredential({})).toEqual({ status: 'Error', message: "The gateway rejected the timestamp: check this machine's clock" });
		} finally {
			harness.sandbox.configure({ maxSkewSeconds: 600 });
		}
	});

	test('invalid Session', async () => {
		harness.sandbox.configure({ sessions: ['the-right-session'] });
		try {
			expect(await testCredential({ session: 'an-expired-session' })).toEqual({
				status: 'Error',
				message: 'Invalid Session: clear the Session field or renew it',
			});
		} finally {
			harness.sandbox.configure({ sessions: null });
		}
	});

	test('no permission for the Damai API', async () => {
		expect(await testCredential({ gatewayUrl: noPermissionUrl })).toEqual({
			status: 'Error',
			message: 'The app key has no permission for the Damai API (code 11)',
		});
	});

	test('gateway unreachable', async () => {
		const result = await testCredential({ gatewayUrl: deadUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Gateway unreachable: .*ECONNREFUSED/);
	});

	test('why it must be installed: loaded through N8N_CUSTOM_EXTENSIONS the same n8n lists the credential without supportedNodes', async () => {
		const custom = await startHarness();
		try {
			const server = await custom.env.start();
			expect(await n8n.setupOwner(server.url, OWNER)).toBe(200);
			const other = await n8n.login(server.url, OWNER);
			const types = await other.request('GET', '/types/credentials.json');
			const damai = (types.body as Array<{ name: string; supportedNodes?: string[] }>).find((c) => c.name === 'damaiApi');
			expect(damai).toBeDefined();
			expect(damai?.supportedNodes ?? []).toEqual([]);
		} finally {
			await custom.close();
		}
	});

	test('no secret in any answer', () => {
		expect(answers.length).toBeGreaterThanOrEqual(7);
		const secrets = { appSecret: n8n.SANDBOX_KEYS.appSecret, supplierSecret: n8n.SANDBOX_KEYS.supplierSecret, wrongSecret: 'not-the-app-secret' };
		// in the answers, n8n's output and every file of its user folder
		expect(findSecrets(harness.env, secrets, { 'credential test answers': JSON.stringify(answers) })).toEqual([]);
	});
});
