/**
 * What the fault and limit suites (gatewayDies, limits, orderIds) share: the credential they run
 * the node with (secrets with long random runs, so that a fragment of one is caught too), the
 * checks every engine run must pass, and the crash guard around each suite.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { EngineRun } from '../helpers/engine';
import { expectNoLeak, installCrashGuard, type CrashGuard } from './support';

export const SANDBOX_SECRETS = { appSecret: 'sandbox-app-secret', supplierSecret: 'sandbox-supplier-secret', session: 'sandbox-session-6100aa77bb88cc99dd' };

export const sandboxCredentials = (url: string, extra: IDataObject = {}) => ({
	environment: 'custom',
	gatewayUrl: url,
	appKey: 'sandbox-app-key',
	appSecret: SANDBOX_SECRETS.appSecret,
	signMethod: 'hmac-sha256',
	supplierKey: 'sandbox-supplier-key',
	supplierSecret: SANDBOX_SECRETS.supplierSecret,
	headSignMethod: 'md5',
	session: SANDBOX_SECRETS.session,
	...extra,
});

/** Fails the test in which an unhandled rejection or uncaught exception happened. */
export function useCrashGuard(): void {
	let guard: CrashGuard;
	beforeAll(() => {
		guard = installCrashGuard();
	});
	afterAll(() => guard.uninstall());
	afterEach(() => expect(guard.problems).toEqual([]));
}

export function expectNoSecretsAnywhere(run: EngineRun) {
	expectNoLeak('outputs', run.outputs, SANDBOX_SECRETS);
	expectNoLeak('node error', run.nodeError, SANDBOX_SECRETS);
	expectNoLeak('run data', run.run, SANDBOX_SECRETS);
}

export function expectOneOutputPerInput(items: INodeExecutionData[], n: number) {
	expect(items).toHaveLength(n);
	items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
}
