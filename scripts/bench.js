#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * In-process throughput of one delivery's work on the sample CallEnded event, as a ratio to
 * stripe-node's `webhooks.constructEvent` (same `t=,v1=` HMAC-SHA256 scheme, plus JSON.parse): the
 * reference line every other line is divided by, on the same Node.
 *
 * The parent runs every line in two child processes, the machine's Node (20 here) and the Node 24
 * the n8n harness installs in its cache (what n8n 2.x runs on), one after the other so they never
 * share the 2 cores: round r measures every line on Node A then on Node B, each time right after
 * a stripe measurement of the same length in the same process, and the ratio is taken of that
 * pair, so drift (a busy neighbour, thermal) cancels out of it. Each cell is the median of ROUNDS
 * rounds of ROUND_MS each, after a warm-up. About 70 s in all. Run: npm run bench
 * Env: BENCH_ROUNDS (7), BENCH_ROUND_MS (200), BENCH_NODE24=0 (the machine's Node only).
 */
const { fork } = require('child_process');
const { createHmac, createSecretKey } = require('crypto');
const { readFileSync } = require('fs');
const { join } = require('path');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);
const WARMUP_MS = 300;
const STRIPE = 'stripe webhooks.constructEvent';

/**
 * What each line measures, for the table's notes. The order is the table's.
 * @type {Array<[string, string]>}
 */
const LINES = [
	[STRIPE, 'reference: HMAC-SHA256 (string key), compare, JSON.parse'],
	['HMAC-SHA256, Buffer key', 'createHmac with the hex-decoded key as a Buffer, every time'],
	['HMAC-SHA256, KeyObject key', 'createHmac with a KeyObject made once, digest as a Buffer'],
	[
		'HMAC-SHA256, KeyObject, hex',
		'the same, digest as hex (what verifySignature does: about 1 µs less)',
	],
	['HMAC + JSON.parse', 'the floor of any verifier that parses the event (hex digest)'],
	['verifySignature', 'header parsing, cached key, HMAC (hex), constant-time compare'],
	['parseEvent', 'schema check of the parsed CallEnded (compiled from zod; zod for issues)'],
	['toSimplifiedRow', 'the Simplified row of the parsed CallEnded'],
	['decide: Full', 'everything webhook() asks of the core, output Full'],
	['decide: Simplified', 'the same, output Simplified'],
	[
		'decide: ignored',
		'a type not selected on the trigger: answered from the head of the body, no JSON.parse',
	],
	['decide: 401', 'a wrong signature: answered before the body is read'],
];

/** Targets from the performance issue: minimum ratio to stripe. */
const TARGETS = /** @type {Record<string, number>} */ ({
	'decide: Full': 0.8,
	'decide: Simplified': 0.5,
	'decide: ignored': 2,
	'decide: 401': 2,
});

// ----- worker: runs in each Node, measures one line per request --------------------------------

function worker() {
	// The built package (`npm run bench` builds first), typed from its source: a literal
	// '../dist/...' would make `npm run typecheck` depend on a build.
	const core = /** @type {typeof import('../nodes/SipCaller/core')} */ (
		require(join(__dirname, '..', 'dist', 'nodes', 'SipCaller', 'core'))
	);
	const Stripe = require('stripe');
	const stripe = new Stripe('sk_test_bench_only_never_sent');

	const body = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'CallEnded.json'));
	const event = JSON.parse(body.toString('utf8'));
	const secret = core.generateSigningSecret();
	const key = Buffer.from(secret, 'hex');
	const keyObject = createSecretKey(key);
	const t = Math.floor(Date.now() / 1000);
	const header = core.signPayload(body, secret, t);
	const badHeader = core.signPayload(body, core.generateSigningSecret(), t);
	const stripeSecret = `whsec_${secret}`;
	const stripeHeader = stripe.webhooks.generateTestHeaderString({
		payload: body.toString('utf8'),
		secret: stripeSecret,
		timestamp: t,
	});
	/** @param {Partial<import('../nodes/SipCaller/core').DeliveryOptions>} options @param {string} [h] */
	const delivery = (options, h = header) => ({
		rawBody: body,
		signatureHeader: h,
		secrets: [secret, ''],
		options: { events: ['*'], ...options },
		alreadySeen: () => /** @type {const} */ ('none'),
	});
	const full = delivery({ output: 'full' });
	const simplified = delivery({ output: 'simplified' });
	const ignored = delivery({ events: ['CampaignActivated'] });
	const unauthorized = delivery({}, badHeader);

	let sink = 0; // keeps results alive so nothing is optimized away
	/** @param {ReturnType<typeof core.decide>} decision @param {string} action @param {number} status */
	const expect = (decision, action, status) => {
		if (decision.action !== action || decision.status !== status) {
			throw new Error(`expected ${action} ${status}, got ${decision.action} ${decision.status}`);
		}
		sink ^= decision.status;
	};
	/** @type {Record<string, () => void>} */
	const fns = {
		[STRIPE]: () => {
			const e = stripe.webhooks.constructEvent(body, stripeHeader, stripeSecret);
			sink ^= /** @type {{ apiVersion: number }} */ (/** @type {unknown} */ (e)).apiVersion;
		},
		'HMAC-SHA256, Buffer key': () =>
			(sink ^= createHmac('sha256', key).update(`${t}.`).update(body).digest()[0]),
		'HMAC-SHA256, KeyObject key': () =>
			(sink ^= createHmac('sha256', keyObject).update(`${t}.`).update(body).digest()[0]),
		'HMAC-SHA256, KeyObject, hex': () =>
			(sink ^= createHmac('sha256', keyObject)
				.update(`${t}.`)
				.update(body)
				.digest('hex')
				.charCodeAt(0)),
		'HMAC + JSON.parse': () => {
			sink ^= createHmac('sha256', keyObject)
				.update(`${t}.`)
				.update(body)
				.digest('hex')
				.charCodeAt(0);
			sink ^= JSON.parse(body.toString('utf8')).apiVersion;
		},
		verifySignature: () => {
			const verdict = core.verifySignature(body, header, [secret]);
			if (!verdict.ok) throw new Error(verdict.message);
			sink ^= verdict.secretIndex;
		},
		parseEvent: () => {
			const parsed = core.parseEvent(event);
			if (!parsed.ok || parsed.issues.length) throw new Error('fixture did not parse');
			sink ^= parsed.issues.length;
		},
		toSimplifiedRow: () => (sink ^= Object.keys(core.toSimplifiedRow(event)).length),
		'decide: Full': () => expect(core.decide(full), 'accept', 200),
		'decide: Simplified': () => expect(core.decide(simplified), 'accept', 200),
		'decide: ignored': () => expect(core.decide(ignored), 'ignore', 200),
		'decide: 401': () => expect(core.decide(unauthorized), 'reject', 401),
	};

	/** @param {() => void} fn @param {number} ms @returns {number} ops/s */
	const measure = (fn, ms) => {
		let n = 0;
		const start = process.hrtime.bigint();
		const end = start + BigInt(Math.round(ms * 1e6));
		let now = start;
		while (now < end) {
			for (let i = 0; i < 50; i++) fn();
			n += 50;
			now = process.hrtime.bigint();
		}
		return n / (Number(now - start) / 1e9);
	};

	const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);
	process.on(
		'message',
		/** @param {{ line?: string, ms: number, warmup?: boolean }} msg */ (msg) => {
			if (msg.warmup) {
				for (const fn of Object.values(fns)) measure(fn, msg.ms);
				send({ ready: true, version: process.version, bodyBytes: body.length, sink: sink & 1 });
			} else {
				const stripeOps = measure(fns[STRIPE], msg.ms);
				send({ ops: measure(fns[/** @type {string} */ (msg.line)], msg.ms), stripeOps });
			}
		},
	);
	send({ started: true });
}

// ----- parent: starts the workers, interleaves the rounds, prints the table ---------------------

/**
 * The Node 24 binary the n8n harness keeps in its cache (installed there on first use).
 * @returns {Promise<string | undefined>}
 */
async function node24Binary() {
	if (process.env.BENCH_NODE24 === '0') return undefined;
	try {
		const { ensureNode24 } = require('./n8n/harness/install');
		const { cacheRoot } = require('./n8n/harness/paths');
		return (await ensureNode24(cacheRoot())).node;
	} catch (error) {
		process.stderr.write(
			`note: no Node 24 column: the harness could not install Node 24 (${String(error)})\n`,
		);
		return undefined;
	}
}

/**
 * A worker process on a given node, with a request/answer helper.
 * @param {string} execPath
 */
function startWorker(execPath) {
	const child = fork(__filename, ['--worker'], {
		execPath,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	/** @type {Array<(msg: any) => void>} */
	const waiting = [];
	child.on('message', (msg) => waiting.shift()?.(msg));
	child.on('exit', (code) => {
		if (waiting.length) {
			process.stderr.write(`bench worker (${execPath}) exited with ${code}\n`);
			process.exit(1);
		}
	});
	/** @returns {Promise<any>} */
	const next = () => new Promise((resolve) => waiting.push(resolve));
	return {
		child,
		next,
		/** @param {object} msg @returns {Promise<any>} */
		ask: (msg) => {
			const answer = next();
			child.send(msg);
			return answer;
		},
	};
}

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number} ops */
function formatOps(ops) {
	return ops >= 1e6 ? `${(ops / 1e6).toFixed(2)}M` : `${(ops / 1e3).toFixed(1)}k`;
}

/** @param {number} ops */
function formatMicros(ops) {
	const us = 1e6 / ops;
	return us >= 10 ? us.toFixed(1) : us.toFixed(2);
}

async function main() {
	const started = Date.now();
	const node24 = await node24Binary();
	const execPaths = [process.execPath];
	if (node24 && node24 !== process.execPath) execPaths.push(node24);
	const workers = [];
	for (const execPath of execPaths) {
		const w = startWorker(execPath);
		await w.next(); // started
		workers.push(w);
	}
	/** @type {Array<{ version: string, bodyBytes: number }>} */
	const infos = [];
	for (const w of workers) infos.push(await w.ask({ warmup: true, ms: WARMUP_MS }));

	/** ops[worker][line] = ops/s of each round; ratios[worker][line] = ÷ the stripe run beside it */
	const ops = workers.map(() => LINES.map(() => /** @type {number[]} */ ([])));
	const ratios = workers.map(() => LINES.map(() => /** @type {number[]} */ ([])));
	for (let round = 0; round < ROUNDS; round++) {
		for (let l = 0; l < LINES.length; l++) {
			// Alternate which Node goes first, so neither always runs right after the other.
			const order = round % 2 ? [...workers.keys()].reverse() : [...workers.keys()];
			for (const w of order) {
				const answer = await workers[w].ask({ line: LINES[l][0], ms: ROUND_MS });
				ops[w][l].push(answer.ops);
				ratios[w][l].push(answer.ops / answer.stripeOps);
			}
		}
	}
	for (const w of workers) w.child.kill();

	const medians = ops.map((lines) => lines.map(median));
	const ratioMedians = ratios.map((lines) => lines.map(median));
	const header = ['Line'];
	const rule = ['---'];
	for (const info of infos) {
		header.push(`Node ${info.version.slice(1)} ops/s`, 'µs', '× stripe');
		rule.push('--:', '--:', '--:');
	}
	const rows = [header, rule];
	for (let l = 0; l < LINES.length; l++) {
		const row = [LINES[l][0]];
		for (let w = 0; w < workers.length; w++) {
			const value = medians[w][l];
			row.push(formatOps(value), formatMicros(value), ratioMedians[w][l].toFixed(2));
		}
		rows.push(row);
	}
	const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	const line = (/** @type {string[]} */ r) =>
		`| ${r
			.map((cell, c) =>
				rule[c] === '--:' && r !== rule ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
			)
			.join(' | ')} |`;
	const out = [];
	out.push(
		`CallEnded sample, ${infos[0].bodyBytes} bytes; median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per cell; × stripe = median of (ops/s ÷ stripe's ops/s measured just before, same Node)`,
		'',
		line(header),
		`| ${rule.map((r, c) => (r === '--:' ? '-'.repeat(widths[c] - 1) + ':' : '-'.repeat(widths[c]))).join(' | ')} |`,
		...rows.slice(2).map(line),
		'',
	);
	if (workers.length === 1) {
		out.push(
			'note: Node 24 column missing (BENCH_NODE24=0 or the harness could not install it)',
			'',
		);
	}
	out.push('Targets (× stripe, on each Node):');
	for (const [name, target] of Object.entries(TARGETS)) {
		const l = LINES.findIndex(([n]) => n === name);
		const verdicts = workers.map((_, w) => {
			const ratio = ratioMedians[w][l];
			return `${infos[w].version} ${ratio.toFixed(2)} ${ratio >= target ? 'met' : 'NOT met'}`;
		});
		out.push(`  ${name.padEnd(20)} >= ${target.toFixed(1)}: ${verdicts.join(', ')}`);
	}
	out.push('', 'Lines:');
	for (const [name, what] of LINES) out.push(`  ${name.padEnd(28)} ${what}`);
	out.push('', `${((Date.now() - started) / 1000).toFixed(0)} s`);
	process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv.includes('--worker')) worker();
else
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
		process.exit(1);
	});
