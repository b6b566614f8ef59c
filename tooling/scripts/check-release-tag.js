#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The release workflow's first check (.github/workflows/release.yml): the pushed tag must be
 * `v<version>` of package.json, so that what npm publishes is the version the tag names.
 * `node tooling/scripts/check-release-tag.js v1.2.3` exits 0 when it matches, 1 (with a GitHub
 * Actions error annotation) when it does not.
 */

const path = require('node:path');

/**
 * @param {string} tag the pushed tag, e.g. "v1.2.3" (GITHUB_REF_NAME)
 * @param {string} version package.json's version
 * @returns {string | null} why they do not match, or null
 */
function tagMismatch(tag, version) {
	if (!/^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(tag)) return `tag "${tag}" is not a version tag (v1.2.3)`;
	if (tag !== `v${version}`) return `tag "${tag}" does not match package.json's version ${version} (expected v${version})`;
	return null;
}

module.exports = { tagMismatch };

if (require.main === module) {
	const tag = process.argv[2] ?? process.env.GITHUB_REF_NAME ?? '';
	const { version } = require(path.join(__dirname, '..', '..', 'package.json'));
	const why = tagMismatch(tag, version);
	if (why) {
		process.stderr.write(`::error::${why}\n`);
		process.exitCode = 1;
	} else {
		process.stdout.write(`tag ${tag} matches package.json ${version}\n`);
	}
}
