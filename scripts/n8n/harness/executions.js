// @ts-check
'use strict';
/** Reading n8n's executions: the summary of one, its "flatted" run data, each node's output items. */

/**
 * One execution as n8n lists it.
 * @typedef {object} ExecutionSummary
 * @property {string} id
 * @property {string} workflowId
 * @property {string} status  'success', 'error', 'running', 'new', 'waiting', 'canceled', 'crashed'
 * @property {string} mode  how it started: 'webhook', 'manual', 'trigger', ...
 * @property {boolean} finished  true exactly when it succeeded
 * @property {string} startedAt  ISO date
 * @property {string | null} stoppedAt  ISO date; null while it runs
 */

/**
 * One run of a node: the items of each of its outputs (first output first).
 * @typedef {{ data?: { main?: Array<Array<{ json: unknown }> | null> } }} TaskRun
 */

/**
 * An execution's run data (n8n's IRunExecutionData), of which the harness reads runData.
 * @typedef {object} ExecutionData
 * @property {{ runData?: Record<string, TaskRun[]>, error?: unknown, [key: string]: unknown }} [resultData]
 */

/**
 * One execution with what each node output.
 * @typedef {object} ExecutionDetails
 * @property {Record<string, unknown[]>} nodes  { [nodeName]: [json of each output item] }
 * @property {ExecutionData | undefined} data  the execution's full run data
 */

/** @typedef {ExecutionSummary & ExecutionDetails} Execution */

/**
 * An execution as n8n's REST API answers it (listed, or read with its data).
 * @typedef {object} RawExecution
 * @property {string | number} id
 * @property {string} workflowId
 * @property {string} status
 * @property {string} mode
 * @property {boolean} [finished]
 * @property {string} startedAt
 * @property {string | null} stoppedAt
 * @property {string | ExecutionData} [data]  "flatted"-encoded text as n8n sends it
 */

/**
 * Turn n8n's "flatted" execution data (JSON with shared references by index) into objects.
 * @param {string} text
 * @returns {unknown}
 */
function parseFlatted(text) {
	/** @type {unknown[]} */
	const input = JSON.parse(text);
	/** @type {Map<number, object>} */
	const revived = new Map();
	/**
	 * @param {number} index
	 * @returns {unknown}
	 */
	const ref = (index) => {
		const value = input[index];
		if (value === null || typeof value !== 'object') return value;
		if (revived.has(index)) return revived.get(index);
		/** @type {Record<string, unknown>} */
		const out = Array.isArray(value) ? /** @type {any} */ ([]) : {};
		revived.set(index, out);
		for (const [key, item] of Object.entries(value))
			out[key] = typeof item === 'string' ? ref(Number(item)) : item;
		return out;
	};
	return ref(0);
}

/**
 * { nodeName: [json of each item of each run's first output] } from an execution's runData.
 * @param {ExecutionData | undefined} data
 * @returns {Record<string, unknown[]>}
 */
function nodeOutputs(data) {
	const runData = (data && data.resultData && data.resultData.runData) || {};
	/** @type {Record<string, unknown[]>} */
	const outputs = {};
	for (const [nodeName, runs] of Object.entries(runData)) {
		outputs[nodeName] = [];
		for (const taskRun of runs) {
			const main = (taskRun.data && taskRun.data.main) || [];
			for (const item of main[0] || []) outputs[nodeName].push(item.json);
		}
	}
	return outputs;
}

/**
 * @param {RawExecution} execution
 * @returns {ExecutionSummary}
 */
function summarizeExecution(execution) {
	const { id, status, mode, startedAt, stoppedAt, workflowId } = execution;
	// The list answer has no `finished`; n8n sets it exactly when an execution succeeded.
	const finished = execution.finished ?? status === 'success';
	return { id: String(id), workflowId, status, mode, finished, startedAt, stoppedAt };
}

/**
 * An execution read with its data: the summary, each node's output items, the decoded run data.
 * @param {RawExecution} execution
 * @returns {Execution}
 */
function readExecution(execution) {
	const data = /** @type {ExecutionData | undefined} */ (
		typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data
	);
	return { ...summarizeExecution(execution), nodes: nodeOutputs(data), data };
}

module.exports = { parseFlatted, nodeOutputs, summarizeExecution, readExecution };
