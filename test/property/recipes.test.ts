/**
 * Head recipes (issue 16), generated: every combination of Head Sign Method, Time Stamp Format and,
 * for templates, a generated template (placeholders in any order, repeated or not, with literal text
 * between them), hash and hex case. The node's credential resolution and client build the head; the
 * sandbox gateway checks it over real HTTP with its OWN code (tooling/sandbox/sign.js
 * signHeadTemplate, checks.js headTimeStamp), configured with the same recipe. A gateway expecting
 * another hash, case or time stamp format refuses the same head.
 */
import fc from 'fast-check';

import { resolveCredentials } from '../../nodes/Damai/transport/config';
import type { HeadSignHash, HexCase, TimeStampFormat } from '../../nodes/Damai/transport/constants';
import { cancel, closeClients, makeClient, rejection } from '../http/helpers';
import { useSandbox } from '../helpers/sandbox';

jest.setTimeout(120_000);

const sb = useSandbox({ latencyMs: 0 });
afterEach(() => closeClients());

const FIELDS = ['msg_id', 'supplier_key', 'supplier_secret', 'time_stamp', 'version'];
const HASHES: HeadSignHash[] = ['md5', 'sha256', 'hmac-md5', 'hmac-sha256'];
const CASES: HexCase[] = ['upper', 'lower'];
const FORMATS: TimeStampFormat[] = ['epoch-ms', 'epoch-s', 'gmt8'];

/** Literal text a document might put between fields (no braces: those are placeholders). */
const literal = fc.string({ unit: fc.constantFrom('&', '=', '|', ':', '-', 'a', 'Z', '0', ' ', '大', '麦'), maxLength: 4 });
const templateArb = fc
	.array(fc.tuple(literal, fc.constantFrom(...FIELDS)), { minLength: 1, maxLength: 6 })
	.chain((parts) => literal.map((tail) => parts.map(([text, field]) => `${text}{${field}}`).join('') + tail));

const recipeArb = fc.oneof(
	fc.record({
		headSignMethod: fc.constant('template' as const),
		headSignTemplate: templateArb,
		headSignHash: fc.constantFrom(...HASHES),
		headSignCase: fc.constantFrom(...CASES),
		timeStampFormat: fc.constantFrom(...FORMATS),
	}),
	fc.record({
		headSignMethod: fc.constantFrom('md5' as const, 'hmac-sha256' as const, 'none' as const),
		timeStampFormat: fc.constantFrom(...FORMATS),
	}),
);

type Recipe = {
	headSignMethod: 'template' | 'md5' | 'hmac-sha256' | 'none';
	headSignTemplate?: string;
	headSignHash?: HeadSignHash;
	headSignCase?: HexCase;
	timeStampFormat: TimeStampFormat;
};

function sandboxFor(recipe: Recipe) {
	return {
		headSignMethod: recipe.headSignMethod,
		timeStampFormat: recipe.timeStampFormat,
		headTemplate:
			recipe.headSignMethod === 'template'
				? { template: recipe.headSignTemplate!, hash: recipe.headSignHash!, hexCase: recipe.headSignCase! }
				: null,
	};
}

function supplierFor(recipe: Recipe) {
	const credentials = resolveCredentials({
		environment: 'custom',
		gatewayUrl: sb.url,
		appKey: 'sandbox-app-key',
		appSecret: 'sandbox-app-secret',
		supplierKey: 'sandbox-supplier-key',
		supplierSecret: 'sandbox-supplier-secret',
		...recipe,
	});
	return { ...credentials.headRecipe, supplierKey: credentials.supplierKey, supplierSecret: credentials.supplierSecret, headSignMethod: credentials.headSignMethod, headVersion: '1.0' };
}

let n = 0;

it('every generated recipe: the sandbox, checking with its own code, accepts the head', async () => {
	await fc.assert(
		fc.asyncProperty(recipeArb, async (recipe) => {
			sb.configure(sandboxFor(recipe));
			const orderId = `RCP-${n++}`;
			const result = await cancel(makeClient(sb.url, { maxRetries: 0 }), orderId, { supplier: supplierFor(recipe) });
			expect(result.returnCode).toBe('0');
			const head = (sb.requests.find((r) => r.orderId === orderId)!.params as { param_cancel_stock_lock_request: { head: Record<string, string> } })
				.param_cancel_stock_lock_request.head;
			if (recipe.headSignMethod === 'template') expect(head.signed).toMatch(recipe.headSignCase === 'lower' ? /^[0-9a-f]+$/ : /^[0-9A-F]+$/);
			if (recipe.headSignMethod === 'none') expect(head.signed).toBeUndefined();
		}),
		{ numRuns: 60 },
	);
});

it('a gateway expecting another hash, hex case or time stamp format refuses the head (403 / 400)', async () => {
	await fc.assert(
		fc.asyncProperty(
			recipeArb.filter((r): r is Required<Recipe> => r.headSignMethod === 'template'),
			fc.constantFrom('hash', 'case', 'format'),
			async (recipe, change) => {
				const other: Recipe = { ...recipe };
				if (change === 'hash') other.headSignHash = HASHES[(HASHES.indexOf(recipe.headSignHash) + 1) % HASHES.length];
				if (change === 'case') other.headSignCase = recipe.headSignCase === 'upper' ? 'lower' : 'upper';
				if (change === 'format') other.timeStampFormat = FORMATS[(FORMATS.indexOf(recipe.timeStampFormat) + 1) % FORMATS.length];
				sb.configure(sandboxFor(other));
				const e = await rejection(cancel(makeClient(sb.url, { maxRetries: 0 }), `RCP-X-${n++}`, { supplier: supplierFor(recipe) }));
				expect(e.kind).toBe('business');
				expect(e.returnCode).toBe(change === 'format' ? '400' : '403');
			},
		),
		{ numRuns: 40 },
	);
});
