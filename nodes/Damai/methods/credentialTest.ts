import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { n8nSleep } from '../helpers/executionClient';
import { CANCEL_STOCK_LOCK_METHOD, CredentialConfigError, TopClient, resolveCredentials, type RawCredentials } from '../transport';

/** What a test call's outcome says about the credential. */
export function judgeTestOutcome(error: unknown): INodeCredentialTestResult {
	if (error === undefined) return { status: 'OK', message: 'Connection successful' };
	const e = error as { kind?: string; code?: unknown; subCode?: string; message?: string };
	if (e.kind === 'gateway') {
		if (e.code === 28 || e.code === 29) return { status: 'Error', message: 'Wrong App Key: the gateway does not know this app key' };
		if (e.code === 24 || e.code === 25) {
			return { status: 'Error', message: 'Wrong App Secret or Sign Method: the gateway rejected the signature' };
		}
		if (e.code === 26 || e.code === 27) return { status: 'Error', message: 'Invalid Session: clear the Session field or renew it' };
		if (e.code === 21 || e.code === 22) {
			return { status: 'Error', message: 'The gateway does not offer the Damai method: check the environment / gateway URL' };
		}
		if (e.code === 11) return { status: 'Error', message: 'The app key has no permission for the Damai API (code 11)' };
		if (e.code === 30 || e.code === 31) {
			return { status: 'Error', message: "The gateway rejected the timestamp: check this machine's clock" };
		}
		if (e.code === 7 || e.code === 8) return { status: 'Error', message: 'The app is being throttled by the gateway; try again later' };
		// Any other answer (e.g. isv.* about the empty test parameters) means the gateway
		// accepted the app key and the signature.
		return { status: 'OK', message: 'Connection successful: app key and signature accepted' };
	}
	if (e.kind === 'network' || e.kind === 'timeout') {
		return { status: 'Error', message: `Gateway unreachable: ${e.message ?? 'no answer'}` };
	}
	return { status: 'Error', message: e.message ?? 'The test call failed' };
}

/**
 * A signed call of the Damai method without application parameters: nothing is cancelled, but
 * the gateway checks the app key, the timestamp and the signature first.
 */
export async function damaiApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let credentials;
	try {
		credentials = resolveCredentials((credential.data ?? {}) as RawCredentials);
	} catch (error) {
		// resolveCredentials only throws CredentialConfigError; anything else is reported alike.
		if (error instanceof CredentialConfigError) return { status: 'Error', message: error.message };
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
	const client = new TopClient({
		...credentials,
		extraSecrets: [credentials.supplierSecret],
		format: 'json',
		timeout: 10_000,
		maxRetries: 0,
		retryDelay: 0,
		maxSockets: 1,
		sleep: n8nSleep,
	});
	try {
		await client.call(CANCEL_STOCK_LOCK_METHOD, () => ({}));
		return judgeTestOutcome(undefined);
	} catch (error) {
		return judgeTestOutcome(error);
	} finally {
		client.close();
	}
}
