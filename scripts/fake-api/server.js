// @ts-check
'use strict';
/**
 * A fake of SIP Caller's customer REST API for unit tests, the end-to-end suite (a real n8n calls
 * it over HTTP) and `npm run dev -- --fake-api`. It does what SIP Caller's public docs say; each
 * choice of ours where the docs are silent is marked "assumed:". Node `http` only, in-memory
 * state, every request recorded.
 */
const { randomBytes } = require('node:crypto');
const { createServer } = require('node:http');

const {
	CAMPAIGN_STATUSES,
	CAMPAIGN_TYPES,
	DIALER_MODES,
	FAKE_ACCOUNT_ID,
	FAKE_API_KEY,
	seedCampaigns,
	seedNumbers,
} = require('./data');

/** @typedef {import('./data').Campaign} Campaign */
/** @typedef {import('./data').CampaignNumber} CampaignNumber */
/** @typedef {import('node:http').IncomingMessage} IncomingMessage */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path  Without the query string.
 * @property {Record<string, string>} query
 * @property {string} [authorization]
 * @property {string} [contentType]
 * @property {unknown} [body]  Parsed JSON when it parses, else the raw text; undefined when empty.
 * @property {number} status
 */

/**
 * @typedef {object} FakeSipCallerApi
 * @property {string} baseUrl  http://127.0.0.1:<port>/v1
 * @property {string} accountId
 * @property {string} apiKey
 * @property {RecordedRequest[]} requests
 * @property {Campaign[]} campaigns
 * @property {(campaignId: string) => CampaignNumber[]} numbers
 * @property {() => void} reset
 * @property {() => Promise<void>} close
 */

/** @typedef {{ status: number, body: unknown, headers?: Record<string, string> }} Reply */
/** @typedef {Record<string, string>} Query */

/**
 * Thrown anywhere while handling a request; becomes the `{"message": ...}` error reply.
 * assumed: every error is a JSON `{"message": ...}`, with the statuses and messages used below
 * @param {number} status
 * @param {string} message
 * @returns {never}
 */
function fail(status, message) {
	throw Object.assign(new Error(message), { status });
}

/**
 * JSON.parse, but undefined when the text is not JSON.
 * @param {string} text
 * @returns {unknown}
 */
function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** @typedef {Record<string, unknown>} Row */
/**
 * @template T
 * @typedef {(row: T) => boolean} Pred
 */
/**
 * Returns the predicate for a filter value, or undefined when the value has the wrong shape.
 * @template T
 * @typedef {(value: unknown) => Pred<T> | undefined} FilterParser
 */

/** @type {(v: unknown) => v is string} */
const isStr = (v) => typeof v === 'string';
/** @type {(v: unknown) => v is string[]} */
const isStrArray = (v) => Array.isArray(v) && v.every(isStr);
/** @type {(v: unknown) => v is Row} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * @template T
 * @param {readonly string[]} allowed
 * @param {(row: T) => string} get
 * @returns {FilterParser<T>}
 */
const oneOf = (allowed, get) => (v) =>
	isStr(v) && allowed.includes(v) ? (row) => get(row) === v : undefined;

// assumed: the datetime has no zone and is compared with the campaign's startDate taken as midnight
// of that day; seconds are required, up to 7 fraction digits (.NET style) are accepted.
const DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,7})?$/;

/** @type {Record<string, FilterParser<Campaign>>} */
const CAMPAIGN_FILTERS = {
	// assumed: an empty array matches nothing (for ids and tagIds_ovl alike)
	ids: (v) => (isStrArray(v) ? (c) => v.includes(c.id) : undefined),
	// assumed: case-insensitive substring
	name: (v) => (isStr(v) ? (c) => c.name.toLowerCase().includes(v.toLowerCase()) : undefined),
	phoneSystemId: (v) => (isStr(v) ? (c) => c.phoneSystem?.id === v : undefined),
	extensionId: (v) => (isStr(v) ? (c) => c.phoneSystem?.extension?.id === v : undefined),
	// assumed: exactly {"mode": ...}, no other keys
	dialer: (v) =>
		isObject(v) && Object.keys(v).join() === 'mode' && DIALER_MODES.some((m) => m === v.mode)
			? (c) => c.dialer?.mode === v.mode
			: undefined,
	tagIds_ovl: (v) => (isStrArray(v) ? (c) => c.tagIds.some((t) => v.includes(t)) : undefined),
	status: oneOf(CAMPAIGN_STATUSES, (c) => c.status),
	type: oneOf(CAMPAIGN_TYPES, (c) => c.type),
	startDate_gte: (v) => {
		const m = isStr(v) ? DATETIME.exec(v) : null;
		if (!m) return undefined;
		const from = m[1] + (m[2] ?? '.').padEnd(8, '0'); // "YYYY-MM-DDTHH:mm:ss.fffffff"
		return (c) => c.startDate !== null && `${c.startDate}T00:00:00.0000000` >= from;
	},
};
// assumed: substring, like the campaign name filter (a digit string finds its number)
/** @type {Record<string, FilterParser<CampaignNumber>>} */
const NUMBER_FILTERS = {
	number: (v) => (isStr(v) ? (n) => n.number.includes(v) : undefined),
};

/**
 * A list query value: URL-encoded JSON (URLSearchParams decoded it already).
 * @param {Query} query
 * @param {string} key
 * @returns {unknown}
 */
function jsonParam(query, key) {
	if (query[key] === undefined) return undefined;
	return parseJson(query[key]) ?? fail(400, `Invalid ${key} parameter.`);
}

/**
 * @template T
 * @typedef {object} Listing
 * @property {string} resource
 * @property {Record<string, FilterParser<T>>} filters
 * @property {readonly string[]} sortable
 * @property {[string, 'ASC' | 'DESC']} [defaultSort]
 */
// assumed: campaigns sort by name ASC unless told, numbers stay in the order they were added; only
// these fields sort, any other is a 400
/** @type {Listing<Campaign>} */
const CAMPAIGNS = {
	resource: 'campaigns',
	filters: CAMPAIGN_FILTERS,
	sortable: ['name', 'status', 'type', 'startDate', 'endDate'],
	defaultSort: ['name', 'ASC'],
};
/** @type {Listing<CampaignNumber>} */
const NUMBERS = {
	resource: 'numbers',
	filters: NUMBER_FILTERS,
	sortable: ['number'],
};

/**
 * filter + sort + range over `rows`, as the documented list endpoints do.
 * @template {object} T
 * @param {T[]} rows
 * @param {Query} query
 * @param {Listing<T>} listing
 * @returns {Reply}
 */
function list(rows, query, listing) {
	const { resource, filters, sortable, defaultSort } = listing;
	// assumed: any query parameter other than filter, sort and range is an error (strict on purpose)
	const extra = Object.keys(query).find((k) => !['filter', 'sort', 'range'].includes(k));
	if (extra) fail(400, `Unknown query parameter: ${extra}.`);

	// assumed: an unknown filter key is a 400 (strict on purpose: it catches our own mistakes), and so
	// is a value of the wrong shape
	const filter = jsonParam(query, 'filter') ?? {};
	if (!isObject(filter)) fail(400, 'Invalid filter parameter.');
	const preds = Object.entries(filter).map(([key, value]) => {
		if (!Object.keys(filters).includes(key)) fail(400, `Unknown filter field: ${key}.`);
		const pred = filters[key](value);
		if (!pred) fail(400, 'Invalid filter parameter.');
		return pred;
	});
	let result = rows.filter((row) => preds.every((p) => p(row)));

	const sort = jsonParam(query, 'sort') ?? defaultSort;
	if (sort !== undefined) {
		const [field, order] = isStrArray(sort) && sort.length === 2 ? sort : [];
		if (field === undefined || !['ASC', 'DESC'].includes(order))
			fail(400, 'Invalid sort parameter.');
		if (!sortable.includes(field)) fail(400, `Unknown sort field: ${field}.`);
		const sign = order === 'ASC' ? 1 : -1;
		// assumed: ordinal string order; nulls last when ASC (as Postgres)
		/** @param {T} row */
		const key = (row) => /** @type {string | null} */ (/** @type {Row} */ (row)[field]);
		/**
		 * @param {string | null} a
		 * @param {string | null} b
		 */
		const cmp = (a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
		result.sort((a, b) => sign * cmp(key(a), key(b))); // stable, so ties keep list order
	}

	// documented: zero-based, end-inclusive. assumed: none means [0,99]; negative or end < start: 400
	const range = jsonParam(query, 'range') ?? [0, 99];
	const ok = Array.isArray(range) && range.length === 2 && range.every(Number.isSafeInteger);
	/** @type {number[]} */
	const [start, end] = ok ? range : [-1, -1];
	if (start < 0 || end < start) fail(400, 'Invalid range parameter.');
	const total = result.length;
	result = result.slice(start, end + 1);
	// assumed: 200 with a bare array, Content-Range "<resource> <start>-<end>/<total>" (exposed to
	// browsers); a range past the end is 200 [] with "*/<total>", like HTTP's unsatisfied range
	const span = result.length ? `${start}-${start + result.length - 1}` : '*';
	return {
		status: 200,
		body: result,
		headers: {
			'Content-Range': `${resource} ${span}/${total}`,
			'Access-Control-Expose-Headers': 'Content-Range',
		},
	};
}

/**
 * Like SIP Caller's ids: a UUID v7 (48-bit ms timestamp, version 7, variant 10).
 * @returns {string}
 */
function uuidV7() {
	const h = Date.now().toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
	const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PHONE = /^\+?[0-9]{6,15}$/;

/**
 * documented: adds a number to an active dynamic campaign, varValues positional to its varNames.
 * assumed: 415 unless JSON, 422 with the messages below, 201 with the stored row.
 * @param {Campaign} campaign
 * @param {CampaignNumber[]} rows
 * @param {IncomingMessage} req
 * @param {string} text
 * @returns {Reply}
 */
function addNumber(campaign, rows, req, text) {
	// assumed: parameters such as "; charset=utf-8" are fine
	const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
	if (contentType !== 'application/json') fail(415, 'Content-Type must be application/json.');
	const body = parseJson(text);
	if (!isObject(body)) return fail(400, 'Invalid JSON body.'); // assumed
	// assumed: the body is checked before the campaign, in this order
	const unknown = Object.keys(body).find((k) => k !== 'number' && k !== 'varValues');
	if (unknown) fail(422, `Unknown field: ${unknown}.`);
	const { number, varValues = [] } = body;
	if (!isStr(number) || !PHONE.test(number)) fail(422, 'Invalid phone number.');
	if (!isStrArray(varValues)) fail(422, 'varValues must be an array of strings.');
	if (campaign.type !== 'Dynamic') fail(422, 'Numbers can only be added to dynamic campaigns.');
	if (campaign.status !== 'Active') fail(422, 'Campaign is not active.');
	const n = campaign.varNames.length;
	if (varValues.length > n) fail(422, `Too many varValues: the campaign has ${n} variables.`);
	// assumed: fewer varValues than varNames is fine, and a number already there is added again
	/** @type {CampaignNumber} */
	const row = {
		id: uuidV7(),
		number,
		varValues,
		status: 'Pending',
		createdAt: new Date().toISOString().slice(0, 23), // UTC, no "Z", as SIP Caller writes it
	};
	rows.push(row);
	return { status: 201, body: row };
}

/** @returns {Promise<FakeSipCallerApi>} */
async function startFakeSipCallerApi() {
	/** @type {RecordedRequest[]} */
	const requests = [];
	const campaigns = seedCampaigns();
	let numbersByCampaign = seedNumbers();
	/** @param {string} id */
	const numbers = (id) => {
		// created on demand so that tests can push campaigns of their own into `campaigns`
		if (!numbersByCampaign.has(id)) numbersByCampaign.set(id, []);
		return /** @type {CampaignNumber[]} */ (numbersByCampaign.get(id));
	};

	/**
	 * @param {IncomingMessage} req
	 * @param {string} path
	 * @param {Query} query
	 * @param {string} text
	 * @returns {Reply}
	 */
	function route(req, path, query, text) {
		// assumed: 401 for a missing or wrong key (scheme case-insensitive, key compared exactly), 404
		// for another account, an unknown campaign or an unknown path or method
		const key = /^Bearer (.*)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (key !== FAKE_API_KEY) fail(401, 'Invalid or expired API key.');
		const parts = path.split('/').slice(1); // ['v1', 'accounts', id, ...], ids need no decoding
		if (parts[0] !== 'v1' || parts[1] !== 'accounts' || parts.length < 4) fail(404, 'Not found.');
		// assumed: checked before the rest of the path, as the key belongs to exactly one account
		if (parts[2] !== FAKE_ACCOUNT_ID) fail(404, 'Account not found.');
		const [, , , collection, campaignId, sub, ...rest] = parts;
		if (collection !== 'campaigns' || rest.length) fail(404, 'Not found.');
		if (campaignId === undefined && req.method === 'GET') return list(campaigns, query, CAMPAIGNS);
		if (sub !== 'numbers') fail(404, 'Not found.');
		const campaign = campaigns.find((c) => c.id === campaignId);
		if (!campaign) fail(404, 'Campaign not found.');
		if (req.method === 'GET') return list(numbers(campaign.id), query, NUMBERS);
		if (req.method === 'POST') return addNumber(campaign, numbers(campaign.id), req, text);
		return fail(404, 'Not found.');
	}

	const server = createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url ?? '/', 'http://fake');
			const query = Object.fromEntries(url.searchParams);
			/** @type {Reply} */
			let reply;
			try {
				reply = route(req, url.pathname, query, text);
			} catch (error) {
				// a bug of the fake (or a malformed path) still gets an answer, and is recorded
				const { status = 500, message } = /** @type {Error & { status?: number }} */ (error);
				reply = { status, body: { message } };
			}
			const body = text ? (parseJson(text) ?? text) : undefined;
			requests.push({
				method: req.method ?? '',
				path: url.pathname,
				query,
				authorization: req.headers.authorization,
				contentType: req.headers['content-type'],
				body,
				status: reply.status,
			});
			const headers = { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers };
			res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		accountId: FAKE_ACCOUNT_ID,
		apiKey: FAKE_API_KEY,
		requests,
		campaigns,
		numbers,
		reset() {
			// in place, so that references held by tests stay live
			requests.length = 0;
			campaigns.splice(0, campaigns.length, ...seedCampaigns());
			numbersByCampaign = seedNumbers();
		},
		close: () =>
			new Promise((resolve, reject) => {
				server.closeAllConnections(); // fetch keeps connections alive
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

module.exports = { startFakeSipCallerApi };
