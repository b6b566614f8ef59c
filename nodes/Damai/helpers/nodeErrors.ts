import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { TopError } from '../transport';

/**
 * TopError → NodeApiError, built from the redacted TopError fields only (never from an axios
 * error, whose config holds the signed request and the supplier secret).
 */
export function toNodeApiError(node: INode, error: TopError, itemIndex: number): NodeApiError {
	const response: JsonObject = {};
	const put = (key: string, value: string | number | undefined) => {
		if (value !== undefined && value !== '') response[key] = value;
	};
	put('code', error.code);
	put('msg', error.msg);
	put('sub_code', error.subCode);
	put('sub_msg', error.subMsg);
	put('request_id', error.requestId);
	put('return_code', error.returnCode);
	put('return_desc', error.returnDesc);
	put('http_status', error.httpStatus);
	put('errno', error.errno);
	put('kind', error.kind);
	put('attempts', error.attempts);
	const apiError = new NodeApiError(node, response, {
		message: error.message,
		description: error.description,
		itemIndex,
	});
	// NodeApiError swaps messages for generic HTTP ones by status (and reads `code` as one):
	// keep the gateway's own words and the real HTTP status.
	apiError.message = error.message;
	apiError.description = error.description ?? null;
	apiError.httpCode = error.httpStatus !== undefined ? String(error.httpStatus) : null;
	apiError.messages = [];
	return apiError;
}

/**
 * The keys every item ends with, success or failure, in this order (n8n's table shows one column
 * per key, and a workflow routes on them): null on a success, and null on a failure where the
 * gateway gave no such field. `code` is always text: the gateway's error code ("15") or, for a
 * business failure, the `return_code` ("404").
 *
 * The failure's message is `errorMessage`, not `error`: n8n 2.8 and 1.x treat an item whose first
 * `json.error` is anything but undefined (null included) as a failed run and, with Retry On Fail,
 * run the whole node again; a success item must carry no `error` key.
 */
export const FAILURE_KEYS = ['errorMessage', 'errorKind', 'code', 'subCode', 'subMsg', 'httpStatus'] as const;

/** The failure keys of a success item: all null. */
export function noFailure(): IDataObject {
	const json: IDataObject = {};
	for (const key of FAILURE_KEYS) json[key] = null;
	return json;
}

/** The failure keys of a failed item: the error's message, and the gateway's fields where it gave them. */
export function failureFields(error: NodeApiError | NodeOperationError, top?: TopError): IDataObject {
	if (!top) return { ...noFailure(), errorMessage: error.message, errorKind: 'input' };
	const code = top.kind === 'business' ? top.returnCode : top.code;
	return {
		errorMessage: error.message,
		errorKind: top.kind,
		code: code === undefined || code === '' ? null : String(code),
		subCode: top.subCode || null,
		subMsg: top.subMsg || null,
		httpStatus: top.httpStatus !== undefined && top.httpStatus !== 200 ? top.httpStatus : null,
	};
}

/**
 * The json of a failed item on n8n's error output ("Continue (using error output)"). n8n routes an
 * item there when its json is exactly `{error, message}` (2.8 and 1.x; 2.41 also allows `details`),
 * and merges in the input item's fields; an item given n8n's own `.error` goes there too, but its
 * json is then replaced by `{error: message}`. So the whole error item (the same keys as on the
 * regular output) goes under `error`, and `message` is its errorMessage:
 * `{{ $json.error.code }}`, `{{ $json.error.errorKind }}`, `{{ $json.error.msgId }}`.
 */
export function errorOutputJson(item: IDataObject): IDataObject {
	return { error: item, message: String(item.errorMessage ?? 'The call failed') };
}

/**
 * `attempts` of a failed item: requests sent (0 when its check failed and nothing was sent; null
 * when the node's own code failed and the count is unknown).
 */
export function attemptsOf(top: TopError | undefined): number | null {
	if (!top) return 0;
	return top.kind === 'internal' ? null : top.attempts;
}
