#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * CPU per item for sign + build + parse, in a process of its own:
 *   node tooling/bench/micro.js [--iterations 20000] [--repeats 5]
 * One item = a msg_id (UUID) + the head signed by md5 (cancelStockLockParam) + the TOP request
 * built and signed by hmac-sha256 (buildTopRequest: JSON text of the param, query and body
 * encoding) + parseAnswer of a success body (JSON). process.cpuUsage (user + system) over the
 * iterations, after a warm-up; the median of the repeats. Prints one JSON line.
 */

const { transport } = require('./lib/dist');
const { SUPPLIER, APP } = require('./lib/bare');

const t = transport();
const args = process.argv.slice(2);
const flag = (name, fallback) => {
	const i = args.indexOf(name);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ITERATIONS = Math.max(100, Math.min(1_000_000, flag('--iterations', 20_000)));
const REPEATS = Math.max(1, Math.min(50, flag('--repeats', 5)));

const METHOD = t.CANCEL_STOCK_LOCK_METHOD;
const JSON_BODY =
	'{"alibaba_damai_yuntoc_order_cancellockstock_response":{"result":{"cancel_stock_lock_result_body":{"order_id":"DM2025060100012345"},"head":{"return_code":"0","return_desc":"success"}},"request_id":"cuntuxh4o7rhk"}}';
const XML_BODY =
	'<?xml version="1.0" encoding="utf-8" ?><alibaba_damai_yuntoc_order_cancellockstock_response><result><cancel_stock_lock_result_body><order_id>DM2025060100012345</order_id></cancel_stock_lock_result_body><head><return_code>0</return_code><return_desc>success</return_desc></head></result><request_id>cuntuxh4o7rhk</request_id></alibaba_damai_yuntoc_order_cancellockstock_response><!--top-sandbox.local-->';
const redact = t.createRedactor([APP.appSecret, SUPPLIER.supplierSecret]);
const jsonRaw = { status: 200, contentType: 'application/json;charset=UTF-8', body: JSON_BODY };
const xmlRaw = { status: 200, contentType: 'text/xml;charset=UTF-8', body: XML_BODY };

let sink = 0;
const steps = {
	/** the whole per-item work of the transport */
	total: (i) => {
		const param = t.cancelStockLockParam(`DM${2025060100000000 + i}`, SUPPLIER, t.newMsgId());
		const req = t.buildTopRequest(METHOD, { [t.CANCEL_STOCK_LOCK_PARAM]: param }, APP, 'json');
		const answer = t.parseAnswer(jsonRaw, METHOD, redact);
		sink += req.query.length + req.body.length + (answer.requestId ? 1 : 0);
	},
	'msg_id (randomUUID)': () => {
		sink += t.newMsgId().length;
	},
	'head (md5 sign)': (i) => {
		sink += t.cancelStockLockParam(`DM${2025060100000000 + i}`, SUPPLIER, 'fixed-msg-id').head.signed.length;
	},
	'request (hmac-sha256 sign + encode)': (() => {
		const param = t.cancelStockLockParam('DM2025060100012345', SUPPLIER, 'fixed-msg-id');
		return () => {
			sink += t.buildTopRequest(METHOD, { [t.CANCEL_STOCK_LOCK_PARAM]: param }, APP, 'json').query.length;
		};
	})(),
	'parse (JSON answer)': () => {
		sink += t.parseAnswer(jsonRaw, METHOD, redact).requestId.length;
	},
	'parse (XML answer, for reference)': () => {
		sink += t.parseAnswer(xmlRaw, METHOD, redact).requestId.length;
	},
};

/** µs of CPU per call of fn, over ITERATIONS calls. */
function measure(fn) {
	const before = process.cpuUsage();
	for (let i = 0; i < ITERATIONS; i++) fn(i);
	const used = process.cpuUsage(before);
	return (used.user + used.system) / ITERATIONS;
}

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const result = { iterations: ITERATIONS, repeats: REPEATS, usPerItem: {}, samples: {} };
for (const [name, fn] of Object.entries(steps)) {
	for (let i = 0; i < Math.min(2000, ITERATIONS); i++) fn(i); // warm-up (JIT)
	const samples = [];
	for (let r = 0; r < REPEATS; r++) samples.push(measure(fn));
	result.usPerItem[name] = median(samples);
	result.samples[name] = samples.map((s) => Math.round(s * 100) / 100);
}
if (sink === 42) console.error(''); // keep the work observable
process.stdout.write(JSON.stringify(result) + '\n');
