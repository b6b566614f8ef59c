import { randomUUID } from 'crypto';

import type { HeadSignMethod } from './constants';
import { buildSignString, signText } from './sign';

/**
 * The `head` inside Damai's request objects. Its `signed` field is not publicly documented:
 * this is the project's documented default (see README, "The request head"); Damai's onboarding
 * documents for the supplier are the authority.
 */
export interface RequestHead {
	msg_id: string;
	supplier_key: string;
	supplier_secret: string;
	time_stamp: string;
	version: string;
	signed?: string;
}

export interface HeadOptions {
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

/**
 * `md5`: upper-case hex MD5(supplierSecret + S + supplierSecret); `hmac-sha256`: HMAC-SHA256
 * keyed with supplierSecret over S; S = name + value of every other non-empty head field
 * (not `signed`, not `supplier_secret`), sorted by name.
 */
export function signHead(
	head: Omit<RequestHead, 'signed'>,
	supplierSecret: string,
	method: Exclude<HeadSignMethod, 'none'>,
): string {
	const fields: Record<string, string> = { ...head };
	delete fields.supplier_secret;
	delete fields.signed;
	const text = buildSignString(fields);
	return signText(text, supplierSecret, method === 'md5' ? 'md5' : 'hmac-sha256');
}

export function buildHead(options: HeadOptions): RequestHead {
	const head: RequestHead = {
		msg_id: options.msgId,
		supplier_key: options.supplierKey,
		supplier_secret: options.supplierSecret,
		time_stamp: String(options.now ?? Date.now()),
		version: options.version,
	};
	if (options.signMethod !== 'none') {
		head.signed = signHead(head, options.supplierSecret, options.signMethod);
	}
	return head;
}
