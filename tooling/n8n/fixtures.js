// @ts-check
'use strict';

/**
 * The sandbox credential and the example workflows, as the demo and the end-to-end tests import them.
 */

const fs = require('node:fs');
const path = require('node:path');
const { EXAMPLES_DIR } = require('./paths');

/** The id and name every example uses for its Damai credential. */
const SANDBOX_CREDENTIAL_ID = 'DamaiSandbox0001';
const SANDBOX_CREDENTIAL_NAME = 'Damai sandbox';

/** The sandbox gateway's default keys (tooling/sandbox/config.js). */
const SANDBOX_KEYS = Object.freeze({
	appKey: 'sandbox-app-key',
	appSecret: 'sandbox-app-secret',
	supplierKey: 'sandbox-supplier-key',
	supplierSecret: 'sandbox-supplier-secret',
});

/**
 * A `damaiApi` credential (n8n import format) pointing at a sandbox gateway.
 * @param {string} gatewayUrl e.g. http://127.0.0.1:PORT/router/rest
 * @param {{ id?: string, name?: string, data?: Record<string, unknown> }} [overrides]
 */
function sandboxCredential(gatewayUrl, overrides = {}) {
	return {
		id: overrides.id ?? SANDBOX_CREDENTIAL_ID,
		name: overrides.name ?? SANDBOX_CREDENTIAL_NAME,
		type: 'damaiApi',
		data: {
			environment: 'custom',
			gatewayUrl,
			appKey: SANDBOX_KEYS.appKey,
			appSecret: SANDBOX_KEYS.appSecret,
			signMethod: 'hmac-sha256',
			session: '',
			supplierKey: SANDBOX_KEYS.supplierKey,
			supplierSecret: SANDBOX_KEYS.supplierSecret,
			headSignMethod: 'md5',
			allowInsecureHttp: false,
			...(overrides.data ?? {}),
		},
	};
}

/** File names in examples/ (*.workflow.json). */
function listExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(EXAMPLES_DIR, f));
}

/**
 * An example workflow by short name ('cancel-stock-locks') or path.
 * @param {string} nameOrPath
 */
function loadExample(nameOrPath) {
	const file = fs.existsSync(nameOrPath) ? nameOrPath : path.join(EXAMPLES_DIR, `${nameOrPath}.workflow.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * A copy of a workflow whose Damai nodes use the given credential (id and name).
 * @template T
 * @param {T} workflow
 * @param {{ id: string, name: string }} credential
 * @returns {T}
 */
function useCredential(workflow, credential) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes ?? []) {
		if (node.credentials?.damaiApi) node.credentials.damaiApi = { id: credential.id, name: credential.name };
	}
	return copy;
}

/**
 * Nodes of this package in a workflow (published or custom-extension type name).
 * @param {any} workflow
 * @returns {any[]}
 */
function damaiNodes(workflow) {
	return (workflow.nodes ?? []).filter((/** @type {any} */ n) => /(^|\.)damai$/.test(n.type));
}

module.exports = {
	SANDBOX_CREDENTIAL_ID,
	SANDBOX_CREDENTIAL_NAME,
	SANDBOX_KEYS,
	sandboxCredential,
	listExamples,
	loadExample,
	useCredential,
	damaiNodes,
};
