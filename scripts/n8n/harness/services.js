// @ts-check
'use strict';
/**
 * The services n8n's queue mode needs, from Debian's packages: PostgreSQL (package `postgresql`)
 * and Redis (package `redis-server`). Each runs in the foreground on 127.0.0.1 on a free port, its
 * data in a folder of the caller's, and is stopped by the harness (never Debian's own services:
 * whether apt started those or not does not matter). PostgreSQL refuses to run as root: as root
 * it runs as the `postgres` user (created by the package), through setpriv (util-linux).
 */
const fs = require('node:fs');
const path = require('node:path');
const { log, sleep } = require('./config');
const { freePort, run, spawnServer, stopServer } = require('./process');

/**
 * Where the Debian binaries are.
 * @typedef {object} QueueServiceBinaries
 * @property {string} pgBin  /usr/lib/postgresql/<version>/bin (initdb, postgres, createdb)
 * @property {string} redisServer  the redis-server binary
 */

/**
 * A service the harness started.
 * @typedef {object} Service
 * @property {string} host  127.0.0.1
 * @property {number} port
 * @property {() => string} logs  its captured output
 * @property {() => Promise<void>} stop  stop it and wait for its exit (its data stays)
 */

/**
 * @typedef {Service & { database: string, user: string, password: string }} PostgresService
 *   trust authentication on 127.0.0.1: any password is accepted
 */

const PG_ROOT = '/usr/lib/postgresql';
const PG_PROGRAMS = ['initdb', 'postgres', 'createdb'];
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Check that the Debian binaries queue mode needs are installed; throw an error that names the
 * apt packages to install when one is missing.
 * @returns {QueueServiceBinaries}
 */
function ensureQueueServices() {
	const pgBin = findPgBin();
	const redisServer = findOnPath('redis-server');
	/** @type {string[]} */
	const missing = [];
	if (!pgBin || (isRoot() && !userExists('postgres'))) missing.push('postgresql');
	if (!redisServer) missing.push('redis-server');
	if (isRoot() && !findOnPath('setpriv')) missing.push('util-linux');
	if (missing.length > 0 || !pgBin || !redisServer)
		throw new Error(
			`n8n's queue mode needs PostgreSQL and Redis from Debian's packages; missing: ` +
				`${missing.join(', ')}. Install with: apt-get install -y ${missing.join(' ')}`,
		);
	return { pgBin, redisServer };
}

/** @returns {string | null} the bin folder of the newest PostgreSQL with all PG_PROGRAMS */
function findPgBin() {
	if (!fs.existsSync(PG_ROOT)) return null;
	const versions = fs
		.readdirSync(PG_ROOT)
		.filter((v) => /^\d+$/.test(v))
		.sort((a, b) => Number(b) - Number(a));
	for (const version of versions) {
		const bin = path.join(PG_ROOT, version, 'bin');
		if (PG_PROGRAMS.every((p) => isExecutable(path.join(bin, p)))) return bin;
	}
	return null;
}

/** @param {string} name */
function findOnPath(name) {
	const dirs = (process.env.PATH || '').split(':').concat(['/usr/bin', '/usr/sbin', '/bin']);
	for (const dir of dirs) {
		const file = path.join(dir, name);
		if (dir && isExecutable(file)) return file;
	}
	return null;
}

/** @param {string} file */
function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** @param {string} name */
function userExists(name) {
	return fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.some((line) => line.split(':')[0] === name);
}

/**
 * The command that runs a PostgreSQL program: as the postgres user when we are root.
 * @param {string} program
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
function asPostgres(program, args) {
	if (!isRoot()) return [program, args];
	const setpriv = /** @type {string} */ (findOnPath('setpriv'));
	const user = ['--reuid=postgres', '--regid=postgres', '--init-groups'];
	return [setpriv, [...user, '--', program, ...args]];
}

/**
 * Start a foreground server and resolve once it printed `readyLine`.
 * @param {string} name
 * @param {[string, string[]]} command
 * @param {{ cwd: string, readyLine: string, stopSignal: NodeJS.Signals, timeoutMs?: number }} options
 * @returns {Promise<{ logs: () => string, stop: () => Promise<void> }>}
 */
async function startServer(
	name,
	[program, args],
	{ cwd, readyLine, stopSignal, timeoutMs = 30000 },
) {
	let output = '';
	let exited = false;
	const server = spawnServer(program, args, {
		cwd,
		env: { ...process.env, LC_ALL: 'C' },
		onOutput: (chunk) => (output += chunk),
		onExit: () => (exited = true),
	});
	const stop = async () => {
		if (exited) return;
		await stopServer(server, 15000, stopSignal);
		log(`${name} stopped`);
	};
	const started = Date.now();
	while (!output.includes(readyLine)) {
		if (exited) throw new Error(`${name} exited during start-up\n${output}`);
		if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`${name} not ready after ${timeoutMs} ms\n${output}`);
		}
		await sleep(100);
	}
	return { logs: () => output, stop };
}

/**
 * A fresh PostgreSQL cluster in `dir` (created here, owned by postgres when we are root) on
 * 127.0.0.1, with the database `n8n` of the superuser `n8n`. Settings for throwaway data: no
 * fsync, no Unix socket.
 * @param {QueueServiceBinaries} binaries
 * @param {string} dir
 * @returns {Promise<PostgresService>}
 */
async function startPostgres({ pgBin }, dir) {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	if (isRoot()) {
		const [uid, gid] = fs
			.readFileSync('/etc/passwd', 'utf8')
			.split('\n')
			.map((line) => line.split(':'))
			.filter((fields) => fields[0] === 'postgres')
			.map((fields) => [Number(fields[2]), Number(fields[3])])[0];
		fs.chownSync(dir, uid, gid);
	}
	const user = 'n8n';
	const initdb = ['-D', dir, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'];
	await run(...asPostgres(path.join(pgBin, 'initdb'), initdb), { cwd: dir });
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: '',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
	};
	const args = ['-D', dir, '-p', String(port)];
	for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
	log(`starting PostgreSQL on 127.0.0.1:${port} (data in ${dir})`);
	const server = await startServer('PostgreSQL', asPostgres(path.join(pgBin, 'postgres'), args), {
		cwd: dir,
		readyLine: 'database system is ready to accept connections',
		// SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
		stopSignal: 'SIGINT',
	});
	const database = 'n8n';
	const createdb = ['-h', '127.0.0.1', '-p', String(port), '-U', user, database];
	await run(path.join(pgBin, 'createdb'), createdb).catch(async (error) => {
		await server.stop();
		throw error;
	});
	return { host: '127.0.0.1', port, database, user, password: 'n8n', ...server };
}

/**
 * Redis on 127.0.0.1, in memory only (no RDB snapshots, no AOF), its working folder `dir`.
 * @param {QueueServiceBinaries} binaries
 * @param {string} dir
 * @returns {Promise<Service>}
 */
async function startRedis({ redisServer }, dir) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	log(`starting Redis on 127.0.0.1:${port}`);
	const server = await startServer('Redis', [redisServer, [...args, '--dir', dir]], {
		cwd: dir,
		readyLine: 'Ready to accept connections',
		stopSignal: 'SIGTERM',
	});
	return { host: '127.0.0.1', port, ...server };
}

module.exports = { ensureQueueServices, startPostgres, startRedis };
