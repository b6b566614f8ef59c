/**
 * tooling/bench/lib/attribution.js: each sample of a CPU profile goes to one category, decided on its
 * stack (owners anywhere on it, else the leafiest frame a rule matches), and the totals add up.
 */

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber?: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}
interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}
interface Attribution {
	attribute(
		profile: CpuProfile,
		options?: { top?: number },
	): {
		categories: Record<string, number>;
		totalUs: number;
		idleUs: number;
		samples: number;
		unmatched: Array<{ frame: string; us: number }>;
	};
	categorize(stack: CallFrame[]): string;
	damaiModule(url: string): string | undefined;
	RULES: Array<{ category: string; tier: string }>;
	CATEGORIES: string[];
}

// (plain JavaScript, without a .d.ts: the types above)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { attribute, categorize, damaiModule, RULES, CATEGORIES } = require('../../tooling/bench/lib/attribution') as Attribution;

const DIST = 'file:///repo/dist/nodes/Damai';
const AXIOS = 'file:///repo/node_modules/axios/dist/node/axios.cjs';
const CORE = 'file:///repo/node_modules/n8n-core/dist/execution-engine';
const WORKFLOW = 'file:///repo/node_modules/n8n-workflow/dist/cjs';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url, lineNumber: 0 });

/**
 *   (root)
 *   ├─ (garbage collector)                                    [2]
 *   ├─ (idle)                                                 [3]
 *   ├─ (program)                                              [4]
 *   └─ processTicksAndRejections
 *      ├─ runMicrotasks                                       [6]
 *      │  └─ once (transport/client)
 *      │     ├─ request (axios)                               [8]
 *      │     │  └─ ClientRequest (node:_http_client)          [9]
 *      │     │     └─ emit (node:events)                      [10]
 *      │     ├─ buildTopRequest (transport/request)
 *      │     │  └─ Hmac (node:internal/crypto/hash)           [12]
 *      │     └─ parseAnswer (transport/parse)
 *      │        └─ (anonymous) (transport/redact)             [14]
 *      └─ execute (Damai.node)
 *         └─ runItems (helpers/runItems)                      [16]
 *            ├─ ExecuteContext.getNodeParameter (n8n-core)
 *            │  └─ isObject (lodash)                          [18]
 *            └─ readOptions (helpers/options)
 *               └─ _getNodeParameter (n8n-core)
 *                  └─ resolveSimpleParameterValue (n8n-workflow)  [21]
 *   (a third child of processTicksAndRejections, the audit trail)
 *      └─ run (helpers/auditTrail)                            [22]
 *         └─ failed (helpers/auditTrail)
 *            └─ log (helpers/auditTrail)
 *               └─ Logger.log (@n8n/backend-common)
 *                  └─ callsites (callsites)                   [26]
 *   (a fourth: a file transport's write on its own)
 *      └─ File._write (winston)                               [27]
 */
const NODES: ProfileNode[] = [
	{ id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
	{ id: 2, callFrame: frame('(garbage collector)') },
	{ id: 3, callFrame: frame('(idle)') },
	{ id: 4, callFrame: frame('(program)') },
	{ id: 5, callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues'), children: [6, 15, 22, 27] },
	{ id: 6, callFrame: frame('runMicrotasks'), children: [7] },
	{ id: 7, callFrame: frame('once', `${DIST}/transport/client.js`), children: [8, 11, 13] },
	{ id: 8, callFrame: frame('request', AXIOS), children: [9] },
	{ id: 9, callFrame: frame('ClientRequest', 'node:_http_client'), children: [10] },
	{ id: 10, callFrame: frame('emit', 'node:events') },
	{ id: 11, callFrame: frame('buildTopRequest', `${DIST}/transport/request.js`), children: [12] },
	{ id: 12, callFrame: frame('Hmac', 'node:internal/crypto/hash') },
	{ id: 13, callFrame: frame('parseAnswer', `${DIST}/transport/parse.js`), children: [14] },
	{ id: 14, callFrame: frame('', `${DIST}/transport/redact.js`) },
	{ id: 15, callFrame: frame('execute', `${DIST}/Damai.node.js`), children: [16] },
	{ id: 16, callFrame: frame('runItems', `${DIST}/helpers/runItems.js`), children: [17, 19] },
	{ id: 17, callFrame: frame('ExecuteContext.getNodeParameter', `${CORE}/node-execution-context/execute-context.js`), children: [18] },
	{ id: 18, callFrame: frame('isObject', 'file:///repo/node_modules/lodash/isObject.js') },
	{ id: 19, callFrame: frame('readOptions', `${DIST}/helpers/options.js`), children: [20] },
	{ id: 20, callFrame: frame('_getNodeParameter', `${CORE}/node-execution-context/node-execution-context.js`), children: [21] },
	{ id: 21, callFrame: frame('resolveSimpleParameterValue', `${WORKFLOW}/expression.js`) },
	{ id: 22, callFrame: frame('run', `${DIST}/helpers/auditTrail.js`), children: [23] },
	{ id: 23, callFrame: frame('failed', `${DIST}/helpers/auditTrail.js`), children: [24] },
	{ id: 24, callFrame: frame('log', `${DIST}/helpers/auditTrail.js`), children: [25] },
	{ id: 25, callFrame: frame('Logger.log', 'file:///repo/node_modules/@n8n/backend-common/dist/logging/logger.js'), children: [26] },
	{ id: 26, callFrame: frame('callsites', 'file:///repo/node_modules/callsites/index.js') },
	{ id: 27, callFrame: frame('File._write', 'file:///repo/node_modules/winston/lib/winston/transports/file.js') },
];

const EXPECTED: Record<number, string> = {
	2: 'GC',
	3: 'idle',
	4: 'other',
	6: 'promises / microtasks / timers',
	8: 'axios',
	9: 'node http/net',
	10: 'node http/net', // events are transparent: the http frame above decides
	12: 'sign / head / param',
	14: 'redaction',
	16: 'runItems',
	18: 'Order ID expression (n8n-workflow)', // owner: anything under getNodeParameter
	21: 'options read', // owner listed first: readOptions calls getNodeParameter too
	22: "audit trail (n8n's logger)", // the trail's own code
	26: "audit trail (n8n's logger)", // owner: n8n's logger under a trail line (not "n8n bookkeeping")
	27: "audit trail (n8n's logger)", // winston on its own
};

/** The stack of node `id`, leaf first. */
function stackOf(id: number): CallFrame[] {
	const parent = new Map<number, number>();
	for (const node of NODES) for (const child of node.children ?? []) parent.set(child, node.id);
	const stack: CallFrame[] = [];
	for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
		stack.push(NODES.find((n) => n.id === at)!.callFrame);
	}
	return stack;
}

describe('attribution of a CPU profile', () => {
	it.each(Object.entries(EXPECTED))('puts a sample of node %s in "%s"', (id, category) => {
		expect(categorize(stackOf(Number(id)))).toBe(category);
	});

	it('counts each sample for the time until the next one, and the totals add up', () => {
		const ids = Object.keys(EXPECTED).map(Number);
		// sample i (at node ids[i]) lasts (i + 1) * 10 µs; the last one runs to endTime
		const samples = [...ids];
		const timeDeltas = ids.map((_, i) => (i === 0 ? 5 : i * 10));
		const startTime = 1_000;
		const last = startTime + timeDeltas.reduce((a, b) => a + b, 0);
		const lastUs = ids.length * 10;
		const result = attribute({ nodes: NODES, samples, timeDeltas, startTime, endTime: last + lastUs }, { top: 5 });

		const want: Record<string, number> = {};
		ids.forEach((id, i) => (want[EXPECTED[id]] = (want[EXPECTED[id]] ?? 0) + (i + 1) * 10));
		for (const [category, us] of Object.entries(want)) expect(result.categories[category]).toBeCloseTo(us, 6);
		for (const [category, us] of Object.entries(result.categories)) if (!(category in want)) expect(us).toBe(0);

		const all = Object.values(result.categories).reduce((a, b) => a + b, 0);
		expect(all).toBeCloseTo(((ids.length * (ids.length + 1)) / 2) * 10, 6);
		expect(result.idleUs).toBe(want.idle);
		expect(result.totalUs).toBeCloseTo(all - want.idle, 6);
		expect(result.samples).toBe(ids.length);
		// only (program) went unmatched
		expect(result.unmatched.map((u) => u.frame.trim())).toEqual(['(program)']);
	});

	it('reads the node module from dist/ and from the sources', () => {
		expect(damaiModule(`${DIST}/transport/sign.js`)).toBe('transport/sign');
		expect(damaiModule('/repo/nodes/Damai/helpers/options.ts')).toBe('helpers/options');
		expect(damaiModule(AXIOS)).toBeUndefined();
	});

	it('names only categories of the report', () => {
		for (const rule of RULES) expect(CATEGORIES).toContain(rule.category);
	});
});
