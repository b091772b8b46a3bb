#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Throughput of one delivery's work, side by side, on the seed's CallEnded payload:
 *   1. bare HMAC-SHA256 over "<t>." + body (the floor: what any verifier must do)
 *   2. HMAC + JSON.parse (the floor plus reading the event)
 *   3. verifySignature + parseEvent (this package: header parsing, constant-time compare, zod)
 *   4. decide (everything webhook() asks of the core)
 * Prints ops/s (median of 5 rounds) and the ratio to line 2. Run: npm run bench
 */
const { createHmac } = require('crypto');
const { readFileSync } = require('fs');
const { join } = require('path');

// The built package (`npm run bench` builds first), typed from its source: a literal '../dist/...'
// would make `npm run typecheck` depend on a build.
const core = /** @type {typeof import('../nodes/SipCaller/core')} */ (
	require(join(__dirname, '..', 'dist', 'nodes', 'SipCaller', 'core'))
);

const body = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'CallEnded.json'));
const secret = core.generateSigningSecret();
const key = Buffer.from(secret, 'hex');
const t = Math.floor(Date.now() / 1000);
const header = core.signPayload(body, secret, t);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const ROUNDS = 5;

let sink = 0; // keeps results alive so nothing is optimized away
/** @type {Array<[string, () => void]>} */
const cases = [
	[
		'bare HMAC-SHA256',
		() => (sink ^= createHmac('sha256', key).update(`${t}.`).update(body).digest()[0]),
	],
	[
		'HMAC + JSON.parse',
		() => {
			sink ^= createHmac('sha256', key).update(`${t}.`).update(body).digest()[0];
			sink ^= JSON.parse(body.toString('utf8')).apiVersion;
		},
	],
	[
		'verifySignature + parseEvent',
		() => {
			const verdict = core.verifySignature(body, header, [secret]);
			if (!verdict.ok) throw new Error(verdict.message);
			const parsed = core.parseEvent(JSON.parse(body.toString('utf8')));
			if (!parsed.ok || parsed.issues.length) throw new Error('fixture did not parse');
			sink ^= parsed.issues.length;
		},
	],
	[
		'decide (full webhook core)',
		() => {
			const decision = core.decide({
				rawBody: body,
				signatureHeader: header,
				secrets: [secret, ''],
				options: { events: ['*'] },
			});
			if (decision.action !== 'accept') throw new Error(decision.message);
			sink ^= decision.status;
		},
	],
];

/** @param {() => void} fn */
function opsPerSecond(fn) {
	for (let i = 0; i < 2000; i++) fn(); // warm up
	const rounds = [];
	for (let r = 0; r < ROUNDS; r++) {
		let n = 0;
		const start = process.hrtime.bigint();
		const end = start + BigInt(ROUND_MS) * 1000000n;
		let now = start;
		while (now < end) {
			for (let i = 0; i < 100; i++) fn();
			n += 100;
			now = process.hrtime.bigint();
		}
		rounds.push(n / (Number(now - start) / 1e9));
	}
	return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const results = cases.map(([name, fn]) => /** @type {const} */ ([name, opsPerSecond(fn)]));
const baseline = results[1][1];
process.stdout.write(
	`node ${process.version}, body ${body.length} bytes, median of ${ROUNDS} x ${ROUND_MS} ms\n`,
);
for (const [name, ops] of results) {
	process.stdout.write(
		`${name.padEnd(30)} ${Math.round(ops).toLocaleString('en-US').padStart(10)} ops/s   x${(ops / baseline).toFixed(2)} of HMAC + JSON.parse\n`,
	);
}
if (sink === 0.5) process.stdout.write('');
