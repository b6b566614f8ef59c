import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxConfig } from '../../tooling/sandbox/server';

/**
 * The sandbox gateway for one test file: started before its tests, closed after them, and before
 * each test emptied (reset: records, stats, bans) and set to `defaults`. Call it at the top of the
 * file; the returned object is the live sandbox (use it inside tests and hooks, not at load time).
 */
export function useSandbox(defaults: Partial<SandboxConfig> = {}): Sandbox {
	let live: Sandbox | undefined;
	const sandbox = (): Sandbox => {
		if (!live) throw new Error('useSandbox: the sandbox runs only while the tests run (from beforeAll on)');
		return live;
	};
	beforeAll(async () => {
		live = await startSandbox();
	});
	afterAll(async () => {
		await live?.close();
	});
	beforeEach(() => {
		sandbox().reset();
		sandbox().configure(defaults);
	});
	// Stands for the sandbox of the moment: every property is read from it when used.
	return new Proxy({} as Sandbox, { get: (_target, key) => Reflect.get(sandbox(), key) });
}

export const SECRETS = {
	appSecret: 'sandbox-app-secret',
	supplierSecret: 'sandbox-supplier-secret',
	session: 'session-9f2c-secret-token',
};

/** A credential for the local sandbox gateway, or any gateway `url` (the sandbox accepts any session by default). */
export function sandboxCredentials(
	sandbox: Pick<Sandbox, 'url'>,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		gatewayUrl: sandbox.url,
		appKey: 'sandbox-app-key',
		appSecret: SECRETS.appSecret,
		signMethod: 'hmac-sha256',
		session: SECRETS.session,
		supplierKey: 'sandbox-supplier-key',
		supplierSecret: SECRETS.supplierSecret,
		headSignMethod: 'md5',
		...overrides,
	};
}

/** Every place a secret could hide in what n8n keeps: serialise it all and look. */
export function findSecrets(value: unknown, secrets: string[] = Object.values(SECRETS)): string[] {
	const seen = new WeakSet<object>();
	const text = JSON.stringify(value, (_key, v: unknown) => {
		if (v instanceof Error) {
			const out: Record<string, unknown> = {};
			for (const key of Object.getOwnPropertyNames(v)) out[key] = (v as unknown as Record<string, unknown>)[key];
			return out;
		}
		if (v && typeof v === 'object') {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		return v;
	});
	return secrets.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
}
