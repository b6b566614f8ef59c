/**
 * What `npm pack` puts in the tarball users install (`npm test` builds dist/ first): only the
 * built package, README, LICENSE and package.json; nothing from the sources, tests, sandbox or
 * tools; no secrets; every file n8n loads present. Installing it into a real n8n is
 * test/e2e/package.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SECRETS } from '../helpers/sandbox';

const ROOT = path.resolve(__dirname, '..', '..');
const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	main: string;
	types?: string;
	n8n: { nodes: string[]; credentials: string[] };
};

interface PackResult {
	filename: string;
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

let tmp: string;
let pack: PackResult;
let unpacked: string;
let files: string[];

beforeAll(() => {
	if (!fs.existsSync(path.join(ROOT, source.main))) throw new Error(`${source.main} is missing: run npm run build first (npm test does)`);
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'damai-pack-'));
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const out = execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		shell: process.platform === 'win32',
	});
	pack = (JSON.parse(out) as PackResult[])[0];
	unpacked = path.join(tmp, 'unpacked');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(tmp, pack.filename), '-C', unpacked]);
	files = walk(path.join(unpacked, 'package')).sort();
}, 120_000);

afterAll(() => {
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function walk(dir: string, base = dir): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

const read = (file: string) => fs.readFileSync(path.join(unpacked, 'package', file));

test('is named after the package and version', () => {
	expect(pack.filename).toBe(`${source.name}-${source.version}.tgz`);
	// What npm reported is what is in the tarball.
	expect(pack.files.map((f) => f.path).sort()).toEqual(files);
});

test('holds only dist/, README.md, LICENSE and package.json', () => {
	const outside = files.filter((f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f));
	expect(outside).toEqual([]);
	expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	expect(read('LICENSE').toString()).toMatch(/^MIT License/);
});

test('dist/ holds compiled code, declarations, source maps, icons and the codex only', () => {
	const unexpected = files
		.filter((f) => f.startsWith('dist/'))
		.filter((f) => !/\.(js|d\.ts|js\.map|svg|png|node\.json)$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
	expect(unexpected).toEqual([]);
	expect(files.filter((f) => /tsbuildinfo$/.test(f))).toEqual([]);
});

test('no tests, sources, sandbox, scripts, examples or tool folders', () => {
	const banned = files.filter(
		(f) =>
			/(^|\/)(test|tests|__tests__|sandbox|scripts|examples|bench|tools|docs|node_modules|\.cache)\//.test(f) ||
			/\.(test|spec)\.[jt]s$/.test(f) ||
			(/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
			/(^|\/)\.(env|npmrc|git|ci)/.test(f),
	);
	expect(banned).toEqual([]);
});

test('every compiled file comes from a current source file (no leftovers of deleted sources)', () => {
	const stale = files
		.filter((f) => f.startsWith('dist/'))
		.filter((f) => {
			const rel = f.slice('dist/'.length);
			const candidates = /\.(js|d\.ts|js\.map)$/.test(rel)
				? [rel.replace(/\.(js|d\.ts|js\.map)$/, '.ts')]
				: [rel]; // icons and the codex are copied as they are
			return !candidates.some((c) => fs.existsSync(path.join(ROOT, c)));
		});
	expect(stale).toEqual([]);
});

test('has everything n8n loads: the node, the credential, their icons and the codex', () => {
	const pkg = JSON.parse(read('package.json').toString()) as typeof source & { files?: string[] };
	expect(pkg.n8n).toEqual(source.n8n);
	for (const file of [pkg.main, ...(pkg.types ? [pkg.types] : []), ...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		expect({ file, present: files.includes(file) }).toEqual({ file, present: true });
	}
	expect(files).toEqual(
		expect.arrayContaining([
			'dist/nodes/Damai/Damai.node.json',
			'dist/nodes/Damai/damai.svg',
			'dist/nodes/Damai/damai.dark.svg',
			'dist/credentials/damai.svg',
			'dist/credentials/damai.dark.svg',
		]),
	);
	// Every `file:` icon the built node and credential point at is in the tarball.
	for (const built of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const dir = path.posix.dirname(built);
		for (const [, icon] of read(built).toString().matchAll(/['"]file:([^'"]+)['"]/g)) {
			expect({ built, icon, present: files.includes(path.posix.join(dir, icon)) }).toEqual({ built, icon, present: true });
		}
	}
});

test('no secrets anywhere in the tarball', () => {
	const needles = [
		...Object.values(SECRETS),
		'sandbox-app-secret',
		'sandbox-supplier-secret',
		'-----BEGIN',
		'_authToken',
	];
	const found: string[] = [];
	for (const file of files) {
		const bytes = read(file);
		for (const needle of needles) {
			if (bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(encodeURIComponent(needle)))) found.push(`${needle} in ${file}`);
		}
	}
	expect(found).toEqual([]);
});

test('stays small', () => {
	expect(pack.size).toBeLessThan(500 * 1024);
	expect(pack.unpackedSize).toBeLessThan(2 * 1024 * 1024);
});
