// Copies the nodes' and credentials' icons next to the compiled files: tsc only emits .js/.d.ts,
// and n8n loads `file:` icons relative to the compiled node.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
