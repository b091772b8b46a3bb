/**
 * Runs the trigger's real `webhook()` inside n8n-core's real `WebhookContext` (the class n8n's
 * webhook service uses), with only the outside world stubbed: the HTTP request/response and the
 * credentials store. Parameters get their defaults from the node description, as in n8n.
 */
import { Readable } from 'stream';

import { WebhookContext } from 'n8n-core';
import {
	NodeOperationError,
	Workflow,
	type IDataObject,
	type INode,
	type INodeParameters,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { logger } from './n8n-container';
import { nodeOf } from './n8n-node';
import { signPayload } from '../../nodes/SipCaller/core';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';

export { logger };

export interface FakeResponse {
	statusCode?: number;
	contentType?: string;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface WebhookCall {
	body: Buffer | string;
	/**
	 * How n8n left the body: `read` = in `req.rawBody` (JSON, text, ...); `unread` = still in the
	 * stream, `req.readRawBody()` reads it; `consumed` = a multipart body n8n's form parser already
	 * read, so `readRawBody()` throws.
	 */
	bodyState?: 'read' | 'unread' | 'consumed';
	headers?: Record<string, string>;
	parameters?: INodeParameters;
	credentials?: { signingSecret: string; previousSigningSecret?: string };
	/** What n8n throws instead of giving the credential (deleted, `$env` denied, ...). */
	credentialError?: Error;
	/** Each read of the credential takes this long (ms), so that concurrent requests overlap it. */
	credentialReadMs?: number;
	/** An unread body arrives this long (ms) after the request: the sender decides when. */
	bodyDelayMs?: number;
	/** Same id = same workflow in this process (duplicates are remembered per workflow and node). */
	workflowId?: string;
	/** The id of the node's credential (default `cred-1`); secrets are remembered per id. */
	credentialId?: string;
	/** The workflow's static data as n8n would load it from its database. */
	staticData?: IDataObject;
	/** The trigger's typeVersion (default 1, as the suites were written; 2 is the current one). */
	typeVersion?: number;
	/** Node fields to set (its id, Settings > On Error, ...). */
	node?: Partial<INode>;
	/** n8n's execution mode: `webhook` (Production URL, default) or `manual` (Test URL, listening). */
	mode?: 'webhook' | 'manual';
	/** The HTTP method (default POST) and the query string's values. */
	method?: string;
	query?: Record<string, string>;
}

/** The signing secret of the credential the unit suites' calls carry. */
export const TEST_SECRET = '5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99';

/** A JSON delivery signed as SIP Caller signs (with `secret`, at `t`), to a trigger holding TEST_SECRET. */
export function signedCall(
	body: Buffer | string,
	secret = TEST_SECRET,
	t = Math.floor(Date.now() / 1000),
): WebhookCall {
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'sip-caller-signature': signPayload(body, secret, t),
		},
		credentials: { signingSecret: TEST_SECRET, previousSigningSecret: '' },
	};
}

let workflowCounter = 0;

export async function callWebhook(call: WebhookCall): Promise<{
	/** What webhook() returned (undefined when it threw). */
	result: IWebhookResponseData;
	/** What webhook() threw: n8n answers 500 and records a failed execution of the trigger. */
	thrown?: NodeOperationError;
	response: FakeResponse;
	getDecrypted: jest.Mock;
	staticData: IDataObject;
	/** What n8n does once it has the answer for an accepted event: status, then `end()`. */
	n8nAnswers: (status: number) => void;
	/** The connection closes (SIP Caller hangs up, or after the answer): 'close' listeners run. */
	connectionCloses: () => void;
	/** What n8n does with an error webhook() threw: `res.status(500).json({ code, message })`. */
	n8nAnswersError: (message: string) => void;
}> {
	const nodeType = new SipCallerTrigger();
	const { node, nodeTypes } = nodeOf(nodeType, call.parameters ?? { events: ['*'] }, {
		credentials: {
			sipCallerWebhookApi: { id: call.credentialId ?? 'cred-1', name: 'SIP Caller Webhook' },
		},
		typeVersion: call.typeVersion ?? 1,
		...call.node,
	});
	const description = nodeType.description;
	const workflow = new Workflow({
		id: call.workflowId ?? `wf-${++workflowCounter}`,
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: call.staticData,
	});

	const bytes = Buffer.from(call.body);
	const state = call.bodyState ?? 'read';
	const request: Readable & { rawBody?: Buffer } = Object.assign(Readable.from([]), {
		method: call.method ?? 'POST',
		headers: call.headers ?? {},
		query: call.query ?? {},
		params: {},
		rawBody: state === 'read' ? bytes : undefined,
		readRawBody: jest.fn(async () => {
			if (call.bodyDelayMs) await new Promise((r) => setTimeout(r, call.bodyDelayMs));
			if (state === 'consumed')
				throw new Error('Request body stream was aborted or is not readable');
			request.rawBody = bytes;
		}),
	});

	const response: FakeResponse = {};
	interface Res {
		statusCode: number;
		status: jest.Mock;
		type: jest.Mock;
		send: jest.Mock;
		json: jest.Mock;
		end: jest.Mock;
		once: jest.Mock;
		setHeader: jest.Mock;
	}
	const onClose: Array<() => void> = [];
	const res: Res = {
		statusCode: 200,
		end: jest.fn(() => res),
		once: jest.fn((event: string, listener: () => void) => {
			if (event === 'close') onClose.push(listener);
			return res;
		}),
		setHeader: jest.fn(
			(name: string, value: string) => (
				(response.headers = { ...response.headers, [name]: value }),
				res
			),
		),
		status: jest.fn((code: number) => ((res.statusCode = response.statusCode = code), res)),
		type: jest.fn((type: string) => ((response.contentType = type), res)),
		send: jest.fn((body: unknown) => ((response.body = body), res)),
		json: jest.fn(
			(body: unknown) => ((response.contentType = 'application/json'), (response.body = body), res),
		),
	};
	const getDecrypted = jest.fn(async () => {
		if (call.credentialReadMs) await new Promise((r) => setTimeout(r, call.credentialReadMs));
		if (call.credentialError) throw call.credentialError;
		return call.credentials ?? {};
	});
	const additionalData = {
		credentialsHelper: { getDecrypted },
		httpRequest: request,
		httpResponse: res,
	} as unknown as IWorkflowExecuteAdditionalData;

	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		call.mode ?? 'webhook',
		{
			webhookDescription: description.webhooks![(call.method ?? 'POST') === 'GET' ? 1 : 0],
		} as IWebhookData,
		[],
		null,
	);
	let result = undefined as unknown as IWebhookResponseData;
	let thrown: NodeOperationError | undefined;
	try {
		result = await nodeType.webhook.call(context);
	} catch (error) {
		if (!(error instanceof NodeOperationError)) throw error;
		thrown = error;
	}
	const n8nAnswers = (status: number) => {
		res.status(status);
		res.end();
	};
	const connectionCloses = () => onClose.splice(0).forEach((listener) => listener());
	const n8nAnswersError = (message: string) => {
		res.status(500);
		res.json({ code: 500, message });
	};
	return {
		n8nAnswersError,
		result,
		thrown,
		response,
		getDecrypted,
		staticData: workflow.staticData,
		n8nAnswers,
		connectionCloses,
	};
}
