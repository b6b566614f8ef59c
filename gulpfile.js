// tsc only emits .js/.d.ts: this copies the node and credential icons (and the node's codex
// `.node.json`) next to the compiled code in dist/, keeping the folder layout.
const { task, src, dest, parallel } = require('gulp');

// `encoding: false` keeps binary icons (PNG) byte-exact under gulp 5.
const copy = (glob, to) => () => src(glob, { encoding: false }).pipe(dest(to));

task(
	'build:icons',
	parallel(
		copy('nodes/**/*.{png,svg,node.json}', 'dist/nodes'),
		copy('credentials/**/*.{png,svg}', 'dist/credentials'),
	),
);
