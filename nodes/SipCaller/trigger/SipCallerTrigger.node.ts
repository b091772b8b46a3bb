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

import { freshReadMayCure, refusal } from '../core/outcomes';
import { checkSignatureHeader } from '../core/signature';
import { TRIGGER_PANEL, triggerProperties } from './description';
import { triggerMethods } from './methods';
import { answer, answerProductionPage } from './answer';
import { claimEvent, ledgerOf } from './delivery-ledger';
import { readTriggerOptions } from './options';
import { decideArrival, readRequest } from './request';
import { freshSigningSecrets, signingSecrets } from './signing-secrets';
import { TRIGGER_BROWSER_WEBHOOK, TRIGGER_WEBHOOK } from './webhook-description';

function isEmpty(json: object): boolean {
	for (const _ in json) return false;
	return true;
}

export class SipCallerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Caller Trigger',
		name: 'sipCallerTrigger',
		icon: {
			light: 'file:../../../icons/sipCaller.svg',
			dark: 'file:../../../icons/sipCaller.dark.svg',
		},
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
	 * reported a refused delivery (trigger/answer.ts). n8n put an empty item in place of the event
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

	/**
	 * One delivery, in the steps of docs/delivery.md ("One path"): every way in (SIP Caller's POST,
	 * anyone's request, a browser's sample on the Test URL) walks them, and every way out is a row
	 * of the outcome table (core/outcomes.ts).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// 1. What arrived: a POST's bytes and header, or a browser (a sample on the Test URL).
		const arrival = await readRequest(this);
		if (arrival.kind === 'productionPage') return answerProductionPage(this);
		if (arrival.kind === 'refused') return answer(this, arrival.refusal, { arrival });
		// 2. The signature header's shape, before anything else is read (not even the options): an
		// unsigned or malformed request is answered 401, quietly in production, whatever the state
		// of the credential.
		const headerProblem =
			arrival.kind === 'post' ? checkSignatureHeader(arrival.signatureHeader) : undefined;
		if (headerProblem) return answer(this, refusal(headerProblem), { arrival });
		const { delivery: options, respond } = readTriggerOptions(this);
		// 3. The secrets, from a few seconds' memory or n8n (a credential n8n cannot read is a reason).
		const credential = await signingSecrets(this);
		// 4. The decision; when a newer credential could cure a refusal, again on a fresh read
		// (bounded: a refusal the bound left unconfirmed is answered, not reported).
		const now = Date.now();
		const ledger = ledgerOf(this, options);
		const alreadySeen = ledger && ((eventId: string) => ledger.earlierDelivery(eventId, now));
		let outcome = decideArrival(arrival, credential, options, now, alreadySeen);
		let unconfirmed = false;
		if (credential.remembered && freshReadMayCure(outcome)) {
			const fresh = await freshSigningSecrets(this);
			if (fresh) outcome = decideArrival(arrival, fresh, options, now, alreadySeen);
			else unconfirmed = true;
		}
		// 5. An accepted event's id, claimed in the same synchronous step as the duplicate check.
		claimEvent(this, ledger, outcome, now);
		// 6. The answer; a refusal shown in the editor, or reported in production (bounded).
		return answer(this, outcome, { arrival, options, respond, now, unconfirmed });
	}
}
