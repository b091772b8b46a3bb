/** What the editor asks the SIP Caller Trigger for: the campaign list and the credential test. */
import {
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type ILoadOptionsFunctions,
	type INodeCredentialTestResult,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { campaignLabel } from '../core/api';
import { isValidSigningSecret } from '../core/signature';
import { apiAccount, listCampaigns } from '../transport';

export const NO_API_CREDENTIAL: INodePropertyOptions = {
	name: 'To List Campaigns Here, Select a SIP Caller API Credential on This Node',
	value: '',
	description:
		'Optional: the campaign list needs the SIP Caller API credential (under Credential to connect with). Without it, type campaign names or IDs in Options > Campaigns.',
};

/** The account's campaigns, for Options > Campaigns From SIP Caller. */
async function getCampaigns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// The API credential is optional: without it, one entry that says how to fill the list (not an
	// error, which n8n would show in red in a default state, nor an empty list, which n8n shows as a
	// bare "No data"). Its value is empty, which the filter ignores if it is picked.
	if (!this.getNode().credentials?.sipCallerApi) return [NO_API_CREDENTIAL];
	const campaigns = await listCampaigns(this, await apiAccount(this), {});
	return campaigns.map((campaign) => ({
		name: campaignLabel(campaign),
		value: campaign.id,
		description: campaign.id,
	}));
}

/** Runs when the user saves the credential: a format check, there is nothing to call. */
async function sipCallerWebhookSecretTest(
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
}

export const triggerMethods = {
	loadOptions: { getCampaigns },
	credentialTest: { sipCallerWebhookSecretTest },
};
