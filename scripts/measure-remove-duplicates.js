// @ts-check
'use strict';
/**
 * `node scripts/measure-remove-duplicates.js`: what n8n's Remove Duplicates node costs and does
 * when it keys a step on `eventId` (examples/no-answer-to-sms.json's Skip Repeated Events:
 * operation Remove Items Processed in Previous Executions, Value Is New, scope Workflow, History
 * Size left at 10,000), in a real n8n 2.41.1 (regular mode, SQLite), for examples/README.md. Not
 * part of any suite; about 80 s (n8n installed).
 *
 * The node keeps the ids it has seen as one row of n8n's processed_data table (a JSON list of MD5
 * hashes, at most History Size of them) and, on every run, reads that row three times and writes it
 * back whole once (n8n's DeduplicationHelper). Here a workflow Webhook (Respond When Last Node
 * Finishes) → Remove Duplicates, keyed on the body's `id`, and beside it a Webhook → Code (n items)
 * → Remove Duplicates of the same scope that fills the history; then:
 *   1. cost: 30 runs one after another, each a new id, with the history at 0, 1,000, 5,000 and
 *      9,900 ids: the node's own time as n8n records it (executionTime), median and max;
 *   2. full: the history filled to exactly 10,000, one more new id;
 *   3. at the same moment: a workflow's very first 20 runs (no history row yet), 20 new ids at
 *      once; in another workflow (its history holding one id first), 20 new ids sent at once, then
 *      each sent again one by one (an id let through again was lost from the history: the node
 *      reads the list, then writes it back whole), and 10 new ids each sent twice at once; each run
 *      counted as let through, removed or failed.
 */
const os = require('node:os');
const { createInstance, freePortPair } = require('./n8n/harness');

const HISTORY_SIZE = 10000;
const RUNS = 30;

/**
 * @param {string} id
 * @param {string} path
 */
function workflow(id, path) {
	const dedup = (/** @type {string} */ name, /** @type {number[]} */ position) => ({
		id: `${id}-${name.replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion: 2,
		position,
		parameters: {
			operation: 'removeItemsSeenInPreviousExecutions',
			dedupeValue: '={{ $json.body.id }}',
			options: { scope: 'workflow' },
		},
	});
	const hook = (/** @type {string} */ name, /** @type {string} */ hookPath, y = 0) => ({
		id: `${id}-${name}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, y],
		webhookId: `${id}-${hookPath}`,
		parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} },
	});
	return {
		id,
		name: id,
		nodes: [
			hook('Event', path),
			dedup('Skip Repeated Events', [300, 0]),
			hook('Fill', `${path}-fill`, 300),
			{
				id: `${id}-code`,
				name: 'Many Ids',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [300, 300],
				parameters: {
					jsCode:
						'const { n, prefix } = $input.first().json.body;\n' +
						'return Array.from({ length: n }, (_, i) => ({ json: { body: { id: `${prefix}${i}` } } }));',
				},
			},
			dedup('Record Many', [600, 300]),
		],
		connections: {
			Event: { main: [[{ node: 'Skip Repeated Events', type: 'main', index: 0 }]] },
			Fill: { main: [[{ node: 'Many Ids', type: 'main', index: 0 }]] },
			'Many Ids': { main: [[{ node: 'Record Many', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** @param {number[]} values */
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
	const n8n = await createInstance({ port: await freePortPair() });
	const flows = [
		workflow('dedupCost', 'dedup'),
		workflow('dedupRace', 'race'),
		workflow('dedupFresh', 'fresh'),
	];
	try {
		await n8n.importWorkflow(flows);
		for (const flow of flows) await n8n.publishWorkflow(flow.id);
		await n8n.start();
		await n8n.setupOwner();
		for (const path of ['dedup', 'dedup-fill', 'race', 'fresh'])
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${path}`);

		/** @param {string} path @param {unknown} body */
		const post = async (path, body) => {
			const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
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
		/** @param {import('./n8n/harness/executions').Execution} execution */
		const passed = (execution) => (execution.nodes['Skip Repeated Events'] ?? []).length === 1;
		/** @param {import('./n8n/harness/executions').Execution} execution */
		const nodeTime = (execution) => {
			const runData = /** @type {any} */ (execution.data)?.resultData?.runData ?? {};
			return /** @type {number} */ (runData['Skip Repeated Events'][0].executionTime);
		};

		const lines = [
			`Remove Duplicates (n8n ${n8n.paths.version}, regular mode, SQLite), ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
			'',
			"1. The node's time per run (n8n's executionTime), 30 runs one after another, each a new id:",
		];
		let stored = 0;
		let executions = 0;
		for (const size of [0, 1000, 5000, 9900]) {
			if (size > stored) {
				await post('dedup-fill', { n: size - stored, prefix: `fill${size}-` });
				executions++;
				stored = size;
			}
			const times = [];
			for (let i = 0; i < RUNS; i++) {
				await post('dedup', { id: `cost${size}-${i}` });
				executions++;
			}
			stored += RUNS;
			const runs = (await runsOf('dedupCost', executions)).slice(-RUNS);
			for (const run of runs) {
				if (!passed(run)) throw new Error(`a new id was removed at ${size}`);
				times.push(nodeTime(run));
			}
			lines.push(
				`   ${String(size).padStart(5)} → ${String(size + RUNS).padStart(5)} ids stored: median ${median(times)} ms, max ${Math.max(...times)} ms`,
			);
		}

		await post('dedup-fill', { n: HISTORY_SIZE - stored, prefix: 'full-' });
		await post('dedup', { id: 'one-more' });
		executions += 2;
		const [fill, oneMore] = (await runsOf('dedupCost', executions)).slice(-2);
		const error = /** @type {any} */ (oneMore.data)?.resultData?.error?.message;
		lines.push(
			'',
			`2. History filled to ${HISTORY_SIZE} ids (${fill.status}), one new id: ${oneMore.status}${error ? `: "${error}"` : ''}`,
		);

		// A workflow's very first runs, at the same moment: no history row yet.
		const fresh = Array.from({ length: 20 }, (_, i) => `fresh-${i}`);
		await Promise.all(fresh.map((id) => post('fresh', { id })));
		const freshRuns = await runsOf('dedupFresh', fresh.length);
		// The race workflow's history exists first.
		await post('race', { id: 'seed' });
		await runsOf('dedupRace', 1);
		/** @param {import('./n8n/harness/executions').Execution[]} runs */
		const tally = (runs) => {
			const failed = runs.filter((run) => run.status !== 'success');
			const messages = new Set(
				failed.map((run) => /** @type {any} */ (run.data)?.resultData?.error?.message),
			);
			return (
				`${runs.filter(passed).length} let through, ` +
				`${runs.filter((run) => run.status === 'success' && !passed(run)).length} removed, ` +
				`${failed.length} failed${failed.length ? ` (${[...messages].join('; ')})` : ''}`
			);
		};
		const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
		await Promise.all(ids.map((id) => post('race', { id })));
		const atOnce = (await runsOf('dedupRace', 1 + ids.length)).slice(-ids.length);
		for (const id of ids) await post('race', { id });
		const again = (await runsOf('dedupRace', 1 + 2 * ids.length)).slice(-ids.length);
		const pairs = Array.from({ length: 10 }, (_, i) => `pair-${i}`);
		for (const id of pairs) await Promise.all([post('race', { id }), post('race', { id })]);
		const pairRuns = (await runsOf('dedupRace', 1 + 2 * ids.length + 2 * pairs.length)).slice(
			-2 * pairs.length,
		);
		const idOf = (/** @type {import('./n8n/harness/executions').Execution} */ run) =>
			/** @type {any} */ (run.nodes.Event?.[0])?.body?.id;
		const twice = pairs.filter(
			(id) => pairRuns.filter((run) => passed(run) && idOf(run) === id).length === 2,
		).length;
		lines.push(
			'',
			'3. At the same moment:',
			`   a workflow's first 20 runs, 20 new ids at once: ${tally(freshRuns)}`,
			'   another workflow, its history already holding one id:',
			`   20 new ids sent at once: ${tally(atOnce)}`,
			`   the same 20 sent again, one by one: ${tally(again)} (let through: lost from the history)`,
			`   10 new ids each sent twice at once (20 runs): ${tally(pairRuns)}; ${twice} ids let through twice`,
		);
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await n8n.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exitCode = 1;
});
