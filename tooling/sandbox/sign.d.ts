export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';
export type HeadSignMethod = 'md5' | 'hmac-sha256';
export declare const TOP_SIGN_METHODS: readonly TopSignMethod[];
export declare function isBlank(value: unknown): boolean;
/** S: every param except `sign`, blank values left out, sorted by name (char code), name+value raw. */
export declare function topSignString(params: Record<string, unknown>): string;
/** Upper-case hex TOP signature; signMethod defaults to params.sign_method, then md5. */
export declare function signTop(params: Record<string, unknown>, secret: string, signMethod?: string): string;
/** H: every head field except `signed` and `supplier_secret`, blank values left out, sorted, name+value. */
export declare function headSignString(head: Record<string, unknown>): string;
/** md5: MD5(secret + H + secret); hmac-sha256: HMAC-SHA256(secret, H). Upper-case hex. */
export declare function signHead(head: Record<string, unknown>, supplierSecret: string, method: HeadSignMethod): string;
export declare function sameSignature(a: string, b: string): boolean;
/** `yyyy-MM-dd HH:mm:ss` in GMT+8. */
export declare function formatGmt8(date?: Date): string;
/** Epoch ms of a GMT+8 `yyyy-MM-dd HH:mm:ss`, or null when malformed. */
export declare function parseGmt8(text: string): number | null;
export declare function signHeadTemplate(
	head: Record<string, unknown>,
	supplierSecret: string,
	recipe: { template: string; hash: 'md5' | 'sha256' | 'hmac-md5' | 'hmac-sha256'; hexCase: 'upper' | 'lower' },
): string;
