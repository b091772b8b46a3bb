// @ts-check
'use strict';
/** npm under a chosen node: the machine's npm-cli.js, and the environment a node needs. */
const fs = require('node:fs');
const path = require('node:path');
const { run } = require('./process');

/**
 * The machine's npm (its npm-cli.js), so that we can run it under whichever node we choose.
 * @returns {string}
 */
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
		if (!fs.existsSync(npm)) continue;
		const real = fs.realpathSync(npm);
		if (real.endsWith('npm-cli.js')) return real;
	}
	throw new Error('cannot find the npm-cli.js of the machine npm');
}

/**
 * Environment for npm/n8n under a chosen node: its bin dir first on PATH (n8n starts its task
 * runner as plain `node`, node-gyp looks there too) and npm_config_nodedir at its headers
 * (the machine's npmrc says nodedir=/usr, the Node 20 headers). npm_* variables inherited
 * from an outer `npm run` are dropped so they cannot steer the inner npm.
 * @param {import('./paths').NodeRuntime} runtime
 * @param {Record<string, string>} [extra]  added last (overrides)
 * @returns {NodeJS.ProcessEnv}
 */
function nodeEnv(runtime, extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_/i.test(key)) env[key] = value;
	}
	env.PATH = [path.join(runtime.root, 'bin'), process.env.PATH].join(path.delimiter);
	env.npm_config_nodedir = runtime.root;
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return Object.assign(env, extra);
}

/** Node 24's environment (see nodeEnv). */
const node24Env = nodeEnv;

/**
 * npm (the machine's npm-cli.js) run by the node that runs this n8n (paths.node), in `cwd`.
 * @param {import('./paths').N8nPaths} paths
 * @param {string} cwd
 * @param {string[]} args
 * @param {string} [logFile]
 * @returns {Promise<string>}
 */
function n8nNpm(paths, cwd, args, logFile) {
	return run(paths.node.node, [paths.npmCli, ...args], {
		cwd,
		env: nodeEnv(paths.node),
		logFile,
	});
}

module.exports = { npmCliPath, nodeEnv, node24Env, n8nNpm };
