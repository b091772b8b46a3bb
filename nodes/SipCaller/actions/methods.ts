/** What the editor asks the SIP Caller node for: the campaign picker and the variables mapper. */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { campaignLabel, listCampaignsRequest, PAGE_SIZE, readListResponse } from '../core/api';
import { apiAccount, sipCallerApiRequest } from '../transport';
import { readLocator, resolveCampaign } from './operations';

/** The account's campaigns for the Campaign picker, 100 a page, filtered by name. */
async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const account = await apiAccount(this);
	const start = Number(paginationToken ?? 0) || 0;
	const query = {
		filter: filter?.trim() ? { name: filter.trim() } : undefined,
		sort: ['name', 'ASC'] as ['name', 'ASC'],
		range: [start, start + PAGE_SIZE - 1] as [number, number],
	};
	const response = await sipCallerApiRequest(
		this,
		account,
		listCampaignsRequest(account.accountId, query),
	);
	const rows = readListResponse(response.body);
	return {
		results: rows
			.filter((row) => typeof row.id === 'string')
			.map((row) => ({
				name: campaignLabel(row),
				value: row.id as string,
			})),
		paginationToken: rows.length === PAGE_SIZE ? String(start + PAGE_SIZE) : undefined,
	};
}

/** One field per variable name of the chosen campaign, in the campaign's order. */
async function getCampaignVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const locator = readLocator(
		this.getNodeParameter('campaign', undefined, { extractValue: false }),
	);
	if (locator.value === '' || locator.value.startsWith('=')) {
		return { fields: [], emptyFieldsNotice: 'Choose a campaign to see its variables' };
	}
	const campaign = await resolveCampaign(this, await apiAccount(this), locator, new Map());
	const varNames = Array.isArray(campaign.varNames) ? campaign.varNames : [];
	return {
		fields: varNames.map((name) => ({
			id: name,
			displayName: name,
			required: false,
			defaultMatch: false,
			display: true,
			type: 'string',
			canBeUsedToMatch: false,
		})),
		emptyFieldsNotice: `Campaign "${String(campaign.name ?? campaign.id)}" has no variables: only the number is sent`,
	};
}

export const sipCallerMethods = {
	listSearch: { searchCampaigns },
	resourceMapping: { getCampaignVariables },
};
