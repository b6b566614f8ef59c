import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULTS } from '../../transport';

const MAX_ID = DEFAULTS.maxOrderIdLength;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface IdField {
	/** The field's name as the user sees it, e.g. "Order ID". */
	label: string;
	/** What to do about it, shown as the error's description. */
	hint: string;
}

/**
 * An id-like value of item i (an order id, a message id) as text: a string (trimmed) or an exact
 * whole number. Refuses empty, control characters, broken unicode and more than 64 characters
 * with an error naming the item and the field, before any request is sent.
 */
export function readIdText(ctx: IExecuteFunctions, itemIndex: number, raw: unknown, field: IdField): string {
	const fail = (why: string) =>
		new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: the ${field.label} ${why}`, {
			itemIndex,
			description: `${field.hint} No request was sent for this item.`,
		});
	let text: string;
	if (typeof raw === 'string') text = raw.trim();
	else if (typeof raw === 'number') {
		// Beyond 2^53 a JSON number is no longer the id that was meant (2025112900012345678
		// arrives as 2025112900012345600): using it could hit another order.
		if (!Number.isSafeInteger(raw) || raw < 0) {
			throw fail(`is the number ${String(raw)}, which is not an exact whole number; pass it as text`);
		}
		text = String(raw);
	}
	else if (typeof raw === 'bigint') text = raw.toString();
	else if (raw === undefined || raw === null) throw fail('is empty');
	else throw fail(`must be text or a number, not ${Array.isArray(raw) ? 'an array' : typeof raw}`);
	if (text === '') throw fail('is empty');
	if (CONTROL.test(text)) throw fail('contains control characters');
	if (!text.isWellFormed()) throw fail('contains broken unicode');
	if (text.length > MAX_ID) throw fail(`is ${text.length} characters long (at most ${MAX_ID})`);
	return text;
}
