/** The REST API core: request building, filters, numbers, varValues order, paging, errors. */
import {
	addCampaignNumberRequest,
	apiErrorText,
	campaignFilter,
	campaignLabel,
	collectPages,
	describeApiFailure,
	listCampaignNumbersRequest,
	listCampaignsRequest,
	normalizeBaseUrl,
	normalizePhoneNumber,
	orderVarValues,
	readListResponse,
	toApiDateTime,
} from '../../nodes/SipCaller/core/api';

describe('requests as the docs write them', () => {
	it('lists campaigns with filter, sort and range as JSON query values', () => {
		expect(
			listCampaignsRequest('acc-1', {
				filter: { status: 'Active', type: 'Dynamic' },
				sort: ['name', 'DESC'],
				range: [0, 99],
			}),
		).toEqual({
			method: 'GET',
			path: '/accounts/acc-1/campaigns',
			qs: {
				filter: '{"status":"Active","type":"Dynamic"}',
				sort: '["name","DESC"]',
				range: '[0,99]',
			},
		});
	});

	it('leaves an empty filter out', () => {
		expect(listCampaignsRequest('a', { filter: {}, range: [0, 0] }).qs).toEqual({ range: '[0,0]' });
	});

	it('lists the numbers of a campaign', () => {
		expect(
			listCampaignNumbersRequest('acc', 'cmp', {
				filter: { number: '123456789' },
				sort: ['number', 'DESC'],
				range: [0, 19],
			}),
		).toEqual({
			method: 'GET',
			path: '/accounts/acc/campaigns/cmp/numbers',
			qs: { filter: '{"number":"123456789"}', sort: '["number","DESC"]', range: '[0,19]' },
		});
	});

	it('adds a number, with varValues only when there are some', () => {
		expect(addCampaignNumberRequest('acc', 'cmp', '+18005551234')).toEqual({
			method: 'POST',
			path: '/accounts/acc/campaigns/cmp/numbers',
			body: { number: '+18005551234' },
		});
		expect(addCampaignNumberRequest('acc', 'cmp', '+18005551234', ['John', '199']).body).toEqual({
			number: '+18005551234',
			varValues: ['John', '199'],
		});
	});

	it('encodes ids typed by a user so they cannot change the path', () => {
		expect(addCampaignNumberRequest('a/../b', 'c?x=1', '1').path).toBe(
			'/accounts/a%2F..%2Fb/campaigns/c%3Fx%3D1/numbers',
		);
	});
});

describe('normalizeBaseUrl', () => {
	it.each([
		[undefined, 'https://api.sipcaller.com/v1'],
		['', 'https://api.sipcaller.com/v1'],
		[' https://api.sipcaller.com/v1/ ', 'https://api.sipcaller.com/v1'],
		['http://127.0.0.1:4000/v1', 'http://127.0.0.1:4000/v1'],
	])('%p → %p', (input, expected) => expect(normalizeBaseUrl(input)).toBe(expected));

	it.each(['ftp://x/v1', 'not a url', 'https://x/v1?key=1', 'https://user:pw@x/v1'])(
		'refuses %p',
		(input) => expect(normalizeBaseUrl(input)).toBeUndefined(),
	);
});

describe('campaignFilter', () => {
	it('maps every documented filter to its API key', () => {
		expect(
			campaignFilter({
				status: 'Active',
				type: 'Dynamic',
				dialerMode: 'Power',
				name: ' Collections ',
				ids: 'a, b,,c',
				phoneSystemId: 'ps',
				extensionId: 'ext',
				tagIds: ['t1', ' t2 '],
				startDateFrom: '2024-12-01T10:30:00.000+01:00',
			}),
		).toEqual({
			status: 'Active',
			type: 'Dynamic',
			dialer: { mode: 'Power' },
			name: 'Collections',
			ids: ['a', 'b', 'c'],
			phoneSystemId: 'ps',
			extensionId: 'ext',
			tagIds_ovl: ['t1', 't2'],
			startDate_gte: '2024-12-01T10:30:00',
		});
	});

	it('is empty when nothing is set', () => {
		expect(campaignFilter({ ids: ' , ', name: '  ' })).toEqual({});
	});

	it.each([
		['2024-12-01', '2024-12-01T00:00:00'],
		['2024-12-01T08:15', '2024-12-01T08:15:00'],
		['2024-12-01 08:15:30', '2024-12-01T08:15:30'],
	])('toApiDateTime(%p) = %p', (input, expected) => expect(toApiDateTime(input)).toBe(expected));

	it('refuses a value that is not a date', () => {
		expect(() => campaignFilter({ startDateFrom: 'next monday' })).toThrow(/not a date/);
	});
});

describe('normalizePhoneNumber', () => {
	it.each([
		['+18005551234', '+18005551234'],
		[' +1 (800) 555-1234 ', '+18005551234'],
		['800.555.1234', '8005551234'],
		[18035551004, '18035551004'],
	])('%p → %p', (input, expected) =>
		expect(normalizePhoneNumber(input)).toEqual({ ok: true, number: expected }),
	);

	it.each([[''], ['  '], [null], ['call me'], ['+1 800 CALL NOW'], ['++1800'], ['12'], [1.5]])(
		'refuses %p with a message',
		(input) => {
			const result = normalizePhoneNumber(input);
			expect(result.ok).toBe(false);
			expect(!result.ok && result.message).toMatch(/phone number/);
		},
	);
});

describe('orderVarValues', () => {
	const names = ['Customer Name', 'Due Balance'];

	it("orders values by the campaign's variable names, whatever order they were given in", () => {
		expect(orderVarValues(names, { 'Due Balance': '$99.00 ', 'Customer Name': 'Stefan' })).toEqual({
			ok: true,
			varValues: ['Stefan', '$99.00 '],
		});
	});

	it('writes numbers, booleans and missing values as text', () => {
		expect(orderVarValues(names, { 'Due Balance': 99.5 })).toEqual({
			ok: true,
			varValues: ['', '99.5'],
		});
		expect(orderVarValues(['a', 'b', 'c'], { a: true, b: null, c: { x: 1 } })).toEqual({
			ok: true,
			varValues: ['true', '', '{"x":1}'],
		});
	});

	it('refuses a variable the campaign does not have, naming the ones it has', () => {
		const result = orderVarValues(names, { 'Customer Name': 'A', Balance: '1' });
		expect(result).toMatchObject({ ok: false, unknown: ['Balance'] });
		expect(!result.ok && result.message).toBe(
			'The campaign has no variable "Balance" (its variables: "Customer Name", "Due Balance")',
		);
	});
});

describe('collectPages', () => {
	const rows = Array.from({ length: 250 }, (_, i) => i);
	const server = (data: number[]) => {
		const ranges: Array<[number, number]> = [];
		const fetchPage = async ([start, end]: [number, number]) => {
			ranges.push([start, end]);
			return data.slice(start, end + 1);
		};
		return { ranges, fetchPage };
	};

	it('reads every page until a short one', async () => {
		const { ranges, fetchPage } = server(rows);
		expect(await collectPages(fetchPage)).toEqual(rows);
		expect(ranges).toEqual([
			[0, 99],
			[100, 199],
			[200, 299],
		]);
	});

	it('asks for one more (empty) page when the total is a multiple of the page size', async () => {
		const { ranges, fetchPage } = server(rows.slice(0, 200));
		expect(await collectPages(fetchPage)).toHaveLength(200);
		expect(ranges).toEqual([
			[0, 99],
			[100, 199],
			[200, 299],
		]);
	});

	it('asks for no more than the limit', async () => {
		const { ranges, fetchPage } = server(rows);
		expect(await collectPages(fetchPage, { limit: 120 })).toEqual(rows.slice(0, 120));
		expect(ranges).toEqual([
			[0, 99],
			[100, 119],
		]);
	});

	it('stops when a server ignores range (a longer page than asked for)', async () => {
		const ranges: Array<[number, number]> = [];
		const all = async (range: [number, number]) => (ranges.push(range), rows);
		expect(await collectPages(all)).toHaveLength(250);
		expect(ranges).toHaveLength(1);
		expect(await collectPages(all, { limit: 10 })).toEqual(rows.slice(0, 10));
	});
});

describe('readListResponse', () => {
	it('reads a bare array, or a data / items envelope', () => {
		expect(readListResponse([{ id: 'a' }])).toEqual([{ id: 'a' }]);
		expect(readListResponse({ data: [{ id: 'b' }] })).toEqual([{ id: 'b' }]);
		expect(readListResponse({ items: [{ id: 'c' }] })).toEqual([{ id: 'c' }]);
	});

	it.each([[''], [{ message: 'x' }], ['<html>']])('refuses %p', (body) => {
		expect(() => readListResponse(body)).toThrow(/instead of a JSON array/);
	});
});

describe('errors', () => {
	it("carries SIP Caller's status and message, with a hint", () => {
		expect(describeApiFailure(401, { message: 'Invalid or expired API key.' })).toEqual({
			message: 'SIP Caller answered 401: Invalid or expired API key.',
			description: expect.stringMatching(/^SIP Caller refused the API key/),
		});
		expect(describeApiFailure(422, { error: { message: 'Campaign is not active.' } }).message).toBe(
			'SIP Caller answered 422: Campaign is not active.',
		);
		expect(describeApiFailure(503, '').message).toBe('SIP Caller answered 503');
		expect(describeApiFailure(503, '').description).toMatch(/try again later/);
	});

	it('finds the message under the usual keys only', () => {
		expect(apiErrorText({ title: 'Bad' })).toBe('Bad');
		expect(apiErrorText({ code: 7 })).toBeUndefined();
		expect(apiErrorText(null)).toBeUndefined();
	});
});

it('labels campaigns for the pickers with type and status', () => {
	expect(campaignLabel({ id: 'x', name: 'Collections', type: 'Dynamic', status: 'Active' })).toBe(
		'Collections (Dynamic, Active)',
	);
	expect(campaignLabel({ id: 'x' })).toBe('x');
});
