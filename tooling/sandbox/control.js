// @ts-check
'use strict';

/**
 * The control channel `/__sandbox/*` (same port, for tooling): health, stats, recorded requests,
 * reset, and the config (read it without secrets, or merge a JSON patch into it).
 */

const { sendJson } = require('./render');
const { isPlainObject, publicConfig } = require('./config');

/**
 * @typedef {{
 *   config: import('./config').SandboxConfig,
 *   stats: import('./store').SandboxStats,
 *   requests: import('./store').RecordedRequest[],
 *   reset: () => void,
 *   configure: (partial: Partial<import('./config').SandboxConfig>) => void,
 * }} Controlled
 */

/**
 * Answer a control request. Returns false when `what` names no endpoint (for that HTTP method);
 * the caller then answers 404.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} what the path after `/__sandbox/`
 * @param {string} bodyText
 * @param {Controlled} sandbox
 * @returns {boolean}
 */
function handleControl(req, res, what, bodyText, sandbox) {
	const get = req.method === 'GET';
	const post = req.method === 'POST';
	if (what === 'health') sendJson(res, 200, { ok: true });
	else if (what === 'stats' && get) sendJson(res, 200, sandbox.stats);
	else if (what === 'requests' && get) sendJson(res, 200, sandbox.requests);
	else if (what === 'reset' && post) {
		sandbox.reset();
		sendJson(res, 200, { ok: true });
	} else if (what === 'config' && get) sendJson(res, 200, publicConfig(sandbox.config));
	else if (what === 'config' && post) patchConfig(res, bodyText, sandbox);
	else return false;
	return true;
}

/**
 * `POST /__sandbox/config`: merge a JSON object into the config.
 * @param {import('node:http').ServerResponse} res
 * @param {string} bodyText
 * @param {Controlled} sandbox
 */
function patchConfig(res, bodyText, sandbox) {
	let patch;
	try {
		patch = bodyText ? JSON.parse(bodyText) : {};
	} catch {
		return sendJson(res, 400, { ok: false, error: 'body must be JSON' });
	}
	if (!isPlainObject(patch)) return sendJson(res, 400, { ok: false, error: 'body must be a JSON object' });
	delete patch.extraMethods; // functions cannot travel over HTTP
	sandbox.configure(patch);
	return sendJson(res, 200, { ok: true, config: publicConfig(sandbox.config) });
}

module.exports = { handleControl };
