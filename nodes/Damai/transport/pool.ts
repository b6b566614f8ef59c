/**
 * Runs `worker(0 … count-1)` with at most `concurrency` at once and returns the results in input
 * order, whatever order they complete in. `worker` must not throw (it returns its failure);
 * once `stop()` says so, no new index is started (those left are `undefined`).
 */
export async function runPool<T>(
	count: number,
	concurrency: number,
	worker: (index: number) => Promise<T>,
	stop: () => boolean = () => false,
): Promise<Array<T | undefined>> {
	const results = new Array<T | undefined>(count);
	let next = 0;
	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	const lane = async () => {
		while (next < count && !stop()) {
			const index = next++;
			results[index] = await worker(index);
		}
	};
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}
