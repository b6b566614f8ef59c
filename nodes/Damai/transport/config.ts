import {
	GATEWAY_URLS,
	HEAD_SIGN_HASHES,
	HEAD_SIGN_METHODS,
	HEX_CASES,
	SIGN_METHODS,
	TIME_STAMP_FORMATS,
	type Environment,
	type HeadSignHash,
	type HeadSignMethod,
	type HexCase,
	type SignMethod,
	type TimeStampFormat,
} from './constants';
import { checkHeadTemplate, type HeadRecipe } from './head';
import { CREDENTIAL_PROXY_SOURCE, ProxyConfigError, resolveProxy, type ProxySettings } from './proxy';
import { createRedactor } from './redact';

/** The credential's data, as n8n hands it over (fields may be missing or of any type). */
export type RawCredentials = Record<string, unknown>;

export interface DamaiCredentials {
	gatewayUrl: string;
	appKey: string;
	appSecret: string;
	signMethod: SignMethod;
	session?: string;
	supplierKey: string;
	supplierSecret: string;
	headSignMethod: HeadSignMethod;
	/** The whole head recipe (headSignMethod included). */
	headRecipe: HeadRecipe;
	/** The proxy that carries the calls: the credential's Proxy field, else the environment's; none when absent. */
	proxy?: ProxySettings;
	/** Accept any TLS certificate from the gateway. */
	ignoreSslIssues: boolean;
}

export class CredentialConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
		/** What to do, when "fix the field" is not it (e.g. an environment variable). */
		readonly description?: string,
	) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK.test(hostname);
}

/** The gateway URL for an environment; a custom URL must be http(s), and https off loopback. */
export function resolveGatewayUrl(environment: string, custom: string, allowInsecureHttp: boolean): string {
	if (environment !== 'custom') {
		const known = Object.prototype.hasOwnProperty.call(GATEWAY_URLS, environment)
			? GATEWAY_URLS[environment as Exclude<Environment, 'custom'>]
			: undefined;
		if (!known) throw new CredentialConfigError(`Unknown environment "${environment}"`, 'environment');
		return known;
	}
	const text = custom.trim();
	if (!text) throw new CredentialConfigError('The Custom URL environment needs a Gateway URL', 'gatewayUrl');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new CredentialConfigError('The Gateway URL is not a valid URL', 'gatewayUrl');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialConfigError('The Gateway URL must start with https:// (or http:// for loopback)', 'gatewayUrl');
	}
	if (url.username || url.password) {
		throw new CredentialConfigError('The Gateway URL must not contain a user name or password', 'gatewayUrl');
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
		throw new CredentialConfigError(
			`The Gateway URL uses plain HTTP to ${url.hostname}: signed requests carry the supplier secret, so HTTPS is required (or turn on Allow Insecure HTTP for a private network you trust)`,
			'gatewayUrl',
		);
	}
	return text;
}

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

function required(raw: RawCredentials, field: string, label: string): string {
	const value = text(raw[field]).trim();
	if (!value) throw new CredentialConfigError(`The Damai credential has no ${label}`, field);
	return value;
}

function oneOf<T extends string>(raw: RawCredentials, field: string, label: string, allowed: readonly T[], fallback: T): T {
	const value = text(raw[field] || fallback) as T;
	if (!allowed.includes(value)) throw new CredentialConfigError(`Unknown ${label} "${value}"`, field);
	return value;
}

/** The head recipe from the credential; a template's unknown placeholder is refused here (save, test, run). */
export function resolveHeadRecipe(raw: RawCredentials, headSignMethod: HeadSignMethod): HeadRecipe {
	const recipe: HeadRecipe = {
		signMethod: headSignMethod,
		timeStampFormat: oneOf<TimeStampFormat>(raw, 'timeStampFormat', 'time stamp format', TIME_STAMP_FORMATS, 'epoch-ms'),
	};
	if (headSignMethod === 'template') {
		const template = text(raw.headSignTemplate);
		try {
			// (an unknown placeholder is quoted back: a supplier may have typed its secret in braces)
			checkHeadTemplate(template, createRedactor([text(raw.supplierSecret)]));
		} catch (error) {
			throw new CredentialConfigError((error as Error).message, 'headSignTemplate');
		}
		recipe.template = template;
		recipe.hash = oneOf<HeadSignHash>(raw, 'headSignHash', 'head sign hash', HEAD_SIGN_HASHES, 'md5');
		recipe.hexCase = oneOf<HexCase>(raw, 'headSignCase', 'head sign hex case', HEX_CASES, 'upper');
	}
	return recipe;
}

/** Checks and normalises the credential; throws CredentialConfigError naming the field. */
export function resolveCredentials(raw: RawCredentials): DamaiCredentials {
	const signMethod = oneOf<SignMethod>(raw, 'signMethod', 'sign method', SIGN_METHODS, 'hmac-sha256');
	const headSignMethod = oneOf<HeadSignMethod>(raw, 'headSignMethod', 'head sign method', HEAD_SIGN_METHODS, 'md5');
	const session = text(raw.session).trim();
	const gatewayUrl = resolveGatewayUrl(text(raw.environment || 'production'), text(raw.gatewayUrl), raw.allowInsecureHttp === true);
	const headRecipe = resolveHeadRecipe(raw, headSignMethod);
	let proxy: ProxySettings | undefined;
	try {
		proxy = resolveProxy(gatewayUrl, text(raw.proxy));
	} catch (error) {
		if (!(error instanceof ProxyConfigError)) throw error;
		const fromField = error.source === CREDENTIAL_PROXY_SOURCE;
		throw new CredentialConfigError(
			error.message,
			fromField ? 'proxy' : error.source,
			fromField ? undefined : "Fix the variable in n8n's environment, or set the credential's Proxy field (it wins over the environment).",
		);
	}
	return {
		gatewayUrl,
		appKey: required(raw, 'appKey', 'App Key'),
		// Secrets are used exactly as typed (a trailing space would be part of the key).
		appSecret: text(raw.appSecret) || required(raw, 'appSecret', 'App Secret'),
		signMethod,
		session: session || undefined,
		supplierKey: required(raw, 'supplierKey', 'Supplier Key'),
		supplierSecret: text(raw.supplierSecret) || required(raw, 'supplierSecret', 'Supplier Secret'),
		headSignMethod,
		headRecipe,
		proxy,
		ignoreSslIssues: raw.ignoreSslIssues === true,
	};
}
