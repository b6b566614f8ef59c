/**
 * Hostile answers and secrets, pure: the redactor removes every form of a secret, and no parse
 * error or request id carries a secret the gateway echoed back (however it mangled it) beyond
 * what the gateway itself broke.
 */
import fc from 'fast-check';

import { REDACTED, TopError, createRedactor, excerpt, parseAnswer } from '../../../nodes/Damai/transport';
import { arbs } from '../gateway/arbitraries';
import { METHOD } from '../gateway/spec';
import { checkSync, expectNoLeak, secretArb, secretsArb, unredactableRest, type Secrets } from '../support';
import { params, renderBody, respondable } from './common';

const redactAll = (s: Secrets) => createRedactor([s.appSecret, s.session, s.supplierSecret]);

/** A parse error holds no secret, but for pieces the gateway itself broke (see unredactableRest). */
function expectCleanTopError(error: unknown, secrets: Record<string, string>, body: string): void {
	expect(error).toBeInstanceOf(TopError);
	const e = error as TopError;
	expectNoLeak('TopError', { message: e.message, description: e.description, json: e.toJSON() }, secrets, unredactableRest([body], secrets));
}

export function secretProperties(): void {
	const echoing = arbs({ echo: true, html: true, huge: false, slow: 0 });

	const formsOf = (secret: string) => {
		const json = JSON.stringify(secret).slice(1, -1);
		return {
			raw: secret,
			url: encodeURIComponent(secret),
			urlPlus: encodeURIComponent(secret).replace(/%20/g, '+'),
			json,
		};
	};
	test('redactor: a secret in raw, URL-encoded or JSON-escaped form never survives, nor in an excerpt', () => {
		checkSync(
			'redactor (documented forms)',
			fc.property(
				fc.array(secretArb('redact'), { minLength: 1, maxLength: 3 }),
				fc.constantFrom<keyof ReturnType<typeof formsOf>>('raw', 'url', 'urlPlus', 'json'),
				fc.integer({ min: 0, max: 400 }),
				fc.string({ maxLength: 30 }),
				(secrets, form, cut, noise) => {
					const redact = createRedactor(secrets);
					const text = secrets.map((s, i) => `${noise}${i}${formsOf(s)[form]}${noise}`).join(' ');
					const named = Object.fromEntries(secrets.map((s, i) => [`secret${i}`, s]));
					expectNoLeak('redacted text', redact(text), named);
					expectNoLeak('excerpt', excerpt(text, redact, Math.max(1, cut)), named);
					expect(redact(text)).toContain(REDACTED);
				},
			),
			params(1000),
		);
	});

	test('redactor: the forms a gateway echoes back (the request body, XML/HTML-escaped) never survive', () => {
		const echoForms = (secret: string) => {
			const json = JSON.stringify(secret).slice(1, -1);
			const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
			return [
				// The node's own form body: URL-encoded JSON text of the head.
				encodeURIComponent(json),
				encodeURIComponent(json).replace(/%20/g, '+'),
				xml,
				xml.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
			];
		};
		checkSync(
			'redactor (echoed forms)',
			fc.property(secretArb('echo'), fc.nat(3), fc.string({ maxLength: 20 }), (secret, which, noise) => {
				const redact = createRedactor([secret]);
				const text = `${noise}${echoForms(secret)[which]}${noise}`;
				expectNoLeak('redacted text', redact(text), { secret });
			}),
			params(500),
		);
	});

	test('no secret survives in parse errors, whatever the gateway echoes (and however it mangles it)', () => {
		const property = () =>
			fc.property(secretsArb(), respondable(echoing), fc.constantFrom<'json' | 'xml'>('json', 'xml'), (secrets, spec, format) => {
				const raw = renderBody(spec, secrets, format);
				let answer;
				try {
					answer = parseAnswer(raw, METHOD, redactAll(secrets));
				} catch (error) {
					expectCleanTopError(error, { ...secrets }, raw.body);
					return;
				}
				// The request id goes into every output item: it must be as clean as an error's.
				expectNoLeak('request id of an answer', answer.requestId, { ...secrets }, unredactableRest([raw.body], { ...secrets }));
			});
		checkSync('parseAnswer echo leaks', property(), params(1500));
	});

	test('… nor when the secrets hold characters that need escaping (", \\, &, <, %, space …)', () => {
		checkSync(
			'parseAnswer echo leaks (special secrets)',
			fc.property(secretsArb(true), respondable(echoing), fc.constantFrom<'json' | 'xml'>('json', 'xml'), (secrets, spec, format) => {
				const raw = renderBody(spec, secrets, format);
				try {
					parseAnswer(raw, METHOD, redactAll(secrets));
				} catch (error) {
					expectCleanTopError(error, { ...secrets }, raw.body);
				}
			}),
			params(500),
		);
	});

	test('no piece of a secret survives when the JSON breaks right next to an echoed secret (parser messages quote the text)', () => {
		checkSync(
			'parseAnswer broken JSON next to a secret',
			fc.property(
				secretsArb(),
				fc.constantFrom<keyof Secrets>('appSecret', 'supplierSecret', 'session'),
				fc.constantFrom('sub_msg', 'msg', 'return_desc', 'request_id'),
				fc.constantFrom('drop-quote', 'drop-colon', 'stray-quote', 'cut-after'),
				fc.nat(20),
				(secrets, which, field, how, shift) => {
					const secret = secrets[which];
					const before = `{"error_response":{"code":15,"sub_code":"isp.x","${field}":"`;
					let body = `${before}${secret}","request_id":"r"}}`;
					const at = before.length;
					const inside = at + (shift % secret.length);
					if (how === 'drop-quote') body = body.slice(0, at - 1) + body.slice(at);
					if (how === 'drop-colon') body = body.slice(0, at - 2) + body.slice(at - 1);
					if (how === 'stray-quote') body = `${body.slice(0, inside)}"${body.slice(inside)}`;
					if (how === 'cut-after') body = `${body.slice(0, at + secret.length)}}`;
					try {
						parseAnswer({ status: 200, body }, METHOD, redactAll(secrets));
					} catch (error) {
						expectCleanTopError(error, { [which]: secret }, body);
					}
				},
			),
			params(300),
		);
	});
}
