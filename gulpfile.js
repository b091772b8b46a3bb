// Copies what tsc does not emit next to the compiled nodes: icons (n8n loads `file:` icons relative
// to the compiled node) and codex files (`X.node.json`, read from beside `X.node.js`).
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
