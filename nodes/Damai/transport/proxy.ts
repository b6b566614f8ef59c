import { getProxyForUrl } from 'proxy-from-env';

/**
 * Which forward proxy carries the calls to the gateway, if any. Two sources, the first that
 * gives one wins:
 * 1. the credential's Proxy field (`http://[user:password@]host:port`): a fixed exit, e.g. for an
 *    open platform that allow-lists the caller's IP address; it wins over the environment,
 *    NO_PROXY included;
 * 2. the environment, with the meaning n8n gives it (n8n's own outbound HTTP resolves it with the
 *    same `proxy-from-env`): HTTPS_PROXY for an https:// gateway, HTTP_PROXY for an http:// one,
 *    ALL_PROXY for both, NO_PROXY listing hosts reached directly; upper or lower case.
 *
 * Only http:// proxies are spoken to, always through a CONNECT tunnel, for an https:// gateway and
 * an http:// one alike (transport/agents.ts says why). A proxy's user name and password are secrets: nothing here
 * puts them into a message; `proxySecrets` lists them for the redactor.
 */
export interface ProxySettings {
	host: string;
	port: number;
	username?: string;
	password?: string;
	/** Where it came from: the credential's Proxy field, or an environment variable's name. */
	source: string;
}

export class ProxyConfigError extends Error {
	constructor(
		message: string,
		/** The credential field or environment variable it came from. */
		readonly source: string,
	) {
		super(message);
		this.name = 'ProxyConfigError';
	}
}

export const CREDENTIAL_PROXY_SOURCE = 'the credential\'s Proxy field';

/** `host:port` of the proxy, bracketed for IPv6: what a message may name. */
export function proxyLabel(proxy: ProxySettings): string {
	return `${proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host}:${proxy.port}`;
}

/** The proxy as a URL with its user name and password masked (for a dry run's output). */
export function maskProxy(proxy: ProxySettings): string {
	const auth = proxy.username || proxy.password ? '***:***@' : '';
	return `http://${auth}${proxyLabel(proxy)}`;
}

/** The `Proxy-Authorization` header's value (Basic), when the proxy has a user name or password. */
export function proxyAuthorization(proxy: ProxySettings): string | undefined {
	if (proxy.username === undefined && proxy.password === undefined) return undefined;
	return `Basic ${Buffer.from(`${proxy.username ?? ''}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
}

/**
 * The texts the redactor must scrub for this proxy: the password as typed (the redactor adds its
 * URL-, JSON- and XML-escaped forms), `user:password` and its Base64 (the header on the wire).
 */
export function proxySecrets(proxy: ProxySettings | undefined): string[] {
	if (!proxy || proxy.password === undefined || proxy.password === '') return [];
	const pair = `${proxy.username ?? ''}:${proxy.password}`;
	return [proxy.password, pair, Buffer.from(pair, 'utf8').toString('base64')];
}

function decode(part: string, what: string, source: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		throw new ProxyConfigError(`The proxy's ${what} in ${source} is not valid percent-encoding`, source);
	}
}

/**
 * Parses `http://[user:password@]host[:port]` (port 80 when left out). Messages never repeat the
 * text, which may hold a password.
 */
export function parseProxyUrl(text: string, source: string): ProxySettings {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new ProxyConfigError(`The proxy in ${source} is not a valid URL: use http://[user:password@]host:port`, source);
	}
	if (url.protocol !== 'http:') {
		throw new ProxyConfigError(
			`The proxy in ${source} uses ${url.protocol.replace(/:$/, '')}://; only http:// proxies are supported (HTTPS to the gateway still goes through them, in a CONNECT tunnel)`,
			source,
		);
	}
	if (!url.hostname) throw new ProxyConfigError(`The proxy in ${source} has no host`, source);
	if ((url.pathname && url.pathname !== '/') || url.search || url.hash) {
		throw new ProxyConfigError(`The proxy in ${source} must be only http://[user:password@]host:port, without a path`, source);
	}
	const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	const settings: ProxySettings = { host, port: url.port ? Number(url.port) : 80, source };
	if (url.username || url.password) {
		settings.username = decode(url.username, 'user name', source);
		settings.password = decode(url.password, 'password', source);
	}
	return settings;
}

/** Where proxy-from-env takes the proxy for a gateway URL from (for messages). */
function envSource(gatewayUrl: string): string {
	return gatewayUrl.startsWith('https:') ? 'the environment (HTTPS_PROXY or ALL_PROXY)' : 'the environment (HTTP_PROXY or ALL_PROXY)';
}

/**
 * The proxy for calls to `gatewayUrl`: the credential's (when set), else the environment's as n8n
 * reads it, else none.
 */
export function resolveProxy(gatewayUrl: string, credentialProxy: string | undefined): ProxySettings | undefined {
	if (credentialProxy !== undefined && credentialProxy.trim() !== '') {
		return parseProxyUrl(credentialProxy, CREDENTIAL_PROXY_SOURCE);
	}
	const fromEnv = getProxyForUrl(gatewayUrl);
	if (!fromEnv) return undefined;
	return parseProxyUrl(fromEnv, envSource(gatewayUrl));
}
