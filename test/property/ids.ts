/**
 * Order ids of every shape, and the oracle of what the node must make of them (issue 2 and 5):
 * strings are trimmed; empty, control characters (C0, DEL, C1, U+2028/2029), broken unicode and
 * absurd lengths (> 64) are refused before any request; finite numbers from expressions become
 * text; everything else (null, booleans, objects, arrays) is refused.
 */
import fc from 'fast-check';

export const MAX_ID = 64;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type IdVerdict = { ok: true; text: string } | { ok: false; why: string };

/** The oracle. Numbers: only whole, non-negative, exactly representable ones are order ids. */
export function judgeId(raw: unknown): IdVerdict {
	let text: string;
	if (typeof raw === 'string') text = raw.trim();
	else if (typeof raw === 'number') {
		if (!Number.isSafeInteger(raw) || raw < 0) return { ok: false, why: 'not an exact whole number' };
		text = String(raw);
	} else if (raw === undefined || raw === null) return { ok: false, why: 'empty' };
	else return { ok: false, why: `a ${Array.isArray(raw) ? 'array' : typeof raw}` };
	if (text === '') return { ok: false, why: 'empty' };
	if (CONTROL.test(text)) return { ok: false, why: 'control characters' };
	if (LONE_SURROGATE.test(text)) return { ok: false, why: 'broken unicode' };
	if (text.length > MAX_ID) return { ok: false, why: 'too long' };
	return { ok: true, text };
}

const idChar = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(...'0123456789') },
	{ weight: 3, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.:/#+=') },
	{ weight: 1, arbitrary: fc.constantFrom('订', '单', '号', '😀', 'é', 'ü', 'ß', 'Ω', 'д', 'م', '①', '\u00a0', ' ', '"', "'", '\\', '<', '&', '%', '{', '?') },
);
const pad = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\ufeff', '\u2003'), maxLength: 3 });

/** A valid id text (≤ 64 UTF-16 units once trimmed), with whitespace around it sometimes. */
export const validIdText = fc
	.tuple(pad, fc.string({ unit: idChar, minLength: 1, maxLength: 30 }), pad)
	.map(([a, core, b]) => `${a}${core}${b}`)
	.filter((s) => judgeId(s).ok);

const control = fc.oneof(
	fc.integer({ min: 0, max: 0x1f }),
	fc.integer({ min: 0x7f, max: 0x9f }),
	fc.constantFrom(0x2028, 0x2029),
).map((c) => String.fromCharCode(c));
const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const invalidIdText = fc.oneof(
	fc.constantFrom('', ' ', '\t\n', '\u3000\u00a0', '\ufeff'),
	fc.tuple(validIdText, control, validIdText).map(([a, c, b]) => `${a.trim()}${c}${b.trim()}`),
	fc.tuple(validIdText, lone).map(([a, l]) => `${a.trim()}${l}`),
	fc.integer({ min: MAX_ID + 1, max: 300 }).map((n) => '9'.repeat(n)),
	fc.string({ unit: 'grapheme', minLength: MAX_ID + 1, maxLength: 120 }).filter((s) => s.trim().length > MAX_ID),
);

/** Any raw value an expression may yield for the Order ID. */
export const rawIdArb: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 10, arbitrary: validIdText },
	{ weight: 5, arbitrary: invalidIdText },
	{ weight: 3, arbitrary: fc.maxSafeNat() },
	{ weight: 1, arbitrary: fc.constantFrom(null, true, false, {}, [], ['1'], { id: '1' }, [1, 2], { a: { b: null } }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
);

/** An input item's json: the id under `orderId`, or no `orderId` at all. */
export const itemArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
	{ weight: 15, arbitrary: rawIdArb.map((orderId) => ({ orderId })) },
	{ weight: 1, arbitrary: fc.constant({}) },
	{ weight: 1, arbitrary: fc.record({ other: fc.string() }) },
);

/** The oracle for an item whose Order ID is `{{ $json.orderId }}`. */
export const judgeItem = (json: Record<string, unknown>): IdVerdict => judgeId(json.orderId);
