import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret of one SIP Caller webhook (each webhook has its own). Tested without a network
 * call by the SIP Caller Trigger's `sipCallerWebhookSecretTest` method: there is nothing to call,
 * only the secret's format to check.
 */
export class SipCallerWebhookApi implements ICredentialType {
	name = 'sipCallerWebhookApi';

	displayName = 'SIP Caller Webhook API';

	icon = {
		light: 'file:../icons/sipCaller.svg',
		dark: 'file:../icons/sipCaller.dark.svg',
	} as const;

	documentationUrl = 'https://sipcaller.com/help/webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'Hexadecimal digits only, like 3f9a0c…e27b (SIP Caller shows 64 of them): not a word or a phrase',
			description:
				"The webhook's signing secret from SIP Caller > Settings > Webhooks: a string of hexadecimal digits (0-9, a-f). SIP Caller signs every event with it; events that do not match are refused.",
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: after "Regenerate signing secret" in SIP Caller, put the new secret above and the old one here, so that events signed before the change and still being retried are not lost. Clear it once the maximum event age set on the trigger (24 hours by default) has passed since the change.',
		},
	];
}
