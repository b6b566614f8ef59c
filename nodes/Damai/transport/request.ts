import { API_VERSION, SYSTEM_PARAMS, type ResponseFormat, type SignMethod } from './constants';
import { isBlank, signParams } from './sign';
import { formatTopTimestamp } from './timestamp';

export interface AppIdentity {
	appKey: string;
	appSecret: string;
	signMethod: SignMethod;
	session?: string;
}

export interface BuiltRequest {
	/** System parameters, URL-encoded, for the query string. */
	query: string;
	/** Application parameters, form-urlencoded UTF-8, for the body. */
	body: string;
	/** Every parameter that was signed (and `sign`): for tests and debugging, holds no secret but the session. */
	params: Record<string, string>;
}

/** Application parameters travel as text: objects as their JSON text, numbers/booleans as text. */
export function toParamValue(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return JSON.stringify(value);
}

const encode = (params: Record<string, string>) =>
	Object.keys(params)
		.map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(params[name])}`)
		.join('&');

/**
 * Builds one signed TOP call: system parameters in the query string, application parameters in
 * the body, the signature over all of them. Blank values are neither sent nor signed.
 */
export function buildTopRequest(
	method: string,
	appParams: Record<string, unknown>,
	identity: AppIdentity,
	format: ResponseFormat,
	now: Date = new Date(),
): BuiltRequest {
	const system: Record<string, string> = {
		method,
		app_key: identity.appKey,
		timestamp: formatTopTimestamp(now),
		format,
		v: API_VERSION,
		sign_method: identity.signMethod,
	};
	if (!isBlank(identity.session)) system.session = identity.session!;

	const application: Record<string, string> = {};
	for (const name of Object.keys(appParams)) {
		if (SYSTEM_PARAMS.includes(name)) throw new TypeError(`"${name}" is a system parameter`);
		const value = toParamValue(appParams[name]);
		if (value !== undefined && !isBlank(value)) application[name] = value;
	}

	// (not { ...application, ...system }: V8 takes a slower path for a second spread; docs/benchmarks.md)
	const params: Record<string, string> = Object.assign({}, application, system);
	system.sign = signParams(params, identity.appSecret, identity.signMethod);
	params.sign = system.sign;
	return { query: encode(system), body: encode(application), params };
}
