// Copies what tsc does not emit next to the compiled nodes: icons (n8n loads `file:` icons relative
// to the compiled node) and codex files (`X.node.json`, read from beside `X.node.js`). Also fills the
// sample sender package (tools/sip-caller-send) with the compiled signer and SIP Caller's samples, so
// the command signs exactly as the trigger verifies.
const { parallel, src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copySenderSigner() {
	return src('dist/nodes/SipCaller/core/signature.js').pipe(dest('tools/sip-caller-send/lib'));
}

function copySenderSamples() {
	return src('test/fixtures/*.json', { encoding: false }).pipe(
		dest('tools/sip-caller-send/samples'),
	);
}

exports['build:assets'] = parallel(copyAssets, copySenderSigner, copySenderSamples);
