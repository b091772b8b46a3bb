#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run build:sender`: the sample sender's own build (tools/sip-caller-send): the trigger's
 * signer compiled on its own into lib/ (so the command signs exactly as the trigger verifies) and
 * SIP Caller's samples copied into samples/. Skipped when both are newer than their sources, so
 * `npm run send` starts at once when nothing changed (`--force` builds anyway).
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const repo = path.resolve(__dirname, '..');
const sender = path.join(repo, 'tools', 'sip-caller-send');
const signerSource = path.join(repo, 'nodes', 'SipCaller', 'core', 'signature.ts');
const signerBuilt = path.join(sender, 'lib', 'signature.js');
const fixtures = path.join(repo, 'test', 'fixtures');
const samples = path.join(sender, 'samples');

/** @param {string} file */
const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

const force = process.argv.includes('--force');
if (force || mtime(signerBuilt) < mtime(signerSource)) {
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
