/**
 * What a successful item carries in its failure keys: every item has the same keys (README,
 * "Output"), and on a success they are all null. Written out here, not taken from the node, so the
 * tests check the node against the README.
 */
export const NO_FAILURE = {
	errorMessage: null,
	errorKind: null,
	code: null,
	subCode: null,
	subMsg: null,
	httpStatus: null,
} as const;

/** The keys of every Cancel Stock Lock item, success or failure, in this order (README "Output"). */
export const ITEM_KEYS: readonly string[] = ['orderId', 'success', 'returnCode', 'returnDesc', 'requestId', 'msgId', 'attempts', ...Object.keys(NO_FAILURE)];
