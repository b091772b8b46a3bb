// @ts-check
'use strict';
/**
 * n8n in queue mode (scaling mode), as a production setup runs it: PostgreSQL and Redis
 * (services.js), one main process (`n8n start`: editor, REST API, triggers, but no production
 * webhooks: N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true), N webhook processes (`n8n webhook`: they
 * answer production webhook calls and put the executions in the queue) and one worker
 * (`n8n worker`: it runs them). Every process is an instance of instance.js with its own user
 * folder, HTTP port and task-runner broker port, the package installed into each folder as n8n's
 * installer does, and all share the encryption key, the database and the queue.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DEFAULT_OWNER, log } = require('./config');
const { packRepo } = require('./community-install');
const { ensureN8n } = require('./install');
const { createInstance } = require('./instance');
const { freePortPair } = require('./process');
const { ensureQueueServices, startPostgres, startRedis } = require('./services');

/** @typedef {import('./config').Owner} Owner */
/** @typedef {import('./instance').N8nInstance} N8nInstance */
/** @typedef {import('./instance').InstanceBase} InstanceBase */
/** @typedef {import('./instance').InstanceRest} InstanceRest */
/** @typedef {import('./process').ExitStatus} ExitStatus */
/** @typedef {import('./community-install').InstalledPackage} InstalledPackage */

/**
 * @typedef {object} QueueOptions
 * @property {number} [webhookProcesses]  how many `n8n webhook` processes (default 2)
 * @property {Record<string, string>} [env]  extra environment for every n8n process
 * @property {Owner} [owner]  default DEFAULT_OWNER
 */

/**
 * Where the services listen (trust authentication on 127.0.0.1: any password is accepted).
 * @typedef {object} QueueServices
 * @property {{ host: string, port: number, database: string, user: string }} postgres
 * @property {{ host: string, port: number }} redis
 */

/**
 * A queue-mode n8n. Like an N8nInstance: baseUrl, port, REST and executions are main's; the CLI
 * imports and publishing run through main's CLI (they write the shared database: stop main
 * first); installPackage installs into every process's user folder.
 * @typedef {Pick<InstanceBase, 'baseUrl' | 'port' | 'paths' | 'owner' | 'logs' | 'importCredentials' | 'importWorkflow' | 'publishWorkflow'> & InstanceRest & QueueExtras} QueueInstance
 */

/**
 * @typedef {object} QueueExtras
 * @property {'queue'} mode
 * @property {string} dir  the temp folder with every user folder and the services' data
 * @property {string} webhookBaseUrl  the first webhook process (also n8n's N8N_WEBHOOK_URL)
 * @property {string[]} webhookUrls  every webhook process's base URL
 * @property {string[]} processNames  main, webhook-1 ... webhook-N, worker
 * @property {QueueServices} services
 * @property {(name: string) => N8nInstance} process  one process (start, stop, kill, logs, ...)
 * @property {(tarballOrRepoDir: string) => Promise<InstalledPackage & { dirs: string[] }>} installPackage
 *   into every user folder (all processes stopped); returns main's, and `dirs` of all
 * @property {(options?: { timeoutMs?: number }) => Promise<QueueInstance>} start
 *   main first (it migrates the database and activates the workflows), then the webhook
 *   processes and the worker together; each is ready once its /healthz/readiness is 200 and it
 *   printed its ready line
 * @property {(options?: { timeoutMs?: number }) => Promise<void>} restart
 *   stop every n8n process and start them again (PostgreSQL, Redis and the data stay)
 * @property {(options?: { timeoutMs?: number }) => Promise<void>} stop
 *   stop every n8n process, then Redis and PostgreSQL, and delete `dir`: for good
 * @property {(name: string, signal?: NodeJS.Signals) => Promise<ExitStatus>} kill
 *   signal one process (default SIGKILL: a crash; its task runner is killed after it);
 *   `process(name).start()` brings it back
 * @property {(url: string, options?: { method?: string, timeoutMs?: number }) => Promise<void>} waitForWebhook
 *   wait until every webhook process serves the production webhook at url's path
 */

// Temp folders of queue instances not stopped yet: removed when this process exits.
/** @type {Set<string>} */
const leftBehind = new Set();
process.on('exit', () => {
	for (const dir of leftBehind) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * @param {QueueOptions} [options]
 * @returns {Promise<QueueInstance>}
 */
async function createQueueInstance({ webhookProcesses = 2, env = {}, owner = DEFAULT_OWNER } = {}) {
	if (!Number.isInteger(webhookProcesses) || webhookProcesses < 1)
		throw new Error(`webhookProcesses must be a whole number >= 1, not ${webhookProcesses}`);
	const binaries = ensureQueueServices();
	const paths = await ensureN8n();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-n8n-queue-'));
	leftBehind.add(root);
	// PostgreSQL runs as the postgres user: it must be able to reach its data folder inside.
	fs.chmodSync(root, 0o711);
	/** @type {Array<() => Promise<void>>} */
	const stopServices = [];
	const removeAll = async () => {
		for (const stop of stopServices.reverse()) await stop();
		fs.rmSync(root, { recursive: true, force: true });
		leftBehind.delete(root);
	};
	try {
		const postgres = await startPostgres(binaries, path.join(root, 'postgres'));
		stopServices.push(postgres.stop);
		const redis = await startRedis(binaries, path.join(root, 'redis'));
		stopServices.push(redis.stop);

		const mainPort = await freePortPair();
		const webhookPorts = [];
		for (let i = 0; i < webhookProcesses; i++) webhookPorts.push(await freePortPair());
		const workerPort = await freePortPair();
		const webhookUrls = webhookPorts.map((port) => `http://127.0.0.1:${port}`);
		/** @type {Record<string, string>} */
		const shared = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// The production webhook URL n8n shows and hands to workflows: the webhook processes'
			// (in production, a load balancer in front of them).
			N8N_WEBHOOK_URL: `${webhookUrls[0]}/`,
		};
		/**
		 * @param {string} name
		 * @param {import('./instance').N8nCommand} command
		 * @param {number} port
		 * @param {Record<string, string>} [own]
		 */
		const spawnable = (name, command, port, own = {}) =>
			createInstance({
				port,
				command,
				name,
				dir: path.join(root, name),
				env: { ...shared, ...own, ...env },
				owner,
			});
		const main = await spawnable('main', 'start', mainPort, {
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		});
		/** @type {N8nInstance[]} */
		const webhooks = [];
		for (const [i, port] of webhookPorts.entries())
			webhooks.push(await spawnable(`webhook-${i + 1}`, 'webhook', port));
		// The worker serves no HTTP but its health server (off by default; on 127.0.0.1 here).
		const worker = await spawnable('worker', 'worker', workerPort, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(workerPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		/** @type {Map<string, N8nInstance>} */
		const processes = new Map([
			['main', main],
			...webhooks.map((p, i) => /** @type {[string, N8nInstance]} */ ([`webhook-${i + 1}`, p])),
			['worker', worker],
		]);
		const others = [...webhooks, worker];
		let stopped = false;

		/** @param {string} name */
		const processNamed = (name) => {
			const found = processes.get(name);
			if (!found)
				throw new Error(`no process ${name}; there are ${[...processes.keys()].join(', ')}`);
			return found;
		};

		/** @param {{ timeoutMs?: number }} [options] */
		const stopN8n = async (options) => {
			await Promise.all(others.map((p) => p.stop(options)));
			await main.stop(options);
		};

		/** @type {QueueInstance} */
		const instance = {
			mode: 'queue',
			baseUrl: main.baseUrl,
			port: main.port,
			dir: root,
			paths,
			owner,
			webhookBaseUrl: webhookUrls[0],
			webhookUrls,
			processNames: [...processes.keys()],
			services: {
				postgres: {
					host: postgres.host,
					port: postgres.port,
					database: postgres.database,
					user: postgres.user,
				},
				redis: { host: redis.host, port: redis.port },
			},
			process: processNamed,

			logs: () =>
				[...processes.entries()]
					.map(([name, p]) => `===== ${name} =====\n${p.logs()}`)
					.concat(`===== PostgreSQL =====\n${postgres.logs()}`)
					.concat(`===== Redis =====\n${redis.logs()}`)
					.join('\n'),

			async installPackage(tarballOrRepoDir) {
				const isDir = fs.statSync(tarballOrRepoDir).isDirectory();
				const tarball = isDir ? await packRepo(tarballOrRepoDir) : tarballOrRepoDir;
				try {
					// npm's cache is safe to share between concurrent installs.
					const installed = await Promise.all(
						[...processes.values()].map((p) => p.installPackage(tarball)),
					);
					return { ...installed[0], dirs: installed.map((i) => i.dir) };
				} finally {
					if (isDir) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
				}
			},
			importCredentials: main.importCredentials,
			importWorkflow: main.importWorkflow,
			publishWorkflow: main.publishWorkflow,

			async start({ timeoutMs } = {}) {
				if (stopped) throw new Error('this queue instance was stopped for good: create another');
				log(`starting n8n in queue mode: main, ${webhookProcesses} webhook process(es), a worker`);
				await main.start({ timeoutMs });
				await Promise.all(others.map((p) => p.start({ timeoutMs })));
				return instance;
			},

			async restart(options) {
				await stopN8n(options);
				await instance.start(options);
			},

			async stop(options) {
				if (stopped) return;
				stopped = true;
				await stopN8n(options);
				await removeAll();
			},

			kill: (name, signal) => processNamed(name).kill(signal),

			async waitForWebhook(url, options) {
				const { pathname, search } = new URL(url);
				await Promise.all(
					webhooks.map((p) => p.waitForWebhook(`${p.baseUrl}${pathname}${search}`, options)),
				);
			},
			setupOwner: main.setupOwner,
			login: main.login,
			rest: main.rest,
			listExecutions: main.listExecutions,
			getExecution: main.getExecution,
			nodeTypes: main.nodeTypes,
		};
		return instance;
	} catch (error) {
		await removeAll();
		throw error;
	}
}

module.exports = { createQueueInstance };
