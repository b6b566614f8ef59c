/**
 * Shared helpers of the property suite: generated secrets and the leak scanner, "readable message"
 * checks, the prototype-pollution check, the case counter and fast-check runners.
 */
import { createHash } from 'crypto';
import fc from 'fast-check';

// ---------------------------------------------------------------- secrets and the leak scanner

export interface Secrets {
	appSecret: string;
	supplierSecret: string;
	session: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** n letters/digits (base 62) derived from `seed`: random-looking, reproducible. */
const token = (seed: string, n: number) =>
	[...createHash('sha512').update(seed).digest()]
		.slice(0, n)
		.map((b) => ALPHABET[b % 62])
		.join('');

/**
 * A high-entropy secret (so that no generated text contains a piece of it by chance), sometimes
 * with characters that need escaping in URLs, JSON, XML or HTML in the middle.
 */
export const secretArb = (label: string, special = true): fc.Arbitrary<string> =>
	fc
		.tuple(
			fc.nat(),
			!special ? fc.constant('') : fc.oneof(
				{ weight: 6, arbitrary: fc.constant('') },
				{
					weight: 2,
					arbitrary: fc.string({
						unit: fc.constantFrom('"', '\\', '&', '<', '>', "'", '%', '+', ' ', '/', '=', '?', '#', ':', '-', '_', '.', '~', '!'),
						minLength: 1,
						maxLength: 3,
					}),
				},
				{ weight: 1, arbitrary: fc.constantFrom('é', '密', '😀', 'ß') },
			),
			fc.integer({ min: 24, max: 40 }),
		)
		.map(([seed, middle, length]) => {
			const h = token(`${label}:${seed}`, length);
			const cut = Math.floor(length / 2);
			return `${h.slice(0, cut)}${middle}${h.slice(cut)}`;
		});

/**
 * Three secrets. `special`: sometimes with characters that need escaping (", \\, &, <, %, space…)
 * in the middle; otherwise letters and digits only, like real TOP app secrets and sessions.
 */
export const secretsArb = (special = false): fc.Arbitrary<Secrets> =>
	fc.record({
		appSecret: secretArb('app', special),
		supplierSecret: secretArb('supplier', special),
		session: secretArb('session', special),
	});

/** Fixed, realistic secrets (hex, like TOP's), for tests that do not generate them. */
export function fixedSecrets(tag = 'fixed'): Secrets {
	return { appSecret: token(`${tag}-app`, 32), supplierSecret: token(`${tag}-supplier`, 32), session: `6100${token(`${tag}-session`, 36)}` };
}

/**
 * Where a secret shows up in `text`, in any encoding: every run of 8+ letters/digits of the
 * secret is cut into 8-character windows, and none of them may appear (this catches the raw,
 * URL-encoded, JSON-, XML- and HTML-escaped forms and also fragments, e.g. a parser quoting
 * the first 10 characters of a token). Secrets here are random, so a window never matches by chance.
 */
export function findLeaks(text: string, secrets: Record<string, string | undefined>, excused = ''): string[] {
	const found: string[] = [];
	for (const [name, secret] of Object.entries(secrets)) {
		if (!secret) continue;
		if (text.includes(secret)) {
			found.push(`${name} (whole)`);
			continue;
		}
		const runs = secret.match(/[A-Za-z0-9]{8,}/g) ?? [];
		let hit: string | undefined;
		for (const run of runs) {
			for (let i = 0; i + 8 <= run.length && !hit; i++) {
				const piece = run.slice(i, i + 8);
				if (text.includes(piece) && !excused.includes(piece)) hit = piece;
			}
		}
		if (hit) found.push(`${name} (fragment "${hit}")`);
		if (!hit && runs.length === 0) {
			// A secret with no long alphanumeric run: check its common encodings whole.
			for (const form of encodings(secret)) if (form && text.includes(form)) found.push(`${name} (encoded "${form}")`);
		}
	}
	return found;
}

function encodings(secret: string): string[] {
	const json = JSON.stringify(secret).slice(1, -1);
	return [secret, json, encodeURIComponent(secret), encodeURIComponent(json)];
}

/** Every form in which a whole secret can be recognised (and so must be redacted). */
export function secretForms(secret: string): string[] {
	const json = JSON.stringify(secret).slice(1, -1);
	const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const forms = [secret, json, encodeURIComponent(secret), encodeURIComponent(json), xml, xml.replace(/"/g, '&quot;').replace(/'/g, '&#39;')];
	return [...new Set([...forms, ...forms.map((f) => f.replace(/%20/g, '+'))])].sort((a, b) => b.length - a.length);
}

/**
 * What of an answer body a redactor cannot be asked to recognise: the body with every whole
 * secret (in any form) blanked out. Pieces of a secret left in it were broken by the gateway
 * itself (a cut or mangled echo): seeing those in an error is not the node's leak. A piece that
 * only existed inside a whole secret, though, is — the node cut a secret it could have redacted.
 */
export function unredactableRest(bodies: string[], secrets: Record<string, string | undefined>): string {
	let out = bodies.join('\u0000');
	for (const secret of Object.values(secrets)) {
		if (!secret) continue;
		for (const form of secretForms(secret)) out = out.split(form).join('\u0000');
	}
	return out;
}

/** JSON of anything, with cycles cut and Errors' own fields (message, stack, cause…) included. */
export function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function (_key, v: unknown) {
		if (typeof v === 'bigint') return `${v}n`;
		if (v && typeof v === 'object') {
			if (seen.has(v)) return '[cycle]';
			seen.add(v);
			if (v instanceof Error) {
				const out: Record<string, unknown> = { name: v.name, message: v.message, stack: v.stack };
				for (const key of Object.getOwnPropertyNames(v)) out[key] = (v as unknown as Record<string, unknown>)[key];
				if ('cause' in v) out.cause = (v as { cause?: unknown }).cause;
				return out;
			}
		}
		return v;
	});
}

export function expectNoLeak(what: string, value: unknown, secrets: Record<string, string | undefined>, excused = ''): void {
	if (value === undefined) return;
	const text = typeof value === 'string' ? value : (serialise(value) ?? '');
	const leaks = findLeaks(text, secrets, excused);
	if (leaks.length) {
		const first = leaks[0];
		throw new Error(`secret leak in ${what}: ${leaks.join(', ')}\n--- ${what} (excerpt) ---\n${excerptAround(text, secrets)}\n(${first})`);
	}
}

function excerptAround(text: string, secrets: Record<string, string | undefined>): string {
	for (const secret of Object.values(secrets)) {
		if (!secret) continue;
		const runs = secret.match(/[A-Za-z0-9]{8,}/g) ?? [secret];
		for (const run of runs) {
			for (let i = 0; i + 8 <= run.length; i++) {
				const at = text.indexOf(run.slice(i, i + 8));
				if (at >= 0) return text.slice(Math.max(0, at - 160), at + 160);
			}
		}
	}
	return text.slice(0, 320);
}

// ---------------------------------------------------------------- readable messages

/** A message a person can act on: a non-empty sentence, not an object dump. */
export function readableProblem(message: unknown): string | undefined {
	if (typeof message !== 'string') return `message is ${typeof message}`;
	const text = message.trim();
	if (text.length < 8) return `message too short: ${JSON.stringify(message)}`;
	if (/\[object \w+\]/.test(text)) return `message has an object dump: ${JSON.stringify(message)}`;
	if (/^(undefined|null|NaN|Error)$/i.test(text)) return `message is ${JSON.stringify(message)}`;
	if (/^(undefined|null)\b/.test(text)) return `message starts with undefined/null: ${JSON.stringify(message)}`;
	return undefined;
}

export function expectReadable(what: string, message: unknown): void {
	const problem = readableProblem(message);
	if (problem) throw new Error(`${what}: ${problem}`);
}

// ---------------------------------------------------------------- prototype pollution

const baseline = {
	object: Object.getOwnPropertyNames(Object.prototype).sort().join(','),
	array: Object.getOwnPropertyNames(Array.prototype).sort().join(','),
	func: Object.getOwnPropertyNames(Function.prototype).sort().join(','),
	string: Object.getOwnPropertyNames(String.prototype).sort().join(','),
};

/** Throws when anything was added to (or set on) the built-in prototypes. */
export function expectNoPollution(what: string): void {
	const now = {
		object: Object.getOwnPropertyNames(Object.prototype).sort().join(','),
		array: Object.getOwnPropertyNames(Array.prototype).sort().join(','),
		func: Object.getOwnPropertyNames(Function.prototype).sort().join(','),
		string: Object.getOwnPropertyNames(String.prototype).sort().join(','),
	};
	const probe = {} as Record<string, unknown>;
	for (const key of ['polluted', 'isAdmin', 'return_code', 'head', 'result', 'x'])
		if (probe[key] !== undefined) throw new Error(`${what}: Object.prototype.${key} is set (${String(probe[key])})`);
	for (const k of Object.keys(baseline) as Array<keyof typeof baseline>)
		if (now[k] !== baseline[k]) throw new Error(`${what}: ${k} prototype changed`);
}

/** A parsed value holds only plain objects/arrays/primitives, no dangerous keys, at any depth. */
export function expectPlainData(what: string, value: unknown, depth = 0): void {
	if (depth > 200 || value === null || typeof value !== 'object') return;
	if (Array.isArray(value)) {
		for (const v of value) expectPlainData(what, v, depth + 1);
		return;
	}
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) throw new Error(`${what}: an object with a foreign prototype`);
	for (const key of Reflect.ownKeys(value)) {
		if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new Error(`${what}: key ${String(key)} kept`);
		expectPlainData(what, (value as Record<string | symbol, unknown>)[key as string], depth + 1);
	}
}

// ---------------------------------------------------------------- counting and running

export const counts: Record<string, number> = {};
/** Names of the properties that failed (their counterexample is in the test's error). */
export const failures: string[] = [];

export function total(): number {
	return Object.values(counts).reduce((a, b) => a + b, 0);
}

function report(name: string, details: fc.RunDetails<unknown>): void {
	counts[name] = (counts[name] ?? 0) + details.numRuns;
	if (details.failed) {
		failures.push(name);
		throw new Error(`${name}: ${fc.defaultReportMessage(details)}`);
	}
}

/** fc.check + counting + a readable failure (counterexample, shrunk, with its seed). */
export function checkSync<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, params: fc.Parameters<Ts>): void {
	report(name, fc.check(property, params) as fc.RunDetails<unknown>);
}

export async function checkAsync<Ts extends [unknown, ...unknown[]]>(
	name: string,
	property: fc.IAsyncProperty<Ts>,
	params: fc.Parameters<Ts>,
): Promise<void> {
	report(name, (await fc.check(property, params)) as fc.RunDetails<unknown>);
}

/** numRuns can be scaled for a quick local run: PROPERTY_SCALE=0.1 npx jest test/property */
export function runs(n: number): number {
	const scale = Number(process.env.PROPERTY_SCALE ?? '1');
	return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

export const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('aborted'));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('aborted'));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});

// ---------------------------------------------------------------- crash guard

export interface CrashGuard {
	problems: string[];
	uninstall(): void;
}

/** Records unhandled rejections and uncaught exceptions while installed. */
export function installCrashGuard(): CrashGuard {
	const problems: string[] = [];
	const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${serialise(reason)?.slice(0, 500)}`);
	const onException = (error: unknown) => problems.push(`uncaughtException: ${serialise(error)?.slice(0, 500)}`);
	process.on('unhandledRejection', onRejection);
	process.on('uncaughtException', onException);
	return {
		problems,
		uninstall() {
			process.off('unhandledRejection', onRejection);
			process.off('uncaughtException', onException);
		},
	};
}
