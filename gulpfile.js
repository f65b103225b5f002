const { src, dest, task } = require('gulp');

/** Copies the node's and the credential's icons next to the compiled code (dist/icons), where n8n looks for them. */
function buildIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

task('build:icons', buildIcons);
