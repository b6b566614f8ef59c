// The fast tests talk to gateways on 127.0.0.1 directly. The node honours HTTP_PROXY and friends
// as n8n does (proxy-from-env does not exempt loopback), so a developer's or CI's proxy settings
// would send them through a proxy: the fast and proxy projects start without them (jest
// setupFiles), and test/proxy, which sets them itself, clears them after each test.
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];

function clearProxyEnv() {
	for (const name of PROXY_ENV) {
		delete process.env[name];
		delete process.env[name.toLowerCase()];
	}
}

clearProxyEnv();

module.exports = { clearProxyEnv };
