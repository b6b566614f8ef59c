// The fast tests talk to gateways on 127.0.0.1 directly. The node honours HTTP_PROXY and friends
// as n8n does (proxy-from-env does not exempt loopback), so a developer's or CI's proxy settings
// would send them through a proxy: the fast project starts without them. test/proxy sets them itself.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY']) {
	delete process.env[name];
	delete process.env[name.toLowerCase()];
}
