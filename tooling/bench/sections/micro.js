// @ts-check
'use strict';

/** Section 1: CPU per item for sign + build + parse, measured by tooling/bench/micro.js in a process of its own. */

const path = require('node:path');
const { fmt, log, nodeJson } = require('../lib/util');

/** @param {import('../lib/options').BenchOptions} o */
async function sectionMicro(o) {
	log('micro: CPU per item for sign + build + parse (own process) …');
	const result = await nodeJson([path.join(__dirname, '..', 'micro.js'), '--iterations', o.quick ? '10000' : '20000', '--repeats', o.quick ? '3' : '5'], 120_000);
	log(`  ${fmt(result.usPerItem.total, 1)} µs per item`);
	return result;
}


module.exports = { sectionMicro };
