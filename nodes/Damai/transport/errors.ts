/**
 * Everything that can go wrong with one gateway call, as plain data (no n8n imports, no axios
 * objects, no request config): the n8n layer turns it into NodeApiError. Every text in here has
 * already been through the redactor.
 */
export type TopErrorKind =
	| 'gateway' // an `error_response` from TOP
	| 'business' // a success envelope whose head.return_code is not a success code
	| 'http' // a non-200 HTTP status
	| 'parse' // a 200 answer that is empty, truncated, HTML or otherwise not TOP's
	| 'too-large' // more than the answer size cap
	| 'timeout' // no complete answer within the time per attempt
	| 'network' // connection refused / reset / DNS …
	| 'request' // the request could not be built (a bug or a bad setting; nothing was sent)
	| 'aborted' // the execution was cancelled
	| 'internal'; // an unexpected error in the node's own code (a bug); its message is kept, redacted

/** What a TopError may carry besides kind and message (all optional, all redacted). */
const DETAIL_KEYS = [
	'description',
	'code',
	'msg',
	'subCode',
	'subMsg',
	'requestId',
	'httpStatus',
	'returnCode',
	'returnDesc',
	'excerpt',
	'errno',
] as const;

export type TopErrorFields = Pick<TopError, 'kind' | 'message'> & Partial<Pick<TopError, (typeof DETAIL_KEYS)[number]>>;

export class TopError extends Error {
	kind: TopErrorKind;
	description?: string;
	code?: number | string;
	msg?: string;
	subCode?: string;
	subMsg?: string;
	requestId?: string;
	httpStatus?: number;
	returnCode?: string;
	returnDesc?: string;
	excerpt?: string;
	/** Network error code such as ECONNREFUSED. */
	errno?: string;
	/** How many requests were sent before giving up (set by the client). */
	attempts = 1;

	constructor(fields: TopErrorFields) {
		super(fields.message);
		this.name = 'TopError';
		this.kind = fields.kind;
		for (const key of DETAIL_KEYS) {
			if (fields[key] !== undefined) (this as Record<string, unknown>)[key] = fields[key];
		}
	}

	/** The fields a user sees, without undefined ones: safe to put in an item or an error. */
	toJSON(): Record<string, string | number> {
		const out: Record<string, string | number> = { kind: this.kind, message: this.message };
		for (const key of DETAIL_KEYS) {
			if (key === 'description') continue;
			const value = this[key];
			if (value !== undefined && value !== '') out[key] = value;
		}
		out.attempts = this.attempts;
		return out;
	}
}
