/**
 * The SIP Caller node (SIP Caller's REST API) in a real n8n, against the fake SIP Caller API on
 * 127.0.0.1: credentials saved and tested through n8n's own endpoint, workflows run for real (n8n's
 * Webhook node feeds input items, answers with the SIP Caller node's output), the campaign picker,
 * the variables mapper and the trigger's campaign list loaded the way the editor loads them. The
 * fake API records every request, so each test checks exactly what SIP Caller would have received.
 */
import {
	FAKE_ACCOUNT_ID,
	FAKE_API_KEY,
	FAKE_CAMPAIGNS,
	OTHER_ACCOUNT_ID,
} from '../../scripts/fake-api/data';
import { startFakeSipCallerApi, type FakeSipCallerApi } from '../../scripts/fake-api/server';
import { apiCredentials, apiWorkflows, type ApiWorkflow } from './api-workflows';
import { freePortPair, harness, REPO_DIR, type N8nInstance } from './harness';

let n8n: N8nInstance;
let api: FakeSipCallerApi;
const collections = FAKE_CAMPAIGNS.collections;
const GOOD = { sipCallerApi: { id: 'sipE2eApiGood', name: 'SIP Caller API (e2e)' } };

/** n8n 1.x (SIP_CALLER_N8N_VERSION=1.x): where it legitimately differs, the tests say so. */
const ON_N8N_1 = harness.N8N_VERSION.startsWith('1.');

const hook = (flow: ApiWorkflow) => `${n8n.baseUrl}/webhook/${flow.path}`;

async function run(flow: ApiWorkflow, body: unknown = {}) {
	const response = await fetch(hook(flow), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// keep the text for the assertion message
	}
	return { status: response.status, json };
}

const posts = () => api.requests.filter((r) => r.method === 'POST');
const gets = () => api.requests.filter((r) => r.method === 'GET');

beforeAll(
	async () => {
		await harness.ensureN8n();
		const tarball = await harness.packRepo(REPO_DIR);
		api = await startFakeSipCallerApi();
		n8n = await harness.createInstance({ port: await freePortPair() });
		await n8n.installPackage(tarball);
		await n8n.importCredentials(apiCredentials(api.baseUrl));
		for (const flow of Object.values(apiWorkflows)) {
			await n8n.importWorkflow(flow.json);
			await n8n.publishWorkflow(flow.id);
		}
		await n8n.start();
		await n8n.setupOwner();
		for (const flow of Object.values(apiWorkflows)) await n8n.waitForWebhook(hook(flow));
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await api?.close();
});

beforeEach(() => api.reset());

describe('installed like n8n installs community packages', () => {
	it('loads the SIP Caller node beside the trigger, and offers it to AI agents as a tool', async () => {
		const types = await n8n.nodeTypes();
		expect(types).toEqual(
			expect.arrayContaining([
				'n8n-nodes-sip-caller.sipCaller',
				'n8n-nodes-sip-caller.sipCallerTrigger',
				// n8n derives a tool node from every description with usableAsTool.
				'n8n-nodes-sip-caller.sipCallerTool',
			]),
		);
		expect(types).not.toContain('n8n-nodes-sip-caller.sipCallerTriggerTool');
	});
});

describe('the SIP Caller API credential, tested when saved', () => {
	const test = (data: Record<string, string>) =>
		n8n.rest('POST', '/rest/credentials/test', {
			credentials: {
				id: 'sipE2eApiGood',
				name: 'SIP Caller API (e2e)',
				type: 'sipCallerApi',
				data,
			},
		});
	const good = () => ({ accountId: FAKE_ACCOUNT_ID, apiKey: FAKE_API_KEY, baseUrl: api.baseUrl });

	it('passes with the right key, asking SIP Caller for one campaign with the Bearer key', async () => {
		expect(await test(good())).toMatchObject({ status: 'OK' });
		expect(api.requests).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: `/v1/accounts/${FAKE_ACCOUNT_ID}/campaigns`,
				query: { range: '[0,0]' },
				authorization: `Bearer ${FAKE_API_KEY}`,
				status: 200,
			}),
		]);
	});

	// n8n 1.x's credential tester never gets to the credential's responseCode rules: the error of
	// the failed request reaches it without `cause.response`, so it answers with the request
	// error's own message (n8n's generic text for a 401 or a 404). 2.x applies the rules.
	it('fails with a wrong key, saying what to do', async () => {
		if (ON_N8N_1) {
			expect(await test({ ...good(), apiKey: 'sc_test_revoked' })).toEqual({
				status: 'Error',
				message: 'Authorization failed - please check your credentials',
			});
			return;
		}
		expect(await test({ ...good(), apiKey: 'sc_test_revoked' })).toEqual({
			status: 'Error',
			message:
				'SIP Caller refused the API key (401). Check the key, or create a new one in SIP Caller > Settings > API Keys.',
		});
	});

	it('fails with an account id the key does not belong to', async () => {
		if (ON_N8N_1) {
			expect(await test({ ...good(), accountId: OTHER_ACCOUNT_ID })).toEqual({
				status: 'Error',
				message: 'The resource you are requesting could not be found',
			});
			return;
		}
		expect(await test({ ...good(), accountId: OTHER_ACCOUNT_ID })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(
				/^SIP Caller does not know this Account ID for this key \(404\)/,
			),
		});
	});
});

describe('the node in a running workflow', () => {
	const contacts = [
		{ phone: '+1 (800) 555-0001', name: 'Ann Archer', balance: '$10.00' },
		{ phone: '+18005550002', name: 'Ben Brook', balance: '20' },
		{ phone: '18005550003', name: 'Cy Cole', balance: '' },
	];

	it("adds each input item's number with its variables, in the campaign's order", async () => {
		const { status, json } = await run(apiWorkflows.add, { contacts });
		expect(status).toBe(200);
		expect(posts().map((r) => [r.path, r.authorization, r.body, r.status])).toEqual(
			[
				['+18005550001', 'Ann Archer', '$10.00'],
				['+18005550002', 'Ben Brook', '20'],
				['18005550003', 'Cy Cole', ''],
			].map(([number, name, balance]) => [
				`/v1/accounts/${FAKE_ACCOUNT_ID}/campaigns/${collections.id}/numbers`,
				`Bearer ${FAKE_API_KEY}`,
				{ number, varValues: [name, balance] },
				201,
			]),
		);
		// The campaign's variable names are read once per run, not once per item.
		expect(gets()).toHaveLength(1);
		expect(JSON.parse(gets()[0].query.filter)).toEqual({ ids: [collections.id] });
		// The node outputs what SIP Caller answered, one item per number.
		expect(json).toEqual([
			expect.objectContaining({ number: '+18005550001', varValues: ['Ann Archer', '$10.00'] }),
			expect.objectContaining({ number: '+18005550002' }),
			expect.objectContaining({ number: '18005550003' }),
		]);
	});

	it('Continue On Fail: a bad number becomes an error item, the others are added', async () => {
		const { status, json } = await run(apiWorkflows.addContinue, {
			contacts: [contacts[0], { phone: 'n/a', name: 'Nobody', balance: '0' }, contacts[1]],
		});
		expect(status).toBe(200);
		expect(posts().map((r) => (r.body as { number: string }).number)).toEqual([
			'+18005550001',
			'+18005550002',
		]);
		expect((json as unknown[])[1]).toEqual({
			error:
				'"n/a" is not a phone number: use digits, with an optional leading + (e.g. +18005551234)',
		});
	});

	it("a wrong key fails the execution with SIP Caller's status and message, nothing added", async () => {
		const { status } = await run(apiWorkflows.wrongKey, { contacts });
		expect(status).toBe(500);
		expect(posts()).toHaveLength(0);
		expect(api.requests.map((r) => r.status)).toEqual([401]);
		const [last] = await n8n.listExecutions(apiWorkflows.wrongKey.id);
		const execution = await n8n.getExecution(last.id);
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData?.error).toMatchObject({
			message: 'SIP Caller answered 401: Invalid or expired API key.',
			httpCode: '401',
		});
	});

	it('Campaign > Get Many with Return All reads every page with range', async () => {
		const { status, json } = await run(apiWorkflows.listCampaigns);
		expect(status).toBe(200);
		expect(json).toHaveLength(255);
		expect(gets().map((r) => r.query.range)).toEqual(['[0,99]', '[100,199]', '[200,299]']);
		expect((json as Array<{ id: string }>).map((c) => c.id)).toContain(collections.id);
	});

	it('Campaign Number > Get Many: campaign found by name, limit and sort order sent', async () => {
		const { json } = await run(apiWorkflows.listNumbers);
		expect((json as Array<{ number: string }>).map((n) => n.number)).toEqual([
			'+18005550103',
			'+18005550102',
		]);
		expect(gets().map((r) => [r.path.split('/').slice(-1)[0], r.query])).toEqual([
			['campaigns', expect.objectContaining({ filter: '{"name":"Collections (dynamic)"}' })],
			['numbers', { sort: '["number","DESC"]', range: '[0,1]' }],
		]);
	});
});

describe('in the editor: lists loaded through n8n, as the editor loads them', () => {
	const base = {
		nodeTypeAndVersion: { name: 'n8n-nodes-sip-caller.sipCaller', version: 1 },
		credentials: GOOD,
	};
	const addParameters = (campaign: string) => ({
		resource: 'campaignNumber',
		operation: 'add',
		campaign: { __rl: true, mode: 'list', value: campaign },
		number: '',
		variableInput: 'map',
	});

	it('the Campaign picker searches the account by name', async () => {
		const result = (await n8n.rest(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			{
				...base,
				path: 'campaign',
				methodName: 'searchCampaigns',
				currentNodeParameters: addParameters(''),
				filter: 'collections',
			},
		)) as { results: unknown[] };
		expect(result.results).toEqual([
			{ name: 'Collections (dynamic) (Dynamic, Active)', value: collections.id },
		]);
	});

	it('Variable Values shows one field per variable of the picked campaign', async () => {
		const result = (await n8n.rest('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			...base,
			path: 'variables',
			methodName: 'getCampaignVariables',
			currentNodeParameters: addParameters(collections.id),
		})) as { fields: Array<{ id: string; displayName: string }> };
		expect(result.fields.map((f) => f.displayName)).toEqual(['Customer Name', 'Due Balance']);
	});

	it("the trigger's campaign filter lists the account's campaigns with an API credential", async () => {
		const trigger = {
			nodeTypeAndVersion: { name: 'n8n-nodes-sip-caller.sipCallerTrigger', version: 1 },
			path: 'options.campaignIds',
			methodName: 'getCampaigns',
			currentNodeParameters: { events: ['*'], options: {} },
		};
		const options = (await n8n.rest('POST', '/rest/dynamic-node-parameters/options', {
			...trigger,
			credentials: GOOD,
		})) as Array<{ name: string; value: string }>;
		expect(options).toHaveLength(255);
		expect(options).toContainEqual(
			expect.objectContaining({
				name: 'Collections (dynamic) (Dynamic, Active)',
				value: collections.id,
			}),
		);

		// Without the optional API credential (the default): one entry saying how to fill the list
		// (not an error, nor n8n's bare "No data"), and no call to SIP Caller.
		api.reset();
		await expect(
			n8n.rest('POST', '/rest/dynamic-node-parameters/options', trigger),
		).resolves.toEqual([
			{
				name: 'To List Campaigns Here, Select a SIP Caller API Credential on This Node',
				value: '',
				description: expect.stringMatching(/type campaign names or IDs in Options > Campaigns/),
			},
		]);
		expect(api.requests).toHaveLength(0);
	});
});

describe('after all of the above', () => {
	it('no API key appears in n8n’s log', () => {
		const logs = n8n.logs();
		expect(logs.length).toBeGreaterThan(0);
		expect(logs).not.toContain(FAKE_API_KEY);
		expect(logs).not.toContain('sc_test_revoked');
	});
});
