import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A throw-away self-signed certificate for 127.0.0.1 and localhost, made now with openssl (one
 * day, RSA 2048), for the sandbox gateway's HTTPS mode. `cert` doubles as its own CA.
 */
export function makeCertificate(): { key: string; cert: string } {
	const dir = mkdtempSync(join(tmpdir(), 'damai-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
				'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
				'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
			],
			{ stdio: 'pipe' },
		);
		return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
