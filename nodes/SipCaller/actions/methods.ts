/** What the editor asks the SIP Caller node for: the campaign picker and the variables mapper. */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import {
	campaignLabel,
	canTakeNumbers,
	listCampaignsRequest,
	PAGE_SIZE,
	readListResponse,
	TAKES_NUMBERS,
} from '../core/api';
import { apiAccount, sipCallerApiRequest } from '../transport';
import { listedVariableNames, readLocator, resolveCampaign } from './operations';

/**
 * The account's campaigns for the Campaign picker, 100 a page, filtered by name: first those that
 * can take numbers (active and dynamic), then every other one, each part by name. The pagination
 * token says which part and where: `takes:<start>` or `rest:<start>`. The first part's last page
 * is followed by the second part's first in one answer, so a search with no active dynamic match
 * still lists the others at once.
 */
async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const account = await apiAccount(this);
	const byName = filter?.trim() ? { name: filter.trim() } : {};
	const page = async (takesNumbers: boolean, start: number) => {
		const query = {
			filter: takesNumbers ? { ...byName, ...TAKES_NUMBERS } : byName,
			sort: ['name', 'ASC'] as ['name', 'ASC'],
			range: [start, start + PAGE_SIZE - 1] as [number, number],
		};
		const response = await sipCallerApiRequest(
			this,
			account,
			listCampaignsRequest(account.accountId, query),
		);
		const rows = readListResponse(response.body).filter((row) => typeof row.id === 'string');
		return {
			// The second part leaves out what the first one listed.
			rows: takesNumbers ? rows : rows.filter((row) => !canTakeNumbers(row)),
			next: rows.length === PAGE_SIZE ? start + PAGE_SIZE : undefined,
		};
	};
	const [part, at] = (paginationToken ?? 'takes:0').split(':');
	const start = Number(at) || 0;
	const results: Array<Record<string, unknown>> = [];
	let token: string | undefined;
	if (part !== 'rest') {
		const takes = await page(true, start);
		results.push(...takes.rows);
		token = takes.next !== undefined ? `takes:${takes.next}` : undefined;
	}
	if (part === 'rest' || token === undefined) {
		const rest = await page(false, part === 'rest' ? start : 0);
		results.push(...rest.rows);
		token = rest.next !== undefined ? `rest:${rest.next}` : undefined;
	}
	return {
		results: results.map((row) => ({ name: campaignLabel(row), value: row.id as string })),
		paginationToken: token,
	};
}

/** One field per variable name of the chosen campaign, in the campaign's order. */
async function getCampaignVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	// The raw parameter: an expression campaign cannot be resolved here (there is no input item).
	const locator = readLocator(this.getCurrentNodeParameter('campaign'));
	if (locator.value === '' || locator.value.startsWith('=')) {
		// No campaign to read (none picked yet, as in a freshly imported template, or an
		// expression): keep the variables already listed, so nothing is dropped or marked outdated.
		const listed = listedVariableNames(this.getCurrentNodeParameter('variables')) ?? [];
		return {
			fields: listed.map(variableField),
			emptyFieldsNotice:
				locator.value === ''
					? 'Choose a campaign above to list its variables here'
					: 'The campaign is an expression: its variables cannot be listed here. Set Variables to "List Values in Order".',
		};
	}
	// A failed lookup throws: n8n then keeps what is mapped (an empty list would erase it).
	const campaign = await resolveCampaign(this, await apiAccount(this), locator, new Map());
	const varNames = Array.isArray(campaign.varNames) ? campaign.varNames : [];
	return {
		fields: varNames.map(variableField),
		emptyFieldsNotice: `Campaign "${String(campaign.name ?? campaign.id)}" has no variables: only the number is sent`,
	};
}

function variableField(name: string): ResourceMapperField {
	return {
		id: name,
		displayName: name,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	};
}

export const sipCallerMethods = {
	listSearch: { searchCampaigns },
	resourceMapping: { getCampaignVariables },
};
