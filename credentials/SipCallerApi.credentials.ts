import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_API_BASE_URL } from '../nodes/SipCaller/core/api';

/**
 * A SIP Caller REST API key (SIP Caller > Settings > API Keys) and the account it acts on. Used by
 * the SIP Caller node, and optionally by the SIP Caller Trigger to list campaigns.
 */
export class SipCallerApi implements ICredentialType {
	name = 'sipCallerApi';

	displayName = 'SIP Caller API';

	icon = {
		light: 'file:../icons/sipCaller.svg',
		dark: 'file:../icons/sipCaller.dark.svg',
	} as const;

	documentationUrl = 'https://sipcaller.com/help/apiDocs';

	properties: INodeProperties[] = [
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 0192830c-81a5-7b4f-9d0e-3f3c2b1a0d9e',
			description: 'Your SIP Caller account ID, shown in the SIP Caller web console',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The token shown once when you create a key in SIP Caller > Settings > API Keys. It needs roles that allow listing campaigns and adding numbers.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_API_BASE_URL,
			description: "SIP Caller's API address. Change it only if SIP Caller tells you to.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// The smallest list request (one campaign): a wrong key or account id fails here, when saving.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${DEFAULT_API_BASE_URL}").trim().replace(/\\/+$/, "") }}`,
			url: '=/accounts/{{ encodeURIComponent(($credentials.accountId || "").trim()) }}/campaigns',
			method: 'GET',
			qs: { range: '[0,0]' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'SIP Caller refused the API key (401). Check the key, or create a new one in SIP Caller > Settings > API Keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key is valid but may not list campaigns (403): give the key a role that can read campaigns.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'SIP Caller does not know this Account ID for this key (404). Check the Account ID (and the API Base URL).',
				},
			},
		],
	};
}
