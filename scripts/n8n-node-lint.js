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
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { cacheRoot, log } = require('./n8n/harness');
const { ensureNode24, ensureTool } = require('./n8n/harness/install');
const { node24Env } = require('./n8n/harness/npm');

const NODE_CLI = '@n8n/node-cli@0.48.3';

async function main() {
	const node24 = await ensureNode24(cacheRoot());
	const env = node24Env(node24);
	const dir = await ensureTool(NODE_CLI, { node: node24.node, env, estimate: '~2 min' });
	const cli = path.join(dir, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
	const repo = path.resolve(__dirname, '..');
	const lint = spawnSync(node24.node, [cli, 'lint'], { cwd: repo, env, stdio: 'inherit' });
	process.exitCode = lint.status ?? 1;
}

main().catch((error) => {
	log(error.message);
	process.exitCode = 1;
});
