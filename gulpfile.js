// Copies what tsc does not emit: icons (n8n loads `file:` icons relative to the compiled node or
// credential) and codex files (`X.node.json`, read from beside `X.node.js`). `build:sender-samples`
// fills the sample sender package (tools/sip-caller-send) with SIP Caller's samples; it is part of
// the sender's own build (`npm run build:sender`), not of the node package's.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.node.json'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

function copySenderSamples() {
	return src('test/fixtures/*.json', { encoding: false }).pipe(
		dest('tools/sip-caller-send/samples'),
	);
}

exports['build:assets'] = copyAssets;
exports['build:sender-samples'] = copySenderSamples;
