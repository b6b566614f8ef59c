// @ts-check
'use strict';

/**
 * Reading what `n8n execute --rawOutput` prints and the run data inside it.
 */

/**
 * Finds the JSON document in text that may carry log lines before (and after) it. `--rawOutput`
 * prints `JSON.stringify(run, null, 2)`, whose first line is `{` and last line is `}`; log lines
 * never are. Tries the widest candidate first.
 * @param {string} text
 * @returns {any | null}
 */
function extractJson(text) {
	if (!text) return null;
	const trimmed = text.trim();
	try {
		return JSON.parse(trimmed);
	} catch {
		/* log lines around it */
	}
	const lines = text.split(/\r?\n/);
	/** @type {number[]} */
	const starts = [];
	/** @type {number[]} */
	const ends = [];
	lines.forEach((line, i) => {
		const t = line.trimEnd();
		if (t === '{' || (t.startsWith('{') && t.endsWith('}'))) starts.push(i);
		// `}` alone, or `} { "file": … }` when n8n's logger appends metadata (debug level).
		if (t === '}' || t.startsWith('} ') || (t.startsWith('{') && t.endsWith('}'))) ends.push(i);
	});
	const closing = (/** @type {number} */ i) => (lines[i].trimEnd().startsWith('} ') ? '}' : lines[i]);
	for (const s of starts) {
		for (let j = ends.length - 1; j >= 0; j--) {
			const e = ends[j];
			if (e < s) break;
			const span = e === s ? [lines[s]] : [...lines.slice(s, e), closing(e)];
			const value = parseObject(span) ?? (e > s ? parseObject(withoutInterleavedLines(span)) : null);
			if (value) return value;
		}
	}
	return null;
}

/** @param {string[]} span @returns {object | null} */
function parseObject(span) {
	try {
		const value = JSON.parse(span.join('\n'));
		return value && typeof value === 'object' ? value : null;
	} catch {
		return null;
	}
}

/**
 * The span without lines another part of n8n may log while a large run is being printed (the
 * task runner, the license SDK): inside the run as n8n prints it (JSON.stringify with an indent)
 * every line but the first and the last is indented, so an unindented line is not part of it.
 * @param {string[]} span
 */
function withoutInterleavedLines(span) {
	return span.filter((line, i) => i === 0 || i === span.length - 1 || /^\s/.test(line) || line === '');
}

/**
 * Items a node emitted on one of its outputs (first run of that node).
 * @param {any} run the parsed `n8n execute` output
 * @param {string} nodeName
 * @param {number} [output]
 * @returns {Array<{ json: any, pairedItem?: any, error?: any }>}
 */
function nodeItems(run, nodeName, output = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || !runs.length) return [];
	return runs[0]?.data?.main?.[output] ?? [];
}

/**
 * Every output of a node: [[items of output 0], [items of output 1], …].
 * @param {any} run @param {string} nodeName
 */
function nodeOutputs(run, nodeName) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	return runs?.[0]?.data?.main?.map((/** @type {any} */ o) => o ?? []) ?? [];
}

/** @param {any} run @param {string} nodeName */
function nodeError(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0]?.error ?? null;
}

/** Names of the nodes that ran. @param {any} run */
function executedNodes(run) {
	return Object.keys(run?.data?.resultData?.runData ?? {});
}

/**
 * A plain-text table. Cells are cut at maxWidth characters.
 * @param {string[]} headers
 * @param {Array<Array<string>>} rows
 * @param {{ maxWidth?: number }} [options]
 */
function formatTable(headers, rows, options = {}) {
	const maxWidth = options.maxWidth ?? 60;
	const cut = (/** @type {string} */ s) => {
		const one = String(s ?? '').replace(/\s+/g, ' ').trim();
		return one.length > maxWidth ? `${one.slice(0, maxWidth - 1)}…` : one;
	};
	const cells = [headers.map(cut), ...rows.map((r) => r.map(cut))];
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (/** @type {string[]} */ r) => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
	return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/**
 * Lines n8n prints on every start that say nothing about the run (task runner start-up, the missing
 * optional Python runner, deprecation notices, migrations, 2.4x's note on the legacy key).
 * @param {string} line
 */
function isNoise(line) {
	return /Task Broker ready|Python task runner|Registered runner|Migrations in progress|deprecation related to your environment|deprecations? related to your n8n setup|^- N8N_[A-Z0-9_]+ -> |-> Remove this environment variable|Legacy aes-256-cbc encryption key not found|^={4,}$|^Execution error:$|^Error executing workflow\. See log messages for details\.$/.test(
		line.trim(),
	);
}

module.exports = { isNoise, extractJson, nodeItems, nodeOutputs, nodeError, executedNodes, formatTable };
