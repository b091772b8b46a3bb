import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Matches every value that needs no notice: empty or white space, a signing secret (even-length hex,
 * white space around it allowed), an expression (`=…`, checked when it runs), and n8n's
 * placeholders for a saved secret the browser is not sent (__n8n_BLANK_VALUE_…, and
 * __n8n_EMPTY_VALUE_… for a saved empty one). Why a notice at all: n8n's credential dialog shows a
 * failed credential test only as "Couldn't connect with these settings" with the reason folded
 * under "More details", but it evaluates displayOptions as the user types. A `hide` rule, not a
 * `show` one: n8n shows a `show`-ruled parameter whenever the value is an expression.
 */
const NEEDS_NO_NOTICE =
	'^(?:=[\\s\\S]*|__n8n_(?:BLANK|EMPTY)_VALUE_[\\s\\S]*|\\s*(?:(?:[0-9a-fA-F]{2})+\\s*)?)$';

function notHexNotice(field: string, name: string): INodeProperties {
	return {
		displayName: `This is not a SIP Caller signing secret: paste the webhook's secret from SIP Caller > Settings > Webhooks. It is a string of hexadecimal digits (0-9 and a-f, an even number of them; SIP Caller shows 64), not a word or a phrase. Events cannot be checked with this ${field}.`,
		name: `${name}Notice`,
		type: 'notice',
		default: '',
		displayOptions: { hide: { [name]: [{ _cnd: { regex: NEEDS_NO_NOTICE } }] } },
	};
}

/**
 * Shown under a field that holds an expression. Why: n8n 2.x refuses `$env` in credentials by
 * default, and the not-hex notice cannot judge an expression, so an expression that looks right
 * can refuse every event while the dialog says nothing. A `show` rule: n8n shows such a
 * parameter whenever the value is an expression, and the rule itself hides it for any other value.
 */
function expressionNotice(field: string, name: string): INodeProperties {
	return {
		displayName: `${field} is an expression: n8n works it out when it tests this credential and each time an event arrives. n8n 2.x refuses $env in credentials unless its administrator sets N8N_BLOCK_ENV_ACCESS_IN_NODE=false. If it does not give the webhook's hexadecimal signing secret, every event is refused (the first of each 5 minutes shows as a failed execution of the trigger).`,
		name: `${name}ExpressionNotice`,
		type: 'notice',
		default: '',
		displayOptions: { show: { [name]: [{ _cnd: { startsWith: '=' } }] } },
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
		expressionNotice('Signing Secret', 'signingSecret'),
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			hint: 'Leave empty, except for a day after "Regenerate signing secret" in SIP Caller: then the old secret goes here',
			description:
				'Only while rotating: after "Regenerate signing secret" in SIP Caller, put the new secret above and the old one here, so that events signed before the change and still being retried are not lost. Clear it once the maximum event age set on the trigger (24 hours by default) has passed since the change.',
		},
		notHexNotice('Previous Signing Secret', 'previousSigningSecret'),
		expressionNotice('Previous Signing Secret', 'previousSigningSecret'),
	];
}
