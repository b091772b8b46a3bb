// @ts-check
'use strict';
/** A lock folder that serializes first-time installs between processes. */
const fs = require('node:fs');
const path = require('node:path');
const { log, sleep } = require('./config');

/**
 * Run `fn` holding a lock folder next to `dir`, so that two processes (parallel test
 * workers, say) warming a cold cache do not install into the same folder at once.
 * A lock left by a process that no longer exists is taken over.
 * @template T
 * @param {string} dir
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
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
			if (errorCode(error) !== 'EEXIST') throw error;
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

/**
 * The pid in the lock folder; 0 while its owner has not written it yet; null if released.
 * @param {string} lock
 * @returns {number | null}
 */
function lockOwner(lock) {
	try {
		return Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
	} catch (error) {
		if (errorCode(error) !== 'ENOENT') throw error;
		return fs.existsSync(lock) ? 0 : null;
	}
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return errorCode(error) === 'EPERM';
	}
}

/**
 * The `code` of a Node system error (EEXIST, ...).
 * @param {unknown} error
 * @returns {string | undefined}
 */
function errorCode(error) {
	return /** @type {NodeJS.ErrnoException} */ (error).code;
}

module.exports = { withInstallLock };
