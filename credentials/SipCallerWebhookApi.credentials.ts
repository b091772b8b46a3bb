import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Matches what the user typed when it is not a SIP Caller signing secret (even-length hex, white
 * space around it allowed), for the notices below: n8n's credential dialog shows a failed
 * credential test only as "Couldn't connect with these settings" with the reason folded under
 * "More details", but it evaluates displayOptions as the user types, so the reason can stand right
 * under the field. Not for n8n's placeholders of a saved secret the browser is not sent
 * (__n8n_BLANK_VALUE_…, and __n8n_EMPTY_VALUE_… for a saved empty one), nor for an empty field.
 */
const NOT_A_SIGNING_SECRET =
	'^(?!__n8n_(?:BLANK|EMPTY)_VALUE_)(?!\\s*(?:[0-9a-fA-F]{2})+\\s*$)[\\s\\S]+';

function notHexNotice(field: string, name: string): INodeProperties {
	return {
		displayName: `This is not a SIP Caller signing secret: paste the webhook's secret from SIP Caller > Settings > Webhooks. It is a string of hexadecimal digits (0-9 and a-f, an even number of them; SIP Caller shows 64), not a word or a phrase. Events cannot be checked with this ${field}.`,
		name: `${name}Notice`,
		type: 'notice',
		default: '',
		displayOptions: { show: { [name]: [{ _cnd: { regex: NOT_A_SIGNING_SECRET } }] } },
	};
}

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
		notHexNotice('Signing Secret', 'signingSecret'),
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: after "Regenerate signing secret" in SIP Caller, put the new secret above and the old one here, so that events signed before the change and still being retried are not lost. Clear it once the maximum event age set on the trigger (24 hours by default) has passed since the change.',
		},
		notHexNotice('Previous Signing Secret', 'previousSigningSecret'),
	];
}
