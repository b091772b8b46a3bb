import { FAKE_CAMPAIGNS, FAKE_TAGS, OTHER_ACCOUNT_ID } from '../../scripts/fake-api/data';
import { startFakeSipCallerApi, type FakeSipCallerApi } from '../../scripts/fake-api/server';

/** Self-test of the fake SIP Caller API, over real HTTP as n8n will call it. */
let api: FakeSipCallerApi;
beforeAll(async () => {
	api = await startFakeSipCallerApi();
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const q = (params: Record<string, unknown>) =>
	'?' +
	new URLSearchParams(
		Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)] as [string, string]),
	);

async function call(path: string, init: RequestInit = {}, account = api.accountId) {
	const response = await fetch(`${api.baseUrl}/accounts/${account}${path}`, {
		...init,
		headers: { Authorization: `Bearer ${api.apiKey}`, ...init.headers },
	});
	return {
		status: response.status,
		headers: response.headers,
		json: (await response.json()) as any,
	};
}

const post = (campaignId: string, body: unknown) =>
	call(`/campaigns/${campaignId}/numbers`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});

describe('fake SIP Caller API', () => {
	it('answers 401 without a key or with a wrong one, and 404 for another account', async () => {
		const invalid = { message: 'Invalid or expired API key.' };
		const none = await fetch(`${api.baseUrl}/accounts/${api.accountId}/campaigns`);
		expect([none.status, await none.json()]).toEqual([401, invalid]);
		const wrong = await call('/campaigns', { headers: { Authorization: 'Bearer nope' } });
		expect([wrong.status, wrong.json]).toEqual([401, invalid]);
		const other = await call('/campaigns', {}, OTHER_ACCOUNT_ID);
		expect([other.status, other.json]).toEqual([404, { message: 'Account not found.' }]);
		expect((await call('/nothing')).status).toBe(404);
	});

	it('filters and sorts campaigns', async () => {
		const active = await call(
			'/campaigns' + q({ filter: { type: 'Dynamic', status: 'Active' }, sort: ['name', 'DESC'] }),
		);
		expect(active.status).toBe(200);
		expect(active.json.map((c: { name: string }) => c.name)).toEqual([
			'Survey no variables',
			'Collections (dynamic)',
		]);
		expect(active.headers.get('content-range')).toBe('campaigns 0-1/2');

		const filter = {
			tagIds_ovl: [FAKE_TAGS.sales.id],
			dialer: { mode: 'Predictive' },
			startDate_gte: '2024-11-20T00:00:00',
			name: 'OUTREACH',
		};
		const predictive = await call('/campaigns' + q({ filter }));
		expect(predictive.json.map((c: { id: string }) => c.id)).toEqual([
			FAKE_CAMPAIGNS.predictive.id,
		]);

		const unknown = await call('/campaigns' + q({ filter: { colour: 'red' } }));
		expect([unknown.status, unknown.json]).toEqual([
			400,
			{ message: 'Unknown filter field: colour.' },
		]);
		expect((await call('/campaigns?range=[5,1]')).status).toBe(400);
		expect((await call('/campaigns' + q({ sort: ['id', 'ASC'] }))).status).toBe(400);
	});

	it('pages over the 255 campaigns with Content-Range', async () => {
		const seen: string[] = [];
		const ranges: string[] = [];
		for (const range of [
			[0, 99],
			[100, 199],
			[200, 299],
		]) {
			const page = await call('/campaigns' + q({ range }));
			expect(page.headers.get('access-control-expose-headers')).toBe('Content-Range');
			ranges.push(page.headers.get('content-range') ?? '');
			seen.push(...page.json.map((c: { id: string }) => c.id));
		}
		expect(ranges).toEqual([
			'campaigns 0-99/255',
			'campaigns 100-199/255',
			'campaigns 200-254/255',
		]);
		expect(new Set(seen).size).toBe(255);
		const first = await call('/campaigns'); // no range: the first 100, by name
		expect(first.json).toHaveLength(100);
		expect(first.json[0].name).toBe('Archive 001');
	});

	it('adds a number to an active dynamic campaign and lists it', async () => {
		const { id } = FAKE_CAMPAIGNS.collections;
		const added = await post(id, { number: '+18005551234', varValues: ['John', '199'] });
		expect(added.status).toBe(201);
		expect(added.json).toEqual({
			id: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			),
			number: '+18005551234',
			varValues: ['John', '199'],
			status: 'Pending',
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/),
		});
		expect(api.numbers(id)).toHaveLength(4);

		const survey = await post(FAKE_CAMPAIGNS.survey.id, { number: '5551234' });
		expect([survey.status, survey.json.varValues]).toEqual([201, []]);

		const listed = await call(`/campaigns/${id}/numbers` + q({ sort: ['number', 'DESC'] }));
		expect(listed.json[0].number).toBe('+18005551234');
		expect(listed.headers.get('content-range')).toBe('numbers 0-3/4');
	});

	const { collections, campaign1, reminders, predictive } = FAKE_CAMPAIGNS;
	const number = '+18005551234';
	it.each([
		{ campaign: collections, body: { number: '12-34' }, message: 'Invalid phone number.' },
		{ campaign: collections, body: { number: 18005551234 }, message: 'Invalid phone number.' },
		{
			campaign: collections,
			body: { number, varValues: ['John', 199] },
			message: 'varValues must be an array of strings.',
		},
		{
			campaign: collections,
			body: { number, varValues: ['a', 'b', 'c'] },
			message: 'Too many varValues: the campaign has 2 variables.',
		},
		{
			campaign: campaign1,
			body: { number },
			message: 'Numbers can only be added to dynamic campaigns.',
		},
		{ campaign: reminders, body: { number }, message: 'Campaign is not active.' },
		{ campaign: predictive, body: { number }, message: 'Campaign is not active.' },
		{ campaign: collections, body: { number, name: 'x' }, message: 'Unknown field: name.' },
	])(
		'refuses to add $body to $campaign.name: 422 $message',
		async ({ campaign, body, message }) => {
			const reply = await post(campaign.id, body);
			expect([reply.status, reply.json]).toEqual([422, { message }]);
			expect(api.numbers(campaign.id)).toHaveLength(campaign === collections ? 3 : 0);
		},
	);

	it('wants JSON and a known campaign', async () => {
		const { id } = FAKE_CAMPAIGNS.collections;
		const text = await call(`/campaigns/${id}/numbers`, { method: 'POST', body: 'number=1' });
		expect(text.status).toBe(415);
		const missing = await post('0193ffff-0000-7000-8000-000000000000', { number: '+18005551234' });
		expect([missing.status, missing.json]).toEqual([404, { message: 'Campaign not found.' }]);
	});

	it('records every request, failing ones too', async () => {
		await fetch(`${api.baseUrl}/accounts/${api.accountId}/campaigns?range=%5B0%2C9%5D`);
		await post(FAKE_CAMPAIGNS.survey.id, { number: '+18005551234' });
		expect(api.requests).toEqual([
			{
				method: 'GET',
				path: `/v1/accounts/${api.accountId}/campaigns`,
				query: { range: '[0,9]' },
				authorization: undefined,
				contentType: undefined,
				body: undefined,
				status: 401,
			},
			{
				method: 'POST',
				path: `/v1/accounts/${api.accountId}/campaigns/${FAKE_CAMPAIGNS.survey.id}/numbers`,
				query: {},
				authorization: `Bearer ${api.apiKey}`,
				contentType: 'application/json',
				body: { number: '+18005551234' },
				status: 201,
			},
		]);
		api.reset();
		expect(api.requests).toEqual([]);
		expect(api.numbers(FAKE_CAMPAIGNS.survey.id)).toEqual([]);
	});
});
