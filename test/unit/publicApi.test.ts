/** The package entry's public surface (index.ts): this list changes only on purpose. */
import * as entry from '../../index';

describe('the package entry', () => {
	// (the exact list: so nothing internal, such as DeadlineScheduler, runPool, sanitize, parseAnswer, slips in)
	it('exports the node, the credential and the documented TOP client API, nothing internal', () => {
		expect(Object.keys(entry).sort()).toEqual(
			[
				'CANCEL_STOCK_LOCK_METHOD',
				'Damai',
				'DamaiApi',
				'GATEWAY_URLS',
				'TopClient',
				'TopError',
				'buildSignString',
				'cancelStockLock',
				'createTopClient',
				'newMsgId',
				'parseReturnCodes',
				'signParams',
				'timerSleep',
			].sort(),
		);
	});

	it('timerSleep waits, and stops at once on abort', async () => {
		const started = Date.now();
		await entry.timerSleep(20);
		expect(Date.now() - started).toBeGreaterThanOrEqual(15);
		const controller = new AbortController();
		const waiting = entry.timerSleep(60_000, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
	});
});
