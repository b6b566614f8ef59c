// @ts-check
'use strict';

/** What the report says a run was measured on: the machine and the versions in node_modules. */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO } = require('./sandbox');

function versions() {
	/** @param {string} p */
	const read = (p) => {
		try {
			return JSON.parse(fs.readFileSync(p, 'utf8')).version;
		} catch {
			return undefined;
		}
	};
	/** @param {string} name */
	const dep = (name) => read(path.join(REPO, 'node_modules', name, 'package.json'));
	return {
		node: process.version,
		n8nCore: dep('n8n-core'),
		n8nWorkflow: dep('n8n-workflow'),
		axios: dep('axios'),
		pkg: read(path.join(REPO, 'package.json')),
	};
}

function machine() {
	const cpus = os.cpus();
	return {
		cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
		nproc: String(os.availableParallelism?.() ?? cpus.length),
		memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

module.exports = { versions, machine };
