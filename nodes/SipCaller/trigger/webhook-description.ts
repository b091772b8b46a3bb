/**
 * The trigger's webhook description. n8n reads `responseMode` and `responseData` per request; they
 * depend on the Respond option, so they are expressions for the editor and for n8n 1.x, plus the
 * same logic as plain functions that n8n 2.x runs instead of its expression engine when the node's
 * parameters hold no expression (its "webhook description resolvers", keyed by a global symbol).
 * The template is made from the function's own source, so the two cannot disagree.
 */
import type { IWebhookDescription } from 'n8n-workflow';

type Parameters = Record<string, unknown>;

/** Arrow functions with one expression each: n8n evaluates their source text as an expression. */
const responseMode = (p: Parameters) =>
	p && p.options && (p.options as Parameters).respond === 'afterWorkflow'
		? 'lastNode'
		: 'onReceived';

/**
 * After the workflow: no body (never the last node's data, which may hold customer data SIP Caller
 * has no use for). Immediately: '' lets n8n send the trigger's own receipt (`webhookResponse`).
 */
const responseData = (p: Parameters) =>
	p && p.options && (p.options as Parameters).respond === 'afterWorkflow' ? 'noData' : '';

/** n8n-workflow 2.x's WEBHOOK_RESOLVERS (Symbol.for, so no import that n8n 1.x lacks). */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

function field(fn: (parameters: Parameters) => string) {
	return { template: `={{(${String(fn)})($parameter)}}`, resolve: fn };
}

const fields = { responseMode: field(responseMode), responseData: field(responseData) };

export const TRIGGER_WEBHOOK: IWebhookDescription = Object.assign(
	{
		name: 'default' as const,
		httpMethod: 'POST',
		path: 'webhook',
		responseMode: fields.responseMode.template,
		responseData: fields.responseData.template,
	},
	{ [WEBHOOK_RESOLVERS]: fields },
);

/**
 * The same URL opened in a browser: SIP Caller never sends a GET. Hidden in the panel, which shows
 * the POST URL (the one to paste into SIP Caller); n8n answers nothing itself (the node does).
 */
export const TRIGGER_BROWSER_WEBHOOK: IWebhookDescription = {
	name: 'default',
	httpMethod: 'GET',
	path: 'webhook',
	responseMode: 'onReceived',
	ndvHideUrl: true,
	ndvHideMethod: true,
};

/** For tests: the functions behind the templates. */
export const webhookDescriptionFunctions = { responseMode, responseData };
