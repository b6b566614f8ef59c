import { createHash, createHmac, randomUUID } from 'crypto';

import {
	HEAD_TEMPLATE_FIELDS,
	type HeadSignHash,
	type HeadSignMethod,
	type HexCase,
	type TimeStampFormat,
} from './constants';
import type { Redactor } from './redact';
import { buildSignString, signText } from './sign';
import { formatTopTimestamp } from './timestamp';

/**
 * The `head` inside Damai's request objects. Its `signed` and `time_stamp` fields are not publicly
 * documented: the default recipe is the project's documented guess (see README, "The request
 * head"), and the credential can set the recipe the supplier's onboarding document from Damai gives.
 */
export interface RequestHead {
	msg_id: string;
	supplier_key: string;
	supplier_secret: string;
	time_stamp: string;
	version: string;
	signed?: string;
}

/** How the head is filled and signed (the credential's head fields). */
export interface HeadRecipe {
	signMethod: HeadSignMethod;
	/** Default epoch milliseconds. */
	timeStampFormat?: TimeStampFormat;
	/** For `template`: the text to hash, with `{field}` placeholders for the head's fields. */
	template?: string;
	/** For `template`. Default md5. */
	hash?: HeadSignHash;
	/** For `template`. Default upper. */
	hexCase?: HexCase;
}

export interface HeadOptions extends Omit<HeadRecipe, 'signMethod'> {
	msgId: string;
	supplierKey: string;
	supplierSecret: string;
	version: string;
	signMethod: HeadSignMethod;
	now?: number;
}

export function newMsgId(): string {
	return randomUUID();
}

/** head.time_stamp for the moment `now` (epoch ms). */
export function formatHeadTimeStamp(now: number, format: TimeStampFormat = 'epoch-ms'): string {
	switch (format) {
		case 'epoch-s':
			return String(Math.floor(now / 1000));
		case 'gmt8':
			return formatTopTimestamp(new Date(now));
		default:
			return String(now);
	}
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Checks a head sign template: every `{...}` must name a head field, and no brace may stand alone.
 * Throws an Error whose message says what is wrong: never the template, which the supplier may
 * have filled with the secret itself, and an unknown placeholder's name only through `redact`.
 */
export function checkHeadTemplate(template: string, redact: Redactor = (text) => text): void {
	if (template.trim() === '') throw new Error('The Head Sign Template is empty');
	const unknown: string[] = [];
	let used = 0;
	const rest = template.replace(PLACEHOLDER, (_match, name: string) => {
		// (a name is quoted back: redacted whole before it is shortened, in case a secret was typed in braces)
		const shown = redact(name);
		if (!HEAD_TEMPLATE_FIELDS.includes(name)) unknown.push(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown);
		used++;
		return '';
	});
	if (unknown.length > 0) {
		throw new Error(
			`The Head Sign Template has an unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}: it may use ${HEAD_TEMPLATE_FIELDS.map((n) => `{${n}}`).join(', ')}`,
		);
	}
	if (/[{}]/.test(rest)) throw new Error('The Head Sign Template has a "{" or "}" that does not close a placeholder');
	if (used === 0) throw new Error('The Head Sign Template has no placeholder: it must name at least one head field, e.g. {time_stamp}');
}

/** The template with its placeholders filled from the head (the secret included: it is signed). */
export function fillHeadTemplate(template: string, head: Omit<RequestHead, 'signed'>): string {
	return template.replace(PLACEHOLDER, (_match, name: string) => String((head as unknown as Record<string, string>)[name] ?? ''));
}

/**
 * The text the head's signature is computed over, for each method:
 * - `md5`: supplierSecret + S + supplierSecret, S = name + value of every other non-empty head
 *   field (not `signed`, not `supplier_secret`), sorted by name;
 * - `hmac-sha256`: S (keyed with supplierSecret);
 * - `template`: the template, filled.
 */
export function headStringToSign(head: Omit<RequestHead, 'signed'>, supplierSecret: string, recipe: HeadRecipe): string {
	if (recipe.signMethod === 'template') return fillHeadTemplate(recipe.template ?? '', head);
	const text = headFieldsString(head);
	return recipe.signMethod === 'md5' ? supplierSecret + text + supplierSecret : text;
}

/** S of the fixed methods: name + value of every non-empty head field but `signed` and `supplier_secret`, sorted by name. */
function headFieldsString(head: Omit<RequestHead, 'signed'>): string {
	const fields: Record<string, string> = { ...head };
	delete fields.supplier_secret;
	delete (fields as { signed?: string }).signed;
	return buildSignString(fields);
}

function hashText(text: string, supplierSecret: string, hash: HeadSignHash): string {
	switch (hash) {
		case 'sha256':
			return createHash('sha256').update(text, 'utf8').digest('hex');
		case 'hmac-md5':
			return createHmac('md5', supplierSecret).update(text, 'utf8').digest('hex');
		case 'hmac-sha256':
			return createHmac('sha256', supplierSecret).update(text, 'utf8').digest('hex');
		default:
			return createHash('md5').update(text, 'utf8').digest('hex');
	}
}

/**
 * `md5`: upper-case hex MD5(supplierSecret + S + supplierSecret); `hmac-sha256`: HMAC-SHA256
 * keyed with supplierSecret over S (S: see headStringToSign); `template`: the recipe's hash over
 * the filled template, in the recipe's hex case.
 */
export function signHead(
	head: Omit<RequestHead, 'signed'>,
	supplierSecret: string,
	method: Exclude<HeadSignMethod, 'none'> | HeadRecipe,
): string {
	const recipe: HeadRecipe = typeof method === 'string' ? { signMethod: method } : method;
	if (recipe.signMethod === 'template') {
		const hex = hashText(headStringToSign(head, supplierSecret, recipe), supplierSecret, recipe.hash ?? 'md5');
		return recipe.hexCase === 'lower' ? hex : hex.toUpperCase();
	}
	return signText(headFieldsString(head), supplierSecret, recipe.signMethod === 'md5' ? 'md5' : 'hmac-sha256');
}

export function buildHead(options: HeadOptions): RequestHead {
	const head: RequestHead = {
		msg_id: options.msgId,
		supplier_key: options.supplierKey,
		supplier_secret: options.supplierSecret,
		time_stamp: formatHeadTimeStamp(options.now ?? Date.now(), options.timeStampFormat),
		version: options.version,
	};
	if (options.signMethod !== 'none') {
		head.signed = signHead(head, options.supplierSecret, options);
	}
	return head;
}
