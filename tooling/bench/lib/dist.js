// @ts-check
'use strict';

/**
 * The built package: the repository's dist/ (`npm run build` first), or the folder named by
 * BENCH_DIST (to compare another build, e.g. a prototype, under the same benchmark).
 */

const path = require('node:path');
const fs = require('node:fs');
const { REPO } = require('./sandbox');

const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(REPO, 'dist');

let loaded;

/** The node's n8n-free transport (signing, request building, parsing) from the build. */
function transport() {
	if (loaded) return loaded;
	const file = path.join(DIST, 'nodes', 'Damai', 'transport', 'index.js');
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
	loaded = require(file);
	return loaded;
}

module.exports = { DIST, transport };
