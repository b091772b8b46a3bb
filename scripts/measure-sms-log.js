// @ts-check
'use strict';
/**
 * `node scripts/measure-sms-log.js`: what the SMS template's log of sent events costs and does
 * (examples/no-answer-to-sms.json: SMS Log Table → Not Sent Yet? → Send SMS → Record in SMS Log,
 * n8n's Data table node keyed on `eventId`), in a real n8n 2.41.1 (regular mode, SQLite), for
 * examples/README.md. Not part of any suite; n8n on 127.0.0.1 only, nothing else is called; a few
 * minutes at most (n8n installed), and it gives up after MAX_MINUTES.
 *
 * The workflow is the template's own nodes as they are, with two stand-ins: a Webhook (Respond
 * When Last Node Finishes) and an Edit Fields node named SIP Caller Trigger that gives the item
 * the trigger's `eventId` and `number` from the body, and a No Operation node named Send SMS in
 * place of Twilio. Then:
 *   1. cost: 30 events one after another, each a new id, with the log holding 0 (the first run
 *      creates the table), 10,000 and 100,000 rows (filled through n8n's REST API with rows like
 *      the template's: a UUID v7 eventId, an 11-digit number, a date): each Data table node's own
 *      time as n8n records it (executionTime), their sum, median and slowest; then 10 events
 *      already in the log, sent again: they must stop at Not Sent Yet?;
 *   2. size: what n8n counts against its data table limit (GET /rest/data-tables-global/limits,
 *      SQLite's dbstat) at 10,000 and 100,000 rows, so the bytes per logged SMS;
 *   3. at the same moment, in a second workflow with a table of its own: its very first 20
 *      events at once (no table yet), then 10 new events each sent twice at once (what two webhook
 *      processes do with one event delivered twice): runs that failed, events that sent two SMS;
 *   4. the limit: another n8n whose data tables may hold 1 MiB (N8N_DATA_TABLES_MAX_SIZE_BYTES),
 *      the log filled with rows sent 200 days ago until n8n refuses more; one event sent three times around a
 *      clean-up (a Data table node, Row > Delete, sentAt Less Than 90 days ago): what is sent and
 *      recorded each time.
 */
const os = require('node:os');
const path = require('node:path');
const { readFileSync } = require('node:fs');
const { createInstance, freePortPair, N8N_VERSION } = require('./n8n/harness');

const RUNS = 30;
const REPEATS = 10;
const SIZES = [0, 10000, 100000];
const BATCH = 1000;
const MAX_MINUTES = 15;
const TABLE = 'SIP Caller SMS log';
const RACE_TABLE = 'At once SMS log';
const CHECKS = ['SMS Log Table', 'Not Sent Yet?', 'Record in SMS Log'];
const SMALL_LIMIT = 1024 * 1024;
const OLD_ROWS = 10000;

/** @typedef {{ name: string, type: string, typeVersion: number, position: number[], parameters: Record<string, any>, id: string }} Node */
/** @type {{ nodes: Node[], connections: Record<string, unknown> }} */
const template = JSON.parse(
	readFileSync(path.join(__dirname, '..', 'examples', 'no-answer-to-sms.json'), 'utf8'),
);

/**
 * The template with the stand-ins, its table renamed to `table`.
 * @param {string} id
 * @param {string} hookPath
 * @param {string} table
 */
function workflow(id, hookPath, table) {
	const nodes = template.nodes
		.filter((node) => node.type !== 'n8n-nodes-sip-caller.sipCallerTrigger')
		.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
		.map((node) => {
			const json = JSON.stringify(node).replaceAll(TABLE, table);
			const copy = /** @type {Node} */ ({ ...JSON.parse(json), id: `${id}-${node.id}` });
			if (node.name !== 'Send SMS') return copy;
			return { ...copy, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
		});
	const field = (/** @type {string} */ name) => ({
		id: name,
		name,
		value: `={{ $json.body.${name} }}`,
		type: 'string',
	});
	return {
		id,
		name: id,
		nodes: [
			{
				id: `${id}-event`,
				name: 'Event',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [-320, 0],
				webhookId: `${id}-${hookPath}`,
				parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${id}-trigger`,
				name: 'SIP Caller Trigger',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [0, 0],
				parameters: {
					mode: 'manual',
					assignments: { assignments: [field('eventId'), field('number')] },
					options: {},
				},
			},
			...nodes,
		],
		connections: {
			Event: { main: [[{ node: 'SIP Caller Trigger', type: 'main', index: 0 }]] },
			...template.connections,
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * Webhook → Data table Row > Delete: the log's rows whose sentAt is older than 90 days (what the
 * README suggests to schedule).
 * @param {string} id
 * @param {string} hookPath
 */
function clearWorkflow(id, hookPath) {
	return {
		id,
		name: id,
		nodes: [
			{
				id: `${id}-event`,
				name: 'Clear',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: `${id}-${hookPath}`,
				parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${id}-delete`,
				name: 'Delete Old Rows',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [320, 0],
				parameters: {
					operation: 'deleteRows',
					dataTableId: { __rl: true, mode: 'name', value: TABLE },
					filters: {
						conditions: [
							{
								keyName: 'sentAt',
								condition: 'lt',
								keyValue: '={{ $now.minus({ days: 90 }).toISO() }}',
							},
						],
					},
					options: {},
				},
			},
		],
		connections: { Clear: { main: [[{ node: 'Delete Old Rows', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** A UUID v7-like id (what SIP Caller's event ids look like), unique by its counter. */
const eventId = (/** @type {string} */ tag, /** @type {number} */ n) =>
	`019a${tag.padStart(4, '0').slice(0, 4)}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** @param {number[]} values */
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

/**
 * What the script asks of one n8n: its webhooks, its executions, its data tables.
 * @param {import('./n8n/harness').N8nInstance} n8n
 */
function tools(n8n) {
	/** @param {string} hookPath @param {string} id */
	const post = async (hookPath, id) => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${hookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ eventId: id, number: '18035551004' }),
		});
		await response.text();
		return response.status;
	};
	/** Every finished execution of a workflow with its data, oldest first. */
	const runsOf = async (/** @type {string} */ workflowId, /** @type {number} */ count) => {
		for (;;) {
			const all = await n8n.listExecutions(workflowId);
			if (all.length >= count && all.every((e) => e.stoppedAt)) {
				const withData = await Promise.all(all.map((e) => n8n.getExecution(e.id)));
				return withData.reverse();
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	};
	/** The data table of that exact name, as n8n lists it. */
	const tableNamed = async (/** @type {string} */ name) => {
		const filter = encodeURIComponent(JSON.stringify({ name }));
		const list = /** @type {{ data: Array<{ id: string, name: string, projectId: string }> }} */ (
			await n8n.rest('GET', `/rest/data-tables-global?filter=${filter}&take=250`)
		);
		return list.data.find((table) => table.name === name);
	};
	/** The rows of a table (the Data tables page's own call), all of them. */
	const rowsOf = async (/** @type {string} */ name) => {
		const table = await tableNamed(name);
		if (!table) return [];
		/** @type {Array<Record<string, unknown>>} */
		const rows = [];
		for (let skip = 0; ; skip += 250) {
			const page = /** @type {{ count: number, data: Array<Record<string, unknown>> }} */ (
				await n8n.rest(
					'GET',
					`/rest/projects/${table.projectId}/data-tables/${table.id}/rows?skip=${skip}&take=250`,
				)
			);
			rows.push(...page.data);
			if (rows.length >= page.count || page.data.length === 0) return rows;
		}
	};
	/** What n8n counts against its limit: every data table's bytes, and this one's. */
	const sizeOf = async (/** @type {string} */ name) => {
		// n8n caches the sizes for 5 s (N8N_DATA_TABLES_SIZE_CHECK_CACHE_DURATION_MS).
		await new Promise((resolve) => setTimeout(resolve, 6000));
		const table = await tableNamed(name);
		const limits =
			/** @type {{ totalBytes: number, dataTables: Record<string, { sizeBytes: number }> }} */ (
				await n8n.rest('GET', '/rest/data-tables-global/limits')
			);
		return { total: limits.totalBytes, table: limits.dataTables[table?.id ?? '']?.sizeBytes };
	};
	/**
	 * Rows like the template's, from..to-1, through n8n's REST API (what the Data tables page's
	 * import does), `sentAt` given by their number.
	 * @param {number} from @param {number} to @param {(n: number) => Date} sentAt
	 */
	const fill = async (from, to, sentAt) => {
		const table = await tableNamed(TABLE);
		if (!table) throw new Error('no table after the first runs');
		const start = Date.now();
		for (let first = from; first < to; first += BATCH) {
			const data = Array.from({ length: Math.min(BATCH, to - first) }, (_, i) => ({
				eventId: eventId('f111', first + i),
				number: String(18035550000 + ((first + i) % 10000)),
				sentAt: sentAt(first + i).toISOString(),
			}));
			try {
				await n8n.rest('POST', `/rest/projects/${table.projectId}/data-tables/${table.id}/insert`, {
					data,
					returnType: 'count',
				});
			} catch (error) {
				// n8n refuses an insert once its data tables are at the limit: the log is full.
				if (!/Data table size limit exceeded/.test(String(error))) throw error;
				process.stderr.write(`at the limit after ${first} rows\n`);
				return first;
			}
		}
		process.stderr.write(`filled ${from} → ${to} rows in ${Date.now() - start} ms\n`);
		return to;
	};
	return { post, runsOf, tableNamed, rowsOf, sizeOf, fill };
}

/** @param {import('./n8n/harness/executions').Execution} run */
const sent = (run) => (run.nodes['Send SMS'] ?? []).length === 1;
/** @param {import('./n8n/harness/executions').Execution} run */
const idOf = (run) => /** @type {any} */ (run.nodes['SIP Caller Trigger']?.[0])?.eventId;
/** @param {import('./n8n/harness/executions').Execution} run */
const errorOf = (run) => /** @type {any} */ (run.data)?.resultData?.error?.message;
/** Each node's executionTime in a run (absent: it did not run). */
const timesOf = (/** @type {import('./n8n/harness/executions').Execution} */ run) => {
	const runData = /** @type {any} */ (run.data)?.resultData?.runData ?? {};
	return Object.fromEntries(
		CHECKS.filter((name) => runData[name]).map((name) => [
			name,
			/** @type {number} */ (runData[name][0].executionTime),
		]),
	);
};
/** @param {Array<Record<string, number>>} times */
const row = (times) =>
	[
		...CHECKS.map((name) => {
			const values = times.map((t) => t[name]).filter((v) => v !== undefined);
			return values.length ? `${median(values)} (max ${Math.max(...values)})` : '-';
		}),
		(() => {
			const sums = times.map((t) => CHECKS.reduce((sum, name) => sum + (t[name] ?? 0), 0));
			return `${median(sums)} (max ${Math.max(...sums)})`;
		})(),
	].join(' | ');
/** @param {import('./n8n/harness/executions').Execution[]} runs */
const tally = (runs) => {
	const failed = runs.filter((run) => run.status !== 'success');
	const messages = new Set(failed.map(errorOf));
	// On Error: Continue: a Table > Create that failed gives an item { error } instead.
	const createFailed = runs.filter(
		(run) => /** @type {any} */ (run.nodes['SMS Log Table']?.[0])?.error !== undefined,
	).length;
	return (
		`${createFailed} continued past a failed SMS Log Table, ` +
		`${runs.filter(sent).length} sent an SMS, ` +
		`${runs.filter((run) => run.status === 'success' && !sent(run)).length} stopped at Not Sent Yet?, ` +
		`${failed.length} failed${failed.length ? ` (${[...messages].join('; ')})` : ''}`
	);
};

/** Parts 1 to 3, in n8n with its default limit. @param {string[]} lines */
async function costAndRaces(lines) {
	const n8n = await createInstance({ port: await freePortPair() });
	const flows = [workflow('smsLogCost', 'cost', TABLE), workflow('smsLogRace', 'race', RACE_TABLE)];
	try {
		await n8n.importWorkflow(flows);
		for (const flow of flows) await n8n.publishWorkflow(flow.id);
		await n8n.start();
		await n8n.setupOwner();
		for (const hookPath of ['cost', 'race'])
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${hookPath}`);
		const { post, runsOf, rowsOf, sizeOf, fill } = tools(n8n);

		lines.push(
			`1. Each Data table node's time per run (n8n's executionTime, ms), ${RUNS} new events one after another:`,
			'   rows in the log | SMS Log Table | Not Sent Yet? | Record in SMS Log | the three together',
		);
		/** @type {Array<{ rows: number, total: number, table: number }>} */
		const sizes = [];
		let stored = 0;
		let executions = 0;
		for (const size of SIZES) {
			if (size > stored) {
				const now = Date.now();
				await fill(stored, size, (n) => new Date(now - (size - n) * 1000));
				stored = size;
			}
			for (let i = 0; i < RUNS; i++) await post('cost', eventId(`c${size}`.slice(0, 4), size + i));
			executions += RUNS;
			const runs = (await runsOf('smsLogCost', executions)).slice(-RUNS);
			for (const run of runs)
				if (run.status !== 'success' || !sent(run))
					throw new Error(`a new event sent no SMS at ${size}`);
			stored += RUNS;
			lines.push(`   ${String(size).padStart(15)} | ${row(runs.map(timesOf))}`);
			if (size > 0) sizes.push({ rows: stored, ...(await sizeOf(TABLE)) });
		}

		// Events already in the log, sent again.
		for (let i = 0; i < REPEATS; i++) await post('cost', eventId('c100', 100000 + i));
		executions += REPEATS;
		const repeats = (await runsOf('smsLogCost', executions)).slice(-REPEATS);
		lines.push(
			`   ${REPEATS} events already in the log (${stored} rows), sent again: ${repeats.filter((r) => r.status === 'success').length} succeeded, ${repeats.filter(sent).length} sent an SMS | ${row(repeats.map(timesOf))}`,
		);

		const [small, large] = sizes;
		const perRow = (large.table - small.table) / (large.rows - small.rows);
		lines.push(
			'',
			'2. Size, as n8n counts it against N8N_DATA_TABLES_MAX_SIZE_BYTES (default 200 MiB):',
			...sizes.map(
				(s) =>
					`   ${s.rows} rows: the table ${(s.table / 1048576).toFixed(2)} MiB, all data tables ${(s.total / 1048576).toFixed(2)} MiB`,
			),
			`   about ${Math.round(perRow)} bytes per row: ${Math.floor((200 * 1048576) / perRow).toLocaleString('en-US')} rows in 200 MiB if the log were the only data table`,
		);

		// A new table's very first events, at the same moment.
		const first = Array.from({ length: 20 }, (_, i) => eventId('a1', i));
		await Promise.all(first.map((id) => post('race', id)));
		const firstRuns = await runsOf('smsLogRace', first.length);
		const tables = /** @type {{ data: Array<{ name: string }> }} */ (
			await n8n.rest('GET', `/rest/data-tables-global?take=250`)
		).data.filter((t) => t.name === RACE_TABLE).length;
		const firstRows = (await rowsOf(RACE_TABLE)).length;
		const pairs = Array.from({ length: 10 }, (_, i) => eventId('b2', i));
		for (const id of pairs) await Promise.all([post('race', id), post('race', id)]);
		const pairRuns = (await runsOf('smsLogRace', first.length + 2 * pairs.length)).slice(
			-2 * pairs.length,
		);
		const twice = pairs.filter(
			(id) => pairRuns.filter((run) => sent(run) && idOf(run) === id).length === 2,
		).length;
		const pairRows = (await rowsOf(RACE_TABLE)).filter((r) => pairs.includes(String(r.eventId)));
		lines.push(
			'',
			'3. At the same moment (another workflow, a table of its own):',
			`   its first 20 events at once, no table yet: ${tally(firstRuns)}; then ${tables} table(s) of that name, ${firstRows} rows`,
			`   10 new events each sent twice at once (20 runs): ${tally(pairRuns)}; ${twice} events sent two SMS; ${pairRows.length} rows for them`,
		);
	} finally {
		await n8n.stop();
	}
}

/** Part 4, in an n8n whose data tables may hold SMALL_LIMIT bytes. @param {string[]} lines */
async function theLimit(lines) {
	const n8n = await createInstance({
		port: await freePortPair(),
		env: { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(SMALL_LIMIT) },
	});
	const flows = [workflow('smsLogLimit', 'limit', TABLE), clearWorkflow('smsLogClear', 'clear')];
	try {
		await n8n.importWorkflow(flows);
		for (const flow of flows) await n8n.publishWorkflow(flow.id);
		await n8n.start();
		await n8n.setupOwner();
		for (const hookPath of ['limit', 'clear'])
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${hookPath}`);
		const { post, runsOf, rowsOf, sizeOf, fill } = tools(n8n);
		const mib = (/** @type {number} */ bytes) =>
			bytes < 1048576 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1048576).toFixed(2)} MiB`;

		let executions = 0;
		/** Sends the event, says what its run did. @param {string} id */
		const send = async (id) => {
			await post('limit', id);
			const [run] = (await runsOf('smsLogLimit', ++executions)).slice(-1);
			const recorded = (await rowsOf(TABLE)).filter((r) => r.eventId === id).length;
			const error = errorOf(run);
			return `${sent(run) ? 'sent an SMS' : 'no SMS'}, ${run.status}${error ? ` ("${error}")` : ''}, ${recorded} row(s) of it in the log`;
		};

		await send(eventId('d0', 0)); // creates the table
		const now = Date.now();
		const filled = await fill(1, OLD_ROWS + 1, () => new Date(now - 200 * 86_400_000));
		const full = await sizeOf(TABLE);
		const event = eventId('d0', 1);
		lines.push(
			'',
			`4. The limit: N8N_DATA_TABLES_MAX_SIZE_BYTES=${SMALL_LIMIT}, the log filled with rows sent 200 days ago until n8n refused more (${filled} rows, ${mib(full.total)}):`,
			`   a new event: ${await send(event)}`,
			`   the same event again: ${await send(event)}`,
		);
		const clear = await fetch(`${n8n.baseUrl}/webhook/clear`, { method: 'POST' });
		await clear.text();
		const [cleared] = await runsOf('smsLogClear', 1);
		const after = await sizeOf(TABLE);
		lines.push(
			`   Row > Delete, sentAt Less Than {{ $now.minus({ days: 90 }).toISO() }}: ${cleared.status}, ${(cleared.nodes['Delete Old Rows'] ?? []).length} rows deleted, ${mib(after.total)} left`,
			`   the same event a third time: ${await send(event)}`,
			`   and a fourth: ${await send(event)}`,
		);
	} finally {
		await n8n.stop();
	}
}

async function main() {
	const giveUp = setTimeout(() => {
		process.stderr.write(`gave up after ${MAX_MINUTES} minutes\n`);
		process.exit(1);
	}, MAX_MINUTES * 60_000);
	const lines = [
		`The SMS log (n8n ${N8N_VERSION}, regular mode, SQLite), ${os.cpus().length} cores, load average ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}, ${new Date().toISOString().slice(0, 10)}`,
		'',
	];
	try {
		await costAndRaces(lines);
		await theLimit(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		clearTimeout(giveUp);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exitCode = 1;
});
