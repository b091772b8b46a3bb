// @ts-check
'use strict';
/**
 * `npm run test:load:queue`: the SIP Caller Trigger in n8n's queue mode (PostgreSQL, Redis, main,
 * two `n8n webhook` processes, a worker: the harness's createQueueInstance), for docs/delivery.md's
 * "Scaling with queue mode". Loopback only, bounded (a few hundred events), about 8 minutes.
 *
 * 1. Several webhook processes, 20 events per case and Respond mode: the same event to both
 *    processes at once; to one and then (answered) to the other; twice to the same one; and,
 *    through nginx routing on the signature's `t` (docs/delivery.md's recipe: every delivery of an
 *    event carries the same `t`, and no respelling of the header can change its digits without
 *    breaking the signature), twice one after the other, twice at once, and as a captured
 *    delivery replayed with its header respelled six ways (upper-case hex, v1 before t, spaces,
 *    an extra v0), when Debian's nginx is installed. `--routing-only` stops there.
 * 2. Crashes, 200 events at c=10, SIGKILL at the 75th 2xx, then every delivery that got no 2xx
 *    delivered again (up to 6 times, 10 s apart, as SIP Caller retries): Respond Immediately with
 *    the worker killed (and started again while deliveries go on); When the Workflow Has Finished
 *    with webhook process 1 killed (retries reach process 2, as through a load balancer), and with
 *    the worker killed (retries reach the same process, as with routing on the header).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const harness = require('../n8n/harness');
const {
	REPO,
	CREDENTIAL,
	MODES,
	newEvent,
	startSink,
	flow,
	deliver,
	sendAll,
	ok,
	results,
	say,
	check,
	load,
	sleep,
	drain,
	tally,
	agent,
	sign,
} = require('./lib');

/** @typedef {import('./lib').LoadEvent} LoadEvent */
/** @typedef {import('./lib').Sink} Sink */

const CASE_EVENTS = 20;

/**
 * nginx in front of the webhook processes, routing on the signature header; undefined (and a note)
 * when nginx is not installed.
 * @param {string[]} upstreams  base URLs of the webhook processes
 * @param {number} port
 */
async function startNginx(upstreams, port) {
	if (spawnSync('sh', ['-c', 'command -v nginx']).status !== 0) return undefined;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-nginx-'));
	const servers = upstreams.map((u) => `server ${new URL(u).host};`).join(' ');
	fs.writeFileSync(
		path.join(dir, 'nginx.conf'),
		`daemon off; worker_processes 1; user root; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/f;
	uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
	# docs/delivery.md's recipe: route on the digits of t, which the signature covers, so a
	# respelled header (upper-case hex, v1 first, spaces, an extra v0) still reaches one process.
	map $http_sip_caller_signature $sip_caller_t {
		"~(?:^|,)\\s*t\\s*=\\s*(?<t>[0-9]+)" $t;
		default "";
	}
	upstream n8n_webhooks { hash $sip_caller_t consistent; ${servers} keepalive 32; }
	server {
		listen 127.0.0.1:${port};
		location /webhook/ {
			if ($sip_caller_t = "") { return 401; }
			proxy_pass http://n8n_webhooks;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_read_timeout 300s;
		}
	}
}
`,
	);
	const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
		stdio: 'ignore',
	});
	await sleep(1000);
	return {
		url: `http://127.0.0.1:${port}`,
		stop: () => {
			child.kill('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * One captured header, respelled as a replayer could without the secret: every one verifies (the
 * trigger reads the header tolerantly), so a route on the whole header would send each elsewhere.
 * @param {string} header  t=<t>,v1=<hex>
 * @returns {Array<string | string[]>}  header values (an array: sent as several headers)
 */
function respellings(header) {
	const [, t, v1] = /^t=([0-9]+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
	return [
		header,
		`t=${t},v1=${v1.toUpperCase()}`,
		`v1=${v1},t=${t}`,
		` t = ${t} , v1 = ${v1} `,
		`t=${t},v0=${'0'.repeat(64)},v1=${v1}`,
		`v1=${v1.toUpperCase()}, v0=x, t=${t}`,
		// A no-break space before t: JavaScript's trim() would take it, PCRE's \s does not. The
		// trigger trims only spaces and tabs, so it refuses this one (401), as nginx's key would miss.
		`v1=${v1},\u00a0t=${t}`,
		// Two headers, t in the second: Node joins them, nginx keys on the first. nginx refuses it.
		[`v1=${v1}`, `t=${t}`],
	];
}

/**
 * One row of table 1: CASE_EVENTS new events, each delivered by `send`, then what ran.
 * @param {Sink} sink
 * @param {string} flowId
 * @param {string} label
 * @param {(event: LoadEvent) => Promise<number[]>} send  resolves with the statuses it got
 */
async function sameEventCase(sink, flowId, label, send) {
	const events = Array.from({ length: CASE_EVENTS }, newEvent);
	/** @type {Record<string, number>} */
	const statuses = {};
	for (const event of events) {
		for (const status of await send(event)) statuses[status] = (statuses[status] ?? 0) + 1;
	}
	await drain(sink, flowId, events.length, 60_000, 2000);
	const t = tally(sink, flowId, events);
	const answers = Object.entries(statuses)
		.map(([status, count]) => `${count}× ${status}`)
		.join(', ');
	say(
		`| ${flowId.replace('q-', '')} | ${label} | ${answers} | ${t.once} | ${t.twice + t.more} | ${t.never} |`,
	);
	return t;
}

async function main() {
	const startedAt = Date.now();
	say(`# SIP Caller Trigger in queue mode — ${new Date().toISOString()}`);
	harness.ensureQueueServices();
	await harness.ensureN8n();
	const tarball = await harness.packRepo(REPO);
	const sink = await startSink();
	const q = await harness.createQueueInstance({
		webhookProcesses: 2,
		// Info logging stays on: the harness knows a webhook process or worker is ready by its log line.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	});
	say(
		`machine: ${os.cpus().length} cores; n8n ${harness.N8N_VERSION} in queue mode (PostgreSQL, Redis, main, 2 webhook processes, 1 worker; legacy expression engine)`,
	);
	const flows = Object.entries(MODES).map(([mode, options]) =>
		flow(`q-${mode}`, sink.url, options),
	);
	/** @type {Awaited<ReturnType<typeof startNginx>>} */
	let nginx;
	try {
		await q.installPackage(tarball);
		await q.importCredentials([CREDENTIAL]);
		await q.importWorkflow(flows);
		for (const f of flows) await q.publishWorkflow(f.id);
		// Three n8n processes start together: on 2 busy cores that can take minutes.
		await q.start({ timeoutMs: 360_000 });
		for (const f of flows) await q.waitForWebhook(`${q.webhookBaseUrl}/webhook/${f.id}/webhook`);
		const [w1, w2] = q.webhookUrls;
		nginx = await startNginx(q.webhookUrls, await harness.freePort());

		const onlyCrashes = process.argv.includes('--crashes-only');
		if (!onlyCrashes) say('\n## Several webhook processes: 20 events per case');
		say('| respond | each event delivered | answers | ran once | ran twice | never ran |');
		say('|---|---|---|---|---|---|');
		for (const f of onlyCrashes ? [] : flows) {
			/** @param {string} base @param {LoadEvent} e */
			const to = async (base, e) => (await deliver(base, f.id, e)).status;
			const together = await sameEventCase(sink, f.id, 'to both processes at once', async (e) =>
				Promise.all([to(w1, e), to(w2, e)]),
			);
			const other = await sameEventCase(
				sink,
				f.id,
				'to process 1, then to process 2',
				async (e) => [await to(w1, e), await to(w2, e)],
			);
			const same = await sameEventCase(sink, f.id, 'twice to process 1', async (e) => [
				await to(w1, e),
				await to(w1, e),
			]);
			check(`${f.id}: the same process answers a resend "duplicate"`, same.once === CASE_EVENTS);
			check(
				`${f.id}: nothing lost across processes`,
				together.never === 0 && other.never === 0 && same.never === 0,
			);
			if (nginx) {
				const url = nginx.url;
				const routed = await sameEventCase(
					sink,
					f.id,
					'twice through nginx (hash on the signature’s t)',
					async (e) => [await to(url, e), await to(url, e)],
				);
				const routedTogether = await sameEventCase(
					sink,
					f.id,
					'twice at once through nginx',
					async (e) => Promise.all([to(url, e), to(url, e)]),
				);
				const respelled = await sameEventCase(
					sink,
					f.id,
					'replayed through nginx, its header respelled 8 ways',
					async (e) => {
						const statuses = [];
						for (const header of respellings(sign(e.body, e.t)))
							statuses.push(await to(url, { ...e, header }));
						return statuses;
					},
				);
				check(
					`${f.id}: routed on the signature's t, each event ran once, respelled replays included`,
					routed.once === CASE_EVENTS &&
						routedTogether.once === CASE_EVENTS &&
						respelled.once === CASE_EVENTS,
				);
			}
		}
		if (!nginx && !onlyCrashes)
			say('\n(nginx is not installed: `apt-get install nginx` adds the routed rows)');
		const routingOnly = process.argv.includes('--routing-only');

		if (!routingOnly) {
			say('\n## Crashes in queue mode: 200 events at c=10, SIGKILL at the 75th 2xx');
			say(
				'| respond | killed | 2xx before kill | in flight at kill | resends | ran once | ran twice | never ran |',
			);
			say('|---|---|---|---|---|---|---|---|');
		}
		// SIP Caller's side: deliveries that got no 2xx are delivered again, a few times, a little later.
		/** @param {string} base @param {string} flowId @param {LoadEvent[]} events */
		const retryUntilAnswered = async (base, flowId, events) => {
			let pending = events;
			let sent = 0;
			for (let attempt = 0; attempt < 6 && pending.length > 0; attempt++) {
				if (attempt > 0) await sleep(10_000);
				const answers = await sendAll(base, flowId, pending, 10);
				sent += pending.length;
				/** @type {Record<string, number>} */
				const statuses = {};
				for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
				say(`    retry ${attempt + 1}: ${JSON.stringify(statuses)}`);
				pending = pending.filter((_, i) => !ok(answers[i]));
			}
			return { sent, unanswered: pending.length };
		};
		for (const { mode, killed, resendTo } of routingOnly
			? []
			: [
					{ mode: 'immediately', killed: 'worker', resendTo: w1 },
					{ mode: 'afterWorkflow', killed: 'webhook-1', resendTo: w2 },
					// Resent to the same process, as when the load balancer routes on the signature header.
					{ mode: 'afterWorkflow', killed: 'worker', resendTo: w1 },
				]) {
			const flowId = `q-${mode}`;
			const events = Array.from({ length: 200 }, newEvent);
			let answered = 0;
			let inFlightAtKill = 0;
			/** @type {Promise<unknown> | undefined} */
			let crash;
			const base = killed === 'worker' ? (/** @type {number} */ i) => (i % 2 ? w2 : w1) : w1;
			const answers = await sendAll(base, flowId, events, 10, (answer, _i, inFlight) => {
				if (!crash && ok(answer) && ++answered >= 75) {
					inFlightAtKill = inFlight;
					// A dead worker is replaced (as a supervisor would) while deliveries go on.
					crash = q
						.kill(killed, 'SIGKILL')
						.then(() => (killed === 'worker' ? q.process('worker').start() : undefined));
				}
				// A dead webhook process takes no more deliveries: the rest go out as retries.
				return killed === 'worker' || !crash;
			});
			await crash;
			const resend = await retryUntilAnswered(
				resendTo,
				flowId,
				events.filter((_, i) => !ok(answers[i])),
			);
			await drain(sink, flowId, events.length, 180_000, 3000);
			const t = tally(sink, flowId, events);
			say(
				`| ${mode} | ${killed} | ${answered} | ${inFlightAtKill} | ${resend.sent} (${resend.unanswered} never 2xx) | ${t.once} | ${t.twice + t.more} | ${t.never} |`,
			);
			if (killed !== 'worker') {
				// Back for the next case (a supervisor would restart it too).
				await q.process(killed).start({ timeoutMs: 360_000 });
				await q.waitForWebhook(`${q.webhookBaseUrl}/webhook/${flowId}/webhook`);
			}
			if (mode === 'afterWorkflow') {
				check(`${mode}, ${killed} killed: 0 lost`, t.never === 0);
				check(
					`${mode}, ${killed} killed: doubles (${t.twice + t.more}) ≤ in flight at the kill (${inFlightAtKill})`,
					t.twice + t.more <= inFlightAtKill,
				);
			}
		}
	} finally {
		fs.writeFileSync(path.join(os.tmpdir(), 'sip-caller-load-queue.log'), q.logs());
		nginx?.stop();
		await q.stop().catch(() => undefined);
		await sink.close();
		agent.destroy();
	}
	say(
		`\n${results.ok ? 'all checks met' : 'CHECKS MISSED'} in ${((Date.now() - startedAt) / 60000).toFixed(1)} min (load average ${load()})`,
	);
	process.exitCode = results.ok ? 0 : 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
