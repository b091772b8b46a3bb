// @ts-check
'use strict';
/**
 * What the bench prints: its heading, the statistics (median, percentile, the ratios taken within
 * each round), one Markdown table per engine (with --baseline, then before vs after), the targets
 * (met or MISSED) and the closing line.
 */
const os = require('node:os');
const harness = require('../n8n/harness');
const { ROUNDS, REQUESTS, CONCURRENCY } = require('./options');
const { variantOf, behaviourOf, isBaseline, baseKindOf } = require('./variants');

/** @typedef {import('./variants').Kind} Kind */
/** @typedef {import('./variants').Shape} Shape */
/** @typedef {import('./variants').Variant} Variant */
/** @typedef {import('./options').Engine} Engine */
/**
 * @typedef {object} Versions  what the base* kinds and ours ran
 * @property {string} before  the --baseline ref and its commit ('' without --baseline)
 * @property {string} after   the work tree packed as the current package
 */
/**
 * @typedef {object} Measured
 * @property {Variant} variant
 * @property {number[]} rates      req/s per round
 * @property {number[]} latencies  ms, every timed request
 * @property {number[]} loads      1-minute load average after each batch
 * @property {number} wrong        answers other than the variant's
 * @property {string} wrongSample  the first wrong answer
 * @property {number} sinkHits     what the sink received from this workflow
 * @property {number} expectedHits
 */

/** @param {number[]} xs */
function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
/** @param {number[]} sorted @param {number} p */
const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** @param {string} [line] */
function say(line = '') {
	process.stdout.write(`${line}\n`);
}

/** @param {number} x @param {number} [digits] */
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/**
 * Median over the rounds of a variant's req/s divided by another's in the same round.
 * @param {Measured | undefined} a @param {Measured | undefined} b
 */
function ratio(a, b) {
	if (!a || !b) return NaN;
	return median(a.rates.map((r, i) => r / b.rates[i]));
}

/** @type {{ label: string, value: number, target: number, met: boolean }[]} */
const checks = [];

/**
 * @param {string} label @param {number} value @param {number} target
 */
function check(label, value, target) {
	if (Number.isNaN(value)) return; // not measured in this run (--kinds, --shapes, --engines)
	checks.push({ label, value, target, met: value >= target });
}

/** The run's title and the machine it runs on. */
function printHeading() {
	say(`# SIP Caller Trigger through a real n8n — ${new Date().toISOString()}`);
	say(
		`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}; sender on Node ${process.version}`,
	);
}

/** The kinds whose × accepted column is taken to accepted, Simplified (of the same package). */
const REFUSED_OR_SKIPPED = ['ignored', 'duplicate', 'forged', 'unsigned'];
/** What --baseline compares, before and after. */
const COMPARED = /** @type {const} */ ([
	['simplified', 'accepted, Simplified'],
	['ignored', 'ignored (type not selected)'],
	['forged', 'forged (401)'],
	['unsigned', 'unsigned (401)'],
]);

/**
 * With --baseline: each compared kind's ratio to the minimal trigger + credential (same shape,
 * median over the rounds), before and after, and after ÷ before of those; plus a target.
 * @param {Engine} engine @param {Map<string, Measured>} results @param {Versions} versions
 */
function compare(engine, results, versions) {
	/** @param {Kind} kind @param {Shape} shape */
	const get = (kind, shape) => results.get(variantOf(kind, shape).id);
	/** @type {string[]} */
	const rows = [];
	for (const shape of engine.shapes) {
		const where = shape === 'trigger' ? 'trigger only' : '→ HTTP Request';
		const floor = get('minimalCred', shape);
		for (const [kind, label] of COMPARED) {
			const base = baseKindOf(kind);
			if (!base) continue;
			const before = ratio(get(base, shape), floor);
			const after = ratio(get(kind, shape), floor);
			if (Number.isNaN(before) && Number.isNaN(after)) continue;
			rows.push(
				`| ${label} | ${where} | ${fmt(before)} | ${fmt(after)} | ${fmt(after / before)} | ${fmt(ratio(get(kind, shape), get(base, shape)))} |`,
			);
			if (kind === 'simplified' && engine.name !== 'vm-eager')
				check(
					`${engine.name}, ${where}: accepted (simplified) after ≥ 0.98× before (ratio to minimalCred)`,
					after / before,
					0.98,
				);
		}
		const forgedToUnsigned = /** @param {Kind} forged @param {Kind} unsigned */ (
			forged,
			unsigned,
		) => fmt(ratio(get(forged, shape), get(unsigned, shape)));
		if (get('baseForged', shape) || get('forged', shape))
			rows.push(
				`| forged ÷ unsigned (same round) | ${where} | ${forgedToUnsigned('baseForged', 'baseUnsigned')} | ${forgedToUnsigned('forged', 'unsigned')} | | |`,
			);
	}
	if (!rows.length) return;
	say(
		`
#### ${engine.name}: before (${versions.before}) vs after (${versions.after}), × the minimal trigger + credential
`,
	);
	say(
		'| Delivery | Workflow | before | after | after ÷ before | req/s after ÷ before, same round |',
	);
	say('| --- | --- | ---: | ---: | ---: | ---: |');
	for (const row of rows) say(row);
}

/**
 * The engine's table and its targets.
 * @param {Engine} engine @param {Map<string, Measured>} results @param {Versions} versions
 */
function report(engine, results, versions) {
	/** @param {Kind} kind @param {Shape} shape */
	const get = (kind, shape) => results.get(variantOf(kind, shape).id);
	say(`\n### ${engine.title}\n`);
	say(
		'| Variant | Workflow | req/s | × minimal | × minimal + credential | × Webhook node | × accepted | p50 ms | p99 ms | load avg |',
	);
	say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const shape of engine.shapes) {
		for (const kind of engine.kinds) {
			const m = get(kind, shape);
			if (!m) continue;
			const sorted = [...m.latencies].sort((a, b) => a - b);
			// Each package's refusals and skips to its own accepted Simplified.
			const acceptedKind = isBaseline(kind) ? baseKindOf('simplified') : 'simplified';
			const accepted =
				REFUSED_OR_SKIPPED.includes(behaviourOf(kind)) && acceptedKind
					? fmt(ratio(m, get(acceptedKind, shape)))
					: '';
			const mismatch =
				m.wrong > 0
					? ` **${m.wrong} wrong answers** (${m.wrongSample})`
					: m.variant.shape === 'http' && m.sinkHits !== m.expectedHits
						? ` (sink: ${m.sinkHits} of ${m.expectedHits})`
						: '';
			say(
				`| ${m.variant.label}${mismatch} | ${shape === 'trigger' ? 'trigger only' : '→ HTTP Request'} | ${fmt(median(m.rates), 1)} | ${kind === 'minimal' ? '1' : fmt(ratio(m, get('minimal', shape)))} | ${kind === 'minimalCred' ? '1' : fmt(ratio(m, get('minimalCred', shape)))} | ${kind === 'webhook' ? '1' : fmt(ratio(m, get('webhook', shape)))} | ${accepted} | ${fmt(percentile(sorted, 50), 1)} | ${fmt(percentile(sorted, 99), 1)} | ${fmt(median(m.loads))} |`,
			);
		}
	}
	if (versions.before) compare(engine, results, versions);
	if (engine.name === 'vm-eager') return;
	for (const shape of engine.shapes) {
		const where = shape === 'trigger' ? 'trigger only' : '→ HTTP Request';
		// A flood of forgeries should cost what a flood of unsigned requests costs.
		check(
			`${engine.name}, ${where}: forged ≥ 0.9× unsigned`,
			ratio(get('forged', shape), get('unsigned', shape)),
			0.9,
		);
		for (const kind of /** @type {Kind[]} */ (['full', 'simplified'])) {
			const m = get(kind, shape);
			check(
				`${engine.name}, ${where}: accepted ${kind} ≥ 0.95× the minimal trigger`,
				ratio(m, get('minimal', shape)),
				0.95,
			);
			// Not one of the issue's targets: the floor for a trigger whose secret is in a credential.
			check(
				`${engine.name}, ${where}: accepted ${kind} ≥ 0.95× the minimal trigger + credential`,
				ratio(m, get('minimalCred', shape)),
				0.95,
			);
			if (engine.name === 'legacy')
				check(
					`${engine.name}, ${where}: accepted ${kind} ≥ 0.95× the Webhook node`,
					ratio(m, get('webhook', shape)),
					0.95,
				);
		}
		if (engine.name === 'legacy') {
			for (const kind of /** @type {Kind[]} */ (['ignored', 'duplicate', 'forged'])) {
				check(
					`${engine.name}, ${where}: ${kind} ≥ 3× accepted (Simplified)`,
					ratio(get(kind, shape), get('simplified', shape)),
					3,
				);
			}
		}
	}
}

/**
 * Everything after the runs: the tables, what lazy acquire buys, the targets, the closing line.
 * @param {Array<[Engine, Map<string, Measured>]>} runs
 * @param {number} wrongAnswers  deliveries that got an answer other than their variant's
 * @param {number} startedAt     Date.now() when the run started
 * @param {Versions} versions
 */
function printResults(runs, wrongAnswers, startedAt, versions) {
	say(
		`\n## Results: n8n ${harness.N8N_VERSION} (regular mode, SQLite) on Node 24, ${ROUNDS} interleaved rounds × ${REQUESTS} requests per variant at c=${CONCURRENCY}`,
	);
	say(
		'req/s: median of the rounds; p50/p99: all its requests; × columns: the median over the rounds of the ratio to that variant in the same round, same workflow shape; × accepted: to "accepted, Simplified" (of the same package); load avg: the 1-minute load average, median over its batches.',
	);
	if (versions.before)
		say(
			`before: the --baseline ${versions.before}, installed as n8n-nodes-sip-caller-baseline beside the current package; after: ${versions.after}.`,
		);
	for (const [engine, results] of runs) report(engine, results, versions);

	const vm = runs.find(([e]) => e.name === 'vm')?.[1];
	const eager = runs.find(([e]) => e.name === 'vm-eager')?.[1];
	if (vm && eager) {
		const id = variantOf('simplified', 'trigger').id;
		const webhookId = variantOf('webhook', 'trigger').id;
		const lazy = ratio(vm.get(id), vm.get(webhookId));
		const plain = ratio(eager.get(id), eager.get(webhookId));
		say(
			`\nWhat N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true buys (trigger only, accepted Simplified, × the Webhook node in the same instance): ${fmt(lazy)} with it, ${fmt(plain)} without (${fmt(median(vm.get(id)?.rates ?? []), 1)} vs ${fmt(median(eager.get(id)?.rates ?? []), 1)} req/s, separate instances).`,
		);
	}

	say('\n### Targets\n');
	for (const c of checks)
		say(`- ${c.met ? 'met' : '**MISSED**'}: ${c.label} (${fmt(c.value)}, target ${c.target})`);
	if (wrongAnswers) say(`\n**${wrongAnswers} deliveries got a wrong answer** (see the tables)`);
	const missed = checks.filter((c) => !c.met).length;
	say(
		`\n${missed ? `${missed} of ${checks.length} targets MISSED` : `all ${checks.length} targets met`}; ${((Date.now() - startedAt) / 60000).toFixed(1)} min`,
	);
}

module.exports = { say, printHeading, printResults };
