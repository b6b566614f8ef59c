/**
 * The proxy's password (issue 16), generated: whatever characters it has, once it is in a Proxy URL
 * (percent-encoded), the client's redactor removes it in every form it could take in a text: as
 * typed, URL-encoded, JSON-escaped, XML-escaped, and as the Base64 `user:password` of the
 * Proxy-Authorization header; and the masked proxy and the messages name only host and port.
 */
import fc from 'fast-check';

import { REDACTED, createRedactor } from '../../nodes/Damai/transport';
import { maskProxy, parseProxyUrl, proxyAuthorization, proxyLabel, proxySecrets } from '../../nodes/Damai/transport/proxy';
import { checkSync, expectNoLeak, secretArb } from './support';

test('every form of a generated proxy password is redacted', () => {
	checkSync(
		'proxy password forms',
		fc.property(
			fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/),
			secretArb('proxy'),
			fc.string({ maxLength: 20 }),
			(user, password, noise) => {
				const proxy = parseProxyUrl(`http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@proxy.example.test:3128`, 'test');
				expect(proxy.password).toBe(password);
				const redact = createRedactor(proxySecrets(proxy));
				const forms = [
					password,
					encodeURIComponent(password),
					JSON.stringify(password).slice(1, -1),
					password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
					Buffer.from(`${user}:${password}`).toString('base64'),
					proxyAuthorization(proxy)!,
				];
				const text = forms.map((form) => `${noise}${form}${noise}`).join(' | ');
				expectNoLeak('redacted text', redact(text), { password, basic: Buffer.from(`${user}:${password}`).toString('base64') });
				expect(redact(text)).toContain(REDACTED);
				expect(maskProxy(proxy)).toBe('http://***:***@proxy.example.test:3128');
				expect(proxyLabel(proxy)).toBe('proxy.example.test:3128');
			},
		),
		{ numRuns: 500 },
	);
});
