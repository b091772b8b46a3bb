#!/usr/bin/env node
'use strict';
/**
 * Run a local n8n with this repo's package installed, for trying the nodes by hand.
 *
 * Usage: node scripts/n8n/dev.js [--port 5678] [--fresh] [--package <tarball>]
 *   --port     n8n's port (the task-runner broker takes port + 1)
 *   --fresh    start from an empty user folder (forget workflows, credentials, owner)
 *   --package  install this tarball instead of packing the repo
 * The user folder is kept between runs in <cache>/dev-user-folder; the package is
 * re-packed and re-installed at every start so that n8n runs the current code.
 * Ctrl-C stops n8n.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheRoot, createInstance, log } = require('./harness');

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const port = Number(option('--port') || 5678);
const repoDir = path.resolve(__dirname, '..', '..');

async function main() {
	const dir = path.join(cacheRoot(), 'dev-user-folder');
	if (args.includes('--fresh')) fs.rmSync(dir, { recursive: true, force: true });
	const n8n = await createInstance({ port, dir });
	await n8n.installPackage(option('--package') ? path.resolve(option('--package')) : repoDir);
	await n8n.start();
	const owner = await n8n.setupOwner();

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await n8n.stop();
		process.exit(0);
	};
	// Ctrl-C reaches n8n too (same process group); wait for it to finish shutting down.
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	process.stdout.write(
		[
			'',
			`n8n is running: ${n8n.baseUrl}`,
			`log in with:    ${owner.email} / ${owner.password}`,
			`user folder:    ${n8n.dir} (n8n's log: ${path.join(n8n.dir, 'n8n.log')})`,
			'Ctrl-C stops it.',
			'',
		].join('\n'),
	);
	const { code, signal } = await n8n.waitForExit();
	if (!stopping) {
		log(`n8n exited by itself (${signal || code}); see ${path.join(n8n.dir, 'n8n.log')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	log(`dev failed: ${error.stack || error.message}`);
	process.exit(1);
});
