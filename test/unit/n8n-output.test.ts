/** Reading what `n8n execute --rawOutput` prints (tooling/n8n/output.js): the run among log lines. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractJson } = require('../../tooling/n8n/output') as { extractJson: (text: string) => unknown };

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
