/**
 * The signing test vectors (test/fixtures/signing-vectors.json, each with its public source; see
 * docs/protocol.md), shared by the node's and the sandbox's signing tests.
 */
import vectors from '../fixtures/signing-vectors.json';

/** Vector A, from the platform's own documentation: secret `helloworld`. */
export const VECTOR_A_SECRET: string = vectors.vectorA.secret;
/** Vector A's sign string S, as published. */
export const VECTOR_A_S: string = vectors.vectorA.signString;
/** Vector A's parameters. */
export const VECTOR_A: Record<string, string> = { ...vectors.vectorA.params };

/** Vector B, published independently. */
export const VECTOR_B_SECRET: string = vectors.vectorB.secret;
export const VECTOR_B: Record<string, string> = { ...vectors.vectorB.params };

/** The expected signatures (upper-case hex). */
export const EXPECTED = {
	aMd5: vectors.vectorA.md5,
	aHmac: vectors.vectorA.hmac,
	aHmacSha256: vectors.vectorA.hmacSha256,
	bMd5: vectors.vectorB.md5,
};
