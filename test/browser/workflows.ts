/**
 * What the browser suite imports into the real n8n before it starts: credentials (the fake SIP Caller
 * API's, like `npm run dev -- --fake-api`, and webhook signing secrets) and one workflow per test,
 * so that no two tests open the same workflow (n8n's collaboration write-lock would make the second
 * page read-only).
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { FAKE_ACCOUNT_ID, FAKE_API_KEY } from '../../scripts/fake-api/data';
import { REPO_DIR } from '../e2e/harness';

/** The signing secret of the credential the listening trigger uses (a test signs with it). */
export const WEBHOOK_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

export const API_CREDENTIAL = { id: 'sipBrowserApiFake', name: 'SIP Caller API (fake)' };
export const REVOKED_API_CREDENTIAL = {
	id: 'sipBrowserApiRevoked',
	name: 'SIP Caller API (revoked key)',
};
export const WEBHOOK_CREDENTIAL = { id: 'sipBrowserWebhook', name: 'SIP Caller Webhook (browser)' };
/** Edited (and broken) by the credential dialog test: no other test uses it. */
export const EDITED_WEBHOOK_CREDENTIAL = {
	id: 'sipBrowserWebhookEdited',
	name: 'SIP Caller Webhook (edited in the dialog)',
};

/** A secret that is not a SIP Caller one, as a user might save it: the sample must be refused. */
export const NOT_HEX_WEBHOOK_CREDENTIAL = {
	id: 'sipBrowserWebhookNotHex',
	name: 'SIP Caller Webhook (not hex)',
};

/** Edited by the expression notice test: no other test uses it. */
export const EXPRESSION_WEBHOOK_CREDENTIAL = {
	id: 'sipBrowserWebhookExpression',
	name: 'SIP Caller Webhook (an expression typed)',
};

/**
 * The credentials in two batches, imported one after the other: n8n fills an imported template's
 * empty credential with the most recently updated credential of the type, so the fake API's good
 * key must come after the revoked one.
 */
export function browserCredentials(apiBaseUrl: string) {
	const api = (apiKey: string) => ({ accountId: FAKE_ACCOUNT_ID, apiKey, baseUrl: apiBaseUrl });
	const webhook = (signingSecret: string) => ({ signingSecret, previousSigningSecret: '' });
	return {
		first: [{ ...REVOKED_API_CREDENTIAL, type: 'sipCallerApi', data: api('sc_test_revoked') }],
		then: [
			{ ...API_CREDENTIAL, type: 'sipCallerApi', data: api(FAKE_API_KEY) },
			{ ...WEBHOOK_CREDENTIAL, type: 'sipCallerWebhookApi', data: webhook(WEBHOOK_SECRET) },
			{
				...EDITED_WEBHOOK_CREDENTIAL,
				type: 'sipCallerWebhookApi',
				data: webhook('deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef'),
			},
			{ ...NOT_HEX_WEBHOOK_CREDENTIAL, type: 'sipCallerWebhookApi', data: webhook('my-secret') },
			{
				...EXPRESSION_WEBHOOK_CREDENTIAL,
				type: 'sipCallerWebhookApi',
				data: webhook(WEBHOOK_SECRET),
			},
		],
	};
}

type Json = Record<string, unknown>;

export interface BrowserWorkflow {
	id: string;
	json: Json;
}

const workflow = (id: string, nodes: Json[], connections: Json = {}): BrowserWorkflow => ({
	id,
	json: {
		id,
		name: `SIP Caller browser: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	},
});

/**
 * Manual trigger → Set ("A Contact") → SIP Caller, Campaign Number > Add, no campaign picked yet,
 * never executed (so an expression in Phone Number has no input data to resolve).
 */
function addNumberFlow(
	id: string,
	number: string,
	credential: { id: string; name: string } = API_CREDENTIAL,
): BrowserWorkflow {
	return workflow(
		id,
		[
			{
				id: `${id}-manual`,
				name: 'Run It',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 300],
				parameters: {},
			},
			{
				id: `${id}-contact`,
				name: 'A Contact',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 300],
				parameters: {
					mode: 'raw',
					jsonOutput: '{"phone":"+1 (800) 555-0199","name":"Dana Demo","balance":"$42.00"}',
					options: {},
				},
			},
			{
				id: `${id}-sip-caller`,
				name: 'SIP Caller',
				type: 'n8n-nodes-sip-caller.sipCaller',
				typeVersion: 1,
				position: [440, 300],
				credentials: { sipCallerApi: credential },
				parameters: {
					resource: 'campaignNumber',
					operation: 'add',
					campaign: { __rl: true, mode: 'list', value: '' },
					number,
					variableInput: 'map',
				},
			},
		],
		{
			'Run It': { main: [[{ node: 'A Contact', type: 'main', index: 0 }]] },
			'A Contact': { main: [[{ node: 'SIP Caller', type: 'main', index: 0 }]] },
		},
	);
}

/** A lone SIP Caller Trigger (version 2: top-level Output, Simplified by default). */
function triggerFlow(
	id: string,
	parameters: Json,
	credentials: Json = { sipCallerWebhookApi: WEBHOOK_CREDENTIAL },
): BrowserWorkflow & { webhookId: string } {
	const webhookId = `sip-browser-${id.replace(/^sipBrowser/, '').toLowerCase()}`;
	return {
		webhookId,
		...workflow(id, [
			{
				id: `${id}-trigger`,
				name: 'SIP Caller Trigger',
				type: 'n8n-nodes-sip-caller.sipCallerTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters,
				credentials,
			},
		]),
	};
}

/** examples/<file> as a user imports it, with the id the test opens it by. */
function templateFlow(id: string, file: string): BrowserWorkflow {
	const json = JSON.parse(readFileSync(join(REPO_DIR, 'examples', file), 'utf8')) as Json;
	return { id, json: { ...json, id, active: false } };
}

/**
 * Manual trigger → SIP Caller, Campaign > Get Many → No Operation, never executed: the last node's
 * input pane can only show the campaign's fields from the package's output schema.
 */
function schemaPreviewFlow(id: string): BrowserWorkflow {
	return workflow(
		id,
		[
			{
				id: `${id}-manual`,
				name: 'Run It',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 300],
				parameters: {},
			},
			{
				id: `${id}-sip-caller`,
				name: 'List Campaigns',
				type: 'n8n-nodes-sip-caller.sipCaller',
				typeVersion: 1,
				position: [220, 300],
				credentials: { sipCallerApi: API_CREDENTIAL },
				parameters: { resource: 'campaign', operation: 'getAll', returnAll: true },
			},
			{
				id: `${id}-next`,
				name: 'Next Step',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 300],
				parameters: {},
			},
		],
		{
			'Run It': { main: [[{ node: 'List Campaigns', type: 'main', index: 0 }]] },
			'List Campaigns': { main: [[{ node: 'Next Step', type: 'main', index: 0 }]] },
		},
	);
}

export const browserWorkflows = {
	schemaPreview: schemaPreviewFlow('sipBrowserSchemaPreview'),
	expressionNumber: addNumberFlow('sipBrowserExpressionNumber', '={{ $json.phone }}'),
	fixedNumber: addNumberFlow('sipBrowserFixedNumber', '+18005550100'),
	campaignList: addNumberFlow('sipBrowserCampaignList', '+18005550100'),
	trigger: triggerFlow('sipBrowserTrigger', { events: ['*'] }),
	subtitle: triggerFlow('sipBrowserSubtitle', { events: ['CallEnded', 'CampaignPaused'] }),
	// Its own workflow: n8n's write-lock keeps a workflow another test just edited read-only.
	respond: triggerFlow('sipBrowserRespond', { events: ['*'], options: { respond: 'immediately' } }),
	listen: triggerFlow('sipBrowserListen', { events: ['*'] }),
	// Refusals and ignores while listening, and the no-terminal sample (each its own workflow).
	listenForged: triggerFlow('sipBrowserListenForged', { events: ['*'] }),
	listenUnselected: triggerFlow('sipBrowserListenUnselected', { events: ['CallEnded'] }),
	listenSample: triggerFlow('sipBrowserListenSample', {
		events: ['CallEnded'],
		options: { ringResults: ['NoAnswer'] },
	}),
	// A trigger as a new user adds it: no credential yet (what README step 3 tells them to click).
	noCredential: triggerFlow('sipBrowserNoCredential', { events: ['CallEnded'] }, {}),
	listenSampleNotHex: triggerFlow(
		'sipBrowserListenSampleNotHex',
		{ events: ['CallEnded'] },
		{ sipCallerWebhookApi: NOT_HEX_WEBHOOK_CREDENTIAL },
	),
	credentialExpression: triggerFlow(
		'sipBrowserCredentialExpression',
		{ events: ['*'] },
		{ sipCallerWebhookApi: EXPRESSION_WEBHOOK_CREDENTIAL },
	),
	credentialDialog: triggerFlow(
		'sipBrowserCredentialDialog',
		{ events: ['*'] },
		{ sipCallerWebhookApi: EDITED_WEBHOOK_CREDENTIAL },
	),
	template: templateFlow('sipBrowserTemplate', 'google-sheets-rows-to-campaign.json'),
	dataTableTemplate: templateFlow('sipBrowserDataTableTemplate', 'call-ended-to-data-table.json'),
	pinnedTemplate: templateFlow('sipBrowserPinnedTemplate', 'no-answer-to-sms.json'),
	// For the check of the check: states in which n8n does show an error.
	invalidExpression: addNumberFlow('sipBrowserInvalidExpression', '={{ ) }}'),
	revokedKeyOptions: triggerFlow(
		'sipBrowserRevokedKeyOptions',
		{ events: ['*'], options: { campaignIds: [] } },
		{ sipCallerWebhookApi: WEBHOOK_CREDENTIAL, sipCallerApi: REVOKED_API_CREDENTIAL },
	),
};
