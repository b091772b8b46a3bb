// @ts-check
'use strict';
/**
 * Child processes: commands run to completion, long-running servers (n8n) that never outlive this
 * process and are stopped together with their children, and ports. Linux (/proc) only.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

/**
 * @typedef {object} RunOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]  default: this process's environment
 * @property {string} [logFile]  also append the output to this file as it arrives
 */

/**
 * Run a command; resolve with its combined output, reject with the output's tail on failure.
 * @param {string} command
 * @param {string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<string>}
 */
function run(command, args, { cwd, env, logFile } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env: env || process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		/** @param {Buffer} chunk */
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
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ExitStatus
 */

/**
 * A server process started by spawnServer().
 * @typedef {object} Server
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<ExitStatus>} exited  resolves when the process has exited
 */

/**
 * @typedef {object} ServerOptions
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} env
 * @property {(chunk: Buffer) => void} onOutput  receives its stdout and stderr
 * @property {(status: ExitStatus) => void} onExit  called when it has exited, before `exited` resolves
 */

// Every n8n server started by this process, so that none outlives it.
/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
process.on('exit', () => {
	for (const child of running) if (child.pid !== undefined) killTree(child.pid, 'SIGKILL');
});

/**
 * Start a long-running process; it is killed, with its children, if this process exits first.
 * @param {string} command
 * @param {string[]} args
 * @param {ServerOptions} options
 * @returns {Server}
 */
function spawnServer(command, args, { cwd, env, onOutput, onExit }) {
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
	running.add(child);
	child.stdout.on('data', onOutput);
	child.stderr.on('data', onOutput);
	/** @type {Promise<ExitStatus>} */
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			running.delete(child);
			const status = { code, signal };
			onExit(status);
			resolve(status);
		});
	});
	return { child, exited };
}

/**
 * Send `signal` (default SIGTERM), wait for the exit (SIGKILL to the whole tree after timeoutMs),
 * then SIGKILL whatever its children left behind.
 * @param {Server} server
 * @param {number} timeoutMs
 * @param {NodeJS.Signals} [signal]
 * @returns {Promise<ExitStatus>}
 */
async function stopServer({ child, exited }, timeoutMs, signal = 'SIGTERM') {
	const pid = /** @type {number} */ (child.pid);
	// Remember its children (the task runner) now: once n8n is gone they are re-parented.
	const children = descendants(pid);
	child.kill(signal);
	const timer = setTimeout(() => killTree(pid, 'SIGKILL'), timeoutMs);
	const status = await exited;
	clearTimeout(timer);
	for (const id of children) {
		try {
			process.kill(id, 'SIGKILL');
		} catch {
			// exited with n8n, as it should
		}
	}
	return status;
}

/**
 * Ids of all processes below `pid` (Linux /proc), deepest last.
 * @param {number} pid
 * @returns {number[]}
 */
function descendants(pid) {
	/** @type {Map<number, number[]>} */
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid)?.push(Number(entry));
		} catch {
			// the process ended while we looked
		}
	}
	/** @type {number[]} */
	const result = [];
	/** @param {number} parent */
	const walk = (parent) => {
		for (const child of children.get(parent) || []) {
			result.push(child);
			walk(child);
		}
	};
	walk(pid);
	return result;
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function killTree(pid, signal) {
	for (const id of [pid, ...descendants(pid)]) {
		try {
			process.kill(id, signal);
		} catch {
			// already gone
		}
	}
}

/**
 * Reject if something already listens on 127.0.0.1:port.
 * @param {number} port
 * @returns {Promise<void>}
 */
function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', (/** @type {NodeJS.ErrnoException} */ error) =>
			reject(new Error(`port ${port} on 127.0.0.1 is not free (${error.code})`)),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
	});
}

// Ports handed out by freePort() / freePortPair(), not bound yet by whoever asked for them:
// never handed out twice.
/** @type {Set<number>} */
const handedOut = new Set();

/**
 * Where listening ports are picked: below the kernel's ephemeral range. A port inside it can be
 * taken, between the check and n8n's bind, as the source port of any outgoing connection (n8n's
 * own to PostgreSQL, Redis or the test's sink), and n8n then exits with "port already in use".
 */
const LISTEN_RANGE = (() => {
	let ephemeralLow = 32768;
	try {
		const [low] = fs
			.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
			.trim()
			.split(/\s+/)
			.map(Number);
		if (Number.isInteger(low) && low > 12000) ephemeralLow = low;
	} catch {
		// Not Linux: keep the IANA default's lower bound.
	}
	return { from: 10000, to: ephemeralLow - 2 };
})();

/** A random candidate port in LISTEN_RANGE (the port after it stays in range too). */
const candidatePort = () =>
	LISTEN_RANGE.from + Math.floor(Math.random() * (LISTEN_RANGE.to - LISTEN_RANGE.from));

/**
 * A port that is free on 127.0.0.1 now, outside the ephemeral range, and was not handed out before.
 * @returns {Promise<number>}
 */
async function freePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = candidatePort();
		if (handedOut.has(port)) continue;
		const free = await assertPortFree(port).then(
			() => true,
			() => false,
		);
		if (free) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('no free port on 127.0.0.1');
}

/**
 * A port p such that p and p + 1 are free on 127.0.0.1 (an n8n's HTTP port and its task-runner
 * broker's) and were not handed out before.
 * @returns {Promise<number>}
 */
async function freePortPair() {
	/** @param {number} port */
	const isFree = (port) =>
		assertPortFree(port).then(
			() => true,
			() => false,
		);
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = candidatePort();
		if (handedOut.has(port) || handedOut.has(port + 1)) continue;
		if ((await isFree(port)) && (await isFree(port + 1))) {
			handedOut.add(port).add(port + 1);
			return port;
		}
	}
	throw new Error('no free pair of ports on 127.0.0.1');
}

module.exports = { run, spawnServer, stopServer, assertPortFree, freePort, freePortPair };
