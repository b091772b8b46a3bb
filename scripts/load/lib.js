// @ts-check
'use strict';
/**
 * What the load suites share: signed SIP Caller events, the sink the workflows post to, the
 * workflows, sending with a fixed concurrency, n8n's process (RSS, SIGKILL), tallies and the report.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

/** @typedef {{ id: string, body: string, t: number, header?: string | string[] }} LoadEvent  t: when SIP Caller generated it: every delivery of the event is signed with it; header: sent instead of the signature SIP Caller would write (a respelled replay) */
/** @typedef {{ status: number, text: string, at: number }} Answer */
/**
 * @typedef {object} Sink
 * @property {string} url
 * @property {(flowId: string) => Map<string, number>} runsOf  event id → how often it ran
 * @property {() => Promise<unknown>} close
 */
/** @typedef {Awaited<ReturnType<typeof import('../n8n/harness').createInstance>>} N8n */
/** @typedef {{ n8n: N8n, sink: Sink }} Ctx */
/** @typedef {{ once: number, twice: number, more: number, never: number }} Tally */

const REPO = path.resolve(__dirname, '..', '..');
const SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const SAMPLE = JSON.parse(
	fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'CallEnded.json'), 'utf8'),
);

// ---------------------------------------------------------------------------------------------
// Events and signatures (the spec: HMAC-SHA256 of "<t>.<raw body>", key = hex-decoded secret)

let sequence = 0;
/** A UUIDv7-shaped id: the time first, then a counter and randomness. */
function newEventId() {
	const ms = Date.now().toString(16).padStart(12, '0');
	const seq = (++sequence).toString(16).padStart(8, '0');
	const rand = crypto.randomBytes(4).toString('hex');
	return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq.slice(0, 3)}-8${seq.slice(3, 6)}-${seq.slice(6)}${rand}00`;
}

/** @returns {LoadEvent} */
function newEvent() {
	const id = newEventId();
	return { id, body: JSON.stringify({ ...SAMPLE, id }), t: Math.floor(Date.now() / 1000) };
}

/** @param {string} body */
function sign(body, t = Math.floor(Date.now() / 1000)) {
	const mac = crypto.createHmac('sha256', Buffer.from(SECRET, 'hex'));
	return `t=${t},v1=${mac.update(`${t}.${body}`).digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// The sink: what the workflows' HTTP Request nodes post

/** @returns {Promise<Sink>} */
function startSink() {
	/** @type {Map<string, Map<string, number>>} path → event id → runs */
	const runs = new Map();
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			try {
				const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				const id = json.eventId ?? json.id;
				const byId = runs.get(req.url ?? '') ?? new Map();
				byId.set(id, (byId.get(id) ?? 0) + 1);
				runs.set(req.url ?? '', byId);
			} catch {
				// counted nowhere: the tables would show it as "never ran"
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${port}`,
				/** @param {string} flowId */
				runsOf: (flowId) => runs.get(`/${flowId}`) ?? new Map(),
				close: () => new Promise((done) => server.close(() => done(undefined))),
			});
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Workflows

const CREDENTIAL = {
	id: 'sipLoadCred',
	name: 'SIP Caller Webhook (load)',
	type: 'sipCallerWebhookApi',
	data: { signingSecret: SECRET, previousSigningSecret: '' },
};

/** Trigger (version 2, as the editor adds it: Simplified) → HTTP Request to the sink. */
/**
 * @param {string} id
 * @param {string} sinkUrl
 * @param {Record<string, unknown>} options
 */
function flow(id, sinkUrl, options) {
	return {
		id,
		name: `SIP Caller load: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { 'SIP Caller Trigger': { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: `${id}-t`,
				name: 'SIP Caller Trigger',
				type: 'n8n-nodes-sip-caller.sipCallerTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: id,
				parameters: { events: ['*'], options },
				credentials: { sipCallerWebhookApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
			{
				id: `${id}-s`,
				name: 'Sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [300, 0],
				parameters: {
					method: 'POST',
					url: `${sinkUrl}/${id}`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ eventId: $json.eventId }) }}',
					options: {},
				},
			},
		],
	};
}

const MODES = {
	immediately: {},
	afterWorkflow: { respond: 'afterWorkflow' },
};

// ---------------------------------------------------------------------------------------------
// Sending

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * POSTs one signed event; resolves with its status (0 when the connection failed) and body.
 * @param {string} baseUrl
 * @param {string} flowId
 * @param {LoadEvent} event
 * @returns {Promise<Answer>}
 */
function deliver(baseUrl, flowId, event, timeoutMs = 120_000) {
	const { body } = event;
	return new Promise((resolve) => {
		const url = new URL(`${baseUrl}/webhook/${flowId}/webhook`);
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				timeout: timeoutMs,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					'sip-caller-signature': event.header ?? sign(body, event.t),
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						text: Buffer.concat(chunks).toString('utf8'),
						at: Date.now(),
					}),
				);
				res.on('error', () => resolve({ status: 0, text: '', at: Date.now() }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve({ status: 0, text: '', at: Date.now() }));
		req.end(body);
	});
}

/**
 * Sends every event with `concurrency` requests in flight; `onAnswer` sees each answer as it
 * arrives and may return false to stop sending. Resolves with the answers, by index.
 * @param {string | ((index: number) => string)} baseUrl  one n8n, or the one for each event
 * @param {string} flowId
 * @param {LoadEvent[]} events
 * @param {number} concurrency
 * @param {(answer: Answer, index: number, inFlight: number) => boolean} [onAnswer]
 * @returns {Promise<Answer[]>}
 */
async function sendAll(baseUrl, flowId, events, concurrency, onAnswer = () => true) {
	/** @type {Answer[]} */
	const answers = new Array(events.length);
	let next = 0;
	let completed = 0;
	let stop = false;
	async function lane() {
		while (!stop && next < events.length) {
			const i = next++;
			const answer = await deliver(
				typeof baseUrl === 'string' ? baseUrl : baseUrl(i),
				flowId,
				events[i],
			);
			answers[i] = answer;
			completed++;
			// Requests sent and not answered yet, when this answer arrived.
			if (onAnswer(answer, i, next - completed) === false) stop = true;
		}
	}
	await Promise.all(Array.from({ length: concurrency }, lane));
	return answers;
}

/** @param {Answer | undefined} a */
const ok = (a) => a !== undefined && a.status >= 200 && a.status < 300;
/** @param {Answer | undefined} a */
const isDuplicate = (a) => a !== undefined && ok(a) && a.text.includes('"reason":"duplicate"');

// ---------------------------------------------------------------------------------------------
// n8n's process (for RSS and SIGKILL): the `n8n start` whose working folder is the user folder

/** @param {N8n} instance */
function n8nPid(instance) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
			if (cwd === instance.dir && cmd.includes('start') && cmd.some((c) => c.endsWith('n8n')))
				return Number(entry);
		} catch {
			// gone, or not ours
		}
	}
	throw new Error('n8n process not found');
}

/** @param {number} pid */
function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return Math.round(kb / 1024);
}

/**
 * @param {number} pid
 * @returns {number[]}
 */
function childrenOf(pid) {
	/** @type {number[]} */
	const out = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(Number(entry), ...childrenOf(Number(entry)));
		} catch {
			// gone
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const results = { ok: true, lines: /** @type {string[]} */ ([]) };
/** @param {string} [line] */
function say(line = '') {
	results.lines.push(line);
	process.stdout.write(`${line}\n`);
}
/** @param {string} label @param {boolean} pass */
function check(label, pass) {
	if (!pass) results.ok = false;
	say(`  ${pass ? 'met   ' : 'MISSED'} ${label}`);
}
const load = () => os.loadavg()[0].toFixed(2);
/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until the sink saw `count` distinct ids of the flow, or `timeoutMs` passed. */
/**
 * @param {Sink} sink
 * @param {string} flowId
 * @param {number} count
 * @param {number} timeoutMs
 */
async function drain(sink, flowId, count, timeoutMs, lateMs = 1000) {
	const deadline = Date.now() + timeoutMs;
	while (sink.runsOf(flowId).size < count && Date.now() < deadline) await sleep(50);
	await sleep(lateMs); // late doubles, if any
}

/**
 * @param {Sink} sink
 * @param {string} flowId
 * @param {LoadEvent[]} events
 * @returns {Tally}
 */
function tally(sink, flowId, events) {
	const runs = sink.runsOf(flowId);
	const counts = { once: 0, twice: 0, more: 0, never: 0 };
	for (const e of events) {
		const r = runs.get(e.id) ?? 0;
		if (r === 0) counts.never++;
		else if (r === 1) counts.once++;
		else if (r === 2) counts.twice++;
		else counts.more++;
	}
	return counts;
}

module.exports = {
	REPO,
	newEventId,
	SECRET,
	CREDENTIAL,
	MODES,
	newEvent,
	sign,
	startSink,
	flow,
	deliver,
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
};
