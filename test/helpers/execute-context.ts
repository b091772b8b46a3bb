/**
 * Runs the SIP Caller node's real `execute()` and its list/mapper methods inside n8n-core's real
 * `ExecuteContext` / `LoadOptionsContext`, so requests go through n8n-core's own HTTP helper
 * (axios, query encoding, full responses) to a server on 127.0.0.1. Only the credentials store is
 * stubbed: it returns the given credential and applies the credential's `authenticate` headers.
 */
import { ExecuteContext, LoadOptionsContext } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import './n8n-container';
import { nodeOf } from './n8n-node';
import { SipCallerApi } from '../../credentials/SipCallerApi.credentials';
import { SipCaller } from '../../nodes/SipCaller/SipCaller.node';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';

export interface ApiCredential {
	accountId: string;
	apiKey: string;
	baseUrl?: string;
}

/** The credential's `authenticate` block applied as n8n does for `={{...}}` header templates. */
function authenticate(
	credential: ApiCredential,
	options: IHttpRequestOptions,
): IHttpRequestOptions {
	const headers = new SipCallerApi().authenticate.properties.headers ?? {};
	const resolved: Record<string, string> = {};
	for (const [name, template] of Object.entries(headers)) {
		resolved[name] = String(template)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) =>
				String((credential as unknown as Record<string, unknown>)[key] ?? ''),
			);
	}
	return { ...options, headers: { ...(options.headers ?? {}), ...resolved } };
}

function setup(
	parameters: INodeParameters,
	credential: ApiCredential,
	continueOnFail = false,
	nodeType: INodeType = new SipCaller(),
	credentials: INode['credentials'] = { sipCallerApi: { id: 'cred-1', name: 'SIP Caller API' } },
) {
	const { node, nodeTypes } = nodeOf(nodeType, parameters, { credentials, continueOnFail });
	const workflow = new Workflow({
		id: 'wf-unit',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const requests: IHttpRequestOptions[] = [];
	const additionalData = {
		credentialsHelper: {
			getDecrypted: jest.fn().mockResolvedValue(credential),
			getParentTypes: () => [],
			preAuthentication: jest.fn().mockResolvedValue(undefined),
			authenticate: jest.fn(async (_data: unknown, _type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				return authenticate(credential, options);
			}),
		},
		currentNodeParameters: node.parameters,
	} as unknown as IWorkflowExecuteAdditionalData;
	return { nodeType, node, workflow, additionalData, requests };
}

export interface RunResult {
	items: INodeExecutionData[];
	error?: Error & { httpCode?: string | null; description?: string | null };
}

/** Runs `execute()` once over the given input items. */
export async function runSipCallerNode(options: {
	parameters: INodeParameters;
	credential: ApiCredential;
	items?: IDataObject[];
	continueOnFail?: boolean;
}): Promise<RunResult> {
	const nodeType = new SipCaller();
	const { node, workflow, additionalData } = setup(
		options.parameters,
		options.credential,
		options.continueOnFail,
		nodeType,
	);
	const input: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		createEmptyRunExecutionData(),
		0,
		input,
		{ main: [input] },
		{ node, data: { main: [input] }, source: null },
		[],
	);
	try {
		const [items] = await nodeType.execute.call(context);
		return { items };
	} catch (error) {
		return { items: [], error: error as RunResult['error'] };
	}
}

/** A design-time method (campaign picker, variables mapper) as the editor calls it. */
export function loadOptionsContext(parameters: INodeParameters, credential: ApiCredential) {
	const nodeType = new SipCaller();
	const { node, workflow, additionalData } = setup(parameters, credential, false, nodeType);
	return { nodeType, context: new LoadOptionsContext(workflow, node, additionalData, 'campaign') };
}

/** The trigger's campaign list, with or without a SIP Caller API credential selected on it. */
export function triggerLoadOptionsContext(credential: ApiCredential, withApiCredential: boolean) {
	const nodeType = new SipCallerTrigger();
	const credentials: INode['credentials'] = {
		sipCallerWebhookApi: { id: 'cred-0', name: 'SIP Caller Webhook' },
		...(withApiCredential ? { sipCallerApi: { id: 'cred-1', name: 'SIP Caller API' } } : {}),
	};
	const { node, workflow, additionalData } = setup(
		{ events: ['*'] },
		credential,
		false,
		nodeType,
		credentials,
	);
	return {
		nodeType,
		context: new LoadOptionsContext(workflow, node, additionalData, 'options.campaignIds'),
	};
}
