/**
 * Credentials and workflows for the SIP Caller node in the real n8n: each workflow starts with n8n's
 * own Webhook node (answering with every item of the last node), so a test POSTs input items and
 * reads what the SIP Caller node output, while the fake SIP Caller API records what it received.
 */
import { FAKE_ACCOUNT_ID, FAKE_API_KEY, FAKE_CAMPAIGNS } from '../../scripts/fake-api/data';

export const apiCredentials = (baseUrl: string) => [
	{
		id: 'sipE2eApiGood',
		name: 'SIP Caller API (e2e)',
		type: 'sipCallerApi',
		data: { accountId: FAKE_ACCOUNT_ID, apiKey: FAKE_API_KEY, baseUrl },
	},
	{
		id: 'sipE2eApiWrongKey',
		name: 'SIP Caller API (wrong key)',
		type: 'sipCallerApi',
		data: { accountId: FAKE_ACCOUNT_ID, apiKey: 'sc_test_revoked', baseUrl },
	},
];

const credentialRef = (id: string) => ({
	sipCallerApi: {
		id,
		name: id === 'sipE2eApiGood' ? 'SIP Caller API (e2e)' : 'SIP Caller API (wrong key)',
	},
});

export interface ApiWorkflow {
	id: string;
	path: string;
	json: Record<string, unknown>;
}

/** Webhook (POST /webhook/<path>) → [Split Out body.contacts] → SIP Caller. */
function apiWorkflow(
	id: string,
	sipCaller: { parameters: Record<string, unknown>; credentialId: string; onError?: string },
	splitContacts: boolean,
): ApiWorkflow {
	const path = `sip-e2e-api-${id.replace(/^sipE2eApi/, '').toLowerCase()}`;
	const webhook = {
		id: `${id}-webhook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: path,
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
	const split = {
		id: `${id}-split`,
		name: 'Split Out Contacts',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [200, 0],
		parameters: { fieldToSplitOut: 'body.contacts', options: {} },
	};
	const node = {
		id: `${id}-sip-caller`,
		name: 'SIP Caller',
		type: 'n8n-nodes-sip-caller.sipCaller',
		typeVersion: 1,
		position: [400, 0],
		parameters: sipCaller.parameters,
		credentials: credentialRef(sipCaller.credentialId),
		...(sipCaller.onError ? { onError: sipCaller.onError } : {}),
	};
	const nodes = splitContacts ? [webhook, split, node] : [webhook, node];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		path,
		json: {
			id,
			name: `SIP Caller e2e: ${id}`,
			active: false,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			nodes,
			connections,
		},
	};
}

const collections = FAKE_CAMPAIGNS.collections;

/** The mapper as the editor stores it after loading the campaign's variables. */
const variables = (value: Record<string, string>) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: ['Customer Name', 'Due Balance'].map((name) => ({
		id: name,
		displayName: name,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	})),
	attemptToConvertTypes: false,
	convertFieldsToString: true,
});

const addToCollections = {
	resource: 'campaignNumber',
	operation: 'add',
	campaign: {
		__rl: true,
		mode: 'list',
		value: collections.id,
		cachedResultName: 'Collections (dynamic) (Dynamic, Active)',
	},
	number: '={{ $json.phone }}',
	variableInput: 'map',
	variables: variables({
		'Customer Name': '={{ $json.name }}',
		'Due Balance': '={{ $json.balance }}',
	}),
};

export const apiWorkflows = {
	add: apiWorkflow(
		'sipE2eApiAdd',
		{ parameters: addToCollections, credentialId: 'sipE2eApiGood' },
		true,
	),
	addContinue: apiWorkflow(
		'sipE2eApiAddContinue',
		{
			parameters: addToCollections,
			credentialId: 'sipE2eApiGood',
			onError: 'continueRegularOutput',
		},
		true,
	),
	wrongKey: apiWorkflow(
		'sipE2eApiWrongKey',
		{ parameters: addToCollections, credentialId: 'sipE2eApiWrongKey' },
		true,
	),
	listCampaigns: apiWorkflow(
		'sipE2eApiListCampaigns',
		{
			parameters: {
				resource: 'campaign',
				operation: 'getAll',
				returnAll: true,
				campaignFilters: {},
			},
			credentialId: 'sipE2eApiGood',
		},
		false,
	),
	listNumbers: apiWorkflow(
		'sipE2eApiListNumbers',
		{
			parameters: {
				resource: 'campaignNumber',
				operation: 'getAll',
				campaign: { __rl: true, mode: 'name', value: 'Collections (dynamic)' },
				returnAll: false,
				limit: 2,
				numberFilters: { sortOrder: 'DESC' },
			},
			credentialId: 'sipE2eApiGood',
		},
		false,
	),
};
