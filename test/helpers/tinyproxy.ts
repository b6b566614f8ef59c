import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A real forward proxy for the proxy tests: Debian's tinyproxy (installed by
 * tooling/scripts/install-system-packages.sh, which `npm run test:proxy` runs first), started here
 * on a free loopback port, in the foreground, with its own config and log in a temporary folder.
 * Its log is the witness: one `Connect (file descriptor N): 127.0.0.1` line per connection it
 * accepted, one `Request (file descriptor N): <request line>` per request (a CONNECT for a tunnel).
 */
export interface Tinyproxy {
	port: number;
	/** http://[user:password@]127.0.0.1:port */
	url: string;
	/** The log as it is now. */
	log(): string;
	/** Connections the proxy accepted so far. */
	connections(): number;
	/** The request lines it logged so far, e.g. "CONNECT 127.0.0.1:43123 HTTP/1.1". */
	requests(): string[];
	/** CONNECT tunnels it logged so far to 127.0.0.1:`port` (a gateway on loopback). */
	tunnelsTo(port: number): number;
	stop(): Promise<void>;
}

const TINYPROXY = '/usr/bin/tinyproxy';

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** Waits for the log's "Accepting connections" (not by connecting: that would be a logged connection). */
async function listening(logFile: string, child: ChildProcess, output: () => string): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if (child.exitCode !== null) throw new Error(`tinyproxy exited (${child.exitCode}): ${output()}`);
		if (existsSync(logFile) && readFileSync(logFile, 'utf8').includes('Accepting connections')) return;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`tinyproxy did not start: ${output()}`);
}

export async function startTinyproxy(
	options: { auth?: { user: string; password: string }; connectPorts?: number[] } = {},
): Promise<Tinyproxy> {
	if (!existsSync(TINYPROXY)) {
		throw new Error(`${TINYPROXY} is missing: run "bash tooling/scripts/install-system-packages.sh" (npm run test:proxy does)`);
	}
	const dir = mkdtempSync(join(tmpdir(), 'damai-tinyproxy-'));
	const logFile = join(dir, 'tinyproxy.log');
	const port = await freePort();
	const lines = [
		`Port ${port}`,
		'Listen 127.0.0.1',
		'Timeout 60',
		`LogFile "${logFile}"`,
		'LogLevel Info',
		`PidFile "${join(dir, 'tinyproxy.pid')}"`,
		'MaxClients 200',
		'DisableViaHeader Yes',
		// No ConnectPort line: CONNECT to any port (the sandbox listens on a random one).
		...(options.connectPorts ?? []).map((port) => `ConnectPort ${port}`),
	];
	if (options.auth) lines.push(`BasicAuth ${options.auth.user} ${options.auth.password}`);
	writeFileSync(join(dir, 'tinyproxy.conf'), `${lines.join('\n')}\n`);
	let output = '';
	const child = spawn(TINYPROXY, ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (chunk) => (output += String(chunk)));
	child.stderr!.on('data', (chunk) => (output += String(chunk)));
	await listening(logFile, child, () => output);
	const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
	const auth = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.password)}@` : '';
	const requests = () => [...log().matchAll(/Request \(file descriptor \d+\): (.*)$/gm)].map((m) => m[1].trim());
	return {
		port,
		url: `http://${auth}127.0.0.1:${port}`,
		log,
		connections: () => (log().match(/Connect \(file descriptor \d+\): /g) ?? []).length,
		requests,
		tunnelsTo: (target) => requests().filter((line) => line === `CONNECT 127.0.0.1:${target} HTTP/1.1`).length,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
