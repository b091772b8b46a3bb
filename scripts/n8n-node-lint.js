#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run lint:n8n-node`: n8n's own `n8n-node lint` (@n8n/node-cli) on this package. The CLI needs
 * Node 24 here, so it is installed on first use into the harness's cache folder and run with the
 * harness's Node 24, not as a devDependency of the Node 20 install (~2 min the first time).
 * package.json says `"strict": false` (README, "Lint"): `n8n-node lint` then runs the project's
 * own eslint configuration.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { cacheRoot, log } = require('./n8n/harness');
const { ensureNode24 } = require('./n8n/harness/install');
const { npmCliPath, node24Env } = require('./n8n/harness/npm');

const NODE_CLI = '@n8n/node-cli@0.48.3';

async function main() {
	const root = cacheRoot();
	const node24 = await ensureNode24(root);
	const env = node24Env(node24);
	const dir = path.join(root, NODE_CLI.replace(/[@/]/g, '_'));
	if (!fs.existsSync(path.join(dir, '.install-complete'))) {
		log(`installing ${NODE_CLI} into ${dir} (first time: ~2 min)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"node-cli-host","private":true}');
		const npm = [npmCliPath(), 'install', '--ignore-scripts', '--no-audit', '--no-fund', NODE_CLI];
		const installed = spawnSync(node24.node, npm, { cwd: dir, env, stdio: 'inherit' });
		if (installed.status !== 0) throw new Error(`installing ${NODE_CLI} failed`);
		fs.writeFileSync(path.join(dir, '.install-complete'), NODE_CLI);
	}
	const cli = path.join(dir, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
	const repo = path.resolve(__dirname, '..');
	const lint = spawnSync(node24.node, [cli, 'lint'], { cwd: repo, env, stdio: 'inherit' });
	process.exitCode = lint.status ?? 1;
}

main().catch((error) => {
	log(error.message);
	process.exitCode = 1;
});
