/**
 * SIP Caller's customer REST API, as far as its public documentation can be read
 * (https://sipcaller.com/help/apiDocs): request building, list paging, phone numbers, variable
 * values and error messages. No n8n import: the nodes send what these functions build.
 *
 * Documented: base `https://api.sipcaller.com/v1`, `Authorization: Bearer <API key>`, paths under
 * `/accounts/{accountId}/`; `GET campaigns` and `GET campaigns/{id}/numbers` with `filter`, `sort`
 * and `range` query parameters, each URL-encoded JSON; `POST campaigns/{id}/numbers` with
 * `{"number", "varValues"}` for an active dynamic campaign. Not published in readable form: response
 * bodies, status codes, headers, the CSV upload and the delete operations. What this file assumes
 * about those is marked "assumed".
 */
import { splitList } from './json';

export const DEFAULT_API_BASE_URL = 'https://api.sipcaller.com/v1';

/** The docs' own example range for campaigns is [0,99]: 100 rows a page. */
export const PAGE_SIZE = 100;

export const CAMPAIGN_STATUSES = ['Draft', 'Active', 'Paused', 'Canceled', 'Finished'] as const;
export const CAMPAIGN_TYPES = ['Static', 'Dynamic'] as const;
export const DIALER_MODES = ['Power', 'Predictive'] as const;
export type SortDirection = 'ASC' | 'DESC';

export interface ApiRequest {
	method: 'GET' | 'POST';
	/** Below the base URL, starting with `/`; every segment from user input is encoded. */
	path: string;
	qs?: Record<string, string>;
	body?: Record<string, unknown>;
}

export interface ListQuery {
	filter?: Record<string, unknown>;
	sort?: [string, SortDirection];
	/** Zero-based, end-inclusive: [0, 99] is the first 100 rows. */
	range: [number, number];
}

/** A campaign as the API returns it (assumed: the `campaign` object of the webhook events). */
export interface ApiCampaign {
	id: string;
	name?: string;
	status?: string;
	type?: string;
	varNames?: string[];
	[key: string]: unknown;
}

const seg = (value: string) => encodeURIComponent(value);

/** The documented convention: each list parameter is a JSON value in the query string. */
export function encodeListQuery(query: ListQuery): Record<string, string> {
	const qs: Record<string, string> = {};
	if (query.filter && Object.keys(query.filter).length > 0)
		qs.filter = JSON.stringify(query.filter);
	if (query.sort) qs.sort = JSON.stringify(query.sort);
	qs.range = JSON.stringify(query.range);
	return qs;
}

export function listCampaignsRequest(accountId: string, query: ListQuery): ApiRequest {
	return {
		method: 'GET',
		path: `/accounts/${seg(accountId)}/campaigns`,
		qs: encodeListQuery(query),
	};
}

export function listCampaignNumbersRequest(
	accountId: string,
	campaignId: string,
	query: ListQuery,
): ApiRequest {
	return {
		method: 'GET',
		path: `/accounts/${seg(accountId)}/campaigns/${seg(campaignId)}/numbers`,
		qs: encodeListQuery(query),
	};
}

/** `varValues` is left out when there are none, as in the docs' first add example. */
export function addCampaignNumberRequest(
	accountId: string,
	campaignId: string,
	number: string,
	varValues?: string[],
): ApiRequest {
	const body: Record<string, unknown> = { number };
	if (varValues && varValues.length > 0) body.varValues = varValues;
	return {
		method: 'POST',
		path: `/accounts/${seg(accountId)}/campaigns/${seg(campaignId)}/numbers`,
		body,
	};
}

/**
 * Add's output when SIP Caller answers with no JSON object (its answer is not documented): what was
 * sent, and that it was added.
 */
export type AddedNumber = { campaignId: string; number: string; varValues: string[]; added: true };

export function addedNumber(campaignId: string, number: string, varValues: string[]): AddedNumber {
	return { campaignId, number, varValues, added: true };
}

/**
 * The base URL as the user typed it, checked: http(s) only, no query or fragment, no trailing
 * slash. Returns undefined when it is not usable.
 */
export function normalizeBaseUrl(input: unknown): string | undefined {
	const text =
		typeof input === 'string' && input.trim() !== '' ? input.trim() : DEFAULT_API_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	if (url.search || url.hash || url.username || url.password) return undefined;
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface CampaignFilterInput {
	status?: string;
	type?: string;
	dialerMode?: string;
	name?: string;
	/** Campaign ids: an array, or one string separated by commas or new lines. */
	ids?: string[] | string;
	phoneSystemId?: string;
	extensionId?: string;
	tagIds?: string[] | string;
	/** Campaigns starting on or after this date (any ISO-8601 date or date-time). */
	startDateFrom?: string;
}

/**
 * The documented campaign filters, from the node's fields; empty fields are left out. A date is
 * sent as `YYYY-MM-DDTHH:mm:ss` without a zone, the form of the docs' `startDate_gte` example.
 */
export function campaignFilter(input: CampaignFilterInput): Record<string, unknown> {
	const filter: Record<string, unknown> = {};
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	if (text(input.status)) filter.status = text(input.status);
	if (text(input.type)) filter.type = text(input.type);
	if (text(input.dialerMode)) filter.dialer = { mode: text(input.dialerMode) };
	if (text(input.name)) filter.name = text(input.name);
	const ids = splitList(input.ids);
	if (ids.length > 0) filter.ids = ids;
	if (text(input.phoneSystemId)) filter.phoneSystemId = text(input.phoneSystemId);
	if (text(input.extensionId)) filter.extensionId = text(input.extensionId);
	const tagIds = splitList(input.tagIds);
	if (tagIds.length > 0) filter.tagIds_ovl = tagIds;
	if (text(input.startDateFrom)) filter.startDate_gte = toApiDateTime(text(input.startDateFrom));
	return filter;
}

/**
 * `2024-12-01`, `2024-12-01T10:00:00.000+01:00` or n8n's date-time value → `2024-12-01T00:00:00`
 * / `2024-12-01T10:00:00`: the wall-clock time as written, zone dropped (the docs do not say which
 * zone SIP Caller compares in, so the user's own digits are kept).
 */
export function toApiDateTime(value: string): string {
	const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(value.trim());
	if (!match) throw new RangeError(`"${value}" is not a date (expected e.g. 2024-12-01)`);
	const time = match[2] ?? '00:00:00';
	return `${match[1]}T${time.length === 5 ? `${time}:00` : time}`;
}

export type NumberCheck = { ok: true; number: string } | { ok: false; message: string };

/**
 * A phone number as SIP Caller's example writes it (`+18005551234`): the spaces, dashes, dots and
 * parentheses a CRM or a sheet adds are removed; anything else that is not a digit (or a leading
 * `+`) is an error rather than a guess.
 */
export function normalizePhoneNumber(input: unknown): NumberCheck {
	if (typeof input === 'number' && Number.isSafeInteger(input) && input > 0) {
		return normalizePhoneNumber(String(input));
	}
	if (typeof input !== 'string' || input.trim() === '') {
		return { ok: false, message: 'The phone number is empty' };
	}
	const number = input.trim().replace(/[\s\-.()]/g, '');
	if (!/^\+?\d{3,20}$/.test(number)) {
		return {
			ok: false,
			message: `"${input}" is not a phone number: use digits, with an optional leading + (e.g. +18005551234)`,
		};
	}
	return { ok: true, number };
}

/** A mapped value as SIP Caller stores it: text (numbers and booleans written out, nothing → ''). */
export function variableText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

export type VarValuesResult =
	{ ok: true; varValues: string[] } | { ok: false; message: string; unknown: string[] };

/**
 * `varValues` for a campaign: one text per variable name, in the campaign's order (SIP Caller
 * matches them by position), '' for a variable given no value. A value for a name the campaign does
 * not have is an error: it would otherwise be dropped without a word.
 */
export function orderVarValues(
	varNames: readonly string[],
	values: Record<string, unknown>,
): VarValuesResult {
	const unknown = Object.keys(values).filter((name) => !varNames.includes(name));
	if (unknown.length > 0) {
		const known = varNames.length > 0 ? varNames.map((n) => `"${n}"`).join(', ') : 'none';
		return {
			ok: false,
			unknown,
			message: `The campaign has no variable ${unknown.map((n) => `"${n}"`).join(', ')} (its variables: ${known})`,
		};
	}
	return { ok: true, varValues: varNames.map((name) => variableText(values[name])) };
}

/**
 * `varValues` for the variables mapped in the node, with the checks that keep a trusted panel from
 * losing data: the variables the node listed (the mapper's saved list, when there is one) must be
 * the campaign's current ones, every mapped name must be the campaign's, and a campaign with
 * variables must get at least one (sending the number alone is an explicit choice in the node).
 */
export function mappedVarValues(
	campaignName: string,
	varNames: readonly string[],
	values: Record<string, unknown>,
	listedNames?: readonly string[],
): VarValuesResult {
	const quote = (names: readonly string[]) =>
		names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'none';
	if (listedNames && listedNames.length > 0) {
		const sameList =
			listedNames.length === varNames.length && listedNames.every((n) => varNames.includes(n));
		if (!sameList) {
			return {
				ok: false,
				unknown: listedNames.filter((n) => !varNames.includes(n)),
				message: `The variables listed in this node (${quote(listedNames)}) are not those of campaign "${campaignName}" (${quote(varNames)}): open the node, refresh the variables list under Values to Send (or close and reopen the node), then map them`,
			};
		}
	}
	const ordered = orderVarValues(varNames, values);
	if (!ordered.ok) return ordered;
	if (varNames.length > 0 && Object.keys(values).length === 0) {
		return {
			ok: false,
			unknown: [],
			message: `Campaign "${campaignName}" has variables (${quote(varNames)}) but none is mapped: map them under Values to Send, or set Variables to "None: Send the Number Alone"`,
		};
	}
	return ordered;
}

/**
 * The rows of a list response. Assumed: a bare JSON array (as in the Partners API's published
 * example); a `{ data: [...] }` or `{ items: [...] }` envelope is read too, in case.
 */
export function readListResponse(body: unknown): Array<Record<string, unknown>> {
	const rows = Array.isArray(body)
		? body
		: body && typeof body === 'object'
			? ((body as { data?: unknown }).data ?? (body as { items?: unknown }).items)
			: undefined;
	if (!Array.isArray(rows)) {
		throw new TypeError(
			`SIP Caller answered a list request with ${describeBody(body)} instead of a JSON array`,
		);
	}
	return rows.map((row) => (row && typeof row === 'object' ? row : { value: row }));
}

function describeBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'an empty body';
	if (typeof body === 'string') return `text (${body.slice(0, 60)})`;
	return `a JSON ${Array.isArray(body) ? 'array' : typeof body}`;
}

export interface PageOptions {
	/** undefined = every row. */
	limit?: number;
	pageSize?: number;
	/** Guard against an API that ignores `range`: never more pages than this. */
	maxPages?: number;
}

/**
 * Reads a list page by page with `range` until a short page (or the limit). A page longer than asked
 * for means the server ignored `range`: its rows are kept and reading stops, so a misbehaving server
 * cannot make this loop forever.
 */
export async function collectPages<T>(
	fetchPage: (range: [number, number]) => Promise<T[]>,
	options: PageOptions = {},
): Promise<T[]> {
	const pageSize = options.pageSize ?? PAGE_SIZE;
	const limit = options.limit;
	const maxPages = options.maxPages ?? 10_000;
	const rows: T[] = [];
	for (let page = 0; page < maxPages; page++) {
		const wanted = limit === undefined ? pageSize : Math.min(pageSize, limit - rows.length);
		if (wanted <= 0) break;
		const start = rows.length;
		const batch = await fetchPage([start, start + wanted - 1]);
		rows.push(...batch);
		if (batch.length !== wanted) break;
	}
	return limit === undefined ? rows : rows.slice(0, limit);
}

export interface ApiFailure {
	message: string;
	description: string;
}

/** What SIP Caller said in an error body, if anything (assumed: `message`, `error` or `title`). */
export function apiErrorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() !== '' ? body.trim().slice(0, 500) : undefined;
	if (!body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	for (const key of ['message', 'error', 'title', 'detail', 'error_description']) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (value && typeof value === 'object') {
			const nested = apiErrorText(value);
			if (nested) return nested;
		}
	}
	return undefined;
}

const STATUS_HINTS: Record<number, string> = {
	400: 'SIP Caller did not accept the request.',
	401: 'SIP Caller refused the API key: check it in the SIP Caller API credential, or create a new one in SIP Caller > Settings > API Keys (a key cannot be shown again, and expires).',
	403: 'The API key has no role that allows this: create a key with the needed roles in SIP Caller > Settings > API Keys.',
	404: 'SIP Caller found no such account or campaign: check the Account ID in the credential and the campaign.',
	409: 'SIP Caller reported a conflict.',
	415: 'SIP Caller did not accept the content type.',
	422: 'SIP Caller did not accept the values: numbers can only be added to an active dynamic campaign.',
	429: 'Too many requests: SIP Caller asks to slow down.',
};

/** An error answer from SIP Caller, as a message for the user: status, SIP Caller's words, a hint. */
export function describeApiFailure(status: number, body: unknown): ApiFailure {
	const said = apiErrorText(body);
	const hint =
		STATUS_HINTS[status] ??
		(status >= 500
			? 'SIP Caller had a problem; try again later.'
			: 'SIP Caller refused the request.');
	return {
		message: `SIP Caller answered ${status}${said ? `: ${said}` : ''}`,
		description: hint,
	};
}

/** The campaigns SIP Caller adds numbers to: active and dynamic (the API's filter for them). */
export const TAKES_NUMBERS = { status: 'Active', type: 'Dynamic' } as const;

/** True for a campaign that can take numbers now (any case, as the API writes its values). */
export function canTakeNumbers(row: Record<string, unknown>): boolean {
	const is = (value: unknown, wanted: string) =>
		typeof value === 'string' && value.toLowerCase() === wanted.toLowerCase();
	return is(row.status, TAKES_NUMBERS.status) && is(row.type, TAKES_NUMBERS.type);
}

/** "Collections (Dynamic, Active)": what a user needs to pick the right campaign from a list. */
export function campaignLabel(row: Record<string, unknown>): string {
	const details = [row.type, row.status].filter((v) => typeof v === 'string' && v !== '');
	const name = typeof row.name === 'string' && row.name !== '' ? row.name : String(row.id);
	return details.length > 0 ? `${name} (${details.join(', ')})` : name;
}
