// Copies what tsc does not emit: icons (n8n loads `file:` icons relative to the compiled node or
// credential) and codex files (`X.node.json`, read from beside `X.node.js`).
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.node.json'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
