// @ts-check
'use strict';
/**
 * What the bench sends and receives over HTTP: signed events (the sample CallEnded with a fresh
 * id; or unsigned: no Sip-Caller-Signature header), resent ones, the POSTs to n8n with --concurrency requests in flight (keep-alive), and the
 * sink the → HTTP Request workflows call, which counts what each workflow sent it.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { newEventId } = require('../load/lib');
const { CONCURRENCY } = require('./options');
const { SECRET } = require('./variants');

/** @typedef {{ body: string, signature: string }} Delivery  signature '': no header */
/** @typedef {{ status: number, text: string, ms: number }} Answer */
/**
 * @typedef {object} Sink
 * @property {string} url
 * @property {(id: string) => number} hits
 * @property {() => Promise<unknown>} close
 */

const SAMPLE = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'CallEnded.json'), 'utf8'),
);

// ---------------------------------------------------------------------------------------------
// Events and signatures (HMAC-SHA256 of "<t>.<raw body>", key = the hex-decoded secret)

/** @param {string} body @param {string} secret */
function sign(body, secret) {
	const t = Math.floor(Date.now() / 1000);
	const mac = crypto.createHmac('sha256', Buffer.from(secret, 'hex'));
	return `t=${t},v1=${mac.update(`${t}.${body}`).digest('hex')}`;
}

/**
 * Fresh events, signed with `secret` (null: unsigned, sent without the header).
 * @param {number} count @param {string | null} [secret] @returns {Delivery[]}
 */
function newDeliveries(count, secret = SECRET) {
	return Array.from({ length: count }, () => {
		const body = JSON.stringify({ ...SAMPLE, id: newEventId() });
		return { body, signature: secret === null ? '' : sign(body, secret) };
	});
}

/** The same events, signed again (a resend carries a fresh timestamp). @param {Delivery[]} list */
function resign(list) {
	return list.map(({ body }) => ({ body, signature: sign(body, SECRET) }));
}

// ---------------------------------------------------------------------------------------------
// Sink, sending

/** @returns {Promise<Sink>} */
function startSink() {
	/** @type {Map<string, number>} */
	const hits = new Map();
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const id = (req.url ?? '/').slice(1);
			hits.set(id, (hits.get(id) ?? 0) + 1);
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${port}`,
				hits: (id) => hits.get(id) ?? 0,
				close: () => new Promise((done) => server.close(() => done(undefined))),
			});
		});
	});
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** @param {string} url @param {Delivery} d @returns {Promise<Answer>} */
function post(url, d) {
	const started = process.hrtime.bigint();
	return new Promise((resolve) => {
		/** @param {number} status @param {string} text */
		const done = (status, text) =>
			resolve({ status, text, ms: Number(process.hrtime.bigint() - started) / 1e6 });
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				timeout: 60_000,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(d.body),
					...(d.signature ? { 'sip-caller-signature': d.signature } : {}),
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
				res.on('error', () => done(0, ''));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (error) => done(0, String(error)));
		req.end(d.body);
	});
}

/**
 * Sends every delivery with CONCURRENCY requests in flight.
 * @param {string} url @param {Delivery[]} list
 * @returns {Promise<{ answers: Answer[], seconds: number }>}
 */
async function sendAll(url, list) {
	/** @type {Answer[]} */
	const answers = new Array(list.length);
	let next = 0;
	const started = process.hrtime.bigint();
	async function lane() {
		while (next < list.length) {
			const i = next++;
			answers[i] = await post(url, list[i]);
		}
	}
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, lane));
	return { answers, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Closes the keep-alive sockets (at the end of the run). */
const closeConnections = () => agent.destroy();

module.exports = { newDeliveries, resign, startSink, sendAll, closeConnections };
