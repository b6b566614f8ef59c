// @ts-check
'use strict';

/**
 * How the browser test (test/browser) and `npm run screenshots` start Chromium: Debian's own
 * (/usr/bin/chromium, `bash tooling/scripts/install-system-packages.sh browser`), or CHROMIUM_PATH,
 * headless, driven by playwright-core. The flags keep it off the network: without the
 * background-networking ones Chromium calls Google's hosts at every start, and this machine's
 * closed network refuses them.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

module.exports = { CHROMIUM, CHROMIUM_ARGS };
