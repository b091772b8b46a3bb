// @ts-check
'use strict';
/**
 * `npm run test:load`: the SIP Caller Trigger under load, through a crash, in a real n8n (the packed
 * package installed as n8n's Community Nodes installer does, regular mode, SQLite). Not part of
 * `npm test`: 29 minutes on this 2-core machine shared with other n8n suites (the volume phase
 * alone: 11 minutes idle). Loopback only; every phase is bounded in count and time.
 *
 * Each workflow is SIP Caller Trigger → HTTP Request to a sink in this process: "ran" means the
 * sink received the event. For each Respond mode (Immediately, When the Workflow Has Finished):
 *   burst    2,000 new events at c=20, then all 2,000 again: each must run exactly once;
 *   volume   10,000 new events at c=10: req/s of the first and last 1,000, n8n's RSS before and
 *            after (Immediately also with Ignore Duplicate Deliveries off, the comparison);
 *   crash    400 events at c=10, n8n SIGKILLed at the 150th 2xx, restarted; then every event
 *            SIP Caller would resend (no 2xx received) is resent, and, in a second run, all 400:
 *            how many ran once, twice, never; which were answered "duplicate" without having run.
 * It prints one table per phase and exits 1 when a target is missed (docs/delivery.md).
 *
 * n8n runs with N8N_EXPRESSION_ENGINE=legacy: under the default `vm` engine n8n 2.41.1 takes an
 * isolate per webhook request of any community trigger, which caps every variant near 24 req/s
 * (docs/performance.md) and would hide what this suite measures.
 *
 * Options: --phases burst,volume,crash   --scale 0.1 (fewer events, for a quick look)
 */
const os = require('node:os');
const harness = require('../n8n/harness');
const {
	REPO,
	CREDENTIAL,
	MODES,
	newEvent,
	startSink,
	flow,
	sendAll,
	ok,
	isDuplicate,
	n8nPid,
	rssMb,
	childrenOf,
	results,
	say,
	check,
	load,
	sleep,
	drain,
	tally,
	agent,
} = require('./lib');

/** @typedef {import('./lib').Ctx} Ctx */
/** @typedef {import('./lib').Tally} Tally */

const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const arg = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : fallback;
};
const PHASES = String(arg('phases', 'burst,volume,crash')).split(',');
const SCALE = Number(arg('scale', '1'));
/** @param {number} count */
const n = (count) => Math.max(10, Math.round(count * SCALE));

// ---------------------------------------------------------------------------------------------
// Phases

/** @param {Ctx} ctx @param {string} mode */
async function burst(ctx, mode) {
	const id = `load-burst-${mode}`;
	const events = Array.from({ length: n(2000) }, newEvent);
	const first = await sendAll(ctx.n8n.baseUrl, id, events, 20);
	await drain(ctx.sink, id, events.length, 120_000);
	const again = await sendAll(ctx.n8n.baseUrl, id, events, 20);
	await sleep(2000);
	const t = tally(ctx.sink, id, events);
	const firstOk = first.filter(ok).length;
	const dup = again.filter(isDuplicate).length;
	say(
		`| ${mode} | ${events.length} | ${firstOk} | ${dup} | ${t.once} | ${t.twice + t.more} | ${t.never} | ${load()} |`,
	);
	return { events, t, firstOk, dup };
}

/**
 * The variants side by side: chunks of 250 events to each in turn, so that every variant's first
 * and last 1,000 are measured at about the same moment. After each chunk the sink is drained (not
 * timed), so one variant's backlog of executions does not slow the next one down.
 */
/** @param {Ctx} ctx @param {string[]} variants */
async function volume(ctx, variants) {
	const total = n(10000);
	const chunk = Math.max(10, Math.round(total / 40));
	const k = Math.min(1000, Math.floor(total / 10));
	const pid = n8nPid(ctx.n8n);
	const before = rssMb(pid);
	const state = variants.map((variant) => ({
		variant,
		id: `load-volume-${variant}`,
		events: /** @type {import("./lib").LoadEvent[]} */ ([]),
		/** per chunk: [first event index, count, seconds] */
		timing: /** @type {[number, number, number][]} */ ([]),
		answered: 0,
	}));
	for (let sent = 0; sent < total; sent += chunk) {
		for (const v of state) {
			const events = Array.from({ length: Math.min(chunk, total - sent) }, newEvent);
			const started = Date.now();
			const answers = await sendAll(ctx.n8n.baseUrl, v.id, events, 10);
			v.timing.push([v.events.length, events.length, (Date.now() - started) / 1000]);
			v.answered += answers.filter(ok).length;
			v.events.push(...events);
			await drain(ctx.sink, v.id, v.events.length, 120_000, 0);
		}
	}
	await sleep(2000);
	const after = rssMb(pid);
	/** req/s over the chunks that hold events [from, to) */
	/** @param {typeof state[number]} v @param {number} from @param {number} to */
	const rateOf = (v, from, to) => {
		const parts = v.timing.filter(([first, count]) => first >= from && first + count <= to);
		const events = parts.reduce((sum, [, count]) => sum + count, 0);
		return events / parts.reduce((sum, [, , seconds]) => sum + seconds, 0);
	};
	/** @type {Record<string, { firstRate: number, lastRate: number, t: Tally, answered: number, events: number }>} */
	const rows = {};
	for (const v of state) {
		const firstRate = rateOf(v, 0, k);
		const lastRate = rateOf(v, total - k, total);
		const t = tally(ctx.sink, v.id, v.events);
		rows[v.variant] = { firstRate, lastRate, t, answered: v.answered, events: v.events.length };
		say(
			`| ${v.variant} | ${v.events.length} | ${firstRate.toFixed(1)} | ${lastRate.toFixed(1)} | ${(lastRate / firstRate).toFixed(2)} | ${v.answered} | ${t.once} | ${t.twice + t.more} | ${t.never} |`,
		);
	}
	say(
		`\nn8n main process RSS: ${before} MB before, ${after} MB after all ${total * variants.length} events (+${after - before} MB); load average ${load()}`,
	);
	return { rows, growth: after - before };
}

/** @param {Ctx} ctx @param {string} mode @param {boolean} resendAll */
async function crash(ctx, mode, resendAll) {
	const id = `load-crash-${mode}`;
	const events = Array.from({ length: n(400) }, newEvent);
	const killAt = Math.round(events.length * (150 / 400));
	let answered = 0;
	let inFlightAtKill = 0;
	let killed = false;
	const pid = n8nPid(ctx.n8n);
	const victims = [pid, ...childrenOf(pid)];
	let started = 0;
	const answers = await sendAll(ctx.n8n.baseUrl, id, events, 10, (answer, _i, inFlight) => {
		if (!killed && ok(answer) && ++answered >= killAt) {
			killed = true;
			inFlightAtKill = inFlight;
			for (const p of victims) {
				try {
					process.kill(p, 'SIGKILL');
				} catch {
					// already gone
				}
			}
		}
		return !killed;
	});
	started = answers.filter(Boolean).length;
	await ctx.n8n.waitForExit();
	const ranBeforeRestart = new Map(ctx.sink.runsOf(id));
	await ctx.n8n.start();
	await ctx.n8n.waitForWebhook(`${ctx.n8n.baseUrl}/webhook/${id}/webhook`);
	const resend = resendAll ? events : events.filter((_, i) => !ok(answers[i]));
	const second = await sendAll(ctx.n8n.baseUrl, id, resend, 10);
	await drain(ctx.sink, id, events.length, 120_000);
	const t = tally(ctx.sink, id, events);
	// "duplicate" for an event that had not run when answered: the loss this design must never cause.
	const falseDuplicates = resend.filter(
		(e, i) => isDuplicate(second[i]) && !((ranBeforeRestart.get(e.id) ?? 0) > 0),
	).length;
	const noAnswer = second.filter((a) => !ok(a)).length;
	say(
		`| ${mode} | ${resendAll ? 'all' : 'no 2xx'} | ${answered} | ${started - answers.filter(ok).length} | ${inFlightAtKill} | ${resend.length} | ${t.once} | ${t.twice + t.more} | ${t.never} | ${falseDuplicates} | ${noAnswer} |`,
	);
	return { t, falseDuplicates, inFlightAtKill, noAnswer };
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const startedAt = Date.now();
	say(`# SIP Caller Trigger load suite — ${new Date().toISOString()}`);
	say(
		`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; n8n ${harness.N8N_VERSION} (regular mode, SQLite, N8N_EXPRESSION_ENGINE=legacy); scale ${SCALE}`,
	);
	await harness.ensureN8n();
	const tarball = await harness.packRepo(REPO);
	const sink = await startSink();
	const n8n = await harness.createInstance({
		port: await harness.freePortPair(),
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_LOG_LEVEL: 'warn' },
	});
	const ctx = { n8n, sink };
	const flows = [];
	for (const [mode, options] of Object.entries(MODES)) {
		flows.push(flow(`load-burst-${mode}`, sink.url, options));
		flows.push(flow(`load-volume-${mode}`, sink.url, options));
		flows.push(flow(`load-crash-${mode}`, sink.url, options));
	}
	flows.push(flow('load-volume-immediately-dedup-off', sink.url, { deduplicate: false }));
	try {
		await n8n.installPackage(tarball);
		await n8n.importCredentials([CREDENTIAL]);
		await n8n.importWorkflow(flows);
		for (const f of flows) await n8n.publishWorkflow(f.id);
		await n8n.start();
		for (const f of flows) await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${f.id}/webhook`);
		say(`node ${process.version} (sender); n8n on Node ${n8n.paths.node.version}`);

		if (PHASES.includes('burst')) {
			say('\n## Burst: 2,000 new events at c=20, then all of them again');
			say(
				'| respond | events | 2xx | resent: "duplicate" | ran once | ran twice+ | never ran | load |',
			);
			say('|---|---|---|---|---|---|---|---|');
			/** @type {Array<[string, Awaited<ReturnType<typeof burst>>]>} */
			const rows = [];
			for (const mode of Object.keys(MODES)) rows.push([mode, await burst(ctx, mode)]);
			for (const [mode, r] of rows) {
				check(`${mode}: every event ran exactly once`, r.t.once === r.events.length);
				check(`${mode}: every resend answered "duplicate"`, r.dup === r.events.length);
			}
		}

		if (PHASES.includes('volume')) {
			say('\n## Volume: 10,000 new events per variant at c=10, variants interleaved');
			say(
				'| variant | events | req/s first 1,000 | req/s last 1,000 | last/first | 2xx | ran once | ran twice+ | never ran |',
			);
			say('|---|---|---|---|---|---|---|---|---|');
			const { rows, growth } = await volume(ctx, [
				'immediately-dedup-off',
				'immediately',
				'afterWorkflow',
			]);
			const off = rows['immediately-dedup-off'];
			for (const name of ['immediately', 'afterWorkflow']) {
				const r = rows[name];
				check(`${name}: last 1,000 ≥ 0.9× its first 1,000`, r.lastRate >= 0.9 * r.firstRate);
				check(`${name}: every event ran exactly once`, r.t.once === r.events);
			}
			check(
				'immediately: last 1,000 ≥ 0.9× the same run with duplicate suppression off',
				rows.immediately.lastRate >= 0.9 * off.lastRate,
			);
			check(`RSS growth ≤ 256 MB (${growth} MB, over every variant's events)`, growth <= 256);
		}

		if (PHASES.includes('crash')) {
			say('\n## Crash: 400 events at c=10, n8n SIGKILLed at the 150th 2xx, restarted, resent');
			say(
				'| respond | resent | 2xx before kill | failed at kill | in flight at kill | resent | ran once | ran twice | never ran | "duplicate" without a run | resends not 2xx |',
			);
			say('|---|---|---|---|---|---|---|---|---|---|---|');
			for (const mode of Object.keys(MODES)) {
				for (const resendAll of [false, true]) {
					const r = await crash(ctx, mode, resendAll);
					check(
						`${mode}/${resendAll ? 'all' : 'no 2xx'}: no event answered "duplicate" without having run`,
						r.falseDuplicates === 0,
					);
					if (mode === 'afterWorkflow') {
						check(`afterWorkflow/${resendAll ? 'all' : 'no 2xx'}: 0 lost`, r.t.never === 0);
						if (!resendAll) {
							check(
								`afterWorkflow/no 2xx: doubles (${r.t.twice + r.t.more}) ≤ in flight at the kill (${r.inFlightAtKill})`,
								r.t.twice + r.t.more <= r.inFlightAtKill,
							);
						}
					}
				}
			}
		}
	} finally {
		await n8n.stop().catch(() => undefined);
		await sink.close();
		agent.destroy();
	}
	say(
		`\n${results.ok ? 'all targets met' : 'TARGETS MISSED'} in ${((Date.now() - startedAt) / 60000).toFixed(1)} min`,
	);
	process.exitCode = results.ok ? 0 : 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
