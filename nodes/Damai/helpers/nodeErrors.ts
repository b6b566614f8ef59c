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

/** The `json` of an error item (Continue On Fail): the gateway's fields where it gave them. */
export function errorItemJson(orderId: string | undefined, error: NodeApiError | NodeOperationError, top?: TopError): IDataObject {
	const json: IDataObject = {};
	if (orderId !== undefined) json.orderId = orderId;
	json.success = false;
	json.error = error.message;
	if (top) {
		const code = top.kind === 'business' ? top.returnCode : top.code;
		if (code !== undefined) json.code = code;
		if (top.subCode) json.subCode = top.subCode;
		if (top.subMsg) json.subMsg = top.subMsg;
		if (top.requestId) json.requestId = top.requestId;
		if (top.returnCode) json.returnCode = top.returnCode;
		if (top.returnDesc) json.returnDesc = top.returnDesc;
		if (top.httpStatus !== undefined && top.httpStatus !== 200) json.httpStatus = top.httpStatus;
		json.errorKind = top.kind;
		json.attempts = top.attempts;
	} else {
		json.errorKind = 'input';
	}
	return json;
}

/**
 * The json of an item for n8n's error output: `error` (the message) and `message`, one line with
 * the gateway's fields, since n8n keeps no other keys there (it adds the input item's fields).
 */
export function errorOutputJson(item: IDataObject): IDataObject {
	const parts: string[] = [];
	const add = (name: string, value: unknown) => {
		if (value !== undefined && value !== null && value !== '') parts.push(`${name}=${String(value)}`);
	};
	add('order_id', item.orderId);
	add('code', item.code);
	add('sub_code', item.subCode);
	add('sub_msg', item.subMsg);
	add('return_desc', item.returnDesc);
	add('request_id', item.requestId);
	add('http_status', item.httpStatus);
	add('kind', item.errorKind);
	return { error: item.error, message: parts.join('; ') || String(item.error) };
}
