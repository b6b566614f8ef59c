import { CANCEL_STOCK_LOCK_METHOD, CANCEL_STOCK_LOCK_PARAM, type HeadSignMethod } from './constants';
import { TopError } from './errors';
import { buildHead, type HeadRecipe } from './head';
import type { CallOptions, TopClient } from './client';

/** The supplier's identity and head recipe (time stamp format, template, hash, hex case; see head.ts). */
export interface SupplierIdentity extends Omit<HeadRecipe, 'signMethod'> {
	supplierKey: string;
	supplierSecret: string;
	headSignMethod: HeadSignMethod;
	headVersion: string;
}

export interface CancelStockLockResult {
	orderId: string;
	success: true;
	returnCode: string;
	returnDesc: string;
	requestId?: string;
	msgId: string;
	attempts: number;
	/** The parsed answer (wrapper removed). */
	response: Record<string, unknown>;
}

/** The JSON text of `param_cancel_stock_lock_request` for one order. */
export function cancelStockLockParam(orderId: string, supplier: SupplierIdentity, msgId: string, now = Date.now()) {
	return {
		cancel_stock_lock_request_body: { cancel_stock_lock_req_param: { order_id: orderId } },
		head: buildHead({
			msgId,
			supplierKey: supplier.supplierKey,
			supplierSecret: supplier.supplierSecret,
			version: supplier.headVersion,
			signMethod: supplier.headSignMethod,
			timeStampFormat: supplier.timeStampFormat,
			template: supplier.template,
			hash: supplier.hash,
			hexCase: supplier.hexCase,
			now,
		}),
	};
}

const text = (v: unknown) => (v === undefined || v === null || typeof v === 'object' ? '' : String(v));

/**
 * Cancels the stock lock of one order. `msgId` identifies the item: it is the same on every retry.
 * Throws TopError; a `result.head.return_code` outside `successReturnCodes` is a `business` error.
 */
export async function cancelStockLock(
	client: TopClient,
	orderId: string,
	msgId: string,
	supplier: SupplierIdentity,
	successReturnCodes: ReadonlySet<string>,
	options: CallOptions = {},
): Promise<CancelStockLockResult> {
	const answer = await client.call(
		CANCEL_STOCK_LOCK_METHOD,
		() => ({ [CANCEL_STOCK_LOCK_PARAM]: cancelStockLockParam(orderId, supplier, msgId) }),
		options,
	);
	const result = answer.body.result as Record<string, unknown> | undefined;
	const head = (result && typeof result === 'object' ? result.head : undefined) as Record<string, unknown> | undefined;
	// (answer texts are already scrubbed of secrets by parseAnswer)
	const returnCode = text(head?.return_code).trim();
	const returnDesc = text(head?.return_desc);
	if (!successReturnCodes.has(returnCode)) {
		const error = new TopError({
			kind: 'business',
			message: returnCode
				? `Damai refused to cancel the stock lock of order ${orderId}: return code ${returnCode}${returnDesc ? ` (${returnDesc})` : ''}`
				: `Damai's answer for order ${orderId} has no result.head.return_code`,
			description: returnCode
				? `The gateway accepted the call but Damai answered return_code ${returnCode}. Success codes are set in the Success Return Codes option (now: ${[...successReturnCodes].join(',')}).`
				: 'The answer did not contain the result head this operation expects.',
			returnCode: returnCode || undefined,
			returnDesc: returnDesc || undefined,
			requestId: answer.requestId,
			httpStatus: 200,
		});
		error.attempts = answer.attempts;
		throw error;
	}
	return {
		orderId,
		success: true,
		returnCode,
		returnDesc,
		requestId: answer.requestId,
		msgId,
		attempts: answer.attempts,
		response: answer.body,
	};
}

/** `"0, 200"` → {"0","200"}. */
export function parseReturnCodes(value: string): Set<string> {
	return new Set(
		value
			.split(',')
			.map((code) => code.trim())
			.filter((code) => code !== ''),
	);
}
