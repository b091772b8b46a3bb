#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run fuzz -- [--seed N] [--count N]`: mutated deliveries through the trigger's whole decision
 * (`decide`, built package). Each case starts from a correctly signed sample event and changes the
 * header, the body or both (bytes flipped, inserted, deleted, truncated, parts of the header
 * swapped, repeated, re-cased, another event's signature, a re-serialized body, random bytes).
 * Counts what was accepted and checks that nothing accepted was forged: an accepted delivery must
 * carry the exact bytes and a v1 that was signed for them. Any exception is a failure too.
 * Deterministic for a seed; not part of `npm test` (it is a long run: 100,000 cases by default).
 */
const fs = require('node:fs');
const path = require('node:path');
const { createHmac } = require('node:crypto');

const repo = path.resolve(__dirname, '..');
/** @type {typeof import('../nodes/SipCaller/core')} */
const core = require(path.join(repo, 'dist', 'nodes', 'SipCaller', 'core'));

const args = process.argv.slice(2);
/** @param {string} name @param {number} fallback */
const numberOption = (name, fallback) => {
	const at = args.indexOf(name);
	const value = at >= 0 ? Number(args[at + 1]) : fallback;
	if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
	return value;
};
const seed = numberOption('--seed', 1);
const count = numberOption('--count', 100_000);

/** mulberry32: a small, fast, seeded PRNG, so a failing case can be replayed. */
function prng(/** @type {number} */ s) {
	let a = s >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = prng(seed);
const int = (/** @type {number} */ n) => Math.floor(random() * n);
/** @template T @param {T[]} list @returns {T} */
const pick = (list) => list[int(list.length)];

const SECRET = core.generateSigningSecret();
const OTHER = core.generateSigningSecret();
const NOW = 1_800_000_000_000;
const T = Math.floor(NOW / 1000) - 30;
const fixtures = path.join(repo, 'test', 'fixtures');
const samples = fs
	.readdirSync(fixtures)
	.filter((name) => name.endsWith('.json'))
	.map((name) => fs.readFileSync(path.join(fixtures, name)));

/** The v1 digests SIP Caller would send for these bytes at `t`, with our secret. */
function genuine(/** @type {string} */ t, /** @type {Buffer} */ body) {
	return createHmac('sha256', Buffer.from(SECRET, 'hex'))
		.update(`${t}.`)
		.update(body)
		.digest('hex');
}

/** @param {Buffer} body */
function mutateBody(body) {
	const bytes = Buffer.from(body);
	switch (int(7)) {
		case 0: {
			const at = int(bytes.length);
			bytes[at] ^= 1 << int(8);
			return bytes;
		}
		case 1:
			return Buffer.concat([
				bytes.subarray(0, int(bytes.length)),
				Buffer.from([int(256)]),
				bytes.subarray(int(bytes.length)),
			]);
		case 2:
			return bytes.subarray(0, int(bytes.length));
		case 3:
			return Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
		case 4:
			return Buffer.from(body.toString('utf8').replace(/"/, "'"));
		case 5:
			return pick(samples);
		default:
			return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
	}
}

/** @param {string} header @param {Buffer} body */
function mutateHeader(header, body) {
	const parts = header.split(',');
	switch (int(10)) {
		case 0:
			return header.replace(/v1=([0-9a-f])/, (_, c) => `v1=${c === '0' ? '1' : '0'}`);
		case 1:
			return header.replace(/t=\d+/, `t=${T + 1 + int(1000)}`);
		case 2:
			return [...parts].reverse().join(',');
		case 3:
			return `${header},${header}`;
		case 4:
			return header.toUpperCase();
		case 5:
			return core.signPayload(body, OTHER, T);
		case 6:
			return header.slice(0, int(header.length));
		case 7:
			return `${parts[0]},v1=${'0'.repeat(64)}`;
		case 8:
			return header.replace(/,/g, pick([';', ' ', ',,', ', ']));
		default:
			return String.fromCharCode(...Array.from({ length: int(90) }, () => 32 + int(95)));
	}
}

let accepted = 0;
let rejected = 0;
let ignored = 0;
const failures = [];
const started = Date.now();
for (let i = 0; i < count; i++) {
	const original = pick(samples);
	const header = core.signPayload(original, SECRET, T);
	const what = int(3);
	const body = what === 1 ? original : mutateBody(original);
	const sent = what === 0 ? header : mutateHeader(header, body);
	try {
		const decision = core.decide({
			rawBody: body,
			signatureHeader: sent,
			secrets: [SECRET, ''],
			options: { events: ['*'], deduplicate: false },
			now: NOW,
		});
		if (decision.action === 'accept') {
			accepted++;
			// Accepted only if a v1 in the header is the genuine digest of these exact bytes.
			const t = /t=\s*(\d+)/.exec(sent)?.[1] ?? '';
			const expected = genuine(t, body);
			const v1s = [...sent.matchAll(/v1=\s*([0-9a-fA-F]{64})/g)].map((m) => m[1].toLowerCase());
			if (!v1s.includes(expected)) failures.push({ i, kind: 'forgery accepted', header: sent });
		} else if (decision.action === 'ignore') ignored++;
		else rejected++;
	} catch (error) {
		failures.push({ i, kind: 'exception', message: /** @type {Error} */ (error).message });
	}
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write(
	`fuzz: seed ${seed}, ${count} cases in ${seconds.toFixed(1)} s: ${accepted} accepted (genuine signature on the exact bytes), ${rejected} rejected, ${ignored} ignored; ${failures.filter((f) => f.kind === 'forgery accepted').length} forgeries accepted, ${failures.filter((f) => f.kind === 'exception').length} exceptions\n`,
);
for (const failure of failures.slice(0, 10)) process.stdout.write(`  ${JSON.stringify(failure)}\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
