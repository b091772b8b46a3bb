// @ts-check
'use strict';
/**
 * `npm run bench:n8n`: the SIP Caller Trigger through a real n8n 2.41.1 (the packed package
 * installed as n8n's Community Nodes installer does, regular mode, SQLite), side by side with
 * n8n's built-in Webhook node and a minimal community trigger (test/fixtures/minimal-trigger: it
 * only returns the body, the floor any community trigger can reach). Not part of `npm test`: about
 * 12 minutes. Loopback only; every variant gets `--rounds` × `--requests` requests per engine
 * (9 rounds × 50 = 450 by default, ≤ 2,000 enforced; short rounds interleave finely, which
 * steadies the ratios on a busy machine), plus 20 untimed warm-up requests.
 *
 * Variants, each as a workflow of its own, trigger-only and trigger → HTTP Request (to a sink in
 * this process; the same node and expression in every workflow):
 *   webhook     n8n's Webhook node (2.1, POST, Respond Immediately)
 *   minimal     the minimal community trigger (version 2)
 *   minimalCred the minimal trigger with a credential it reads on every request (getCredentials):
 *               the floor for any trigger that keeps a secret in an n8n credential
 *   minimalExec the minimal trigger with an execute() that passes its items through, as ours has
 *               (for the Retry of a refused delivery): what n8n's execute step for the trigger costs
 *   full        our trigger, version 2, Output Full Event, an accepted CallEnded
 *   simplified  our trigger, version 2, Output Simplified, an accepted CallEnded
 *   ignored     our trigger selecting CampaignFinished only, sent a CallEnded: 200 "ignored"
 *   duplicate   our trigger, each event sent (and answered 2xx) once before, untimed: 200 "duplicate"
 *   forged      our trigger, signed with another secret: 401 (the first per 5 minutes: the report, 500)
 *   unsigned    our trigger, the same body without a Sip-Caller-Signature header: 401 (never reported:
 *               no 500, no execution)
 *   v1          our trigger at version 1 (Full by default), trigger only, under `vm` only, a quarter
 *               of the requests: what version 2 saves there
 * With --baseline <git-ref> (baseline.js: that commit's package, built, renamed
 * n8n-nodes-sip-caller-baseline with credential types sipCallerWebhookApiBaseline and
 * sipCallerApiBaseline, installed into the same n8n beside ours, its own credential, same secret):
 *   baseSimplified, baseIgnored, baseForged, baseUnsigned
 *               simplified, ignored, forged, unsigned as the baseline answers them ("BEFORE")
 * Engines, one n8n each, in turn (every workflow imported into each):
 *   vm          n8n's default engine with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (every variant)
 *   legacy      N8N_EXPRESSION_ENGINE=legacy (every variant)
 *   vm-eager    the default engine as n8n ships (no lazy acquire): a few trigger-only variants
 *               (webhook, minimal, minimalCred, simplified, ignored, and their base* with --baseline)
 * Per engine the variants run in interleaved rounds (the order rotates each round); after each
 * batch the sink is drained and n8n's CPU allowed to settle (untimed). Reported per variant: the
 * median req/s of the rounds, p50/p99 of all its requests, the 1-minute load average (median of its
 * batches), and ratios taken within each round (median over the rounds): × the minimal trigger and
 * × the Webhook node of the same shape, and for ignored/duplicate/forged/unsigned × the accepted
 * Simplified one (of the same package). With --baseline, per engine, before vs after: for
 * simplified, ignored, forged and unsigned, the ratio to minimalCred (same shape, median over the
 * rounds) of the baseline's and of ours, and after ÷ before; and forged ÷ unsigned of each. Then
 * the targets, met or MISSED (forged ≥ 0.9× unsigned; with --baseline, accepted Simplified after
 * ≥ 0.98× before, as ratios to minimalCred).
 *
 * Exit code: 1 when a delivery got an answer other than its variant's (a 5xx, a 200 for a forged
 * event, ...) or the run failed; MISSED targets are printed and leave it 0: they are measurements on
 * a shared machine, for docs/performance.md, not a correctness check.
 *
 * Options: --engines vm,legacy,vm-eager  --rounds 9  --requests 50  --concurrency 10
 *          --kinds minimal,simplified  --shapes trigger   (a quick look at some variants only)
 *          --baseline <git-ref>   also the package at that commit (the base* kinds; none without it)
 * Before/after of a change, e.g.: node scripts/bench-n8n/run.js --baseline HEAD~1
 *
 * Files: run.js (this entry point: each engine's n8n, the rounds, settling between batches),
 * options.js (the command line, the engines), variants.js (kinds, workflows, expected answers),
 * deliveries.js (signed events, sending, the sink), report.js (statistics, tables, targets),
 * baseline.js (--baseline: the package at a commit, built, renamed and packed).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const harness = require('../n8n/harness');
const { run } = require('../n8n/harness/process');
// The `n8n start` process whose working folder is the instance's user folder.
const { n8nPid } = require('../load/lib');
const {
	WARM_UP,
	ROUNDS,
	ONLY_KINDS,
	ONLY_SHAPES,
	BASELINE,
	selectedEngines,
} = require('./options');
const {
	SECRET,
	WRONG_SECRET,
	CREDENTIAL,
	BASE_CREDENTIAL,
	MINIMAL_CREDENTIAL,
	isBaseline,
	behaviourOf,
	variantOf,
	webhookUrl,
	workflowOf,
	expected,
	executes,
} = require('./variants');
const { newDeliveries, resign, startSink, sendAll, closeConnections } = require('./deliveries');
const { say, printHeading, printResults } = require('./report');
const { packBaseline } = require('./baseline');

/** @typedef {import('./variants').Variant} Variant */
/** @typedef {import('./options').Engine} Engine */
/** @typedef {import('./deliveries').Sink} Sink */
/** @typedef {import('./report').Measured} Measured */
/** @typedef {import('./baseline').Baseline} Baseline */
/** @typedef {{ ours: string, minimal: string, baseline?: string }} Tarballs */

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'minimal-trigger');

let wrongAnswers = 0;

// ---------------------------------------------------------------------------------------------
// n8n's process: settling between batches

/** CPU seconds the process has used. @param {number} pid */
function cpuSeconds(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
}

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Until the sink has what the workflow sends it and n8n uses under 15% of a core over 200 ms
 * (its executions finished, its writes done), or 20 s passed.
 * @param {number} pid @param {Sink} sink @param {Variant} v @param {number} sinkTarget
 */
async function settle(pid, sink, v, sinkTarget) {
	const deadline = Date.now() + 20_000;
	while (v.shape === 'http' && sink.hits(v.id) < sinkTarget && Date.now() < deadline)
		await sleep(25);
	for (;;) {
		const before = cpuSeconds(pid);
		await sleep(200);
		if (cpuSeconds(pid) - before < 0.03 || Date.now() > deadline) return;
	}
}

// ---------------------------------------------------------------------------------------------

/**
 * One engine: a fresh n8n with the packages (ours, the minimal trigger's, the baseline's with
 * --baseline), every workflow, interleaved rounds.
 * @param {Engine} engine @param {Tarballs} tarballs @param {Sink} sink
 * @returns {Promise<Map<string, Measured>>}
 */
async function runEngine(engine, tarballs, sink) {
	const variants = engine.shapes
		.filter((shape) => !ONLY_SHAPES.length || ONLY_SHAPES.includes(shape))
		.flatMap((shape) => engine.kinds.map((k) => variantOf(k, shape)))
		// Version 1 is there to show what version 2 saves under `vm`: trigger only is enough.
		.filter((v) => v.kind !== 'v1' || v.shape === 'trigger')
		.filter((v) => !ONLY_KINDS.length || ONLY_KINDS.includes(v.kind));
	// Version 1 under `vm` takes an isolate per request (a few req/s): a quarter of the requests.
	/** @param {Variant} v */
	const requestsOf = (v) =>
		v.kind === 'v1' ? Math.max(10, Math.round(engine.requests / 4)) : engine.requests;
	const n8n = await harness.createInstance({
		port: await harness.freePortPair(),
		env: { N8N_LOG_LEVEL: 'warn', ...engine.env },
	});
	/** @type {Map<string, Measured>} */
	const results = new Map();
	try {
		await n8n.installPackage(tarballs.ours);
		await n8n.installPackage(tarballs.minimal);
		if (tarballs.baseline) await n8n.installPackage(tarballs.baseline);
		await n8n.importCredentials(
			tarballs.baseline
				? [CREDENTIAL, BASE_CREDENTIAL, MINIMAL_CREDENTIAL]
				: [CREDENTIAL, MINIMAL_CREDENTIAL],
		);
		await n8n.importWorkflow(variants.map((v) => workflowOf(v, sink.url)));
		await n8n.start();
		if (tarballs.baseline) {
			// Both packages loaded side by side (their credential types apart: baseline.js).
			const types = await n8n.nodeTypes();
			const missing = [
				'n8n-nodes-sip-caller.sipCallerTrigger',
				'n8n-nodes-sip-caller-baseline.sipCallerTrigger',
			].filter((type) => !types.includes(type));
			if (missing.length) throw new Error(`n8n did not load ${missing.join(', ')}`);
			say(`${engine.name}: n8n loaded both n8n-nodes-sip-caller and its baseline`);
		}
		// Published through the REST API, as the editor's Publish button does: one \`n8n
		// publish:workflow\` per workflow would start n8n's CLI 16 times.
		for (const v of variants) {
			const { versionId } = /** @type {{ versionId: string }} */ (
				await n8n.rest('GET', `/rest/workflows/${v.id}`)
			);
			await n8n.rest('POST', `/rest/workflows/${v.id}/activate`, { versionId });
		}
		for (const v of variants) await n8n.waitForWebhook(webhookUrl(n8n.baseUrl, v));
		const pid = n8nPid(n8n);

		/** @type {Map<string, number>} what each workflow's sink path should have received */
		const sinkTarget = new Map(variants.map((v) => [v.id, sink.hits(v.id)]));
		/** Untimed: n8n answers `count` new events of the duplicate workflow once. @param {Variant} v @param {number} count */
		const prime = async (v, count) => {
			const list = newDeliveries(count);
			const { answers } = await sendAll(webhookUrl(n8n.baseUrl, v), list);
			const bad = answers.filter((a) => a.status !== 200).length;
			if (bad) throw new Error(`${v.id}: ${bad} of ${count} first deliveries not answered 200`);
			sinkTarget.set(v.id, (sinkTarget.get(v.id) ?? 0) + count);
			await settle(pid, sink, v, sinkTarget.get(v.id) ?? 0);
			return resign(list);
		};
		/** @param {Variant} v @param {number} count */
		const deliveries = async (v, count) => {
			const kind = behaviourOf(v.kind);
			if (kind === 'duplicate') return prime(v, count);
			return newDeliveries(
				count,
				kind === 'forged' ? WRONG_SECRET : kind === 'unsigned' ? null : SECRET,
			);
		};

		/**
		 * @param {Variant} v @param {number} count @param {Measured | undefined} into
		 */
		const batch = async (v, count, into) => {
			const list = await deliveries(v, count);
			const { answers, seconds } = await sendAll(webhookUrl(n8n.baseUrl, v), list);
			if (executes(v)) sinkTarget.set(v.id, (sinkTarget.get(v.id) ?? 0) + count);
			await settle(pid, sink, v, sinkTarget.get(v.id) ?? 0);
			const wrong = answers.filter((a) => !expected(v, a));
			if (wrong.length) {
				wrongAnswers += wrong.length;
				if (into && !into.wrongSample)
					into.wrongSample = `${wrong[0].status} ${wrong[0].text.slice(0, 120)}`;
			}
			if (!into) return;
			into.rates.push(count / seconds);
			for (const a of answers) into.latencies.push(a.ms);
			into.loads.push(os.loadavg()[0]);
			into.wrong += wrong.length;
		};

		say(`\n${engine.name}: warming up (${WARM_UP} untimed requests per variant)`);
		for (const v of variants) await batch(v, WARM_UP, undefined);
		for (const v of variants) {
			results.set(v.id, {
				variant: v,
				rates: [],
				latencies: [],
				loads: [],
				wrong: 0,
				wrongSample: '',
				sinkHits: 0,
				expectedHits: 0,
			});
		}
		for (let round = 0; round < ROUNDS; round++) {
			const shift = (round * Math.max(1, Math.floor(variants.length / ROUNDS))) % variants.length;
			const order = [...variants.slice(shift), ...variants.slice(0, shift)];
			const started = Date.now();
			for (const v of order) await batch(v, requestsOf(v), results.get(v.id));
			say(
				`${engine.name}: round ${round + 1}/${ROUNDS} (${order.length} variants) in ${((Date.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(2)}`,
			);
		}
		await sleep(500);
		for (const m of results.values()) {
			m.sinkHits = sink.hits(m.variant.id);
			m.expectedHits = m.variant.shape === 'http' ? (sinkTarget.get(m.variant.id) ?? 0) : 0;
		}
	} catch (error) {
		process.stderr.write(`${n8n.logs().split('\n').slice(-40).join('\n')}\n`);
		throw error;
	} finally {
		await n8n.stop().catch(() => undefined);
		fs.rmSync(n8n.dir, { recursive: true, force: true });
	}
	return results;
}

/** What "after" is: the work tree packRepo() packs, at HEAD or with changes to what ships. */
async function describeWorkTree() {
	const head = (await run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'])).trim();
	// --no-optional-locks: a status that never writes the index (another git may be at work here).
	const changed = await run('git', [
		'--no-optional-locks',
		'-C',
		REPO,
		'status',
		'--porcelain',
		'--',
		'nodes',
		'credentials',
		'package.json',
	]);
	return `the work tree at ${head}${changed.trim() ? ' + uncommitted changes to nodes/, credentials/ or package.json' : ''}`;
}

async function main() {
	const startedAt = Date.now();
	const engines = selectedEngines();
	printHeading();
	await harness.ensureN8n();
	const after = await describeWorkTree();
	// Only when a base* kind would run: --kinds without one needs no baseline build.
	const wantsBaseline =
		BASELINE !== '' &&
		engines.some((e) =>
			e.kinds.some((k) => isBaseline(k) && (!ONLY_KINDS.length || ONLY_KINDS.includes(k))),
		);
	/** @type {Baseline | undefined} */
	const baseline = wantsBaseline ? await packBaseline(REPO, BASELINE) : undefined;
	/** @type {string[]} temp folders to remove at the end */
	const temps = baseline ? [baseline.dir] : [];
	/** @type {Array<[Engine, Map<string, Measured>]>} */
	const runs = [];
	try {
		const ours = await harness.packRepo(REPO);
		temps.push(path.dirname(ours));
		const minimal = await harness.packRepo(FIXTURE);
		temps.push(path.dirname(minimal));
		const sink = await startSink();
		try {
			for (const engine of engines)
				runs.push([
					engine,
					await runEngine(engine, { ours, minimal, baseline: baseline?.tarball }, sink),
				]);
		} finally {
			await sink.close();
			closeConnections();
		}
	} finally {
		for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
	}
	printResults(runs, wrongAnswers, startedAt, {
		before: baseline ? `${baseline.ref} = ${baseline.short}` : '',
		after,
	});
	process.exitCode = wrongAnswers > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
