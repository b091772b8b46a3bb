// @ts-check
'use strict';
/**
 * Talking to a running n8n over HTTP: the owner's login (kept as a cookie), n8n's internal REST
 * API (/rest/...), executions, loaded node types, and waiting for a webhook's registration.
 */
const { log, sleep } = require('./config');
const { readExecution, summarizeExecution } = require('./executions');

/** @typedef {import('./config').Owner} Owner */
/** @typedef {import('./executions').ExecutionSummary} ExecutionSummary */
/** @typedef {import('./executions').Execution} Execution */
/** @typedef {import('./executions').RawExecution} RawExecution */

/**
 * An answer of n8n, its body read.
 * @typedef {object} Answer
 * @property {number} status
 * @property {Headers} headers
 * @property {string} text
 * @property {unknown} json  the body parsed as JSON; undefined when empty or not JSON
 */

/**
 * @typedef {object} RestClientOptions
 * @property {string} baseUrl  http://127.0.0.1:<port>
 * @property {Owner} owner
 * @property {() => boolean} isRunning  whether the instance's n8n process runs
 */

/** @typedef {ReturnType<typeof createRestClient>} RestClient */

/** @param {RestClientOptions} options */
function createRestClient({ baseUrl, owner, isRunning }) {
	/** @type {string | null} */
	let cookie = null;

	/**
	 * One HTTP request to n8n, with the auth cookie once logged in.
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
	 * @returns {Promise<Answer>}
	 */
	async function request(method, urlPath, { body, headers = {} } = {}) {
		/** @type {RequestInit & { headers: Record<string, string> }} */
		const init = { method, headers: { ...headers }, redirect: 'manual' };
		if (cookie) init.headers.cookie = cookie;
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const response = await fetch(new URL(urlPath, baseUrl), init);
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	}

	/** @param {Answer} response */
	function keepAuthCookie(response) {
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
	}

	/** Drop the auth cookie (n8n was stopped: the next call logs in again). */
	function forgetLogin() {
		cookie = null;
	}

	/**
	 * Wait until n8n has registered the production webhook at `url`. Activation runs in
	 * the background after start-up, and until it is done n8n answers 404 "not registered".
	 * The probe is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method):
	 * n8n answers it 204 once a webhook with that path and method exists and 404 before,
	 * and never runs the workflow for it.
	 * @param {string} url
	 * @param {{ method?: string, timeoutMs?: number }} [options]
	 * @returns {Promise<void>}
	 */
	async function waitForWebhook(url, { method = 'POST', timeoutMs = 60000 } = {}) {
		log(`waiting for ${method} ${url} to be registered`);
		const started = Date.now();
		let last = 'no answer';
		while (Date.now() - started < timeoutMs) {
			if (!isRunning()) throw new Error('n8n is not running');
			const response = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: baseUrl, 'access-control-request-method': method },
			}).catch((error) => ({ status: 0, text: async () => error.message }));
			if (response.status >= 200 && response.status < 300) {
				log(`webhook registered (${((Date.now() - started) / 1000).toFixed(1)} s after asking)`);
				return;
			}
			// n8n answers an unknown path's preflight with an HTML error page: keep its text.
			const text = (await response.text())
				.replace(/<[^>]*>/g, ' ')
				.replace(/\s+/g, ' ')
				.trim();
			last = `${response.status} ${text.slice(0, 200)}`;
			await sleep(250);
		}
		throw new Error(
			`webhook ${method} ${url} not registered after ${timeoutMs} ms; last answer: ${last}`,
		);
	}

	/**
	 * Create the owner account (first start of a user folder) or log in if it exists.
	 * @returns {Promise<Owner>}
	 */
	async function setupOwner() {
		const response = await request('POST', '/rest/owner/setup', { body: owner });
		if (response.status === 200) {
			keepAuthCookie(response);
			log(`owner account created: ${owner.email}`);
			return owner;
		}
		// Already set up (a reused user folder): logging in proves the password still works.
		await login();
		return owner;
	}

	/**
	 * Log in as the owner; keeps the auth cookie.
	 * @returns {Promise<Owner>}
	 */
	async function login() {
		const body = { emailOrLdapLoginId: owner.email, password: owner.password };
		const response = await request('POST', '/rest/login', { body });
		if (response.status !== 200)
			throw new Error(`login as ${owner.email} failed: ${response.status} ${response.text}`);
		keepAuthCookie(response);
		return owner;
	}

	/**
	 * Authenticated call to n8n's internal REST API; returns the `data` of its answer. Sets up
	 * the owner / logs in first if needed.
	 * @param {string} method
	 * @param {string} urlPath  /rest/...
	 * @param {unknown} [body]  sent as JSON
	 * @returns {Promise<unknown>}
	 */
	async function rest(method, urlPath, body) {
		if (!cookie) await setupOwner();
		const response = await request(method, urlPath, { body });
		if (response.status < 200 || response.status >= 300) {
			throw new Error(`${method} ${urlPath}: ${response.status} ${response.text}`);
		}
		const json = /** @type {{ data?: unknown } | undefined} */ (response.json);
		return json ? json.data : undefined;
	}

	/**
	 * The workflow's executions, newest first; withData: each as getExecution returns it.
	 * @overload
	 * @param {string} workflowId
	 * @param {{ withData: true }} options
	 * @returns {Promise<Execution[]>}
	 */
	/**
	 * @overload
	 * @param {string} workflowId
	 * @param {{ withData?: boolean }} [options]
	 * @returns {Promise<ExecutionSummary[]>}
	 */
	/**
	 * @param {string} workflowId
	 * @param {{ withData?: boolean }} [options]
	 * @returns {Promise<ExecutionSummary[] | Execution[]>}
	 */
	async function listExecutions(workflowId, { withData = false } = {}) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
		/** @type {ExecutionSummary[]} */
		const executions = [];
		// Pages of at most 100 (n8n's limit), newest first, chained by nextCursor.
		/** @type {string | undefined} */
		let cursor;
		do {
			const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
			const page = /** @type {{ results: RawExecution[], nextCursor?: string }} */ (
				await rest('GET', `/rest/executions?filter=${filter}&limit=100${after}`)
			);
			executions.push(...page.results.map(summarizeExecution));
			cursor = page.nextCursor;
		} while (cursor);
		if (!withData) return executions;
		return Promise.all(executions.map((execution) => getExecution(execution.id)));
	}

	/**
	 * One execution with its data. Executions are read through n8n's own REST API
	 * (/rest/executions) as the owner; the run data arrives "flatted"-encoded and is decoded here.
	 * @param {string} id
	 * @returns {Promise<Execution>}
	 */
	async function getExecution(id) {
		const execution = /** @type {RawExecution} */ (
			await rest('GET', `/rest/executions/${encodeURIComponent(id)}`)
		);
		return readExecution(execution);
	}

	/**
	 * Names of the node types n8n has loaded (what the editor's node panel lists).
	 * @returns {Promise<string[]>}
	 */
	async function nodeTypes() {
		if (!cookie) await setupOwner();
		const response = await request('GET', '/types/nodes.json');
		if (response.status !== 200) throw new Error(`GET /types/nodes.json: ${response.status}`);
		return /** @type {Array<{ name: string }>} */ (response.json).map((type) => type.name);
	}

	return {
		request,
		forgetLogin,
		waitForWebhook,
		setupOwner,
		login,
		rest,
		listExecutions,
		getExecution,
		nodeTypes,
	};
}

module.exports = { createRestClient };
