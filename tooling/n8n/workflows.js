// @ts-check
'use strict';

/**
 * Credentials and workflows in and out of an n8n environment through its CLI: import:credentials,
 * import:workflow, and `n8n execute --id … --rawOutput` with the run data parsed. Each function takes
 * the environment (env.js: anything with `run`, `userFolder` and `nodeTypePrefix`).
 */

const fs = require('node:fs');
const path = require('node:path');
const { extractJson, isNoise } = require('./output');

/**
 * @typedef {import('./processes').RunResult} RunResult
 * @typedef {RunResult & { ok: boolean, run: any, error: string | null }} ExecuteResult
 * @typedef {{
 *   userFolder: string,
 *   nodeTypePrefix: string,
 *   run: (args: string[], options?: { timeoutMs?: number, env?: Record<string, string>, stdoutToFile?: boolean }) => Promise<RunResult>,
 * }} CliEnv
 */

let importCount = 0;

/** @param {CliEnv} env @param {string} name @param {unknown} data */
function writeImportFile(env, name, data) {
	const dir = path.join(env.userFolder, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${String(++importCount).padStart(3, '0')}-${name}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/** @param {string} what @param {RunResult} result */
function assertOk(what, result) {
	if (result.code !== 0) {
		const out = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
		throw new Error(`n8n ${what} failed (exit ${result.code ?? result.signal}${result.timedOut ? ', timed out' : ''}):\n${out}`);
	}
	return result;
}

/**
 * Imports credentials (plain `data`; n8n encrypts it with the environment's key). Each needs `id`,
 * `name`, `type`, `data`. The temporary file is deleted right after.
 * @param {CliEnv} env @param {object | object[]} credentials
 */
async function importCredentials(env, credentials) {
	const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({ isManaged: false, ...c }));
	const file = writeImportFile(env, 'credentials', list);
	try {
		return assertOk('import:credentials', await env.run(['import:credentials', `--input=${file}`]));
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * A deep copy of a workflow with this package's node types (`n8n-nodes-damai.*`, the published
 * name) in the form the environment loads them (`CUSTOM.*` through N8N_CUSTOM_EXTENSIONS).
 * @template T
 * @param {CliEnv} env @param {T} workflow
 * @returns {T}
 */
function adaptWorkflow(env, workflow) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes ?? []) {
		if (typeof node.type === 'string' && node.type.startsWith('n8n-nodes-damai.')) {
			node.type = env.nodeTypePrefix + node.type.slice('n8n-nodes-damai.'.length);
		}
	}
	return copy;
}

/**
 * Imports workflows (objects as exported by n8n; each must carry an explicit string `id`, at most
 * 21 characters, which is what executeWorkflow takes), adapted unless rewriteNodeTypes is false.
 * @param {CliEnv} env @param {object | object[]} workflows @param {{ rewriteNodeTypes?: boolean }} [options]
 */
async function importWorkflows(env, workflows, options = {}) {
	const list = (Array.isArray(workflows) ? workflows : [workflows]).map((wf) => (options.rewriteNodeTypes === false ? wf : adaptWorkflow(env, wf)));
	for (const wf of list) {
		if (!wf || typeof wf !== 'object' || typeof (/** @type {any} */ (wf).id) !== 'string') {
			throw new Error('importWorkflows: every workflow needs an explicit string "id"');
		}
	}
	const file = writeImportFile(env, 'workflows', list);
	try {
		return assertOk('import:workflow', await env.run(['import:workflow', `--input=${file}`]));
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** Imports a workflow file as it is on disk (no rewriting). @param {CliEnv} env @param {string} file */
async function importWorkflowFile(env, file) {
	return assertOk(`import:workflow ${path.basename(file)}`, await env.run(['import:workflow', `--input=${path.resolve(file)}`]));
}

/** @param {RunResult} result */
function summarizeFailure(result) {
	const lines = `${result.stderr}\n${result.stdout}`
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const head = lines.filter((l) => !isNoise(l)).slice(0, 6).join(' | ');
	return `n8n exited ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}${head ? `: ${head}` : ''}`;
}

/**
 * `n8n execute --id=<id> --rawOutput`: exit code, output and the parsed run (null when n8n printed
 * none). n8n's CLI prints the run through its logger at level info, so the run uses that level.
 * @param {CliEnv} env @param {string} id
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
 * @returns {Promise<ExecuteResult>}
 */
async function executeWorkflow(env, id, options = {}) {
	const result = await env.run(['execute', `--id=${id}`, '--rawOutput'], {
		...options,
		// the run can be megabytes: through a file, so that n8n's exit cannot cut it short
		stdoutToFile: true,
		env: { N8N_LOG_LEVEL: 'info', ...(options.env ?? {}) },
	});
	// On failure n8n logs the run (at info) before the error: parse it too, it says which node failed.
	const run = extractJson(result.stdout);
	let error = null;
	if (result.code !== 0) error = summarizeFailure(result);
	else if (!run) error = 'n8n exited 0 but printed no run data';
	const runError = run?.data?.resultData?.error;
	if (runError) error = runError.message ?? JSON.stringify(runError);
	return { ...result, ok: result.code === 0 && !!run && !runError, run, error };
}

module.exports = { importCredentials, importWorkflows, importWorkflowFile, adaptWorkflow, executeWorkflow, summarizeFailure };
