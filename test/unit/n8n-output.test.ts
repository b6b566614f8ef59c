/** Reading what `n8n execute --rawOutput` prints (tooling/n8n/output.js): the run among log lines. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractJson, isNoise } = require('../../tooling/n8n/output') as { extractJson: (text: string) => unknown; isNoise: (line: string) => boolean };

const run = { data: { resultData: { runData: { Damai: [{ executionTime: 3, data: { main: [[{ json: { orderId: 'A-1', nested: { ok: true } } }]] } }] } } }, status: 'success' };
const printed = JSON.stringify(run, null, 2);

test('the run between log lines before and after it', () => {
	const text = ['n8n Task Broker ready on 127.0.0.1, port 5679', 'Registered runner "JS Task Runner" (x)', printed, 'Execution finished'].join('\n');
	expect(extractJson(text)).toEqual(run);
});

test('a log line printed in the middle of the run is left out, the run kept whole', () => {
	const lines = printed.split('\n');
	const middle = Math.floor(lines.length / 2);
	const text = ['Registered runner "JS Task Runner" (x)', ...lines.slice(0, middle), '[license SDK] Skipping renewal on init', ...lines.slice(middle)].join('\n');
	expect(extractJson(text)).toEqual(run);
});

test('no run at all, or one cut short, is null rather than a fragment', () => {
	expect(extractJson('Registered runner\nProblem running workflow\n')).toBeNull();
	expect(extractJson(printed.split('\n').slice(0, -4).join('\n'))).toBeNull();
});

describe('isNoise: what the demo does not show a newcomer', () => {
	test.each([
		'There are deprecations related to your n8n setup. Please take the recommended actions to update your configuration:',
		'There is a deprecation related to your n8n setup. Please take the recommended actions to update your configuration:',
		' - N8N_RUNNERS_MODE -> Internal task runner mode is deprecated and will be removed in a future version.',
		'Failed to start Python task runner in internal mode. because its virtual environment is missing from this system.',
	])('hides %p', (line) => {
		expect(isNoise(line)).toBe(true);
	});

	test.each([
		'Editor is now accessible via:',
		'Error: getaddrinfo ENOTFOUND gw.api.taobao.com',
		'Damai refused to cancel the stock lock of order NOTFOUND-1: return code 404 (order not found)',
		'N8N_ENCRYPTION_KEY is not set',
	])('keeps %p', (line) => {
		expect(isNoise(line)).toBe(false);
	});
});
