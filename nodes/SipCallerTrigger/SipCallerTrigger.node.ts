import {
	NodeConnectionTypes,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { apiAccount, listCampaigns } from '../SipCaller/transport';
import {
	campaignLabel,
	decide,
	dedupWindowSeconds,
	isValidSigningSecret,
	SIGNATURE_HEADER,
} from '../SipCaller/core';
import { triggerProperties, readDeliveryOptions } from './description';
import { openSeenEvents } from './seen-events';
import { readRawBody, refuseUnreadableBody, respond } from './transport';

export class SipCallerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Caller Trigger',
		name: 'sipCallerTrigger',
		icon: {
			light: 'file:../SipCaller/sipCaller.svg',
			dark: 'file:../SipCaller/sipCaller.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when SIP Caller sends a signed webhook event',
		defaults: { name: 'SIP Caller Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'sipCallerWebhookApi', required: true, testedBy: 'sipCallerWebhookSecretTest' },
			// Optional, design time only: lists the account's campaigns for the campaign filter.
			// Deliveries never call SIP Caller's API.
			{ name: 'sipCallerApi', required: false },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
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

	methods = {
		loadOptions: {
			/** The account's campaigns, for Options > Campaigns From SIP Caller. */
			async getCampaigns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				if (!this.getNode().credentials?.sipCallerApi) {
					throw new NodeOperationError(
						this.getNode(),
						'Select a SIP Caller API credential on this node to list campaigns, or type names or IDs in Campaigns',
					);
				}
				const campaigns = await listCampaigns(this, await apiAccount(this), {});
				return campaigns.map((campaign) => ({
					name: campaignLabel(campaign),
					value: campaign.id,
					description: campaign.id,
				}));
			},
		},
		credentialTest: {
			/** Runs when the user saves the credential: a format check, there is nothing to call. */
			async sipCallerWebhookSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const checks: Array<[string, unknown]> = [['Signing Secret', data.signingSecret]];
				const previous = data.previousSigningSecret;
				if (typeof previous === 'string' && previous.trim() !== '') {
					checks.push(['Previous Signing Secret', previous]);
				}
				for (const [field, value] of checks) {
					if (!isValidSigningSecret(value)) {
						return {
							status: 'Error',
							message: `${field} is not a SIP Caller signing secret. It must be the hexadecimal string (digits 0-9 and letters a-f, an even number of them) shown in SIP Caller > Settings > Webhooks.`,
						};
					}
				}
				return { status: 'OK', message: 'The signing secret has the right format' };
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const credentials = await this.getCredentials<{
			signingSecret: string;
			previousSigningSecret?: string;
		}>('sipCallerWebhookApi');

		const rawBody = await readRawBody(request);
		if (!rawBody) return refuseUnreadableBody(this);

		const options = readDeliveryOptions(this);
		const now = Date.now();
		const seen = options.deduplicate
			? openSeenEvents(this, dedupWindowSeconds(options.maxAgeSeconds ?? 0), now)
			: undefined;
		const decision = decide({
			rawBody,
			signatureHeader: request.headers[SIGNATURE_HEADER.toLowerCase()],
			secrets: [credentials.signingSecret, credentials.previousSigningSecret],
			options,
			now,
			alreadySeen: seen?.alreadySeen,
		});
		// Same synchronous step as the check: a concurrent retry cannot slip in between.
		if (decision.action === 'accept' && typeof decision.event.id === 'string') {
			seen?.remember(decision.event.id);
		}
		return respond(this, decision);
	}
}
