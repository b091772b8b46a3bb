#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run build:sender`: the sample sender's own build (tools/sip-caller-send): the trigger's
 * signer and the core's UUIDv7 maker compiled on their own into lib/ (so the command signs exactly
 * as the trigger verifies, and makes event ids as the editor's samples do) and
 * SIP Caller's samples copied into samples/. Skipped when both are newer than their sources, so
 * `npm run send` starts at once when nothing changed (`--force` builds anyway).
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const repo = path.resolve(__dirname, '..');
const sender = path.join(repo, 'tools', 'sip-caller-send');
const core = path.join(repo, 'nodes', 'SipCaller', 'core');
/** Each compiled module of lib/ and its source. */
const modules = ['signature', 'uuid'].map((name) => ({
	source: path.join(core, `${name}.ts`),
	built: path.join(sender, 'lib', `${name}.js`),
}));
const fixtures = path.join(repo, 'test', 'fixtures');
const samples = path.join(sender, 'samples');

/** @param {string} file */
const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

const force = process.argv.includes('--force');
if (force || modules.some((m) => mtime(m.built) < mtime(m.source))) {
	const tsc = require.resolve('typescript/bin/tsc', { paths: [repo] });
	execFileSync(process.execPath, [tsc, '-p', path.join(sender, 'tsconfig.json')], {
		stdio: 'inherit',
	});
}
for (const name of fs.readdirSync(fixtures).filter((n) => n.endsWith('.json'))) {
	const from = path.join(fixtures, name);
	const to = path.join(samples, name);
	if (force || mtime(to) < mtime(from)) {
		fs.mkdirSync(samples, { recursive: true });
		fs.copyFileSync(from, to);
	}
}
