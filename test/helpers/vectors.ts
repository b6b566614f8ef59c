/**
 * The signing test vectors, read from the protocol spec itself (../shared/spec/top-protocol.md,
 * beside the repository, as in CI), so the node's and the sandbox's tests check against the
 * published text and not against a copy of it. Shared by both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SPEC_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'spec', 'top-protocol.md');
const spec = fs.readFileSync(SPEC_FILE, 'utf8').replace(/\r\n/g, '\n');

function find(re: RegExp, what: string): RegExpMatchArray {
	const m = spec.match(re);
	if (!m) throw new Error(`${SPEC_FILE}: ${what} not found (the spec changed?)`);
	return m;
}

/** `name=value, name=value` as written in the spec, whitespace and line breaks normalised. */
function parseParams(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of text.replace(/\s+/g, ' ').split(', ')) {
		const eq = pair.indexOf('=');
		out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
	}
	return out;
}

/** Vector A, from the platform's own documentation: secret `helloworld`. */
export const VECTOR_A_SECRET = find(/Vector A[^\n]*\(secret `([^`]+)`\)/, 'vector A secret')[1];
/** Vector A's sign string S, as printed in the spec. */
export const VECTOR_A_S = find(/\nS = ([^\n]+)\n/, 'vector A sign string')[1];
/** Vector A's parameters: the spec gives them only inside S, so they are written out here and a test checks they make S. */
export const VECTOR_A: Record<string, string> = {
	app_key: '12345678',
	fields: 'num_iid,title,nick,price,num',
	format: 'json',
	method: 'taobao.item.seller.get',
	num_iid: '11223344',
	session: 'test',
	sign_method: 'md5',
	timestamp: '2016-01-01 12:00:00',
	v: '2.0',
};

const vectorB = find(/Vector B[^\n]*\(secret `([^`]+)`; parameters ([^)]+)\):\n```\nmd5 -> ([0-9A-F]{32})/, 'vector B');
/** Vector B, published independently. */
export const VECTOR_B_SECRET = vectorB[1];
export const VECTOR_B: Record<string, string> = parseParams(vectorB[2]);

/** The expected signatures, as the spec prints them (upper-case hex). */
export const EXPECTED = {
	aMd5: find(/\nS = [^\n]+\nmd5 -> ([0-9A-F]{32})/, 'vector A md5')[1],
	aHmac: find(/`hmac` give\s+`([0-9A-F]{32})`/, 'vector A hmac')[1],
	aHmacSha256: find(/`hmac-sha256` give\s+`([0-9A-F]{64})`/, 'vector A hmac-sha256')[1],
	bMd5: vectorB[3],
};
