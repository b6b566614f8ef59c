/** The README's "Without n8n" use of the package entry, over real HTTP against the sandbox gateway. */
import { cancelStockLock, createTopClient, newMsgId, parseReturnCodes, TopError, type TopClient } from '../../index';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();
const supplier = { supplierKey: 'sandbox-supplier-key', supplierSecret: 'sandbox-supplier-secret', headSignMethod: 'md5' as const, headVersion: '1.0' };

describe('createTopClient + cancelStockLock, as a script outside n8n uses them', () => {
	let client: TopClient;
	beforeEach(() => {
		client = createTopClient({ gateway: sandbox.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', signMethod: 'hmac-sha256' });
	});
	afterEach(() => client.close());

	it('cancels a stock lock: the gateway checked the signature and the head, and got the order once', async () => {
		const msgId = newMsgId();
		const result = await cancelStockLock(client, 'DM20250601000101', msgId, supplier, parseReturnCodes('0,200'));
		expect(result).toMatchObject({ orderId: 'DM20250601000101', success: true, returnCode: '0', msgId, attempts: 1 });
		expect(result.requestId).toEqual(expect.any(String));
		expect(sandbox.requests.map((r) => [r.orderId, r.msgId, r.outcome])).toEqual([['DM20250601000101', msgId, 'success']]);
	});

	it("a refused order is a TopError with the gateway's return code and request id", async () => {
		const failure = await cancelStockLock(client, 'NOTFOUND-1', newMsgId(), supplier, parseReturnCodes('0,200')).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(TopError);
		expect(failure).toMatchObject({ kind: 'business', returnCode: '404', requestId: expect.any(String) });
	});

});
