import type { TopClient } from './client';
import { headStringToSign, type HeadRecipe, type RequestHead } from './head';
import { maskProxy } from './proxy';
import { buildSignString } from './sign';

/** The head of a dry run's request, to show its string-to-sign (secrets masked). */
export interface DryRunHead {
	head: RequestHead;
	supplierSecret: string;
	recipe: HeadRecipe;
}

/** Exactly the request one attempt would send now, every secret masked ([redacted]). */
export interface DryRunRequest {
	httpMethod: 'POST';
	/** The gateway URL, without the query string. */
	gatewayUrl: string;
	/** The system parameters (the query string), `sign` included; the session masked. */
	systemParams: Record<string, string>;
	/** The application parameters (the form body) as sent: objects as their JSON text; the supplier secret masked. */
	appParams: Record<string, string>;
	/** TOP's string-to-sign (every parameter but `sign`, sorted, name + value), secrets masked. */
	stringToSign: string;
	/** The request head's string-to-sign for head.signed (the secret masked), when there is a head. */
	headStringToSign?: string;
	/** The proxy that would carry the request, its user name and password masked; null for none. */
	proxy: string | null;
	/** Where the proxy comes from (the credential's Proxy field or the environment). */
	proxySource?: string;
}

/**
 * Builds and signs the request `client.call(method, () => appParams)` would send, and describes it
 * instead of sending it: nothing goes on the wire. Every text goes through the client's redactor,
 * which masks the app secret, the session, the supplier secret and the proxy's password.
 */
export function describeRequest(
	client: TopClient,
	method: string,
	appParams: Record<string, unknown>,
	head?: DryRunHead,
): DryRunRequest {
	const built = client.build(method, appParams);
	const redact = client.redact;
	const systemParams: Record<string, string> = {};
	const app: Record<string, string> = {};
	const query = new URLSearchParams(built.query);
	for (const [name, value] of Object.entries(built.params)) {
		if (query.has(name)) systemParams[name] = redact(value);
		else app[name] = redact(value);
	}
	const out: DryRunRequest = {
		httpMethod: 'POST',
		gatewayUrl: client.gatewayUrl,
		systemParams,
		appParams: app,
		stringToSign: redact(buildSignString(built.params)),
		proxy: client.proxy ? maskProxy(client.proxy) : null,
	};
	if (client.proxy) out.proxySource = client.proxy.source;
	if (head) {
		// (head.signed is never part of what is signed)
		out.headStringToSign = redact(headStringToSign(head.head, head.supplierSecret, head.recipe));
	}
	return out;
}
