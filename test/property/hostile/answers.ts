/**
 * Hostile answers, pure: parseAnswer on any body (a plain answer or a readable TopError, no
 * prototype touched), and the JSON and XML forms of one answer read alike.
 */
import fc from 'fast-check';

import { TopError, createRedactor, parseAnswer } from '../../../nodes/Damai/transport';
import { arbs } from '../gateway/arbitraries';
import { errorTree, renderTree, successTree } from '../gateway/render';
import { METHOD, type Spec, type Text } from '../gateway/spec';
import { checkSync, expectNoPollution, expectPlainData, expectReadable, fixedSecrets } from '../support';
import { fakeRequest, params, renderBody, respondable } from './common';

const errorFields = (e: TopError) => e.toJSON();

export function answerProperties(): void {
	const plain = arbs({ echo: false, html: false, huge: false, slow: 0 });

	test('parseAnswer: any body → a plain answer or a readable TopError; no prototype is touched', () => {
		const anyBody = fc.oneof(
			{ weight: 6, arbitrary: respondable(plain).map((spec) => ({ spec })) },
			{
				weight: 2,
				arbitrary: fc.record({
					status: fc.constantFrom(200, 200, 200, 500, 404),
					contentType: fc.option(fc.constantFrom('application/json', 'text/xml', 'text/html', 'text/plain'), { nil: undefined }),
					body: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json({ maxDepth: 4 }), fc.string({ maxLength: 300 })),
				}),
			},
			{
				weight: 1,
				arbitrary: fc.integer({ min: 60, max: 3000 }).chain((depth) =>
					fc.constantFrom(
						{ status: 200, body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` },
						{ status: 200, body: `${'['.repeat(depth)}${']'.repeat(depth)}` },
						{ status: 200, body: `<r>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</r>` },
						{ status: 200, body: `{"${'x'.repeat(depth)}_response":{"__proto__":{"polluted":1},"result":{"head":{"return_code":"0"}}}}` },
					),
				),
			},
		);
		const secrets = fixedSecrets('parse');
		const redact = createRedactor([secrets.appSecret, secrets.session, secrets.supplierSecret]);
		checkSync(
			'parseAnswer on hostile bodies',
			fc.property(anyBody, fc.constantFrom<'json' | 'xml'>('json', 'xml'), (input, format) => {
				let raw: { status: number; contentType?: string; body: string };
				let spec: Spec | undefined;
				if ('spec' in input) {
					spec = input.spec;
					raw = renderBody(input.spec, secrets, format);
				} else raw = input;
				let answer;
				try {
					answer = parseAnswer(raw, METHOD, redact);
				} catch (error) {
					if (!(error instanceof TopError)) throw new Error(`parseAnswer threw a ${(error as Error)?.constructor?.name}: ${String(error)}`);
					expectReadable('TopError message', error.message);
					if (error.description !== undefined && typeof error.description !== 'string') throw new Error('description is not text');
					if (error.description && /\[object \w+\]/.test(error.description)) throw new Error(`description: ${error.description}`);
					expect(['http', 'parse', 'gateway']).toContain(error.kind);
					if (spec?.t === 'error' && spec.status === 200) expect(error.kind).toBe('gateway');
					if (raw.status !== 200) expect(error.kind).toBe('http');
					JSON.stringify(error.toJSON());
					expectNoPollution('parseAnswer');
					return;
				}
				if (raw.status !== 200) throw new Error(`HTTP ${raw.status} was accepted as an answer`);
				if (spec?.t === 'error') throw new Error('an error_response was accepted as an answer');
				expect(answer.body !== null && typeof answer.body === 'object' && !Array.isArray(answer.body)).toBe(true);
				expectPlainData('answer body', answer.body);
				if (answer.requestId !== undefined) expect(typeof answer.requestId).toBe('string');
				expectNoPollution('parseAnswer');
			}),
			params(3000),
		);
	});

	test('parseAnswer: JSON and XML forms of the same answer give the same result', () => {
		// Texts that both formats carry unchanged (XML 1.0 cannot carry most control characters).
		const safe = fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom('<', '&', '>', '"', "'", ' ')), maxLength: 20 });
		const a = arbs({ echo: false, html: false });
		const spec = fc.oneof(
			a
				.successArb()
				.filter((s) => s.returnCode !== undefined && s.missing === 'nothing')
				.map((s) => ({ ...s, duplicate: false, returnCode: s.returnCode && { lit: s.returnCode.lit } })),
			a.errorArb({ status: fc.constant(200) }).map((e) => ({ ...e, code: e.code && { ...e.code, asString: true } })),
		);
		const secrets = fixedSecrets('parity');
		const redact = createRedactor([secrets.appSecret]);
		checkSync(
			'JSON/XML parity',
			fc.property(spec, safe, (s, text) => {
				const ctx = { request: fakeRequest(secrets, 'json'), secrets };
				const patch = (t?: Text) => (t ? { lit: `${t.lit}${text}`.replace(/[\u0000-\u001f]/g, '') } : t);
				const parse = (format: 'json' | 'xml') => {
					const tree =
						s.t === 'success'
							? successTree({ ...s, returnDesc: patch(s.returnDesc), extra: patch(s.extra) }, ctx, format)
							: errorTree({ ...s, msg: patch(s.msg), subMsg: patch(s.subMsg) }, ctx, format);
					try {
						return { ok: parseAnswer({ status: 200, body: renderTree(tree, format) }, METHOD, redact) };
					} catch (error) {
						if (!(error instanceof TopError)) throw error;
						return { error: errorFields(error) };
					}
				};
				expect(parse('xml')).toEqual(parse('json'));
			}),
			params(1000),
		);
	});
}
