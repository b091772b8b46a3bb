/**
 * The SIP Caller node run in n8n-core's real execution context against the fake SIP Caller API on
 * 127.0.0.1: what reaches the API (paths, query, body, Bearer), paging, per-item parameters,
 * errors and Continue On Fail.
 */
import type { INodeParameters } from 'n8n-workflow';

import {
	ARCHIVE_COUNT,
	FAKE_ACCOUNT_ID,
	FAKE_API_KEY,
	FAKE_CAMPAIGNS,
	OTHER_ACCOUNT_ID,
} from '../../scripts/fake-api/data';
import { startFakeSipCallerApi, type FakeSipCallerApi } from '../../scripts/fake-api/server';
import {
	loadOptionsContext,
	runSipCallerNode,
	triggerLoadOptionsContext,
	type ApiCredential,
} from '../helpers/execute-context';

let api: FakeSipCallerApi;
let credential: ApiCredential;

beforeAll(async () => {
	api = await startFakeSipCallerApi();
	credential = { accountId: FAKE_ACCOUNT_ID, apiKey: FAKE_API_KEY, baseUrl: api.baseUrl };
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const collections = FAKE_CAMPAIGNS.collections;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });
const byName = (name: string) => ({ __rl: true, mode: 'name', value: name });
const mapped = (value: Record<string, string>) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: [],
});
const add = (parameters: INodeParameters): INodeParameters => ({
	resource: 'campaignNumber',
	operation: 'add',
	...parameters,
});
const posts = () => api.requests.filter((r) => r.method === 'POST');
const gets = () => api.requests.filter((r) => r.method === 'GET');

describe('Campaign Number > Add', () => {
	it("sends the number and the mapped variables in the campaign's order, with the Bearer key", async () => {
		const { items, error } = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: fromList(collections.id),
				number: '+1 (800) 555-1234',
				variables: mapped({ 'Due Balance': '$99.00 ', 'Customer Name': 'Stefan Robertson' }),
			}),
		});
		expect(error).toBeUndefined();
		expect(posts()).toEqual([
			expect.objectContaining({
				path: `/v1/accounts/${FAKE_ACCOUNT_ID}/campaigns/${collections.id}/numbers`,
				authorization: `Bearer ${FAKE_API_KEY}`,
				contentType: expect.stringMatching(/^application\/json/),
				body: { number: '+18005551234', varValues: ['Stefan Robertson', '$99.00 '] },
				status: 201,
			}),
		]);
		// The variable names were read from the campaign (one lookup by id).
		expect(gets()).toHaveLength(1);
		expect(JSON.parse(gets()[0].query.filter)).toEqual({ ids: [collections.id] });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					number: '+18005551234',
					varValues: ['Stefan Robertson', '$99.00 '],
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(api.numbers(collections.id).at(-1)).toMatchObject({ number: '+18005551234' });
	});

	it('processes each input item with its own values, looking the campaign up once', async () => {
		const contacts = [
			{ phone: '+18005550001', name: 'Ann', balance: '10' },
			{ phone: '+18005550002', name: 'Ben', balance: '20' },
			{ phone: '+18005550003', name: 'Cy', balance: '30' },
		];
		const { items, error } = await runSipCallerNode({
			credential,
			items: contacts,
			parameters: add({
				campaign: byId(collections.id),
				number: '={{ $json.phone }}',
				variables: mapped({
					'Customer Name': '={{ $json.name }}',
					'Due Balance': '={{ $json.balance }}',
				}),
			}),
		});
		expect(error).toBeUndefined();
		expect(posts().map((r) => r.body)).toEqual(
			contacts.map((c) => ({ number: c.phone, varValues: [c.name, c.balance] })),
		);
		expect(gets()).toHaveLength(1);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('sends only the number to a campaign without variables, after looking it up', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({ campaign: byId(FAKE_CAMPAIGNS.survey.id), number: '18005550009' }),
		});
		expect(error).toBeUndefined();
		expect(api.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
		expect(posts()[0].body).toEqual({ number: '18005550009' });
	});

	it('refuses to add a number without variables to a campaign that has some, unless told to', async () => {
		const refused = await runSipCallerNode({
			credential,
			parameters: add({ campaign: byId(collections.id), number: '+18005550019' }),
		});
		expect(refused.error?.message).toBe(
			'Campaign "Collections (dynamic)" has variables ("Customer Name", "Due Balance") but none is mapped: map them under Values to Send, or set Variables to "None: Send the Number Alone"',
		);
		expect(posts()).toHaveLength(0);

		api.reset();
		const alone = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: byId(collections.id),
				number: '+18005550019',
				variableInput: 'none',
			}),
		});
		expect(alone.error).toBeUndefined();
		// "None" is explicit: no lookup, the number alone.
		expect(api.requests.map((r) => [r.method, r.body])).toEqual([
			['POST', { number: '+18005550019' }],
		]);
	});

	it('refuses a mapping made for another variable list (a stale panel), before adding anything', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: fromList(FAKE_CAMPAIGNS.reminders.id),
				number: '+18005550018',
				variables: {
					...mapped({ 'Customer Name': 'Ann' }),
					schema: [
						{ id: 'Customer Name', displayName: 'Customer Name', display: true, type: 'string' },
						{ id: 'Due Balance', displayName: 'Due Balance', display: true, type: 'string' },
					],
				},
			}),
		});
		expect(error?.message).toBe(
			'The variables listed in this node ("Customer Name", "Due Balance") are not those of campaign "Reminders (draft)" ("First Name"): open the node, refresh the variables list under Values to Send (or close and reopen the node), then map them',
		);
		expect(posts()).toHaveLength(0);
	});

	it("accepts a mapping whose listed variables are the campaign's, in any order", async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: fromList(collections.id),
				number: '+18005550017',
				variables: {
					...mapped({ 'Due Balance': '5' }),
					schema: [
						{ id: 'Due Balance', displayName: 'Due Balance', display: true, type: 'string' },
						{ id: 'Customer Name', displayName: 'Customer Name', display: true, type: 'string' },
					],
				},
			}),
		});
		expect(error).toBeUndefined();
		expect(posts()[0].body).toEqual({ number: '+18005550017', varValues: ['', '5'] });
	});

	it('sends "Values in Order" as given, without a lookup', async () => {
		await runSipCallerNode({
			credential,
			parameters: add({
				campaign: byId(collections.id),
				number: '+18005550010',
				variableInput: 'ordered',
				orderedValues: { values: [{ value: 'John' }, { value: '199' }] },
			}),
		});
		expect(api.requests.map((r) => [r.method, r.body])).toEqual([
			['POST', { number: '+18005550010', varValues: ['John', '199'] }],
		]);
	});

	it('finds a campaign by its exact name (any case)', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: byName('collections (DYNAMIC)'),
				number: '+18005550011',
				variables: mapped({ 'Customer Name': 'Ann' }),
			}),
		});
		expect(error).toBeUndefined();
		expect(posts()[0].path).toContain(collections.id);
	});

	it('fails clearly for a name no campaign has (nothing added)', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({ campaign: byName('Collections'), number: '+18005550012' }),
		});
		expect(error?.message).toBe('No campaign is named "Collections" in this account');
		expect(posts()).toHaveLength(0);
	});

	it("refuses a mapped variable the campaign does not have, before calling SIP Caller's add", async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({
				campaign: byId(collections.id),
				number: '+18005550013',
				variables: mapped({ Balance: '1' }),
			}),
		});
		expect(error?.message).toMatch(/^The campaign has no variable "Balance" \(its variables: /);
		expect(posts()).toHaveLength(0);
	});

	it('refuses a number that is not one, naming it', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({ campaign: byId(collections.id), number: 'ask Bob' }),
		});
		expect(error?.message).toMatch(/^"ask Bob" is not a phone number/);
		expect(api.requests).toHaveLength(0);
	});

	it.each([
		[FAKE_CAMPAIGNS.campaign1.id, 'static', 'Numbers can only be added to dynamic campaigns.'],
		[FAKE_CAMPAIGNS.reminders.id, 'draft', 'Campaign is not active.'],
	])(
		"passes SIP Caller's 422 on a %s campaign through, status and message",
		async (id, _, said) => {
			const { error } = await runSipCallerNode({
				credential,
				parameters: add({ campaign: byId(id), number: '+18005550014', variableInput: 'none' }),
			});
			expect(error).toMatchObject({ message: `SIP Caller answered 422: ${said}`, httpCode: '422' });
			expect(error?.description).toMatch(/active dynamic campaign/);
		},
	);

	it('a wrong key fails with 401 and a hint; Continue On Fail gives one error item per input item', async () => {
		const wrongKey = { ...credential, apiKey: 'sc_test_wrong' };
		const parameters = add({ campaign: byId(collections.id), number: '+18005550015' });
		const failed = await runSipCallerNode({ credential: wrongKey, parameters });
		expect(failed.error).toMatchObject({
			message: 'SIP Caller answered 401: Invalid or expired API key.',
			httpCode: '401',
		});
		expect(failed.error?.description).toMatch(/Settings > API Keys/);

		const continued = await runSipCallerNode({
			credential: wrongKey,
			parameters,
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(continued.error).toBeUndefined();
		expect(continued.items).toEqual([
			{
				json: { error: 'SIP Caller answered 401: Invalid or expired API key.' },
				pairedItem: { item: 0 },
			},
			{
				json: { error: 'SIP Caller answered 401: Invalid or expired API key.' },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('Continue On Fail: a bad item does not stop the good ones', async () => {
		const { items } = await runSipCallerNode({
			credential,
			continueOnFail: true,
			items: [{ phone: '+18005550021' }, { phone: 'n/a' }, { phone: '+18005550023' }],
			parameters: add({
				campaign: byId(collections.id),
				number: '={{ $json.phone }}',
				variableInput: 'none',
			}),
		});
		expect(posts().map((r) => (r.body as { number: string }).number)).toEqual([
			'+18005550021',
			'+18005550023',
		]);
		expect(items[1]).toEqual({
			json: { error: expect.stringMatching(/^"n\/a" is not a phone number/) },
			pairedItem: { item: 1 },
		});
		expect(items[0].json).toMatchObject({ number: '+18005550021' });
		expect(items[2].json).toMatchObject({ number: '+18005550023' });
	});

	it('an account the key does not belong to: 404 with a hint about the Account ID', async () => {
		const { error } = await runSipCallerNode({
			credential: { ...credential, accountId: OTHER_ACCOUNT_ID },
			parameters: add({ campaign: byId(collections.id), number: '+18005550016' }),
		});
		expect(error).toMatchObject({ message: 'SIP Caller answered 404: Account not found.' });
		expect(error?.description).toMatch(/Account ID/);
	});

	it('fails clearly when no campaign is given, calling nothing', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({ campaign: fromList(''), number: '+18005550030' }),
		});
		expect(error?.message).toBe('No campaign given: choose one, or type its ID or name');
		expect(api.requests).toHaveLength(0);
	});

	it('refuses a name that several campaigns have, naming their IDs (nothing added)', async () => {
		const twin = {
			...api.campaigns.find((c) => c.id === collections.id)!,
			id: '0193ffff-1111-7000-8000-000000000001',
		};
		api.campaigns.push(twin);
		const { error } = await runSipCallerNode({
			credential,
			parameters: add({ campaign: byName('Collections (dynamic)'), number: '+18005550031' }),
		});
		expect(error?.message).toBe(
			`2 campaigns are named "Collections (dynamic)" (IDs ${collections.id}, ${twin.id}): choose one from the list or by ID`,
		);
		expect(posts()).toHaveLength(0);
	});

	it('refuses an API Base URL that is not http(s), calling nothing', async () => {
		const { error } = await runSipCallerNode({
			credential: { ...credential, baseUrl: 'ftp://api.sipcaller.com/v1' },
			parameters: add({ campaign: byId(collections.id), number: '+18005550032' }),
		});
		expect(error?.message).toBe(
			'The API Base URL in the SIP Caller API credential is not an http(s) address',
		);
		expect(api.requests).toHaveLength(0);
	});

	it('an unreachable API is reported with its address', async () => {
		const { error } = await runSipCallerNode({
			credential: { ...credential, baseUrl: 'http://127.0.0.1:9/v1' },
			parameters: add({ campaign: byId(collections.id), number: '+18005550017' }),
		});
		expect(error?.message).toBe('Could not reach SIP Caller at http://127.0.0.1:9/v1');
	});
});

describe('Campaign > Get Many', () => {
	it('Return All reads every page with range until a short page', async () => {
		const { items, error } = await runSipCallerNode({
			credential,
			parameters: { resource: 'campaign', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(ARCHIVE_COUNT + 5);
		expect(gets().map((r) => [r.query.range, r.query.sort])).toEqual([
			['[0,99]', '["name","ASC"]'],
			['[100,199]', '["name","ASC"]'],
			['[200,299]', '["name","ASC"]'],
		]);
		expect(items[0].json).toMatchObject({ name: 'Archive 001' });
	});

	it('Limit asks for no more rows than needed', async () => {
		const { items } = await runSipCallerNode({
			credential,
			parameters: { resource: 'campaign', operation: 'getAll', returnAll: false, limit: 130 },
		});
		expect(items).toHaveLength(130);
		expect(gets().map((r) => r.query.range)).toEqual(['[0,99]', '[100,129]']);
	});

	it('refuses a Start Date From that is not a date, calling nothing', async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: {
				resource: 'campaign',
				operation: 'getAll',
				returnAll: true,
				campaignFilters: { startDateFrom: 'next monday' },
			},
		});
		expect(error?.message).toBe('"next monday" is not a date (expected e.g. 2024-12-01)');
		expect(api.requests).toHaveLength(0);
	});

	it('sends the documented filters and the sort order', async () => {
		const { items } = await runSipCallerNode({
			credential,
			parameters: {
				resource: 'campaign',
				operation: 'getAll',
				returnAll: true,
				campaignFilters: { status: 'Active', type: 'Dynamic', dialerMode: 'Power' },
				campaignSortOrder: 'DESC',
			},
		});
		expect(JSON.parse(gets()[0].query.filter)).toEqual({
			status: 'Active',
			type: 'Dynamic',
			dialer: { mode: 'Power' },
		});
		expect(gets()[0].query.sort).toBe('["name","DESC"]');
		expect(items.map((i) => i.json.name)).toEqual(['Survey no variables', 'Collections (dynamic)']);
	});
});

describe('Campaign Number > Get Many', () => {
	it('lists the numbers of a campaign, filtered by number', async () => {
		const { items } = await runSipCallerNode({
			credential,
			parameters: {
				resource: 'campaignNumber',
				operation: 'getAll',
				campaign: byId(collections.id),
				returnAll: true,
				numberFilters: { number: '+18005550102' },
			},
		});
		expect(items.map((i) => i.json.number)).toEqual(['+18005550102']);
		expect(gets()[0]).toMatchObject({
			path: `/v1/accounts/${FAKE_ACCOUNT_ID}/campaigns/${collections.id}/numbers`,
			query: { filter: '{"number":"+18005550102"}', sort: '["number","ASC"]', range: '[0,99]' },
		});
	});

	it("an unknown campaign id: 404 with SIP Caller's message", async () => {
		const { error } = await runSipCallerNode({
			credential,
			parameters: {
				resource: 'campaignNumber',
				operation: 'getAll',
				campaign: byId('0193ffff-0000-7000-8000-000000000000'),
				returnAll: true,
			},
		});
		expect(error).toMatchObject({ message: 'SIP Caller answered 404: Campaign not found.' });
	});
});

describe('design time: campaign picker and variables', () => {
	it('lists the campaigns that take numbers first, then the others 100 a page, by name', async () => {
		const { nodeType, context } = loadOptionsContext({}, credential);
		const search = nodeType.methods.listSearch.searchCampaigns;
		const first = await search.call(context);
		// Active and dynamic ones first (the finished "Archive" ones would sort before them).
		expect(first.results.slice(0, 2)).toEqual([
			{ name: 'Collections (dynamic) (Dynamic, Active)', value: collections.id },
			{ name: 'Survey no variables (Dynamic, Active)', value: FAKE_CAMPAIGNS.survey.id },
		]);
		expect(first.results[2].name).toBe('Archive 001 (Static, Finished)');
		expect(first.results).toHaveLength(2 + 100);
		expect(first.paginationToken).toBe('rest:100');
		const last = await search.call(context, undefined, 'rest:200');
		expect(last.results).toHaveLength(55 - 2);
		expect(last.paginationToken).toBeUndefined();
		// Every campaign once.
		const middle = await search.call(context, undefined, 'rest:100');
		const all = [...first.results, ...middle.results, ...last.results].map((r) => r.value);
		expect(new Set(all).size).toBe(ARCHIVE_COUNT + 5);
		expect(all).toHaveLength(ARCHIVE_COUNT + 5);

		const found = await search.call(context, 'collections');
		expect(found.results).toEqual([
			{ name: 'Collections (dynamic) (Dynamic, Active)', value: collections.id },
		]);
		// No active dynamic match: the others are listed in the same answer.
		const other = await search.call(context, 'Campaign 1');
		expect(other.results).toEqual([
			{ name: 'Campaign 1 (Static, Active)', value: FAKE_CAMPAIGNS.campaign1.id },
		]);
	});

	it('offers one field per variable of the chosen campaign, in its order', async () => {
		const { nodeType, context } = loadOptionsContext(
			add({ campaign: fromList(collections.id) }),
			credential,
		);
		const mapper = await nodeType.methods.resourceMapping.getCampaignVariables.call(context);
		expect(mapper.fields.map((f) => [f.id, f.displayName, f.required])).toEqual([
			['Customer Name', 'Customer Name', false],
			['Due Balance', 'Due Balance', false],
		]);
	});

	it('says so when no campaign is chosen yet, without calling SIP Caller', async () => {
		const { nodeType, context } = loadOptionsContext(add({ campaign: fromList('') }), credential);
		const mapper = await nodeType.methods.resourceMapping.getCampaignVariables.call(context);
		expect(mapper).toEqual({
			fields: [],
			emptyFieldsNotice: 'Choose a campaign above to list its variables here',
		});
		expect(api.requests).toHaveLength(0);
	});

	it('keeps the variables already listed for a campaign given by an expression, so none is dropped', async () => {
		const { nodeType, context } = loadOptionsContext(
			add({
				campaign: byId('={{ $json.campaignId }}'),
				variables: { ...mapped({ 'Lead ID': '={{ $json.id }}' }), schema: [{ id: 'Lead ID' }] },
			}),
			credential,
		);
		const mapper = await nodeType.methods.resourceMapping.getCampaignVariables.call(context);
		expect(mapper.fields.map((f) => f.id)).toEqual(['Lead ID']);
		expect(mapper.emptyFieldsNotice).toMatch(/List Values in Order/);
		expect(api.requests).toHaveLength(0);
	});

	it('fails the load (so n8n keeps what is mapped) when SIP Caller cannot be read', async () => {
		const { nodeType, context } = loadOptionsContext(add({ campaign: fromList(collections.id) }), {
			...credential,
			apiKey: 'sc_test_wrong',
		});
		await expect(
			nodeType.methods.resourceMapping.getCampaignVariables.call(context),
		).rejects.toThrow('SIP Caller answered 401: Invalid or expired API key.');
	});
});

describe("the trigger's campaign list", () => {
	it('lists every campaign of the account (all pages) with the optional API credential', async () => {
		const { nodeType, context } = triggerLoadOptionsContext(credential, true);
		const options = await nodeType.methods.loadOptions.getCampaigns.call(context);
		expect(options).toHaveLength(ARCHIVE_COUNT + 5);
		expect(options).toContainEqual({
			name: 'Collections (dynamic) (Dynamic, Active)',
			value: collections.id,
			description: collections.id,
		});
		expect(gets().map((r) => r.query.range)).toEqual(['[0,99]', '[100,199]', '[200,299]']);
	});

	it('is one entry saying how to fill it, not an error nor "No data", when no API credential is selected (the default)', async () => {
		const { nodeType, context } = triggerLoadOptionsContext(credential, false);
		await expect(nodeType.methods.loadOptions.getCampaigns.call(context)).resolves.toEqual([
			{
				name: 'To List Campaigns Here, Select a SIP Caller API Credential on This Node',
				value: '',
				description: expect.stringMatching(/type campaign names or IDs in Options > Campaigns/),
			},
		]);
		expect(api.requests).toHaveLength(0);
	});
});

describe('SIP Caller node description', () => {
	it("names its actions as n8n's UX guideline does (sentence case, no articles)", () => {
		const { nodeType } = loadOptionsContext({}, credential);
		const actions = nodeType.description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options as Array<{ action: string }>).map((o) => o.action));
		expect(actions.sort()).toEqual([
			'Add number to campaign',
			'Get many campaign numbers',
			'Get many campaigns',
		]);
		for (const action of actions) expect(action).not.toMatch(/\b(a|an|the)\b/);
	});

	it('is usable as an AI tool, with the API credential', () => {
		const { nodeType } = loadOptionsContext({}, credential);
		expect(nodeType.description).toMatchObject({
			name: 'sipCaller',
			usableAsTool: true,
			credentials: [{ name: 'sipCallerApi', required: true }],
		});
	});
});
