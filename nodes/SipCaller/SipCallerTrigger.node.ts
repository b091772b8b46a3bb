import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { dedupWindowSeconds } from './core/dedup';
import { decide } from './core/delivery';
import { SIGNATURE_HEADER } from './core/signature';
import { TRIGGER_PANEL, triggerProperties } from './trigger/description';
import { triggerMethods } from './trigger/methods';
import { ledgerOf, whenAnswered } from './trigger/delivery-ledger';
import { readTriggerOptions } from './trigger/options';
import { secretMayBeStale, signingSecrets, type SigningSecrets } from './trigger/signing-secrets';
import { answerBrowser } from './trigger/browser';
import { showIfSeen, showUnreadableBody } from './trigger/report';
import { TRIGGER_BROWSER_WEBHOOK, TRIGGER_WEBHOOK } from './trigger/webhook-description';
import { readRawBody, refuseUnreadableBody, respond } from './trigger/webhook-http';

function isEmpty(json: object): boolean {
	for (const _ in json) return false;
	return true;
}

export class SipCallerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Caller Trigger',
		name: 'sipCallerTrigger',
		icon: { light: 'file:../../icons/sipCaller.svg', dark: 'file:../../icons/sipCaller.dark.svg' },
		group: ['trigger'],
		// 2: Output is a top-level choice, Simplified by default. 1 keeps Output in Options (Full).
		version: [1, 2],
		defaultVersion: 2,
		// "CallEnded, CampaignPaused" → "Call Ended, Campaign Paused", as the Events list words them.
		subtitle:
			'={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).map(e => String(e).replace(/([a-z])([A-Z])/g, "$1 $2")).join(", ") }}',
		// n8n's node creator shows the trigger's description for the whole SIP Caller entry, also in
		// "What happens next?" (actions): so it speaks of both nodes, as n8n's own Stripe entry does.
		description:
			'Handle SIP Caller call and campaign events, and add numbers to SIP Caller campaigns',
		defaults: { name: 'SIP Caller Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'sipCallerWebhookApi',
				displayName: 'Webhook Signing Secret',
				required: true,
				testedBy: 'sipCallerWebhookSecretTest',
			},
			// Optional, design time only: lists the account's campaigns for the campaign filter.
			// Deliveries never call SIP Caller's API.
			{
				name: 'sipCallerApi',
				displayName: 'SIP Caller API (Optional, to Pick Campaigns From a List)',
				required: false,
			},
		],
		// Respond option: n8n answers after the workflow ('lastNode') or once it has taken the event.
		// The second answers a browser (GET): a sample on the Test URL, a short page in production.
		webhooks: [TRIGGER_WEBHOOK, TRIGGER_BROWSER_WEBHOOK],
		triggerPanel: TRIGGER_PANEL,
		properties: triggerProperties,
	};

	/**
	 * SIP Caller webhooks are created by hand in SIP Caller's console (Settings > Webhooks) and SIP
	 * Caller has no public API to list, create or delete them, so n8n has nothing to register: the
	 * webhook "exists" as far as n8n can know, and activation or deactivation changes nothing in
	 * SIP Caller. The notice in the node tells the user what to set up there.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	methods = triggerMethods;

	/**
	 * Runs when n8n runs the trigger inside an execution: it passes the event on, as n8n does for a
	 * trigger without this method. One case stops: a retry of an execution in which the trigger
	 * reported a refused delivery (trigger/report.ts). n8n put an empty item in place of the event
	 * there, and a retry would otherwise run the next nodes on it.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (this.getMode() === 'retry' && items.length === 1 && isEmpty(items[0].json)) {
			throw new NodeOperationError(
				this.getNode(),
				'Nothing to retry: this execution recorded a SIP Caller delivery the trigger refused, not an event. SIP Caller delivers the event again by itself once the cause is fixed.',
				{ level: 'warning' },
			);
		}
		return [items];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const now = Date.now();
		// SIP Caller only POSTs: a GET is someone opening the URL in a browser.
		if (request.method === 'GET')
			return answerBrowser(this, readTriggerOptions(this).delivery, now);
		const rawBody = await readRawBody(request);
		if (!rawBody) {
			showUnreadableBody(this);
			return refuseUnreadableBody(this);
		}

		const { delivery: options, respond: respondMode } = readTriggerOptions(this);
		const ledger = options.deduplicate
			? ledgerOf(this, dedupWindowSeconds(options.maxAgeSeconds ?? 0))
			: undefined;
		const decideWith = ({ signingSecret, previousSigningSecret }: SigningSecrets) =>
			decide({
				rawBody,
				signatureHeader: request.headers[SIGNATURE_HEADER.toLowerCase()],
				secrets: [signingSecret, previousSigningSecret],
				options,
				now,
				alreadySeen: ledger && ((eventId) => ledger.earlierDelivery(eventId, now)),
			});
		const known = await signingSecrets(this, now);
		let decision = decideWith(known.secrets);
		// Secrets from memory and no match: the credential may have just changed. Read it again
		// before refusing anything.
		if (known.remembered && decision.action === 'reject' && secretMayBeStale(decision.reason)) {
			decision = decideWith((await signingSecrets(this, now, true)).secrets);
		}
		// Claimed in the same synchronous step as the check: a concurrent retry cannot slip in
		// between. Settled by n8n's answer: 2xx marks it done, anything else (or SIP Caller hanging
		// up first) lets a retry run it.
		if (ledger && decision.action === 'accept' && typeof decision.event.id === 'string') {
			const eventId = decision.event.id;
			const claim = ledger.claim(eventId, now);
			whenAnswered(
				this.getResponseObject(),
				(status) => ledger.settle(eventId, claim, status >= 200 && status < 300, Date.now()),
				() => ledger.release(eventId, claim),
			);
		}
		// Seen, not silent: while testing every refusal, in production the reported ones (bounded).
		if (decision.action !== 'accept') showIfSeen(this, decision, options, now);
		return respond(this, decision, respondMode);
	}
}
