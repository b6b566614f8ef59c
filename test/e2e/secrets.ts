/**
 * The end-to-end suite's secret scan: every byte an n8n environment printed or stored, searched for
 * each secret in the forms it could be written in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as n8n from '../../tooling/n8n';

function needlesFor(secret: string): Array<{ label: string; bytes: Buffer }> {
	const variants = new Map<string, string>([
		['plain', secret],
		['url-encoded', encodeURIComponent(secret)],
		['base64', Buffer.from(secret).toString('base64')],
		['json-escaped', JSON.stringify(secret).slice(1, -1)],
	]);
	const seen = new Set<string>();
	const out: Array<{ label: string; bytes: Buffer }> = [];
	for (const [label, value] of variants) {
		if (seen.has(value)) continue;
		seen.add(value);
		out.push({ label, bytes: Buffer.from(value, 'utf8') });
		out.push({ label: `${label} (utf-16le)`, bytes: Buffer.from(value, 'utf16le') });
	}
	return out;
}

/**
 * Where any secret appears in what n8n printed (every process this env ran) or stored (every file
 * in its user folder: database.sqlite with its WAL, settings, …). Returns descriptions of the leaks.
 */
export function findSecrets(env: n8n.N8nEnv, secrets: Record<string, string>, extraTexts: Record<string, string> = {}): string[] {
	const haystacks: Array<{ where: string; bytes: Buffer }> = [
		{ where: 'n8n output (stdout/stderr)', bytes: Buffer.from(env.transcript.join('\n'), 'utf8') },
		...Object.entries(extraTexts).map(([where, text]) => ({ where, bytes: Buffer.from(text, 'utf8') })),
		...env.listFiles().map((f) => ({ where: path.relative(env.userFolder, f), bytes: fs.readFileSync(f) })),
	];
	const leaks: string[] = [];
	for (const [name, secret] of Object.entries(secrets)) {
		for (const needle of needlesFor(secret)) {
			for (const h of haystacks) {
				if (h.bytes.includes(needle.bytes)) leaks.push(`${name} (${needle.label}) in ${h.where}`);
			}
		}
	}
	return leaks;
}

/** Whether some text is in the stored files (a positive control for the secret scan). */
export function storedBytesContain(env: n8n.N8nEnv, text: string): boolean {
	const needle = Buffer.from(text, 'utf8');
	return env.listFiles().some((f) => fs.readFileSync(f).includes(needle));
}
