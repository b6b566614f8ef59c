/**
 * Removes secrets from any text that could reach a user: gateway messages (a gateway may echo
 * parameters back), body excerpts, network error messages. A secret is replaced in its raw,
 * URL-encoded and JSON-escaped forms.
 */
export const REDACTED = '[redacted]';

export type Redactor = (text: string) => string;

export function createRedactor(secrets: Array<string | undefined>): Redactor {
	const needles = new Set<string>();
	for (const secret of secrets) {
		if (!secret) continue;
		needles.add(secret);
		needles.add(encodeURIComponentSafe(secret));
		needles.add(encodeURIComponentSafe(secret).replace(/%20/g, '+'));
		// as an XML/HTML page would show it
		const xmlEscaped = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		needles.add(xmlEscaped);
		needles.add(xmlEscaped.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
		needles.add(xmlEscaped.replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
		const jsonEscaped = JSON.stringify(secret).slice(1, -1);
		needles.add(jsonEscaped);
		// inside a JSON parameter that travels form-encoded (the request head)
		needles.add(encodeURIComponentSafe(jsonEscaped));
		needles.add(encodeURIComponentSafe(jsonEscaped).replace(/%20/g, '+'));
	}
	// Longest first, so a secret that contains another is replaced whole.
	const list = [...needles].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
	if (list.length === 0) return (text) => text;
	return (text: string) => {
		if (typeof text !== 'string' || text === '') return text;
		let out = text;
		for (const needle of list) {
			if (out.includes(needle)) out = out.split(needle).join(REDACTED);
		}
		return out;
	};
}

function encodeURIComponentSafe(text: string): string {
	try {
		return encodeURIComponent(text);
	} catch {
		return text;
	}
}

/** A short, single-line, printable excerpt of an answer body, for error messages. */
export function excerpt(body: string, redact: Redactor, max = 200): string {
	// Redact before cutting, so that no prefix of a secret survives at the cut.
	const flat = redact(body)
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
