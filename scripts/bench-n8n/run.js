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
 *   full        our trigger, version 2, Output Full Event, an accepted CallEnded
 *   simplified  our trigger, version 2, Output Simplified, an accepted CallEnded
 *   ignored     our trigger selecting CampaignFinished only, sent a CallEnded: 200 "ignored"
 *   duplicate   our trigger, each event sent (and answered 2xx) once before, untimed: 200 "duplicate"
 *   forged      our trigger, signed with another secret: 401 (the first per 5 minutes: the report, 500)
 *   v1          our trigger at version 1 (Full by default), trigger only, under `vm` only, a quarter
 *               of the requests: what version 2 saves there
 * Engines, one n8n each, in turn (every workflow imported into each):
 *   vm          n8n's default engine with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (every variant)
 *   legacy      N8N_EXPRESSION_ENGINE=legacy (every variant)
 *   vm-eager    the default engine as n8n ships (no lazy acquire): a few trigger-only variants
 * Per engine the variants run in interleaved rounds (the order rotates each round); after each
 * batch the sink is drained and n8n's CPU allowed to settle (untimed). Reported per variant: the
 * median req/s of the rounds, p50/p99 of all its requests, the 1-minute load average (median of its
 * batches), and ratios taken within each round (median over the rounds): × the minimal trigger and
 * × the Webhook node of the same shape, and for ignored/duplicate/forged × the accepted Simplified
 * one. Then the targets, met or MISSED.
 *
 * Exit code: 1 when a delivery got an answer other than its variant's (a 5xx, a 200 for a forged
 * event, ...) or the run failed; MISSED targets are printed and leave it 0: they are measurements on
 * a shared machine, for the README, not a correctness check.
 *
 * Options: --engines vm,legacy,vm-eager  --rounds 9  --requests 50  --concurrency 10
 *          --kinds minimal,simplified  --shapes trigger   (a quick look at some variants only)
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const harness = require('../n8n/harness');
// The `n8n start` process whose working folder is the instance's user folder.
const { n8nPid, newEventId } = require('../load/lib');

/** @typedef {Awaited<ReturnType<typeof harness.createInstance>>} N8n */
/** @typedef {'webhook' | 'minimal' | 'minimalCred' | 'full' | 'simplified' | 'ignored' | 'duplicate' | 'forged' | 'v1'} Kind */
/** @typedef {'trigger' | 'http'} Shape */
/**
 * @typedef {object} Variant
 * @property {Kind} kind
 * @property {Shape} shape
 * @property {string} id       workflow id, webhook id and sink path
 * @property {string} label
 */
/** @typedef {{ body: string, signature: string }} Delivery */
/** @typedef {{ status: number, text: string, ms: number }} Answer */
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
/**
 * @typedef {object} Engine
 * @property {string} name
 * @property {string} title
 * @property {Record<string, string>} env
 * @property {Kind[]} kinds
 * @property {Shape[]} shapes
 * @property {number} requests  per round (the default --requests, or fewer for vm-eager)
 */
/**
 * @typedef {object} Sink
 * @property {string} url
 * @property {(id: string) => number} hits
 * @property {() => Promise<unknown>} close
 */

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'minimal-trigger');
const SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const WRONG_SECRET = 'badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0';
const SAMPLE = JSON.parse(
	fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'CallEnded.json'), 'utf8'),
);
const MAX_REQUESTS_PER_VARIANT = 2000;
const WARM_UP = 20;

const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const arg = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const ROUNDS = Number(arg('rounds', '9'));
const REQUESTS = Number(arg('requests', '50'));
const CONCURRENCY = Number(arg('concurrency', '10'));
const ENGINE_NAMES = arg('engines', 'vm,legacy,vm-eager').split(',');
/** Only these variants / shapes (a quick look; the targets need the defaults). */
const ONLY_KINDS = arg('kinds', '').split(',').filter(Boolean);
const ONLY_SHAPES = arg('shapes', '').split(',').filter(Boolean);

const ALL_KINDS = /** @type {Kind[]} */ ([
	'webhook',
	'minimal',
	'minimalCred',
	'full',
	'simplified',
	'ignored',
	'duplicate',
	'forged',
	'v1',
]);

/** @type {Record<string, Engine>} */
const ENGINES = {
	vm: {
		name: 'vm',
		title: '`vm` (the default engine) with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		kinds: ALL_KINDS,
		shapes: ['trigger', 'http'],
		requests: REQUESTS,
	},
	legacy: {
		name: 'legacy',
		title: 'N8N_EXPRESSION_ENGINE=legacy',
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		kinds: ALL_KINDS.filter((kind) => kind !== 'v1'),
		shapes: ['trigger', 'http'],
		requests: REQUESTS,
	},
	'vm-eager': {
		name: 'vm-eager',
		title: '`vm` as n8n ships it (no lazy acquire): a few trigger-only variants',
		env: {},
		kinds: ['webhook', 'minimal', 'minimalCred', 'simplified', 'ignored'],
		shapes: ['trigger'],
		// ~24 req/s for every community trigger here: fewer requests keep the run short.
		requests: Math.max(20, Math.round(REQUESTS / 2)),
	},
};

const LABELS = /** @type {Record<Kind, string>} */ ({
	webhook: "n8n's Webhook node",
	minimal: 'minimal community trigger',
	minimalCred: 'minimal trigger + credential',
	full: 'SIP Caller: accepted, Full',
	simplified: 'SIP Caller: accepted, Simplified',
	ignored: 'SIP Caller: ignored (type not selected)',
	duplicate: 'SIP Caller: duplicate',
	forged: 'SIP Caller: forged (401)',
	v1: 'SIP Caller v1: accepted, Full',
});

// ---------------------------------------------------------------------------------------------
// Events and signatures (HMAC-SHA256 of "<t>.<raw body>", key = the hex-decoded secret)

/** @param {string} body @param {string} secret */
function sign(body, secret) {
	const t = Math.floor(Date.now() / 1000);
	const mac = crypto.createHmac('sha256', Buffer.from(secret, 'hex'));
	return `t=${t},v1=${mac.update(`${t}.${body}`).digest('hex')}`;
}

/** @param {number} count @param {string} [secret] @returns {Delivery[]} */
function newDeliveries(count, secret = SECRET) {
	return Array.from({ length: count }, () => {
		const body = JSON.stringify({ ...SAMPLE, id: newEventId() });
		return { body, signature: sign(body, secret) };
	});
}

/** The same events, signed again (a resend carries a fresh timestamp). @param {Delivery[]} list */
function resign(list) {
	return list.map(({ body }) => ({ body, signature: sign(body, SECRET) }));
}

// ---------------------------------------------------------------------------------------------
// Workflows

const CREDENTIAL = {
	id: 'sipBenchCred',
	name: 'SIP Caller Webhook (bench)',
	type: 'sipCallerWebhookApi',
	data: { signingSecret: SECRET, previousSigningSecret: '' },
};
const MINIMAL_CREDENTIAL = {
	id: 'minimalBenchCred',
	name: 'Minimal Secret (bench)',
	type: 'minimalSecretApi',
	data: { secret: SECRET },
};

/** @param {Kind} kind @param {Shape} shape @returns {Variant} */
function variantOf(kind, shape) {
	return {
		kind,
		shape,
		id: `bench-${kind}-${shape === 'trigger' ? 't' : 'h'}`,
		label: LABELS[kind],
	};
}

/** @param {string} base @param {Variant} v */
function webhookUrl(base, v) {
	// The Webhook node is called at its Path; the others at <webhookId>/<their path>.
	return v.kind === 'webhook' ? `${base}/webhook/${v.id}` : `${base}/webhook/${v.id}/webhook`;
}

/** @param {Variant} v @returns {Record<string, unknown>} */
function triggerNode(v) {
	const common = { id: `${v.id}-trigger`, position: [0, 0], webhookId: v.id };
	if (v.kind === 'webhook') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			parameters: { httpMethod: 'POST', path: v.id, responseMode: 'onReceived', options: {} },
		};
	}
	if (v.kind === 'minimal') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-minimal-trigger.minimalTrigger',
			typeVersion: 2,
			parameters: {},
		};
	}
	if (v.kind === 'minimalCred') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-minimal-trigger.minimalCredentialTrigger',
			typeVersion: 2,
			parameters: {},
			credentials: {
				minimalSecretApi: { id: MINIMAL_CREDENTIAL.id, name: MINIMAL_CREDENTIAL.name },
			},
		};
	}
	const events = v.kind === 'ignored' ? ['CampaignFinished'] : ['*'];
	const parameters =
		v.kind === 'v1'
			? { events, options: {} }
			: { events, output: v.kind === 'full' ? 'full' : 'simplified', options: {} };
	return {
		...common,
		name: 'Trigger',
		type: 'n8n-nodes-sip-caller.sipCallerTrigger',
		typeVersion: v.kind === 'v1' ? 1 : 2,
		parameters,
		credentials: { sipCallerWebhookApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	};
}

/** @param {Variant} v @param {string} sinkUrl */
function workflowOf(v, sinkUrl) {
	const nodes = [triggerNode(v)];
	/** @type {Record<string, unknown>} */
	let connections = {};
	if (v.shape === 'http') {
		nodes.push({
			id: `${v.id}-sink`,
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [300, 0],
			parameters: {
				method: 'POST',
				url: `${sinkUrl}/${v.id}`,
				sendBody: true,
				specifyBody: 'json',
				// The same body in every workflow, and no expression: under \`vm\` an expression here
				// costs an isolate per execution whatever the trigger, which is not what is measured.
				jsonBody: '{"received":true}',
				options: {},
			},
		});
		connections = { Trigger: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } };
	}
	return {
		id: v.id,
		name: `bench: ${v.label} (${v.shape === 'trigger' ? 'trigger only' : '→ HTTP Request'})`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections,
		nodes,
	};
}

/** Whether an answer is the one this variant must get. @param {Variant} v @param {Answer} a */
function expected(v, a) {
	switch (v.kind) {
		case 'forged':
			// The first of each report window (5 minutes, per trigger) is the report: n8n's 500
			// with its generic sentence, and a failed execution (README, Troubleshooting).
			return (
				a.status === 401 || (a.status === 500 && a.text.includes('Workflow could not be started'))
			);
		case 'ignored':
			return a.status === 200 && a.text.includes('"ignored":true');
		case 'duplicate':
			return a.status === 200 && a.text.includes('"reason":"duplicate"');
		default:
			return a.status === 200 && !a.text.includes('"ignored"');
	}
}

/** Whether an accepted delivery of this variant starts an execution. @param {Variant} v */
const executes = (v) => !['ignored', 'duplicate', 'forged'].includes(v.kind);

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
					'sip-caller-signature': d.signature,
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
// Statistics and report

/** @param {number[]} xs */
function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
/** @param {number[]} sorted @param {number} p */
const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** @type {string[]} */
const printed = [];
/** @param {string} [line] */
function say(line = '') {
	printed.push(line);
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
let wrongAnswers = 0;

/**
 * @param {string} label @param {number} value @param {number} target
 */
function check(label, value, target) {
	if (Number.isNaN(value)) return; // not measured in this run (--kinds, --shapes, --engines)
	checks.push({ label, value, target, met: value >= target });
}

// ---------------------------------------------------------------------------------------------

/**
 * One engine: a fresh n8n with both packages, every workflow, interleaved rounds.
 * @param {Engine} engine @param {{ ours: string, minimal: string }} tarballs @param {Sink} sink
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
		await n8n.importCredentials([CREDENTIAL, MINIMAL_CREDENTIAL]);
		await n8n.importWorkflow(variants.map((v) => workflowOf(v, sink.url)));
		await n8n.start();
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
		const deliveries = async (v, count) =>
			v.kind === 'duplicate'
				? prime(v, count)
				: newDeliveries(count, v.kind === 'forged' ? WRONG_SECRET : SECRET);

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

/**
 * The engine's table and its targets.
 * @param {Engine} engine @param {Map<string, Measured>} results
 */
function report(engine, results) {
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
			const accepted = ['ignored', 'duplicate', 'forged'].includes(kind)
				? fmt(ratio(m, get('simplified', shape)))
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
	if (engine.name === 'vm-eager') return;
	for (const shape of engine.shapes) {
		const where = shape === 'trigger' ? 'trigger only' : '→ HTTP Request';
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

async function main() {
	const startedAt = Date.now();
	if (ROUNDS * REQUESTS > MAX_REQUESTS_PER_VARIANT)
		throw new Error(
			`--rounds × --requests = ${ROUNDS * REQUESTS}: at most ${MAX_REQUESTS_PER_VARIANT} per variant`,
		);
	const engines = ENGINE_NAMES.map((name) => {
		const engine = ENGINES[name];
		if (!engine) throw new Error(`unknown engine ${name} (vm, legacy, vm-eager)`);
		return engine;
	});
	say(`# SIP Caller Trigger through a real n8n — ${new Date().toISOString()}`);
	say(
		`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}; sender on Node ${process.version}`,
	);
	await harness.ensureN8n();
	const ours = await harness.packRepo(REPO);
	const minimal = await harness.packRepo(FIXTURE);
	const sink = await startSink();
	/** @type {Array<[Engine, Map<string, Measured>]>} */
	const runs = [];
	try {
		for (const engine of engines)
			runs.push([engine, await runEngine(engine, { ours, minimal }, sink)]);
	} finally {
		await sink.close();
		agent.destroy();
		for (const tarball of [ours, minimal])
			fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}

	say(
		`\n## Results: n8n ${harness.N8N_VERSION} (regular mode, SQLite) on Node 24, ${ROUNDS} interleaved rounds × ${REQUESTS} requests per variant at c=${CONCURRENCY}`,
	);
	say(
		'req/s: median of the rounds; p50/p99: all its requests; × columns: the median over the rounds of the ratio to that variant in the same round, same workflow shape; × accepted: to "accepted, Simplified"; load avg: the 1-minute load average, median over its batches.',
	);
	for (const [engine, results] of runs) report(engine, results);

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
	process.exitCode = wrongAnswers > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
