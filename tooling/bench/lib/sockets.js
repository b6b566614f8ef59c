// @ts-check
'use strict';

/**
 * Counts every socket an http.Agent opens in this process (the node's TopClient wraps its agent's
 * createConnection around this one). Agents passed to `exclude` — the sandbox control channel,
 * the bare loop's — are not counted. Installed when this module is first required: require it
 * before any run.
 */

const http = require('node:http');

const excluded = new WeakSet();
let opened = 0;

const original = http.Agent.prototype.createConnection;
http.Agent.prototype.createConnection = function (...args) {
	if (!excluded.has(this)) opened++;
	return original.apply(this, /** @type {any} */ (args));
};

module.exports = {
	/** @param {http.Agent} agent */
	exclude: (agent) => excluded.add(agent),
	/** sockets opened so far by agents not excluded */
	opened: () => opened,
};
