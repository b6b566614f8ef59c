/**
 * Generated gateway behaviour, part 3: the fast-check arbitraries of answer specs (./spec.ts),
 * from clean successes to mangled bodies and transport faults, tuned by ArbConfig.
 */
import fc from 'fast-check';

import type { ContentType, Echo, ErrorSpec, Fmt, MutatedSpec, Mutation, ProtoAt, RawSpec, Spec, SuccessSpec, Text, TransportSpec } from './spec';

export interface ArbConfig {
	/** Whether texts may echo the request or a secret (for the leak properties). */
	echo?: boolean;
	/** Whether TOP bodies may be labelled text/html. */
	html?: boolean;
	/** Weight of answers that cost a deadline (never, slow drip); 0 = none. */
	slow?: number;
	/** Whether answers over the cap are generated. */
	huge?: boolean;
	/** Whether error answers may carry a ban ("This ban will last for N more seconds", N ≤ 3). */
	ban?: boolean;
}

const HTML_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<p>%ECHO%</p><hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ m: fc.constant<'truncate'>('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
	fc.record({ m: fc.constant<'delete'>('delete'), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 20 }) }),
	fc.record({
		m: fc.constant<'insert'>('insert'),
		at: fc.double({ min: 0, max: 1, noNaN: true }),
		text: fc.oneof(fc.constantFrom('"', '{', '}', '<', '>', '</x>', ',', ':', '\\', '\u0000', ']]>', '&', '<!--', '\ud800'), fc.string({ maxLength: 8 })),
	}),
	fc.record({
		m: fc.constant<'replace'>('replace'),
		at: fc.double({ min: 0, max: 1, noNaN: true }),
		char: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
	}),
);

export function arbs(cfg: ArbConfig = {}) {
	const echoArb: fc.Arbitrary<Echo> = fc.constantFrom('rawBody', 'rawQuery', 'paramText', 'appSecret', 'supplierSecret', 'session');
	const wordArb = fc.oneof(
		fc.constantFrom('success', 'Remote service error', 'backend busy', '非法参数', 'order not found', 'ok', 'Invalid arguments:order_id'),
		fc.string({ maxLength: 30 }),
		fc.string({ unit: 'grapheme', maxLength: 20 }),
		fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '\\', '/', '{', '}', '[', ']', ':', ',', '\n', ' ', 'a', '1'), maxLength: 12 }),
	);
	/** A text field; with `echo` the gateway often echoes the request or a secret into it. */
	const textArb: fc.Arbitrary<Text> = cfg.echo
		? fc.oneof({ weight: 1, arbitrary: wordArb.map((lit) => ({ lit })) }, { weight: 2, arbitrary: fc.record({ lit: wordArb, echo: echoArb }) })
		: wordArb.map((lit) => ({ lit }));

	const fmtArb: fc.Arbitrary<Fmt> = fc.oneof(
		{ weight: 4, arbitrary: fc.constant<Fmt>('asked') },
		{ weight: 1, arbitrary: fc.constantFrom<Fmt>('json', 'xml') },
	);
	const contentTypeArb: fc.Arbitrary<ContentType> = fc.oneof(
		{ weight: 8, arbitrary: fc.constant<ContentType>('json') },
		{ weight: 3, arbitrary: fc.constantFrom<ContentType>('xml', 'javascript', 'plain', 'octet', 'none') },
		...(cfg.html ? [{ weight: 2, arbitrary: fc.constant<ContentType>('html') }] : []),
	);
	const returnCodeArb: fc.Arbitrary<Text & { asNumber?: boolean }> = fc.oneof(
		{ weight: 6, arbitrary: fc.record({ lit: fc.constantFrom('0', '200'), asNumber: fc.boolean() }) },
		{ weight: 1, arbitrary: fc.record({ lit: fc.constantFrom(' 0 ', '0\n', '\t200') }) },
		{
			weight: 3,
			arbitrary: fc.record({ lit: fc.constantFrom('404', '1001', '401', '403', '500', '-1', 'FAIL', '00', '0.0'), asNumber: fc.boolean() }),
		},
		{ weight: 1, arbitrary: fc.record({ lit: fc.string({ maxLength: 6 }) }) },
		...(cfg.echo ? [{ weight: 2, arbitrary: fc.record({ lit: fc.constantFrom('E', '9'), echo: echoArb }) }] : []),
	);
	const successArb = (clean = false): fc.Arbitrary<SuccessSpec> =>
		clean
			? fc.record({
					t: fc.constant<'success'>('success'),
					fmt: fmtArb,
					contentType: fc.constant<ContentType>('json'),
					wrapper: fc.constant<'method'>('method'),
					returnCode: fc.record({ lit: fc.constantFrom('0', '200') }),
					returnDesc: fc.constant({ lit: 'success' }),
					requestId: fc.constant({ lit: 'req1' }),
					missing: fc.constant<'nothing'>('nothing'),
					duplicate: fc.constant(false),
					proto: fc.constant<ProtoAt>('none'),
				})
			: fc.record(
					{
						t: fc.constant<'success'>('success'),
						fmt: fmtArb,
						contentType: contentTypeArb,
						wrapper: fc.oneof(
							{ weight: 6, arbitrary: fc.constant<'method'>('method') },
							{ weight: 1, arbitrary: fc.constantFrom<'none' | 'other'>('none', 'other') },
						),
						returnCode: fc.option(returnCodeArb, { freq: 12, nil: undefined }),
						returnDesc: fc.option(textArb, { freq: 6, nil: undefined }),
						requestId: fc.option(textArb, { freq: 6, nil: undefined }),
						missing: fc.oneof(
							{ weight: 10, arbitrary: fc.constant<'nothing'>('nothing') },
							{ weight: 1, arbitrary: fc.constantFrom<'result' | 'head'>('result', 'head') },
						),
						duplicate: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
						proto: fc.oneof(
							{ weight: 5, arbitrary: fc.constant<ProtoAt>('none') },
							{ weight: 1, arbitrary: fc.constantFrom<ProtoAt>('root', 'wrapper', 'result', 'head') },
						),
						extra: textArb,
					},
					{ requiredKeys: ['t', 'fmt', 'contentType', 'wrapper', 'missing', 'duplicate', 'proto'] },
				);
	const subCodeArb: fc.Arbitrary<Text> = fc.oneof(
		fc
			.constantFrom(
				'isp.remote-service-unavailable',
				'isp.top-remote-connection-timeout',
				'isp.unknown-error',
				'isv.invalid-parameter',
				'isv.missing-parameter',
				'isv.order-not-exist',
				'accesscontrol.limited-by-app-access-count',
				'accesscontrol.limited-by-api-access-count',
				'ISV.upper',
				'isvx',
				'',
			)
			.map((lit) => ({ lit })),
		fc.tuple(fc.constantFrom('isp.', 'isv.', 'accesscontrol.limited-by-', ''), fc.string({ maxLength: 12 })).map(([p, s]) => ({ lit: p + s })),
		...(cfg.echo ? [fc.record({ lit: fc.constantFrom('isv.', 'isp.'), echo: echoArb })] : []),
	);
	const codeArb = fc.oneof(
		fc.record({ value: fc.constantFrom<number | string>(7, 8, 10, 11, 15, 21, 22, 25, 27, 29, 31, 40, 41, 43, 50), asString: fc.boolean() }),
		fc.record({ value: fc.integer({ min: -5, max: 100000 }), asString: fc.boolean() }),
		fc.record({ value: fc.constantFrom<number | string>('abc', ' 7 ', '07', '', '1e1', '７'), asString: fc.constant(true) }),
	);
	const errorArb = (opts: { status?: fc.Arbitrary<number> } = {}): fc.Arbitrary<ErrorSpec> =>
		fc.record(
			{
				t: fc.constant<'error'>('error'),
				fmt: fmtArb,
				status: opts.status ?? fc.oneof({ weight: 9, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(400, 429, 500, 502, 503) }),
				contentType: contentTypeArb,
				code: codeArb,
				msg: textArb,
				subCode: subCodeArb,
				subMsg: textArb,
				requestId: textArb,
				ban: cfg.ban ? fc.integer({ min: 0, max: 3 }) : fc.constant(undefined),
			},
			{ requiredKeys: ['t', 'fmt', 'status', 'contentType'] },
		);
	const statusArb = fc.oneof(
		{ weight: 6, arbitrary: fc.constant(200) },
		{ weight: 4, arbitrary: fc.constantFrom(201, 202, 301, 302, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504, 520) },
	);
	const rawArb: fc.Arbitrary<RawSpec> = fc.record(
		{
			t: fc.constant<'raw'>('raw'),
			status: statusArb,
			contentType: cfg.html ? contentTypeArb : fc.oneof(contentTypeArb, fc.constant<ContentType>('html')),
			body: fc.oneof(
				fc.constantFrom('', ' ', '\r\n', HTML_PAGE, `<!DOCTYPE html>${HTML_PAGE}`, 'Bad Gateway %ECHO%', 'null', '[]', '"error"', '42', '<', '{', '<?xml version="1.0"?>'),
				fc.string({ maxLength: 200 }),
				fc.string({ unit: 'binary', maxLength: 100 }),
				fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
				fc.tuple(fc.constantFrom('{', '<a>', '<html>'), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
			),
			echo: cfg.echo ? echoArb : fc.constant(undefined),
		},
		{ requiredKeys: ['t', 'status', 'contentType', 'body'] },
	);
	const mutatedArb: fc.Arbitrary<MutatedSpec> = fc.record({
		t: fc.constant<'mutated'>('mutated'),
		base: fc.oneof(successArb(), errorArb()),
		mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
		contentType: contentTypeArb,
	});
	const transportArb = (kinds: Array<TransportSpec['t']>): fc.Arbitrary<TransportSpec> =>
		fc.record({
			t: fc.constantFrom(...kinds),
			fraction: fc.double({ min: 0, max: 1, noNaN: true }),
			declareLength: fc.boolean(),
			gzip: fc.boolean(),
			base: successArb(true),
		});
	const fast: Array<TransportSpec['t']> = cfg.huge === false ? ['reset', 'hangup', 'dripOk'] : ['reset', 'hangup', 'dripOk', 'huge'];
	/** One answer, for one attempt. Slow kinds (never, slow drip) are rarer: each costs a deadline. */
	const specArb: fc.Arbitrary<Spec> = fc.oneof(
		{ weight: 30, arbitrary: successArb() },
		{ weight: 24, arbitrary: errorArb() },
		{ weight: 10, arbitrary: rawArb },
		{ weight: 10, arbitrary: mutatedArb },
		{ weight: 6, arbitrary: transportArb(fast) },
		...((cfg.slow ?? 2) > 0 ? [{ weight: cfg.slow ?? 2, arbitrary: transportArb(['never', 'dripSlow']) }] : []),
	);
	/** What the gateway does on attempt 1, 2, … (the last one repeats). */
	const scriptArb = fc.array(specArb, { minLength: 1, maxLength: 4 });
	return { textArb, echoArb, fmtArb, contentTypeArb, successArb, errorArb, rawArb, mutatedArb, transportArb, specArb, scriptArb };
}
