// @ts-check
'use strict';

/**
 * Where the CPU of a V8 CPU profile goes, by concern (issue 10): pure functions over the profile
 * node:inspector's Profiler.stop returns ({nodes: [{id, callFrame: {functionName, url, lineNumber},
 * children}], samples, timeDeltas, startTime, endTime}).
 *
 * Time of a sample: the time until the next sample (timeDeltas[i + 1]; the last sample runs to
 * endTime), as Chrome DevTools counts it.
 *
 * One category per sample, decided on its stack (the sampled node and its parents up to the root):
 *
 *   1. Owner rules (tier 'owner'), in list order: the first whose frame is anywhere on the stack
 *      takes the sample, however deep the leaf. They are concerns defined by their entry point,
 *      whatever they call: everything under n8n's getNodeParameter (the Order ID expression:
 *      n8n-workflow's Expression, WorkflowDataProxy, tmpl/tournament, lodash, type validation) is
 *      parameter resolution, and everything under the node's readOptions is "options read" (listed
 *      first: it calls getNodeParameter too).
 *   2. Leaf rules (tier 'leaf'): walking from the leaf towards the root, the first frame that one
 *      of them matches decides (rules tried in list order for each frame). So node's http code
 *      called from axios is "node http/net", axios' own code called from the node's client is
 *      "axios", the node's signing called from its client is "sign / head / param". Frames no rule
 *      matches (node:events, node:buffer, node:internal/util, timers, …) are transparent: their
 *      time goes to the nearest caller that matches, e.g. an EventEmitter.emit from the HTTP parser
 *      is "node http/net", one from axios' stream handler "axios".
 *   3. Fallback rules (tier 'fallback'), leaf-first, only when no owner or leaf rule matched: the
 *      promise machinery (runMicrotasks, processTicksAndRejections) with nothing identifiable above.
 *   4. V8's pseudo-frames: (garbage collector) → "GC", (idle) → "idle" (the event loop waiting;
 *      kept apart, it is not CPU), (program) → "other" (native work outside any JS frame: libuv,
 *      the profiler's own bookkeeping), as is every sample no rule matches.
 *
 * The categories:
 *   - Order ID expression (n8n-workflow): n8n resolving the item's parameters (getNodeParameter and
 *     all under it), and the node's check of the id text (actions/order/ids, readOrderId).
 *   - options read: the node's helpers/options (readOptions, once per execution).
 *   - audit trail (n8n's logger): the node's helpers/auditTrail and everything its lines call
 *     (owner: its log, cancelled, failed; n8n's Logger with its call-site lookup, winston and its
 *     formats and transports), and winston & co. seen on their own (a file transport's write).
 *   - sign / head / param: the node's transport sign, head, request (query/body building),
 *     timestamp, the cancel param builder, msg_id generation (actions/order/messageId), node's crypto.
 *   - deadline / abort: the node's transport/deadline, node's AbortSignal/AbortController and
 *     EventTarget code (AbortSignal.timeout when a build uses it).
 *   - redaction: the node's transport/redact (the redactor over every answer text).
 *   - parse: the node's transport/parse (JSON.parse runs inside it), xml2js/sax.
 *   - result building: the node's transport/cancelStockLock (the result), the operation's run
 *     (output json), helpers/nodeErrors (error items).
 *   - client / gate / retry: the node's TopClient (transport/client), gate, retry, pool, config,
 *     errors, helpers/executionClient (createClient).
 *   - runItems: the node's helpers/runItems, router, Damai.node (execute); in the bare run its
 *     lanes (tooling/bench/lib/bare.js), which stand where runItems stands.
 *   - axios: node_modules/axios (and its follow-redirects / form-data / proxy-from-env).
 *   - node http/net: node's _http_*, http, net, stream, dns, tls (and, transparently, the events
 *     and buffers they use).
 *   - promises / microtasks: the fallback above.
 *   - GC: (garbage collector).
 *   - n8n bookkeeping: n8n-core and n8n-workflow code outside parameter resolution (WorkflowExecute,
 *     execution context, run data, hooks, pairedItem), @n8n/*, and the bench's engine harness.
 *   - idle: (idle), reported apart.
 *   - other: (program) and anything unmatched (BENCH_PROFILE_DEBUG=1 lists the top frames).
 */

const IDLE = 'idle';
const OTHER = 'other';
const GC = 'GC';

/** The categories in report order (idle last, apart). */
const CATEGORIES = [
	'Order ID expression (n8n-workflow)',
	'options read',
	'audit trail (n8n\'s logger)',
	'sign / head / param',
	'deadline / abort',
	'redaction',
	'parse',
	'result building',
	'client / gate / retry',
	'runItems',
	'axios',
	'node http/net',
	'promises / microtasks / timers',
	GC,
	'n8n bookkeeping',
	OTHER,
	IDLE,
];

/** @typedef {{ functionName: string, url: string, lineNumber?: number, columnNumber?: number, scriptId?: string }} CallFrame */
/** @typedef {{ id: number, callFrame: CallFrame, children?: number[], parent?: number }} ProfileNode */
/** @typedef {{ nodes: ProfileNode[], samples?: number[], timeDeltas?: number[], startTime: number, endTime: number }} CpuProfile */
/** @typedef {{ category: string, tier: 'owner' | 'leaf' | 'fallback', about: string, test: (f: CallFrame, damai: string | undefined) => boolean }} Rule */

/** The node's module of a frame ('transport/sign', 'helpers/options', 'Damai.node', …), from dist/ or the sources. @param {string} url */
function damaiModule(url) {
	const at = url.lastIndexOf('/nodes/Damai/');
	if (at < 0) return undefined;
	return url.slice(at + '/nodes/Damai/'.length).replace(/\.(js|ts)$/, '');
}

/** @param {RegExp} re */
const inDamai = (re) => /** @param {CallFrame} _f @param {string | undefined} d */ (_f, d) => d !== undefined && re.test(d);
/** @param {RegExp} re */
const url = (re) => /** @param {CallFrame} f */ (f) => re.test(f.url);

/** @type {Rule[]} */
const RULES = [
	// --- owners: the whole subtree of an entry point --------------------------------------------
	{ category: 'options read', tier: 'owner', about: "the node's helpers/options (readOptions)", test: inDamai(/^helpers\/options$/) },
	{
		category: "audit trail (n8n's logger)",
		tier: 'owner',
		about: "the node's helpers/auditTrail writing a line (log, cancelled, failed, auditMessage) and everything under it: n8n's Logger, callsites, winston",
		test: (f, d) => d === 'helpers/auditTrail' && /^(log|cancelled|failed|auditMessage)$/.test(f.functionName),
	},
	{
		category: 'Order ID expression (n8n-workflow)',
		tier: 'owner',
		about: "n8n's getNodeParameter and everything under it",
		test: (f) => /(^|\.)_?getNodeParameter$/.test(f.functionName) && /\/n8n-(core|workflow)\//.test(f.url),
	},
	// --- leaf-first ------------------------------------------------------------------------------
	{
		category: 'Order ID expression (n8n-workflow)',
		tier: 'leaf',
		about: "the node's id check (actions/order/ids, readOrderId, labelOf, the operation's prepare); n8n-workflow's Expression, WorkflowDataProxy, tmpl, tournament",
		test: (f, d) =>
			(d !== undefined && (/^actions\/order\/ids$/.test(d) || (/^actions\/order\/cancelStockLock\.operation$/.test(d) && /^(readOrderId|labelOf|prepare)$/.test(f.functionName)))) ||
			/\/n8n-workflow\/dist\/(cjs\/|esm\/)?(expression|expression-evaluator-proxy|expression-sandboxing|workflow-data-proxy|workflow-data-proxy-env-provider|extensions\/)/.test(f.url) ||
			/\/node_modules\/(@n8n\/tournament|@n8n_io\/riot-tmpl|esprima-next|recast|ast-types)\//.test(f.url),
	},
	{
		category: "audit trail (n8n's logger)",
		tier: 'leaf',
		about: "the node's helpers/auditTrail; winston, logform, winston-transport, readable-stream, callsites, triple-beam, safe-stable-stringify",
		test: (f, d) =>
			(d !== undefined && /^helpers\/auditTrail$/.test(d)) ||
			/\/node_modules\/(winston|winston-transport|logform|readable-stream|callsites|triple-beam|safe-stable-stringify|@colors\/colors|fecha|one-time)\//.test(f.url),
	},
	{ category: 'redaction', tier: 'leaf', about: "the node's transport/redact", test: inDamai(/^transport\/redact$/) },
	{
		category: 'deadline / abort',
		tier: 'leaf',
		about: "the node's transport/deadline; node's AbortSignal / AbortController / EventTarget",
		test: (f, d) => (d !== undefined && /^transport\/deadline$/.test(d)) || /^node:internal\/(abort_controller|event_target)$/.test(f.url),
	},
	{
		category: 'sign / head / param',
		tier: 'leaf',
		about: "the node's transport sign, head, request, timestamp, cancelStockLockParam, actions/order/messageId; node's crypto",
		test: (f, d) =>
			(d !== undefined &&
				(/^transport\/(sign|head|request|timestamp)$/.test(d) ||
					/^actions\/order\/messageId$/.test(d) ||
					(d === 'transport/cancelStockLock' && f.functionName === 'cancelStockLockParam'))) ||
			/^node:(crypto|internal\/crypto\/)/.test(f.url),
	},
	{
		category: 'parse',
		tier: 'leaf',
		about: "the node's transport/parse; xml2js, sax",
		test: (f, d) => (d !== undefined && /^transport\/parse$/.test(d)) || /\/node_modules\/(xml2js|sax|xmlbuilder)\//.test(f.url),
	},
	{
		category: 'result building',
		tier: 'leaf',
		about: "the node's transport/cancelStockLock, the operation's run, helpers/nodeErrors",
		test: inDamai(/^(transport\/cancelStockLock|actions\/order\/cancelStockLock\.operation|actions\/custom\/apiCall\.operation|helpers\/nodeErrors)$/),
	},
	{
		category: 'client / gate / retry',
		tier: 'leaf',
		about: "the node's transport client, gate, retry, pool, config, errors, constants, index; helpers/executionClient",
		test: inDamai(/^(transport\/(client|gate|retry|pool|config|errors|constants|index)|helpers\/executionClient)$/),
	},
	{
		category: 'runItems',
		tier: 'leaf',
		about: "the node's helpers/runItems, actions/router, actions/context, Damai.node; the bare loop's lanes",
		test: (f, d) => (d !== undefined && /^(helpers\/runItems|actions\/(router|context)|Damai\.node)$/.test(d)) || /\/bench\/lib\/bare\.js$/.test(f.url),
	},
	{ category: 'axios', tier: 'leaf', about: 'node_modules/axios and its helpers', test: url(/\/node_modules\/(axios|follow-redirects|form-data|proxy-from-env)\//) },
	{
		category: 'node http/net',
		tier: 'leaf',
		about: "node's http, net, stream, dns, tls",
		test: url(/^node:(_http_\w+|https?|net|tls|_tls_\w+|stream|dns|internal\/(http|net|stream_base_commons|streams\/|dns\/|js_stream_socket|tls\/))/),
	},
	{
		category: 'n8n bookkeeping',
		tier: 'leaf',
		about: 'n8n-core, n8n-workflow (outside parameter resolution), @n8n/*; the engine harness',
		test: url(/\/node_modules\/(n8n-core|n8n-workflow|@n8n\/)|\/test\/helpers\/engine-harness\.js$|\/bench\/lib\/engine\.js$/),
	},
	// --- fallback ----------------------------------------------------------------------------
	{
		category: 'promises / microtasks / timers',
		tier: 'fallback',
		about: "runMicrotasks, processTicksAndRejections, node's task queues, promise hooks, timer lists",
		test: (f) =>
			f.functionName === 'runMicrotasks' ||
			f.functionName === 'processTicksAndRejections' ||
			/^node:internal\/(process\/(task_queues|promises)|async_hooks|promise_hooks|timers|priority_queue)$/.test(f.url),
	},
];

/**
 * The category of one stack, given leaf first.
 * @param {CallFrame[]} stack  the sampled frame first, the root last
 * @param {Rule[]} [rules]
 * @returns {string}
 */
function categorize(stack, rules = RULES) {
	const leaf = stack[0];
	if (leaf) {
		if (leaf.functionName === '(garbage collector)') return GC;
		if (leaf.functionName === '(idle)') return IDLE;
		if (leaf.functionName === '(program)' || leaf.functionName === '(root)') return OTHER;
	}
	const modules = stack.map((f) => damaiModule(f.url));
	for (const rule of rules) {
		if (rule.tier !== 'owner') continue;
		for (let i = 0; i < stack.length; i++) if (rule.test(stack[i], modules[i])) return rule.category;
	}
	for (const tier of ['leaf', 'fallback']) {
		for (let i = 0; i < stack.length; i++) {
			for (const rule of rules) if (rule.tier === tier && rule.test(stack[i], modules[i])) return rule.category;
		}
	}
	return OTHER;
}

/** @param {CallFrame} f */
const describe = (f) => `${f.functionName || '(anonymous)'} ${f.url ? f.url.replace(/^file:\/\//, '') : ''}${f.url ? `:${(f.lineNumber ?? -1) + 1}` : ''}`;

/**
 * Time per category over the whole profile, in µs.
 * @param {CpuProfile} profile
 * @param {{ rules?: Rule[], top?: number }} [options]  top: how many unmatched ("other") frames to list
 * @returns {{ categories: Record<string, number>, totalUs: number, idleUs: number, samples: number, unmatched: Array<{ frame: string, us: number }> }}
 *   categories: µs per category (idle included, as `idle`); totalUs: the sum without idle
 */
function attribute(profile, options = {}) {
	const rules = options.rules ?? RULES;
	/** @type {Map<number, ProfileNode>} */
	const byId = new Map();
	/** @type {Map<number, number>} */
	const parentOf = new Map();
	for (const node of profile.nodes) {
		byId.set(node.id, node);
		for (const child of node.children ?? []) parentOf.set(child, node.id);
		if (node.parent !== undefined) parentOf.set(node.id, node.parent);
	}
	/** @type {Map<number, string>} */
	const categoryOf = new Map();
	/** @param {number} id */
	const categoryOfNode = (id) => {
		let category = categoryOf.get(id);
		if (category !== undefined) return category;
		const stack = [];
		for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
			const node = byId.get(at);
			if (!node) break;
			stack.push(node.callFrame);
		}
		category = categorize(stack, rules);
		categoryOf.set(id, category);
		return category;
	};

	/** @type {Record<string, number>} */
	const categories = {};
	for (const name of CATEGORIES) categories[name] = 0;
	for (const rule of rules) categories[rule.category] ??= 0;
	/** @type {Map<number, number>} self time of unmatched nodes */
	const unmatchedSelf = new Map();
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	let t = profile.startTime;
	const times = new Array(samples.length);
	for (let i = 0; i < samples.length; i++) {
		t += deltas[i] ?? 0;
		times[i] = t;
	}
	for (let i = 0; i < samples.length; i++) {
		const until = i + 1 < samples.length ? times[i + 1] : Math.max(profile.endTime, times[i]);
		const us = Math.max(0, until - times[i]);
		const category = categoryOfNode(samples[i]);
		categories[category] = (categories[category] ?? 0) + us;
		if (category === OTHER) unmatchedSelf.set(samples[i], (unmatchedSelf.get(samples[i]) ?? 0) + us);
	}
	let totalUs = 0;
	for (const [name, us] of Object.entries(categories)) if (name !== IDLE) totalUs += us;

	/** @type {Map<string, number>} */
	const byFrame = new Map();
	for (const [id, us] of unmatchedSelf) {
		const node = byId.get(id);
		if (!node) continue;
		const key = describe(node.callFrame);
		byFrame.set(key, (byFrame.get(key) ?? 0) + us);
	}
	const unmatched = [...byFrame]
		.map(([frame, us]) => ({ frame, us }))
		.sort((x, y) => y.us - x.us)
		.slice(0, options.top ?? 0);
	return { categories, totalUs, idleUs: categories[IDLE] ?? 0, samples: samples.length, unmatched };
}

module.exports = { attribute, categorize, damaiModule, RULES, CATEGORIES, IDLE, OTHER, GC };
