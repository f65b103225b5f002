const { src, dest, task, parallel } = require('gulp');

/** Copies the node's and the credential's icons next to the compiled code (dist/icons), where n8n looks for them. */
function buildIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

/** Copies every node's codex (nodes/<Node>/<Node>.node.json) beside its compiled node: n8n reads the category, aliases and docs links there. */
function buildCodex() {
	return src('nodes/*/*.node.json', { base: '.' }).pipe(dest('dist'));
}

task('build:icons', buildIcons);
task('build:codex', buildCodex);
task('build:assets', parallel(buildIcons, buildCodex));
