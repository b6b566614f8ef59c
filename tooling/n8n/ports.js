// @ts-check
'use strict';

/** Free loopback ports for the processes to listen on, and the HTTP check that says one is ready. */

const net = require('node:net');
const http = require('node:http');

/** Ports handed out by this process, so two environments created together never share one. */
const handedOut = new Set();

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
async function getFreePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const p = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(p));
			});
		});
		if (port && !handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port');
}

/** Lets getFreePort hand out these ports again. @param {Array<number | undefined>} ports */
function releasePorts(ports) {
	for (const p of ports) handedOut.delete(p);
}

/** @param {number} port @param {string} host */
function isPortFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

/** @param {string} url @returns {Promise<boolean>} whether it answers 200 */
function httpOk(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

module.exports = { getFreePort, releasePorts, isPortFree, httpOk };
