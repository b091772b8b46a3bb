/**
 * The credentials and workflows the end-to-end suite imports into the real n8n. Each workflow is
 * SIP Caller Trigger → HTTP Request posting the trigger's item to a sink server, so the suite sees
 * exactly what reaches the next node.
 */
export const CURRENT_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
export const PREVIOUS_SECRET = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
export const PLACEHOLDER_SECRET = 'secret-webhook-signing-secret';
export const CREDENTIAL_TO_DELETE = 'sipE2eCredGone';

export const credentials = [
	{
		id: 'sipE2eCredGood',
		name: 'SIP Caller Webhook (e2e)',
		type: 'sipCallerWebhookApi',
		data: { signingSecret: CURRENT_SECRET, previousSigningSecret: PREVIOUS_SECRET },
	},
	{
		id: 'sipE2eCredBad',
		name: 'SIP Caller Webhook (placeholder secret)',
		type: 'sipCallerWebhookApi',
		data: { signingSecret: PLACEHOLDER_SECRET, previousSigningSecret: '' },
	},
	// Deleted by the suite once its workflow is published (what a user can do in Credentials).
	{
		id: CREDENTIAL_TO_DELETE,
		name: 'SIP Caller Webhook (deleted)',
		type: 'sipCallerWebhookApi',
		data: { signingSecret: CURRENT_SECRET, previousSigningSecret: '' },
	},
	// An expression n8n 2.x refuses in a credential by default (env access is blocked).
	{
		id: 'sipE2eCredEnv',
		name: 'SIP Caller Webhook ($env)',
		type: 'sipCallerWebhookApi',
		data: { signingSecret: '={{ $env.SIP_CALLER_SECRET }}', previousSigningSecret: '' },
	},
];

/** HTTP Request posting the item it gets to the sink at `url`: what the suite reads. */
function sinkNode(id: string, url: string) {
	return {
		id,
		name: 'Post to sink',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [300, 0],
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

export interface E2eWorkflow {
	id: string;
	webhookId: string;
	json: Record<string, unknown>;
}

export function workflow(
	id: string,
	webhookId: string,
	events: string[],
	credentialId: string,
	sinkUrl: string,
	options: Record<string, unknown> = {},
	/** 1: as saved before version 2 existed (Output in Options, Full by default). */
	typeVersion = 1,
	topLevel: Record<string, unknown> = {},
): E2eWorkflow {
	// n8n finds a credential by id; a suite may import one of its own (not in the list above).
	const credential = credentials.find((c) => c.id === credentialId) ?? {
		id: credentialId,
		name: credentialId,
	};
	return {
		id,
		webhookId,
		json: {
			id,
			name: `SIP Caller e2e: ${id}`,
			active: false,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			connections: {
				'SIP Caller Trigger': { main: [[{ node: 'Post to sink', type: 'main', index: 0 }]] },
			},
			nodes: [
				{
					id: `${id}-trigger`,
					name: 'SIP Caller Trigger',
					type: 'n8n-nodes-sip-caller.sipCallerTrigger',
					typeVersion,
					position: [0, 0],
					webhookId,
					parameters: { events, ...topLevel, options },
					credentials: { sipCallerWebhookApi: { id: credential.id, name: credential.name } },
				},
				sinkNode(`${id}-sink`, `${sinkUrl}/${id}`),
			],
		},
	};
}

/** The error workflow the "seen" tests set on their workflows: Error Trigger → the sink's /errors. */
export const ERROR_WORKFLOW_ID = 'sipE2eErrorFlow';

export function errorWorkflow(sinkUrl: string): E2eWorkflow {
	return {
		id: ERROR_WORKFLOW_ID,
		webhookId: '',
		json: {
			id: ERROR_WORKFLOW_ID,
			name: 'SIP Caller e2e: error workflow',
			active: false,
			settings: { executionOrder: 'v1' },
			connections: {
				'Error Trigger': { main: [[{ node: 'Post to sink', type: 'main', index: 0 }]] },
			},
			nodes: [
				{
					id: 'error-trigger',
					name: 'Error Trigger',
					type: 'n8n-nodes-base.errorTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				sinkNode('error-sink', `${sinkUrl}/errors`),
			],
		},
	};
}

/** The workflow with n8n's error workflow setting pointing at errorWorkflow(). */
function alerting(flow: E2eWorkflow): E2eWorkflow {
	const settings = { ...(flow.json.settings as object), errorWorkflow: ERROR_WORKFLOW_ID };
	return { ...flow, json: { ...flow.json, settings } };
}

export function e2eWorkflows(sinkUrl: string) {
	return {
		all: alerting(workflow('sipE2eAllEvents', 'sip-e2e-all', ['*'], 'sipE2eCredGood', sinkUrl)),
		finishedOnly: workflow(
			'sipE2eFinishedOnly',
			'sip-e2e-finished',
			['CampaignFinished'],
			'sipE2eCredGood',
			sinkUrl,
		),
		badSecret: alerting(
			workflow('sipE2eBadSecret', 'sip-e2e-bad-secret', ['*'], 'sipE2eCredBad', sinkUrl),
		),
		// The fence: a later event that runs, so that "nothing ran" for the ones before it is a fact.
		control: workflow('sipE2eControl', 'sip-e2e-control', ['*'], 'sipE2eCredGood', sinkUrl),
		// Credentials n8n cannot read: deleted after publishing, and an expression it refuses.
		credentialGone: alerting(
			workflow('sipE2eCredGone', 'sip-e2e-cred-gone', ['*'], CREDENTIAL_TO_DELETE, sinkUrl),
		),
		credentialEnv: alerting(
			workflow('sipE2eCredEnv', 'sip-e2e-cred-env', ['*'], 'sipE2eCredEnv', sinkUrl),
		),
		// The browser sample on the Test URL with a secret that is not a SIP Caller one.
		testingBadSecret: workflow(
			'sipE2eTestingBadSecret',
			'sip-e2e-testing-bad-secret',
			['CallEnded'],
			'sipE2eCredBad',
			sinkUrl,
			{},
			2,
		),
		// The sender's wrong-secret test: its first refusal is the report (n8n's 500, our message).
		senderForged: workflow(
			'sipE2eSenderForged',
			'sip-e2e-sender-forged',
			['*'],
			'sipE2eCredGood',
			sinkUrl,
		),
		// Sent to the Test URL while listening (registered through n8n's REST API as the editor does).
		testing: workflow(
			'sipE2eTesting',
			'sip-e2e-testing',
			['CallEnded'],
			'sipE2eCredGood',
			sinkUrl,
			{},
			2,
		),
		simplified: workflow(
			'sipE2eSimplified',
			'sip-e2e-simplified',
			['CallEnded'],
			'sipE2eCredGood',
			sinkUrl,
			{
				output: 'simplified',
			},
		),
		// The current version as the editor adds it: Output at the top level, Simplified by default.
		version2: workflow(
			'sipE2eVersion2',
			'sip-e2e-version-2',
			['CallEnded'],
			'sipE2eCredGood',
			sinkUrl,
			{},
			2,
		),
		version2Full: workflow(
			'sipE2eVersion2Full',
			'sip-e2e-version-2-full',
			['CallEnded'],
			'sipE2eCredGood',
			sinkUrl,
			{},
			2,
			{ output: 'full' },
		),
		noAnswerOnly: workflow(
			'sipE2eNoAnswerOnly',
			'sip-e2e-no-answer',
			['CallEnded'],
			'sipE2eCredGood',
			sinkUrl,
			{ ringResults: ['NoAnswer'], otherRingResults: 'Busy', campaigns: 'Campaign 1' },
		),
		otherCampaign: workflow(
			'sipE2eOtherCampaign',
			'sip-e2e-other-campaign',
			['*'],
			'sipE2eCredGood',
			sinkUrl,
			{
				campaigns: 'Campaign 2',
			},
		),
	};
}
