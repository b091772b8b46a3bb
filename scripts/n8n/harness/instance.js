// @ts-check
'use strict';
/**
 * One n8n instance: a user folder, the n8n CLI commands that write into it while n8n is stopped
 * (install a package, import credentials and workflows, publish), and the `n8n start` process
 * (or, for queue mode's other processes, `n8n webhook` / `n8n worker`; queue.js puts those
 * together). Its HTTP side (login, REST API, executions) is rest.js's.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DEFAULT_OWNER, log, sleep } = require('./config');
const { installManually, installTarball, packRepo } = require('./community-install');
const { ensureN8n } = require('./install');
const { n8nEnv } = require('./n8n-env');
const { nodeEnv } = require('./npm');
const { assertPortFree, run, spawnServer, stopServer } = require('./process');
const { createRestClient } = require('./rest');

/** @typedef {import('./config').Owner} Owner */
/** @typedef {import('./community-install').InstalledPackage} InstalledPackage */
/** @typedef {import('./community-install').ManuallyInstalledPackage} ManuallyInstalledPackage */
/** @typedef {import('./process').ExitStatus} ExitStatus */

/**
 * A credential as `n8n import:credentials` reads it (data unencrypted).
 * @typedef {object} CredentialJson
 * @property {string} id
 * @property {string} name
 * @property {string} type  the credential type's name, e.g. sipCallerWebhookApi
 * @property {Record<string, unknown>} data
 */

/**
 * A workflow as `n8n import:workflow` reads it (id, name, nodes, connections, settings, ...).
 * @typedef {Record<string, unknown>} WorkflowJson
 */

/**
 * What `n8n <command>` runs: the main process (`start`: editor, REST API, and the webhooks unless
 * queue mode turns them off), or in queue mode a webhook process or a worker.
 * @typedef {'start' | 'webhook' | 'worker'} N8nCommand
 */

/**
 * @typedef {object} InstanceOptions
 * @property {number} [port]  n8n's HTTP port (default 5678); the task-runner broker gets port + 1.
 *   A worker serves no HTTP itself: give it QUEUE_HEALTH_CHECK_PORT=port in `env` (queue.js does)
 *   for the readiness probe.
 * @property {N8nCommand} [command]  default `start`
 * @property {string} [name]  the name in the harness's log lines (default `n8n`)
 * @property {string} [dir]  the n8n user folder (N8N_USER_FOLDER; default: a new temp dir). n8n
 *   keeps its SQLite database, config and installed community packages in <dir>/.n8n.
 * @property {Record<string, string>} [env]  extra environment for n8n (overrides n8nEnv()'s)
 * @property {Owner} [owner]  default DEFAULT_OWNER
 */

/**
 * @typedef {object} InstanceBase
 * @property {number} port
 * @property {string} baseUrl  http://127.0.0.1:<port>
 * @property {string} webhookBaseUrl  where production webhooks are called: baseUrl here (a queue
 *   instance: its first webhook process)
 * @property {string[]} webhookUrls  [webhookBaseUrl] (a queue instance: every webhook process)
 * @property {string} dir  the user folder
 * @property {import('./paths').N8nPaths} paths
 * @property {Owner} owner
 * @property {() => string} logs  captured stdout + stderr of every n8n process of this instance
 * @property {(tarballOrRepoDir: string) => Promise<InstalledPackage>} installPackage
 *   (n8n must be stopped) a tarball, or a repo folder that is packed first; installed as n8n's
 *   Community Nodes installer does
 * @property {(tarball: string) => Promise<ManuallyInstalledPackage>} installPackageManually
 *   (n8n must be stopped) the README's manual install: `npm install <tarball>` in
 *   <dir>/.n8n/nodes, with the npm and node that run this n8n
 * @property {(credentials: CredentialJson[]) => Promise<void>} importCredentials
 *   n8n import:credentials (n8n must be stopped)
 * @property {(workflow: WorkflowJson | WorkflowJson[]) => Promise<void>} importWorkflow
 *   n8n import:workflow (n8n must be stopped)
 * @property {(id: string) => Promise<void>} publishWorkflow
 *   n8n publish:workflow; on n8n 1.x, update:workflow --active=true (n8n must be stopped)
 * @property {(options?: { timeoutMs?: number }) => Promise<N8nInstance>} start
 *   spawn `n8n <command>`, resolve when /healthz/readiness is 200 and n8n printed its ready line
 *   (READY_LINES below)
 * @property {(options?: { timeoutMs?: number }) => Promise<void>} stop
 *   SIGTERM, wait for exit (SIGKILL after timeoutMs)
 * @property {(signal?: NodeJS.Signals) => Promise<ExitStatus>} kill
 *   send `signal` (default SIGKILL: a crash) to the n8n process, wait for its exit (SIGKILL after
 *   30 s), then SIGKILL the children it left (its task runner); no-op if none runs
 * @property {() => Promise<ExitStatus>} waitForExit
 *   resolves when the running n8n exits (at once if none runs)
 */

/**
 * The REST side (rest.js); all need n8n running.
 * @typedef {Pick<import('./rest').RestClient, 'waitForWebhook' | 'setupOwner' | 'login' | 'rest' | 'listExecutions' | 'getExecution' | 'nodeTypes'>} InstanceRest
 */

/** @typedef {InstanceBase & InstanceRest} N8nInstance */

/**
 * What n8n prints once it is up, besides answering /healthz/readiness 200. n8n 1.x answers
 * readiness as soon as its database is migrated, before its REST API is set up and its active
 * workflows are activated, before a webhook process listens and before a worker takes jobs;
 * 2.x's main and webhook processes wait for all of it. Both print these lines.
 * @type {Record<N8nCommand, (major: number) => string | null>}
 */
const READY_LINES = {
	start: (major) => (major >= 2 ? null : 'Editor is now accessible via'),
	webhook: () => 'Webhook listener waiting for requests.',
	worker: () => 'n8n worker is now ready',
};

/**
 * @param {InstanceOptions} [options]
 * @returns {Promise<N8nInstance>}
 */
async function createInstance({
	port = 5678,
	command = 'start',
	name = 'n8n',
	dir,
	env = {},
	owner = DEFAULT_OWNER,
} = {}) {
	const paths = await ensureN8n();
	const userFolder = dir
		? path.resolve(dir)
		: fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-n8n-'));
	fs.mkdirSync(userFolder, { recursive: true });
	const baseUrl = `http://127.0.0.1:${port}`;
	// Readiness is read from an info-level log line for some processes: a quieter level asked for
	// by the caller would make start() wait for a line that never comes.
	const readsReadyLine = READY_LINES[command](paths.major) !== null;
	const quiet = ['warn', 'error', 'silent'].includes(env.N8N_LOG_LEVEL ?? '');
	const fullEnv = nodeEnv(paths.node, {
		...n8nEnv({ port, userFolder, paths }),
		...env,
		...(readsReadyLine && quiet ? { N8N_LOG_LEVEL: 'info' } : {}),
	});
	const logFile = path.join(userFolder, 'n8n.log');
	let output = '';
	/** @type {import('./process').Server | null} */
	let server = null;
	const client = createRestClient({ baseUrl, owner, isRunning: () => server !== null });

	/** @param {string | Buffer} chunk */
	const capture = (chunk) => {
		output += chunk;
		fs.appendFileSync(logFile, chunk);
	};
	const tail = () => output.split('\n').slice(-40).join('\n');

	/**
	 * Run an n8n CLI command (import:..., publish:...) to completion.
	 * @param {string[]} args
	 */
	async function cli(args) {
		if (server)
			throw new Error(
				`stop n8n before running n8n ${args[0]}: the CLI writes the database directly`,
			);
		capture(`\n$ n8n ${args.join(' ')}\n`);
		// cwd = the user folder: n8n loads a .env file from its working directory.
		const result = await run(paths.node.node, [paths.n8nBin, ...args], {
			cwd: userFolder,
			env: fullEnv,
		});
		capture(result);
		return result;
	}

	/**
	 * @param {string} name
	 * @param {unknown} content
	 */
	function writeInput(name, content) {
		const file = path.join(userFolder, 'import', name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	/** @type {N8nInstance} */
	const instance = {
		port,
		baseUrl,
		webhookBaseUrl: baseUrl,
		webhookUrls: [baseUrl],
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

		async installPackageManually(tarball) {
			if (server)
				throw new Error('stop n8n before installing a package: it loads packages at start-up');
			return installManually(paths, userFolder, tarball);
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
		// workflow's triggers, asynchronously, at the next start. n8n 1.x has no publish:workflow
		// (nor drafts): it activates with update:workflow, and registers the triggers of active
		// workflows during start-up, before it is ready.
		async publishWorkflow(id) {
			log(`publishing workflow ${id}`);
			if (paths.major >= 2) await cli(['publish:workflow', `--id=${id}`]);
			else await cli(['update:workflow', `--id=${id}`, '--active=true']);
		},

		async start({ timeoutMs = 120000 } = {}) {
			if (server) return instance;
			// Otherwise the readiness probe below could be answered by another n8n on that port.
			await assertPortFree(port);
			await assertPortFree(port + 1);
			log(
				`starting ${name}: n8n@${paths.version} ${command} on ${baseUrl} (user folder ${userFolder})`,
			);
			const started = Date.now();
			capture(`\n$ n8n ${command}\n`);
			const outputBefore = output.length;
			const readyLine = READY_LINES[command](paths.major);
			const startedUp = () => !readyLine || output.includes(readyLine, outputBefore);
			const spawned = spawnServer(paths.node.node, [paths.n8nBin, command], {
				cwd: userFolder,
				env: fullEnv,
				onOutput: capture,
				onExit: () => {
					if (server === spawned) server = null;
				},
			});
			server = spawned;
			while (Date.now() - started < timeoutMs) {
				if (!server) throw new Error(`${name} exited during start-up\n${tail()}`);
				const ready = await client.request('GET', '/healthz/readiness').catch(() => null);
				if (ready && ready.status === 200 && startedUp()) {
					log(`${name} is up (${((Date.now() - started) / 1000).toFixed(1)} s)`);
					return instance;
				}
				await sleep(250);
			}
			await instance.stop();
			throw new Error(`${name} was not ready after ${timeoutMs} ms\n${tail()}`);
		},

		waitForExit() {
			return server ? server.exited : Promise.resolve({ code: null, signal: null });
		},

		async stop({ timeoutMs = 30000 } = {}) {
			const current = server;
			if (!current) return;
			log(`stopping ${name}`);
			const started = Date.now();
			await stopServer(current, timeoutMs);
			client.forgetLogin();
			log(`${name} stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		},

		async kill(signal = 'SIGKILL') {
			const current = server;
			if (!current) return { code: null, signal: null };
			log(`sending ${signal} to ${name}`);
			capture(`\n[harness] ${signal} sent to n8n ${command}\n`);
			const status = await stopServer(current, 30000, signal);
			client.forgetLogin();
			return status;
		},

		waitForWebhook: client.waitForWebhook,
		setupOwner: client.setupOwner,
		login: client.login,
		rest: client.rest,
		listExecutions: client.listExecutions,
		getExecution: client.getExecution,
		nodeTypes: client.nodeTypes,
	};

	return instance;
}

module.exports = { createInstance };
